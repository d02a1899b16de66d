namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// Fits an Extra-Trees classifier (extremely randomised trees, Geurts, Ernst and Wehenkel 2006) with the
/// semantics of scikit-learn's <c>ExtraTreesClassifier</c> (SPEC 5): no bootstrap, up to <c>max_features</c>
/// candidate features per node drawn without replacement, one uniform threshold per candidate between the
/// feature's minimum and maximum in the node, the largest Gini impurity decrease wins, trees grown until pure.
/// </summary>
/// <remarks>
/// The training matrix is copied once to column-major float32 and also read as it is (row-major, not copied: do not
/// change it during the fit): large nodes read whole columns, which stream; small subtrees read their samples' rows,
/// which stay in cache while the subtree grows. Trees are grown in parallel; tree t draws from its own xoshiro256** generator seeded by SplitMix64 from (<see cref="ExtraTreesOptions.Seed"/>, t), so the
/// model (and its file, byte for byte) is the same for every <see cref="ExtraTreesOptions.MaxDegreeOfParallelism"/>.
/// The random streams differ from sklearn's, so individual trees differ; accuracy and importances agree
/// statistically (see docs/trees.md).
/// </remarks>
public sealed class ExtraTreesLearner : ILearner<ExtraTreesModel>
{
    /// <summary>Creates a learner with validated settings.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public ExtraTreesLearner(ExtraTreesOptions? options = null)
    {
        Options = options ?? new ExtraTreesOptions();
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public ExtraTreesOptions Options { get; }

    /// <summary>Where nodes switch from column reads to row reads; a tuning knob, not part of the model (tests pin it).</summary>
    internal long RowMajorSubtreeBytes { get; init; } = 8L << 20;

    /// <summary>Fits a forest on labelled rows.</summary>
    /// <param name="features">Training rows; every value must be finite.</param>
    /// <param name="labels">Class of each row, 0 .. k-1 (k = max(largest label + 1, 2)).</param>
    /// <param name="cancellationToken">Stops the fit between trees.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">Empty data, a label count that differs from the row count, a non-finite value, or a class weight that does not fit the labels.</exception>
    public ExtraTreesModel Fit(FeatureMatrix features, ReadOnlySpan<byte> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.RowCount;
        int nf = features.ColumnCount;
        if (n == 0 || nf == 0)
        {
            throw new ArgumentException($"Cannot fit on an empty matrix ({n} rows x {nf} columns).", nameof(features));
        }

        if (labels.Length != n)
        {
            throw new ArgumentException($"Got {labels.Length} labels for {n} rows.", nameof(labels));
        }

        int maxLabel = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] == byte.MaxValue)
            {
                throw new ArgumentException($"Label 255 (undefined) at row {i}; drop unlabelled rows before fitting.", nameof(labels));
            }

            maxLabel = Math.Max(maxLabel, labels[i]);
        }

        int k = Math.Max(maxLabel + 1, 2);
        var counts = new long[k];
        var rootCounts = new int[k];
        for (int i = 0; i < n; i++)
        {
            counts[labels[i]]++;
            rootCounts[labels[i]]++;
        }

        double[] classWeights = Options.ClassWeight.Resolve(counts, n, nameof(labels));
        int maxFeatures = Options.MaxFeatures.Resolve(nf);
        float[] columns = ToColumnMajor(features);
        var set = new TrainingSet
        {
            Columns = columns,
            Rows = features.ValuesMemory,
            Labels = labels.ToArray(),
            SampleCount = n,
            FeatureCount = nf,
            ClassCount = k,
            ClassWeights = classWeights,
            RootCounts = rootCounts,
            MaxFeatures = maxFeatures,
            MaxDepth = Options.MaxDepth ?? int.MaxValue,
            MinSamplesSplit = Options.MinSamplesSplit,
            MinSamplesLeaf = Options.MinSamplesLeaf,
            Seed = Options.Seed,
            RowMajorSubtreeBytes = RowMajorSubtreeBytes,
        };

        var trees = new FittedTree[Options.TreeCount];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            trees.Length,
            parallel,
            () => new TreeBuilder(set),
            (t, _, builder) =>
            {
                trees[t] = builder.Build(t);
                return builder;
            },
            builder => builder.Dispose());

        double totalWeight = 0;
        var priors = new double[k];
        for (int c = 0; c < k; c++)
        {
            priors[c] = classWeights[c] * counts[c];
            totalWeight += priors[c];
        }

        for (int c = 0; c < k; c++)
        {
            priors[c] /= totalWeight;
        }

        return ExtraTreesModel.FromTrees(features.Schema, k, Options, maxFeatures, counts, priors, trees);
    }

    /// <summary>Row-major to column-major, in cache-sized blocks; rejects non-finite values.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float[] ToColumnMajor(FeatureMatrix features)
    {
        int n = features.RowCount;
        int nf = features.ColumnCount;
        var columns = new float[(long)n * nf];
        ReadOnlySpan<float> values = features.Values;
        const int Block = 64;
        for (int r0 = 0; r0 < n; r0 += Block)
        {
            int r1 = Math.Min(n, r0 + Block);
            for (int c0 = 0; c0 < nf; c0 += Block)
            {
                int c1 = Math.Min(nf, c0 + Block);
                for (int r = r0; r < r1; r++)
                {
                    ReadOnlySpan<float> row = values.Slice(r * nf, nf);
                    for (int c = c0; c < c1; c++)
                    {
                        float v = row[c];
                        if (!float.IsFinite(v))
                        {
                            throw new ArgumentException($"Feature '{features.Schema.Names[c]}' (column {c}) of row {r} is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}; Extra-Trees needs finite values.", nameof(features));
                        }

                        columns[((long)c * n) + r] = v;
                    }
                }
            }
        }

        return columns;
    }
}
