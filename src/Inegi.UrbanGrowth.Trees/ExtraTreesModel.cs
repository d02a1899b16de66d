using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
                AccumulateForest(block, count, a);

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
