using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// A fitted histogram gradient-boosting binary classifier: the raw score of a row is
/// <see cref="BaselineScore"/> plus the leaf value it reaches in every tree, and
/// <c>p(1) = 1 / (1 + exp(-raw))</c>, <c>p(0) = 1 - p(1)</c> (sklearn <c>HistGradientBoostingClassifier.predict_proba</c>).
/// </summary>
/// <remarks>
/// Trees are stored as flat arrays over all nodes of all trees: <c>feature</c> (-1 for a leaf), <c>threshold</c>
/// (float32; a row goes left when <c>x &lt;= threshold</c>), <c>child</c> (for a split node the index of its left child,
/// the right child is always <c>child + 1</c>; -1 for a leaf), <c>value</c> (float64 leaf value, learning rate
/// included; 0 for split nodes), and the root node of each tree; prediction repacks them into 16-byte nodes in which a
/// leaf points to itself, so batches walk four rows at a time for a tree's depth without branches. The raw score is
/// summed in double precision in tree order, so every prediction path gives the same bits. A NaN value goes left at
/// every node (training refuses NaN, so no side was learned for it; sklearn would send it to the child that had more
/// training samples).
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed partial class GradientBoostingModel : IClassifierModel
{
    /// <summary>Rows that walk one tree before the next: their walks are independent, so the CPU overlaps them.</summary>
    private const int BlockRows = 64;

    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _child;
    private readonly double[] _value;
    private readonly double[] _importances;
    private readonly PackedNode[] _packed;
    private readonly int[] _depth;

    internal GradientBoostingModel(
        FeatureSchema schema,
        GradientBoostingOptions options,
        double baselineScore,
        double[] importances,
        int[] roots,
        int[] feature,
        float[] threshold,
        int[] child,
        double[] value)
    {
        Schema = schema;
        Options = options;
        BaselineScore = baselineScore;
        _importances = importances;
        _roots = roots;
        _feature = feature;
        _threshold = threshold;
        _child = child;
        _value = value;
        _packed = new PackedNode[feature.Length];
        _depth = new int[roots.Length];
        var depth = new int[feature.Length];
        for (int t = 0; t < roots.Length; t++)
        {
            int end = t + 1 < roots.Length ? roots[t + 1] : feature.Length;
            for (int i = roots[t]; i < end; i++)
            {
                if (feature[i] >= 0)
                {
                    _packed[i] = new PackedNode { Feature = feature[i], Threshold = threshold[i], Child = child[i] };
                    depth[child[i]] = depth[child[i] + 1] = depth[i] + 1;
                }
                else
                {
                    // A leaf points to itself and no value is above +inf, so a walk that reaches it stays there.
                    _packed[i] = new PackedNode { Feature = 0, Threshold = float.PositiveInfinity, Child = i };
                    _depth[t] = Math.Max(_depth[t], depth[i]);
                }
            }
        }
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

    /// <summary>Always 2: the model is a binary classifier (class 0 and class 1).</summary>
    public int ClassCount => 2;

    /// <summary>Number of boosting iterations, one tree each (always <see cref="GradientBoostingOptions.MaxIterations"/>: there is no early stopping).</summary>
    public int IterationCount => _roots.Length;

    /// <summary>Total number of nodes over all trees.</summary>
    public int NodeCount => _feature.Length;

    /// <summary>The settings the model was fitted with (<see cref="GradientBoostingOptions.MaxDegreeOfParallelism"/> is not stored and reads -1 after <see cref="Load(Stream, string?)"/>).</summary>
    public GradientBoostingOptions Options { get; }

    /// <summary>The raw score before any tree: the log-odds <c>log(s / (1 - s))</c> of the training share <c>s</c> of class 1.</summary>
    public double BaselineScore { get; }

    /// <summary>
    /// Total split gain (reduction of the second-order loss approximation, <c>GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ)</c>)
    /// per feature over all trees, normalised to sum 1 (all 0 when no tree split). sklearn's HistGradientBoosting has no
    /// such attribute; this is the "gain" importance of LightGBM and XGBoost.
    /// </summary>
    public IReadOnlyList<double> FeatureImportances => _importances;

    /// <summary>The raw score (log-odds of class 1) of one row.</summary>
    /// <param name="row"><see cref="FeatureCount"/> values in schema order.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double PredictRawScore(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"The model expects {FeatureCount} features but the row has {row.Length}.", nameof(row));
        }

        double raw = BaselineScore;
        ref PackedNode nodes = ref MemoryMarshal.GetArrayDataReference(_packed);
        ref float x = ref MemoryMarshal.GetReference(row);
        foreach (int root in _roots)
        {
            raw += _value[Walk(ref nodes, root, ref x)];
        }

        return raw;
    }

    /// <summary>Class probabilities of one row: <c>p(0)</c> then <c>p(1)</c>.</summary>
    /// <param name="row"><see cref="FeatureCount"/> values in schema order.</param>
    /// <param name="probabilities">2 values are written.</param>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public void PredictRow(ReadOnlySpan<float> row, Span<float> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, ClassCount, nameof(probabilities));
        double raw = PredictRawScore(row);
        WriteProbabilities(raw, probabilities);
    }

    /// <summary>Class probabilities of every row of a matrix, in parallel over blocks of rows (all cores).</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    /// <param name="probabilities">Row-major destination of <c>RowCount * 2</c> values: <c>p(0), p(1)</c> per row.</param>
    /// <exception cref="ArgumentException">A different schema or a short destination.</exception>
    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities) =>
        PredictProbabilities(features, probabilities, -1);

    /// <summary>Class probabilities of every row of a matrix, in parallel over blocks of rows.</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    /// <param name="probabilities">Row-major destination of <c>RowCount * 2</c> values: <c>p(0), p(1)</c> per row.</param>
    /// <param name="maxDegreeOfParallelism">Most blocks at once; -1 for all cores. The result never depends on it.</param>
    /// <exception cref="ArgumentException">A different schema or a short destination.</exception>
    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities, int maxDegreeOfParallelism) =>
        RowBlocks.Predict(this, "The gradient-boosting model", features, probabilities, maxDegreeOfParallelism, PredictRowsCore);

    /// <summary>Class probabilities of every row of a matrix, as a new row-major array (<c>p(0), p(1)</c> per row).</summary>
    /// <param name="features">Rows; the schema must equal <see cref="Schema"/>.</param>
    /// <returns><c>RowCount * 2</c> probabilities.</returns>
    public float[] PredictProbabilities(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = new float[(long)features.RowCount * ClassCount];
        PredictProbabilities(features, result);
        return result;
    }

    /// <summary>Walks one tree; returns the index of the leaf reached (the node that points to itself).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Walk(ref PackedNode nodes, int node, ref float row)
    {
        while (true)
        {
            ref PackedNode n = ref Unsafe.Add(ref nodes, node);
            if (n.Child == node)
            {
                return node;
            }

            node = n.Child + (Unsafe.Add(ref row, n.Feature) > n.Threshold ? 1 : 0);
        }
    }

    /// <summary>One step down from <paramref name="node"/> (a leaf stays put).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref PackedNode nodes, int node, ref float row)
    {
        ref PackedNode n = ref Unsafe.Add(ref nodes, node);
        return n.Child + (Unsafe.Add(ref row, n.Feature) > n.Threshold ? 1 : 0);
    }

    private static void WriteProbabilities(double raw, Span<float> destination)
    {
        double p1 = 1.0 / (1.0 + Math.Exp(-raw));
        destination[0] = (float)(1.0 - p1);
        destination[1] = (float)p1;
    }

    /// <summary>
    /// Blocks of <see cref="BlockRows"/> rows walk every tree, one tree after the other, on the calling thread. Four rows
    /// go down a tree together, each for the tree's depth in steps without branches (a leaf keeps its rows), so the
    /// four walks' memory latencies overlap. Every row still sums its leaf values in tree order, as <see cref="PredictRawScore"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PredictRowsCore(ReadOnlySpan<float> rows, int rowCount, Span<float> probabilities)
    {
        int nf = FeatureCount;
        Span<double> raw = stackalloc double[BlockRows];
        ref PackedNode nodes = ref MemoryMarshal.GetArrayDataReference(_packed);
        ref double values = ref MemoryMarshal.GetArrayDataReference(_value);
        ref float first = ref MemoryMarshal.GetReference(rows);
        for (int r0 = 0; r0 < rowCount; r0 += BlockRows)
        {
            int count = Math.Min(BlockRows, rowCount - r0);
            raw[..count].Fill(BaselineScore);
            ref float block = ref Unsafe.Add(ref first, (nint)r0 * nf);
            for (int t = 0; t < _roots.Length; t++)
            {
                int root = _roots[t];
                int depth = _depth[t];
                int r = 0;
                for (; r + 4 <= count; r += 4)
                {
                    ref float x0 = ref Unsafe.Add(ref block, (nint)r * nf);
                    ref float x1 = ref Unsafe.Add(ref x0, nf);
                    ref float x2 = ref Unsafe.Add(ref x1, nf);
                    ref float x3 = ref Unsafe.Add(ref x2, nf);
                    int n0 = root, n1 = root, n2 = root, n3 = root;
                    for (int d = 0; d < depth; d++)
                    {
                        n0 = Step(ref nodes, n0, ref x0);
                        n1 = Step(ref nodes, n1, ref x1);
                        n2 = Step(ref nodes, n2, ref x2);
                        n3 = Step(ref nodes, n3, ref x3);
                    }

                    raw[r] += Unsafe.Add(ref values, n0);
                    raw[r + 1] += Unsafe.Add(ref values, n1);
                    raw[r + 2] += Unsafe.Add(ref values, n2);
                    raw[r + 3] += Unsafe.Add(ref values, n3);
                }

                for (; r < count; r++)
                {
                    raw[r] += Unsafe.Add(ref values, Walk(ref nodes, root, ref Unsafe.Add(ref block, (nint)r * nf)));
                }
            }

            for (int r = 0; r < count; r++)
            {
                WriteProbabilities(raw[r], probabilities.Slice((r0 + r) * 2, 2));
            }
        }
    }
}
