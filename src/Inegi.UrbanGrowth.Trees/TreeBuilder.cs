using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>One fitted tree in local node numbering, before it joins the forest's flat arrays.</summary>
internal sealed class FittedTree
{
    public required int[] Feature { get; init; }
    public required float[] Threshold { get; init; }
    public required int[] Child { get; init; }
    public required float[] Values { get; init; }
    public required double[] Importance { get; init; }
}

/// <summary>
/// The training data every tree reads: the float32 values twice, column-major and row-major, and labels.
/// </summary>
/// <remarks>
/// A large node reads a few whole columns, which stream; a small node's samples are scattered, so each value it reads
/// from a column costs a cache line of its own, fetched again for every candidate feature of every node below. Read
/// from rows instead, a small subtree's samples occupy a bounded set of lines (its rows) that stay in cache while the
/// subtree is grown: at 486 columns a 4,000-sample subtree's rows are 7.8 MB, while its column reads cost about 200
/// lines per sample over the subtree's depth.
/// </remarks>
internal sealed class TrainingSet
{
    public required float[] Columns { get; init; }
    public required ReadOnlyMemory<float> Rows { get; init; }
    public required byte[] Labels { get; init; }
    public required int SampleCount { get; init; }
    public required int FeatureCount { get; init; }
    public required int ClassCount { get; init; }
    public required double[] ClassWeights { get; init; }
    public required int[] RootCounts { get; init; }
    public required int MaxFeatures { get; init; }
    public required int MaxDepth { get; init; }
    public required int MinSamplesSplit { get; init; }
    public required int MinSamplesLeaf { get; init; }
    public required int Seed { get; init; }

    /// <summary>
    /// A node whose samples' rows take at most this many bytes reads its values from <see cref="Rows"/>. Measured on
    /// 40,000 x 486 (2 threads, model identical): columns only 6.9 s; rows below 2 MB 4.7 s, 8 MB 3.8 s,
    /// 16 MB 3.8-3.9 s, 32 MB 4.1 s, everywhere 5.0 s.
    /// </summary>
    public required long RowMajorSubtreeBytes { get; init; }
}

/// <summary>
/// Grows one extremely randomised tree (Geurts et al. 2006) the way sklearn's <c>RandomSplitter</c> and
/// <c>DepthFirstTreeBuilder</c> do. All scratch is allocated once per builder and reused for every node and
/// every tree the builder grows; a node allocates nothing.
/// </summary>
internal sealed class TreeBuilder : IDisposable
{
    private const double Epsilon = 2.220446049250313e-16; // numpy float64 eps, sklearn's EPSILON
    private const float FeatureThreshold = 1e-7f;          // sklearn FEATURE_THRESHOLD (float32)

    private readonly TrainingSet _set;
    private readonly int[] _samples;
    private readonly int[] _ys;

    private readonly float[] _xf;
    private readonly List<int[]> _featureLevels = [];
    private readonly int[] _nodeCounts;
    private readonly int[] _leftCounts;
    private readonly int[] _bestLeftCounts;
    private readonly int _rowMajorNodeSize;

    private StackEntry[] _stack = new StackEntry[64];
    private int[] _stackCounts;

    private int[] _feature = new int[1024];
    private float[] _threshold = new float[1024];
    private int[] _child = new int[1024];
    private float[] _values = new float[1024];
    private int _nodeCount;
    private int _valueCount;

    public TreeBuilder(TrainingSet set)
    {
        _set = set;
        _samples = ArrayPool<int>.Shared.Rent(set.SampleCount);
        _ys = ArrayPool<int>.Shared.Rent(set.SampleCount);

        _xf = ArrayPool<float>.Shared.Rent(set.SampleCount);
        _nodeCounts = new int[set.ClassCount];
        _leftCounts = new int[set.ClassCount];
        _bestLeftCounts = new int[set.ClassCount];
        _stackCounts = new int[64 * set.ClassCount];

        // The vector gather takes 32-bit element offsets: sample * feature count must fit.
        _rowMajorNodeSize = (long)set.SampleCount * set.FeatureCount <= int.MaxValue
            ? (int)Math.Min(int.MaxValue, set.RowMajorSubtreeBytes / (sizeof(float) * set.FeatureCount))
            : 0;
    }

