using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// A fitted Extra-Trees forest. The probability of class c for a row is the mean over trees of the
/// (weighted) fraction of class c in the leaf the row reaches (sklearn <c>predict_proba</c>).
/// </summary>
/// <remarks>
/// Trees are stored as flat struct-of-arrays over all nodes of all trees: <c>feature</c> (-1 for a leaf),
/// <c>threshold</c> (float32; a row goes left when <c>x &lt;= threshold</c>), <c>child</c> (for a split node the
/// index of its left child, the right child is always <c>child + 1</c>; for a leaf the offset of its
/// <see cref="ClassCount"/> class fractions in the value array), and the root node of each tree. The first prediction
/// repacks them into 8 bytes a node (16 when the forest has 1,023 or more features) for the vector walk (docs/trees.md).
/// A value that is NaN goes left at every node (it is not greater than the threshold).
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed partial class ExtraTreesModel : IClassifierModel
{
    /// <summary>Bytes of row data per block: a tree's nodes (about 140 KB for 17,000 nodes of 8 bytes) are fetched once per block, so larger blocks amortise them over more rows, until the block itself falls out of the cache (1,000,000 x 100 rows, 2 threads, 8-byte nodes: 1 MB 5.7 s, 2 MB 3.9-4.6 s, 4 MB 3.1-3.7 s, 6.5 MB 4.0 s; docs/trees.md).</summary>
    private const int BlockBytes = 4 * 1024 * 1024;

    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _child;
    private readonly float[] _values;
    private PackedNode[]? _packed;
    private readonly long[] _classCounts;
    private readonly double[] _classPriors;
    private readonly double[] _importances;

    private ExtraTreesModel(
        FeatureSchema schema,
        int classCount,
        ExtraTreesOptions options,
        int resolvedMaxFeatures,
        long[] classCounts,
        double[] classPriors,
        double[] importances,
        int[] roots,
        int[] feature,
        float[] threshold,
        int[] child,
        float[] values)
    {
        Schema = schema;
        ClassCount = classCount;
        Options = options;
        ResolvedMaxFeatures = resolvedMaxFeatures;
        _classCounts = classCounts;
        _classPriors = classPriors;
        _importances = importances;
        _roots = roots;
        _feature = feature;
        _threshold = threshold;
        _child = child;
        _values = values;
        _compact = new Lazy<CompactForest?>(BuildCompact, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>
    /// The nodes interleaved for prediction, built on the first prediction: a model that is only fitted and saved
    /// (urban train) never needs them, and they are as large as the forest.
    /// </summary>
    private PackedNode[] Packed => Volatile.Read(ref _packed) ?? PackNodes();

    private PackedNode[] PackNodes()
    {
        var packed = new PackedNode[_feature.Length];
        for (int i = 0; i < packed.Length; i++)
        {
            packed[i] = new PackedNode { Feature = _feature[i], Threshold = _threshold[i], Child = _child[i] };
        }

        // Two first predictions may race: both build the same array, one is kept.
        return Interlocked.CompareExchange(ref _packed, packed, null) ?? packed;
    }

    [StructLayout(LayoutKind.Sequential, Size = 16)]
    private struct PackedNode
    {
        public int Feature;
        public float Threshold;
        public int Child;
    }

    /// <inheritdoc/>
    public FeatureSchema Schema { get; }

    /// <summary>Number of input features (<c>Schema.Count</c>).</summary>
    public int FeatureCount => Schema.Count;

    /// <inheritdoc/>
    public int ClassCount { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>Total number of nodes over all trees.</summary>
    public int NodeCount => _feature.Length;

    /// <summary>The settings the model was fitted with (<see cref="ExtraTreesOptions.MaxDegreeOfParallelism"/> is not stored and reads -1 after <see cref="Load(Stream, string?)"/>).</summary>
    public ExtraTreesOptions Options { get; }

    /// <summary>The number of candidate features per node that <see cref="ExtraTreesOptions.MaxFeatures"/> resolved to.</summary>
    public int ResolvedMaxFeatures { get; }

    /// <summary>Number of training rows of each class.</summary>
    public IReadOnlyList<long> ClassCounts => _classCounts;

    /// <summary>
    /// The class prior the trees were fitted under: <c>w_c n_c / sum_j w_j n_j</c> with class weights
    /// <c>w</c> (the plain class fractions when unweighted; uniform with <see cref="ClassWeight.Balanced"/>).
    /// </summary>
    /// <remarks>
    /// Prior correction to a population prior <c>q</c>: <c>p'_c ∝ p_c q_c / prior_c</c> (Saerens et al. 2002).
    /// </remarks>
    public IReadOnlyList<double> ClassPriors => _classPriors;

    /// <summary>Mean decrease in impurity (Gini importance), one per feature, summing to 1 (or all 0 when no tree split).</summary>
    /// <remarks>
    /// As sklearn: per tree, sum over split nodes of <c>W_node g_node - W_left g_left - W_right g_right</c>
    /// (W weighted sample counts, g Gini impurity) per feature, divided by the root's weight and normalised to sum 1;
    /// then the mean over trees with more than one node, normalised to sum 1.
    /// </remarks>
    public IReadOnlyList<double> FeatureImportances => _importances;

    /// <summary>The maximum depth of any tree (root = 0).</summary>
    public int MaxTreeDepth
    {
        get
        {
            int best = 0;
            var stack = new Stack<(int Node, int Depth)>();
            foreach (int root in _roots)
            {
                stack.Push((root, 0));
                while (stack.Count > 0)
                {
                    var (node, depth) = stack.Pop();
                    best = Math.Max(best, depth);
                    if (_feature[node] >= 0)
                    {
                        stack.Push((_child[node], depth + 1));
                        stack.Push((_child[node] + 1, depth + 1));
                    }
                }
            }

            return best;
        }
    }

    /// <summary>Class probabilities of one row.</summary>
    /// <param name="row"><see cref="FeatureCount"/> values in schema order.</param>
    /// <param name="probabilities"><see cref="ClassCount"/> values are written.</param>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public void PredictRow(ReadOnlySpan<float> row, Span<float> probabilities)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"The model expects {FeatureCount} features but the row has {row.Length}.", nameof(row));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, ClassCount, nameof(probabilities));
        PredictRowsCore(row, 1, probabilities);
    }

    /// <summary>Class probabilities of consecutive row-major rows, on the calling thread.</summary>
    /// <param name="rows">A whole number of rows of <see cref="FeatureCount"/> values.</param>
    /// <param name="probabilities">Row-major destination, at least <c>rowCount * ClassCount</c> values.</param>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public void PredictRows(ReadOnlySpan<float> rows, Span<float> probabilities)
    {
        if (rows.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of {FeatureCount}-feature rows.", nameof(rows));
        }

        int rowCount = rows.Length / FeatureCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, rowCount * ClassCount, nameof(probabilities));
        PredictRowsCore(rows, rowCount, probabilities);
    }

    /// <summary>Class probabilities of every row of a matrix, in parallel over blocks of rows (all cores).</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    /// <param name="probabilities">Row-major destination of <c>RowCount * ClassCount</c> values.</param>
    /// <exception cref="ArgumentException">A different schema or a short destination.</exception>
    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities) =>
        PredictProbabilities(features, probabilities, -1);

    /// <summary>Class probabilities of every row of a matrix, in parallel over blocks of rows.</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    /// <param name="probabilities">Row-major destination of <c>RowCount * ClassCount</c> values.</param>
    /// <param name="maxDegreeOfParallelism">Most blocks at once; -1 for all cores. The result never depends on it.</param>
    /// <exception cref="ArgumentException">A different schema or a short destination.</exception>
    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities, int maxDegreeOfParallelism) =>
        RowBlocks.Predict(this, "The Extra-Trees model", features, probabilities, maxDegreeOfParallelism, PredictRowsCore);

    /// <summary>Class probabilities of every row of a matrix, as a new row-major array.</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    public float[] PredictProbabilities(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = new float[(long)features.RowCount * ClassCount];
        PredictProbabilities(features, result);
        return result;
    }

    /// <summary>
    /// Processes rows in blocks of about <see cref="BlockBytes"/>: for each tree, walks every row of the block, so the
    /// tree's nodes are fetched from memory once per block rather than once per row.
    /// </summary>
    private void PredictRowsCore(ReadOnlySpan<float> rows, int rowCount, Span<float> probabilities)
    {
        int k = ClassCount;
        int nf = FeatureCount;
        int blockRows = Math.Clamp(BlockBytes / (Math.Max(nf, 1) * sizeof(float)), 16, RowBlocks.BlockRows);
        int blockCount = (rowCount + blockRows - 1) / blockRows;
        blockRows = (rowCount + blockCount - 1) / Math.Max(1, blockCount); // equal blocks: a small last block would reload every tree for a few rows
        double[] rented = System.Buffers.ArrayPool<double>.Shared.Rent(blockRows * k);
        double scale = 1.0 / _roots.Length;
        try
        {
            for (int r0 = 0; r0 < rowCount; r0 += blockRows)
            {
                int count = Math.Min(blockRows, rowCount - r0);
                Span<double> a = rented.AsSpan(0, count * k);
                a.Clear();
                ReadOnlySpan<float> block = rows.Slice(r0 * nf, count * nf);
                CompactForest? compact = Avx2.IsSupported ? Compact : null;
                for (int t = 0; t < _roots.Length; t++)
                {
                    int root = _roots[t];
                    if (compact is not null)
                    {
                        AccumulateTreeCompact(compact, t, block, count, a);
                    }
                    else if (Avx2.IsSupported && Packed.Length < (int.MaxValue / 4))
                    {
                        AccumulateTreeGathered(root, block, count, a);
                    }
                    else
                    {
                        AccumulateTree(root, block, count, a);
                    }
                }

                Span<float> dest = probabilities.Slice(r0 * k, count * k);
                for (int i = 0; i < dest.Length; i++)
                {
                    dest[i] = (float)(a[i] * scale);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The forest in 8 bytes a node for the vector walk: the threshold, then <c>child &lt;&lt; 10 | feature</c> with
    /// the child (the left one; the right one follows it) counted from the tree's root and feature 1023 marking a leaf,
    /// whose child field is its values' offset from the tree's first value. One 64-bit gather then fetches what three
    /// 32-bit gathers fetched from the 16-byte nodes. Null when the forest does not fit (1,023 or more features, or a
    /// tree with 4 million or more nodes or values).
    /// </summary>
    private sealed class CompactForest
    {
        public required ulong[] Nodes { get; init; }
        public required int[] ValueBase { get; init; }
    }

    private const int CompactFeatureBits = 10;
    private const int CompactLeaf = (1 << CompactFeatureBits) - 1;
    private const int CompactChildLimit = 1 << (32 - CompactFeatureBits);

    private readonly Lazy<CompactForest?> _compact;

    private CompactForest? Compact => _compact.Value;

    private CompactForest? BuildCompact()
    {
        if (FeatureCount >= CompactLeaf)
        {
            return null;
        }

        var nodes = new ulong[_feature.Length];
        var valueBase = new int[_roots.Length];
        for (int t = 0; t < _roots.Length; t++)
        {
            int root = _roots[t];
            int end = t + 1 < _roots.Length ? _roots[t + 1] : _feature.Length;
            int firstValue = int.MaxValue, lastValue = 0;
            for (int i = root; i < end; i++)
            {
                if (_feature[i] < 0)
                {
                    firstValue = Math.Min(firstValue, _child[i]);
                    lastValue = Math.Max(lastValue, _child[i]);
                }
            }

            if (end - root >= CompactChildLimit || lastValue - firstValue >= CompactChildLimit)
            {
                return null;
            }

            valueBase[t] = firstValue;
            for (int i = root; i < end; i++)
            {
                uint packed = _feature[i] < 0
                    ? ((uint)(_child[i] - firstValue) << CompactFeatureBits) | CompactLeaf
                    : ((uint)(_child[i] - root) << CompactFeatureBits) | (uint)_feature[i];
                nodes[i] = ((ulong)packed << 32) | BitConverter.SingleToUInt32Bits(_feature[i] < 0 ? 0f : _threshold[i]);
            }
        }

        return new CompactForest { Nodes = nodes, ValueBase = valueBase };
    }

    /// <summary>
    /// The walk of <see cref="AccumulateTreeGathered"/> over the 8-byte nodes of <see cref="CompactForest"/>, 32 rows
    /// per step in four vectors: twice the walks in flight hide more of the gathers' latency (16 rows: 4.6-5.3 s, 32:
    /// 3.7-4.5 s for 1M x 100 with 16-byte nodes, paired runs), and per step and 8 rows two 64-bit gathers fetch the
    /// nodes (4 each) where three 32-bit gathers did (-> 3.2-3.4 s). Same comparisons, same leaves, same sums; leftover
    /// rows take the scalar walk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulateTreeCompact(CompactForest compact, int tree, ReadOnlySpan<float> block, int count, Span<double> acc)
    {
        int k = ClassCount;
        int nf = FeatureCount;
        int root = _roots[tree];
        int valueBase = compact.ValueBase[tree];
        ref float values = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), valueBase);
        int r = 0;
        fixed (ulong* forest = compact.Nodes)
        fixed (float* x = block)
        {
            long* nodes = (long*)(forest + root);
            Vector256<int> laneRows = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * nf;
            Vector256<int> leafCode = Vector256.Create(CompactLeaf);
            Span<int> leaves = stackalloc int[32];
            for (; r + 32 <= count; r += 32)
            {
                Vector256<int> base0 = laneRows + Vector256.Create(r * nf);
                Vector256<int> base1 = base0 + Vector256.Create(8 * nf);
                Vector256<int> base2 = base1 + Vector256.Create(8 * nf);
                Vector256<int> base3 = base2 + Vector256.Create(8 * nf);
                Vector256<int> n0 = Vector256<int>.Zero, n1 = n0, n2 = n0, n3 = n0;
                while (true)
                {
                    (Vector256<float> t0, Vector256<int> c0) = GatherNodes(nodes, n0);
                    (Vector256<float> t1, Vector256<int> c1) = GatherNodes(nodes, n1);
                    (Vector256<float> t2, Vector256<int> c2) = GatherNodes(nodes, n2);
                    (Vector256<float> t3, Vector256<int> c3) = GatherNodes(nodes, n3);
                    Vector256<int> f0 = c0 & leafCode, f1 = c1 & leafCode, f2 = c2 & leafCode, f3 = c3 & leafCode;
                    Vector256<int> leaf0 = Vector256.Equals(f0, leafCode), leaf1 = Vector256.Equals(f1, leafCode);
                    Vector256<int> leaf2 = Vector256.Equals(f2, leafCode), leaf3 = Vector256.Equals(f3, leafCode);
                    if ((leaf0 & leaf1 & leaf2 & leaf3).ExtractMostSignificantBits() == 0xFF)
                    {
                        n0 = c0;
                        n1 = c1;
                        n2 = c2;
                        n3 = c3;
                        break;
                    }

                    // A leaf's feature field (1023) would read past the row: it reads feature 0, unused.
                    Vector256<float> x0 = Avx2.GatherVector256(x, Vector256.AndNot(f0, leaf0) + base0, 4);
                    Vector256<float> x1 = Avx2.GatherVector256(x, Vector256.AndNot(f1, leaf1) + base1, 4);
                    Vector256<float> x2 = Avx2.GatherVector256(x, Vector256.AndNot(f2, leaf2) + base2, 4);
                    Vector256<float> x3 = Avx2.GatherVector256(x, Vector256.AndNot(f3, leaf3) + base3, 4);

                    // x > t is all ones (-1): subtracting it steps to the right child.
                    n0 = Vector256.ConditionalSelect(leaf0, n0, Vector256.ShiftRightLogical(c0, CompactFeatureBits) - Vector256.GreaterThan(x0, t0).AsInt32());
                    n1 = Vector256.ConditionalSelect(leaf1, n1, Vector256.ShiftRightLogical(c1, CompactFeatureBits) - Vector256.GreaterThan(x1, t1).AsInt32());
                    n2 = Vector256.ConditionalSelect(leaf2, n2, Vector256.ShiftRightLogical(c2, CompactFeatureBits) - Vector256.GreaterThan(x2, t2).AsInt32());
                    n3 = Vector256.ConditionalSelect(leaf3, n3, Vector256.ShiftRightLogical(c3, CompactFeatureBits) - Vector256.GreaterThan(x3, t3).AsInt32());
                }

                // Every lane is on its leaf: the packed field holds the leaf's value offset.
                Vector256.ShiftRightLogical(n0, CompactFeatureBits).CopyTo(leaves);
                Vector256.ShiftRightLogical(n1, CompactFeatureBits).CopyTo(leaves[8..]);
                Vector256.ShiftRightLogical(n2, CompactFeatureBits).CopyTo(leaves[16..]);
                Vector256.ShiftRightLogical(n3, CompactFeatureBits).CopyTo(leaves[24..]);
                for (int i = 0; i < 32; i++)
                {
                    AddLeaf(ref values, leaves[i], acc.Slice((r + i) * k, k));
                }
            }
        }

        if (r < count)
        {
            AccumulateTree(root, block.Slice(r * nf), count - r, acc.Slice(r * k));
        }
    }

    /// <summary>
    /// Gathers the 8 nodes <paramref name="n"/> (indices from the tree's root) and splits them into thresholds and
    /// packed child / feature fields, in lane order: nodes 0, 1, 4, 5 go in one gather and 2, 3, 6, 7 in the other, so
    /// that one in-lane shuffle per field puts every value back in its lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<float> Thresholds, Vector256<int> Packed) GatherNodes(long* nodes, Vector256<int> n)
    {
        Vector256<int> order = Avx2.Permute4x64(n.AsInt64(), 0b11_01_10_00).AsInt32();
        Vector256<float> a = Avx2.GatherVector256(nodes, order.GetLower(), 8).AsSingle();
        Vector256<float> b = Avx2.GatherVector256(nodes, order.GetUpper(), 8).AsSingle();
        return (Avx.Shuffle(a, b, 0b10_00_10_00), Avx.Shuffle(a, b, 0b11_01_11_01).AsInt32());
    }

    /// <summary>
    /// The vector walk for forests the 8-byte nodes cannot hold (<see cref="CompactForest"/>): the same walk as
    /// <see cref="AccumulateTree"/>, 16 rows at a time in two AVX2 vectors: each step gathers the
    /// current nodes' feature, threshold and child and the rows' values, so the memory latencies of 16 walks overlap.
    /// The comparison is the scalar one (<c>x &gt; threshold</c> goes right, NaN goes left), so leaves and sums are
    /// identical. Leaves keep their node (a leaf's feature is -1; the value gathered for it reads feature 0, unused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulateTreeGathered(int root, ReadOnlySpan<float> block, int count, Span<double> acc)
    {
        int k = ClassCount;
        int nf = FeatureCount;
        int r = 0;
        fixed (PackedNode* packed = Packed)
        fixed (float* x = block)
        {
            int* feature = (int*)packed;
            float* threshold = (float*)packed + 1;
            int* child = (int*)packed + 2;
            ref float values = ref MemoryMarshal.GetArrayDataReference(_values);
            Vector256<int> laneRows = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * nf;
            Vector256<int> zero = Vector256<int>.Zero;
            Span<int> leaves = stackalloc int[16];
            for (; r + 16 <= count; r += 16)
            {
                Vector256<int> base0 = laneRows + Vector256.Create(r * nf);
                Vector256<int> base1 = base0 + Vector256.Create(8 * nf);
                Vector256<int> n0 = Vector256.Create(root), n1 = n0;
                while (true)
                {
                    Vector256<int> i0 = n0 << 2, i1 = n1 << 2;
                    Vector256<int> f0 = Avx2.GatherVector256(feature, i0, 4);
                    Vector256<int> f1 = Avx2.GatherVector256(feature, i1, 4);
                    Vector256<int> leaf0 = Vector256.LessThan(f0, zero), leaf1 = Vector256.LessThan(f1, zero);
                    if ((leaf0 & leaf1).ExtractMostSignificantBits() == 0xFF)
                    {
                        break;
                    }

                    Vector256<float> x0 = Avx2.GatherVector256(x, Vector256.Max(f0, zero) + base0, 4);
                    Vector256<float> x1 = Avx2.GatherVector256(x, Vector256.Max(f1, zero) + base1, 4);
                    Vector256<float> t0 = Avx2.GatherVector256(threshold, i0, 4);
                    Vector256<float> t1 = Avx2.GatherVector256(threshold, i1, 4);
                    Vector256<int> c0 = Avx2.GatherVector256(child, i0, 4);
                    Vector256<int> c1 = Avx2.GatherVector256(child, i1, 4);

                    // x > t is all ones (-1): subtracting it steps to the right child.
                    n0 = Vector256.ConditionalSelect(leaf0, n0, c0 - Vector256.GreaterThan(x0, t0).AsInt32());
                    n1 = Vector256.ConditionalSelect(leaf1, n1, c1 - Vector256.GreaterThan(x1, t1).AsInt32());
                }

                n0.CopyTo(leaves);
                n1.CopyTo(leaves[8..]);
                for (int i = 0; i < 16; i++)
                {
                    AddLeaf(ref values, child[leaves[i] * 4], acc.Slice((r + i) * k, k));
                }
            }
        }

        if (r < count)
        {
            AccumulateTree(root, block.Slice(r * nf), count - r, acc.Slice(r * k));
        }
    }

    /// <summary>Rows walked down one tree together: independent chains of dependent loads that the CPU overlaps.</summary>
    private const int Lanes = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateTree(int root, ReadOnlySpan<float> block, int count, Span<double> acc)
    {
        int k = ClassCount;
        int nf = FeatureCount;
        ref PackedNode nodes = ref MemoryMarshal.GetArrayDataReference(Packed);
        ref float values = ref MemoryMarshal.GetArrayDataReference(_values);
        ref float x = ref MemoryMarshal.GetReference(block);
        Span<int> lane = stackalloc int[Lanes];
        for (int r0 = 0; r0 < count; r0 += Lanes)
        {
            int width = Math.Min(Lanes, count - r0);
            lane[..width].Fill(root);
            ref float xr0 = ref Unsafe.Add(ref x, r0 * nf);
            bool moved = true;
            while (moved)
            {
                moved = false;
                for (int i = 0; i < width; i++)
                {
                    ref PackedNode a = ref Unsafe.Add(ref nodes, lane[i]);
                    if (a.Feature >= 0)
                    {
                        lane[i] = a.Child + (Unsafe.Add(ref xr0, (i * nf) + a.Feature) > a.Threshold ? 1 : 0);
                        moved = true;
                    }
                }
            }

            for (int i = 0; i < width; i++)
            {
                AddLeaf(ref values, Unsafe.Add(ref nodes, lane[i]).Child, acc.Slice((r0 + i) * k, k));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLeaf(ref float values, int offset, Span<double> acc)
    {
        for (int c = 0; c < acc.Length; c++)
        {
            acc[c] += Unsafe.Add(ref values, offset + c);
        }
    }

    /// <summary>Joins fitted trees into the flat arrays and averages their importances (sklearn's rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ExtraTreesModel FromTrees(FeatureSchema schema, int classCount, ExtraTreesOptions options, int resolvedMaxFeatures, long[] classCounts, double[] priors, FittedTree[] trees)
    {
        int nodes = 0, values = 0;
        foreach (var t in trees)
        {
            nodes += t.Feature.Length;
            values += t.Values.Length;
        }

        var roots = new int[trees.Length];
        var feature = new int[nodes];
        var threshold = new float[nodes];
        var child = new int[nodes];
        var vals = new float[values];
        var importances = new double[schema.Count];
        int nodeBase = 0, valueBase = 0, splitTrees = 0;
        for (int t = 0; t < trees.Length; t++)
        {
            var tree = trees[t];
            roots[t] = nodeBase;
            for (int i = 0; i < tree.Feature.Length; i++)
            {
                int f = tree.Feature[i];
                feature[nodeBase + i] = f;
                threshold[nodeBase + i] = tree.Threshold[i];
                child[nodeBase + i] = tree.Child[i] + (f >= 0 ? nodeBase : valueBase);
            }

            tree.Values.CopyTo(vals, valueBase);
            if (tree.Feature.Length > 1)
            {
                splitTrees++;
                for (int f = 0; f < importances.Length; f++)
                {
                    importances[f] += tree.Importance[f];
                }
            }

            nodeBase += tree.Feature.Length;
            valueBase += tree.Values.Length;
        }

        double sum = 0;
        for (int f = 0; f < importances.Length; f++)
        {
            sum += importances[f];
        }

        if (splitTrees > 0 && sum > 0)
        {
            for (int f = 0; f < importances.Length; f++)
            {
                importances[f] /= sum; // mean over split trees, then normalised to sum 1: the mean's 1/T cancels
            }
        }

        return new ExtraTreesModel(schema, classCount, options, resolvedMaxFeatures, classCounts, priors, importances, roots, feature, threshold, child, vals);
    }
}