    private struct StackEntry
    {
        public int Start;
        public int End;
        public int Depth;
        public int Node;
        public int Constants;
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_samples);
        ArrayPool<int>.Shared.Return(_ys);

        ArrayPool<float>.Shared.Return(_xf);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first tree: tiering up in the middle of a fit costs ~20%
    public FittedTree Build(int treeIndex)
    {
        var set = _set;
        int n = set.SampleCount;
        int k = set.ClassCount;
        var rng = new TreeRandom(set.Seed, treeIndex);
        var importance = new double[set.FeatureCount];
        for (int i = 0; i < n; i++)
        {
            _samples[i] = i;
        }

        for (int i = 0; i < n; i++)
        {
            _ys[i] = set.Labels[i];
        }

        _nodeCount = 1;
        _valueCount = 0;
        int top = 0;
        _stack[0] = new StackEntry { Start = 0, End = n, Depth = 0, Node = 0, Constants = 0 };
        set.RootCounts.CopyTo(_stackCounts, 0);
        top = 1;
        double[] cw = set.ClassWeights;
        double rootWeight = 0;

        while (top > 0)
        {
            top--;
            StackEntry e = _stack[top];

            _stackCounts.AsSpan(top * k, k).CopyTo(_nodeCounts);
            int nNode = e.End - e.Start;
            double w = Weighted(_nodeCounts, cw, out double impurity);
            if (e.Node == 0)
            {
                rootWeight = w;
            }

            bool isLeaf = e.Depth >= set.MaxDepth || nNode < set.MinSamplesSplit || nNode < 2 * set.MinSamplesLeaf || impurity <= Epsilon;
            int bestFeature = -1;
            float bestThreshold = 0;
            int totalConstants = 0;
            if (!isLeaf)
            {
                bestFeature = FindSplit(ref rng, e, out bestThreshold, out totalConstants);
            }

            if (bestFeature < 0)
            {
                MakeLeaf(e.Node, w);
                continue;
            }

            int pos = Partition(e.Start, e.End, bestFeature, bestThreshold);
            int left = _nodeCount;
            EnsureNodes(_nodeCount + 2);
            _nodeCount += 2;
            _feature[e.Node] = bestFeature;
            _threshold[e.Node] = bestThreshold;
            _child[e.Node] = left;

            // Right child's counts = node - left.
            double wl = Weighted(_bestLeftCounts, cw, out double impurityLeft);
            for (int c = 0; c < k; c++)
            {
                _leftCounts[c] = _nodeCounts[c] - _bestLeftCounts[c];
            }

            double wr = Weighted(_leftCounts, cw, out double impurityRight);
            importance[bestFeature] += (w * impurity) - (wl * impurityLeft) - (wr * impurityRight);

            EnsureStack(top + 2);
            _stack[top] = new StackEntry { Start = pos, End = e.End, Depth = e.Depth + 1, Node = left + 1, Constants = totalConstants };
            _leftCounts.AsSpan().CopyTo(_stackCounts.AsSpan(top * k, k));
            top++;
            _stack[top] = new StackEntry { Start = e.Start, End = pos, Depth = e.Depth + 1, Node = left, Constants = totalConstants };
            _bestLeftCounts.AsSpan().CopyTo(_stackCounts.AsSpan(top * k, k));
            top++;
        }

        // sklearn DecisionTree.feature_importances_: sum of weighted impurity decreases / root weight, normalised to sum 1.
        double sum = 0;
        for (int f = 0; f < importance.Length; f++)
        {
            importance[f] /= rootWeight;
            sum += importance[f];
        }

        if (sum > 0)
        {
            for (int f = 0; f < importance.Length; f++)
            {
                importance[f] /= sum;
            }
        }

        return new FittedTree
        {
            Feature = _feature.AsSpan(0, _nodeCount).ToArray(),
            Threshold = _threshold.AsSpan(0, _nodeCount).ToArray(),
            Child = _child.AsSpan(0, _nodeCount).ToArray(),
            Values = _values.AsSpan(0, _valueCount).ToArray(),
            Importance = importance,
        };
    }

    /// <summary>The values of <paramref name="feature"/>, indexed by sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<float> Column(int feature)
    {
        int n = _set.SampleCount;
        return _set.Columns.AsSpan(feature * n, n);
    }

    /// <summary>Weighted sample count and Gini impurity <c>1 - sum_k (w_k / W)^2</c> of class counts.</summary>
    private static double Weighted(ReadOnlySpan<int> counts, double[] cw, out double gini)
    {
        double w = 0;
        double sq = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            double wc = cw[c] * counts[c];
            w += wc;
            sq += wc * wc;
        }

        gini = w > 0 ? 1.0 - (sq / (w * w)) : 0;
        return w;
    }

    private void MakeLeaf(int node, double w)
    {
        int k = _set.ClassCount;
        if (_valueCount + k > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, _valueCount + k));
        }

        for (int c = 0; c < k; c++)
        {
            _values[_valueCount + c] = (float)(_set.ClassWeights[c] * _nodeCounts[c] / w);
        }

        _feature[node] = -1;
        _threshold[node] = 0;
        _child[node] = _valueCount;
        _valueCount += k;
    }

    /// <summary>
    /// sklearn's <c>RandomSplitter.node_split</c>: draws features without replacement (Fisher-Yates over the
    /// node's copy of the feature order, known-constant features first), skips constant ones, draws one uniform
    /// threshold per non-constant feature and keeps the largest Gini proxy improvement. Returns the feature or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first tree: tiering up in the middle of a fit costs ~20%
    private int FindSplit(ref TreeRandom rng, in StackEntry e, out float bestThreshold, out int totalConstants)
    {
        var set = _set;
        int n = set.SampleCount;
        int k = set.ClassCount;
        int nFeatures = set.FeatureCount;
        int[] feats = FeatureLevel(e.Depth);
        if (e.Depth == 0)
        {
            for (int f = 0; f < nFeatures; f++)
            {
                feats[f] = f;
            }
        }
        else
        {
            _featureLevels[e.Depth - 1].AsSpan(0, nFeatures).CopyTo(feats);
        }

        int fi = nFeatures;
        int nVisited = 0;
        int nFound = 0;
        int nDrawnConstants = 0;
        int nKnown = e.Constants;
        int nTotal = nKnown;
        int maxFeatures = set.MaxFeatures;
        int nNode = e.End - e.Start;
        int minLeaf = set.MinSamplesLeaf;
        double[] cw = set.ClassWeights;
        double wNode = 0;
        for (int c = 0; c < k; c++)
        {
            wNode += cw[c] * _nodeCounts[c];
        }

        double bestScore = double.NegativeInfinity;
        int bestFeature = -1;
        bestThreshold = 0;
        Span<int> samples = _samples.AsSpan(e.Start, nNode);
        Span<int> ys = _ys.AsSpan(e.Start, nNode);
        Span<float> xf = _xf.AsSpan(0, nNode);
        bool rowMajor = UseRows(nNode);
        float min, max;

        while (fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound + nDrawnConstants))
        {
            nVisited++;
            int fj = rng.NextInt(nDrawnConstants, fi - nFound);
            if (fj < nKnown)
            {
                (feats[nDrawnConstants], feats[fj]) = (feats[fj], feats[nDrawnConstants]);
                nDrawnConstants++;
                continue;
            }

            fj += nFound;
            int feature = feats[fj];
            if (rowMajor)
            {
                GatherMinMax(set.Rows.Span[feature..], nFeatures, samples, xf, out min, out max);
            }
            else
            {
                GatherMinMax(Column(feature), 1, samples, xf, out min, out max);
            }

            if (max <= min + FeatureThreshold)
            {
                (feats[fj], feats[nTotal]) = (feats[nTotal], feats[fj]);
                nFound++;
                nTotal++;
                continue;
            }

            fi--;
            (feats[fi], feats[fj]) = (feats[fj], feats[fi]);

            double t = min + ((max - (double)min) * rng.NextDouble());
            if (t >= max)
            {
                t = min;
            }

            // For float x, (x <= t) == (x <= tf) where tf is the largest float not above t.
            float tf = (float)t;
            if (tf > t)
            {
                tf = MathF.BitDecrement(tf);
            }

            int nLeft = CountLeft(xf, ys, tf, _leftCounts);
            if (nLeft < minLeaf || nNode - nLeft < minLeaf)
            {
                continue;
            }

            double wl = 0, sl = 0, sr = 0;
            for (int c = 0; c < k; c++)
            {
                double l = cw[c] * _leftCounts[c];
                double r = cw[c] * (_nodeCounts[c] - _leftCounts[c]);
                wl += l;
                sl += l * l;
                sr += r * r;
            }

            double wr = wNode - wl;
            double score = (wl > 0 ? sl / wl : 0) + (wr > 0 ? sr / wr : 0);
            if (score > bestScore)
            {
                bestScore = score;
                bestFeature = feature;
                bestThreshold = tf;
                _leftCounts.AsSpan().CopyTo(_bestLeftCounts);
            }
        }

        totalConstants = nTotal;
        return bestFeature;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool UseRows(int nodeSize) => nodeSize <= _rowMajorNodeSize;

    /// <summary>
    /// Copies <c>values[sample * stride]</c> of the node's samples to <paramref name="xf"/> and returns their range:
    /// stride 1 reads a column, stride = feature count reads the feature's position in every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatherMinMax(ReadOnlySpan<float> values, int stride, ReadOnlySpan<int> samples, Span<float> xf, out float min, out float max)
    {
        ref float col = ref MemoryMarshal.GetReference(values);
        ref int s = ref MemoryMarshal.GetReference(samples);
        ref float dst = ref MemoryMarshal.GetReference(xf);
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        float mn2 = float.PositiveInfinity, mx2 = float.NegativeInfinity;
        int len = samples.Length;
        int p = 0;
        if (Avx2.IsSupported && len >= 2 * Vector256<int>.Count)
        {
            unsafe
            {
                fixed (float* basePtr = &col)
                {
                    Vector256<float> vmin = Vector256.Create(float.PositiveInfinity), vmax = Vector256.Create(float.NegativeInfinity);
                    Vector256<float> vmin2 = vmin, vmax2 = vmax;
                    Vector256<int> vstride = Vector256.Create(stride);
                    for (; p <= len - (2 * Vector256<int>.Count); p += 2 * Vector256<int>.Count)
                    {
                        Vector256<int> i0 = Vector256.LoadUnsafe(ref s, (nuint)p);
                        Vector256<int> i1 = Vector256.LoadUnsafe(ref s, (nuint)(p + Vector256<int>.Count));
                        if (stride != 1)
                        {
                            i0 *= vstride;
                            i1 *= vstride;
                        }

                        Vector256<float> v0 = Avx2.GatherVector256(basePtr, i0, 4);
                        Vector256<float> v1 = Avx2.GatherVector256(basePtr, i1, 4);
                        v0.StoreUnsafe(ref dst, (nuint)p);
                        v1.StoreUnsafe(ref dst, (nuint)(p + Vector256<int>.Count));
                        vmin = Vector256.Min(vmin, v0);
                        vmax = Vector256.Max(vmax, v0);
                        vmin2 = Vector256.Min(vmin2, v1);
                        vmax2 = Vector256.Max(vmax2, v1);
                    }

                    vmin = Vector256.Min(vmin, vmin2);
                    vmax = Vector256.Max(vmax, vmax2);
                    for (int i = 0; i < Vector256<float>.Count; i++)
                    {
                        mn = MathF.Min(mn, vmin[i]);
                        mx = MathF.Max(mx, vmax[i]);
                    }
                }
            }
        }

        for (; p + 1 < len; p += 2)
        {
            float v0 = Unsafe.Add(ref col, Unsafe.Add(ref s, p) * stride);
            float v1 = Unsafe.Add(ref col, Unsafe.Add(ref s, p + 1) * stride);
            Unsafe.Add(ref dst, p) = v0;
            Unsafe.Add(ref dst, p + 1) = v1;
            mn = MathF.Min(mn, v0);
            mx = MathF.Max(mx, v0);
            mn2 = MathF.Min(mn2, v1);
            mx2 = MathF.Max(mx2, v1);
        }

        if (p < len)
        {
            float v = Unsafe.Add(ref col, Unsafe.Add(ref s, p) * stride);
            Unsafe.Add(ref dst, p) = v;
            mn = MathF.Min(mn, v);
            mx = MathF.Max(mx, v);
        }

        min = MathF.Min(mn, mn2);
        max = MathF.Max(mx, mx2);
    }

    /// <summary>Class counts of the samples with <c>x &lt;= t</c>, in one pass; returns their number.</summary>
    private static int CountLeft(ReadOnlySpan<float> xf, ReadOnlySpan<int> ys, float t, int[] leftCounts)
    {
        ref float x = ref MemoryMarshal.GetReference(xf);
        ref int y = ref MemoryMarshal.GetReference(ys);
        int len = xf.Length;
        if (leftCounts.Length == 2)
        {
            int p = 0;
            int nl = 0, nl1 = 0;
            if (Vector256.IsHardwareAccelerated && len >= Vector256<float>.Count)
            {
                // Lanes where x <= t are all ones (-1): subtracting counts them, and masking the 0/1 labels counts class 1.
                Vector256<float> tv = Vector256.Create(t);
                Vector256<int> left = Vector256<int>.Zero, left1 = Vector256<int>.Zero;
                for (; p <= len - Vector256<float>.Count; p += Vector256<float>.Count)
                {
                    Vector256<int> mask = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, (nuint)p), tv).AsInt32();
                    left -= mask;
                    left1 += mask & Vector256.LoadUnsafe(ref y, (nuint)p);
                }

                nl = Vector256.Sum(left);
                nl1 = Vector256.Sum(left1);
            }

            for (; p < len; p++)
            {
                int b = Unsafe.Add(ref x, p) <= t ? 1 : 0;
                nl += b;
                nl1 += b & Unsafe.Add(ref y, p);
            }

            leftCounts[0] = nl - nl1;
            leftCounts[1] = nl1;
            return nl;
        }

        Array.Clear(leftCounts);
        int total = 0;
        for (int p = 0; p < len; p++)
        {
            int b = Unsafe.Add(ref x, p) <= t ? 1 : 0;
            leftCounts[Unsafe.Add(ref y, p)] += b;
            total += b;
        }

        return total;
    }

    /// <summary>Moves the node's samples with <c>x &lt;= t</c> to the front (labels follow); returns the split position.</summary>
    private int Partition(int start, int end, int feature, float t)
    {
        return UseRows(end - start)
            ? Partition(_set.Rows.Span[feature..], _set.FeatureCount, start, end, t)
            : Partition(Column(feature), 1, start, end, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first tree: tiering up in the middle of a fit costs ~20%
    private int Partition(ReadOnlySpan<float> values, int stride, int start, int end, float t)
    {
        int[] samples = _samples;
        int[] ys = _ys;
        int i = start, j = end - 1;
        while (true)
        {
            while (i <= j && values[samples[i] * stride] <= t)
            {
                i++;
            }

            while (i <= j && !(values[samples[j] * stride] <= t))
            {
                j--;
            }

            if (i >= j)
            {
                return i;
            }

            (samples[i], samples[j]) = (samples[j], samples[i]);
            (ys[i], ys[j]) = (ys[j], ys[i]);
            i++;
            j--;
        }
    }

    private int[] FeatureLevel(int depth)
    {
        while (_featureLevels.Count <= depth)
        {
            _featureLevels.Add(new int[_set.FeatureCount]);
        }

        return _featureLevels[depth];
    }

    private void EnsureNodes(int count)
    {
        if (count > _feature.Length)
        {
            int size = Math.Max(_feature.Length * 2, count);
            Array.Resize(ref _feature, size);
            Array.Resize(ref _threshold, size);
            Array.Resize(ref _child, size);
        }
    }

    private void EnsureStack(int count)
    {
        if (count > _stack.Length)
        {
            Array.Resize(ref _stack, Math.Max(_stack.Length * 2, count));
            Array.Resize(ref _stackCounts, _stack.Length * _set.ClassCount);
        }
    }
}
