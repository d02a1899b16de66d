namespace Inegi.UrbanGrowth.Trees;

/// <summary>How many features a node draws as split candidates (sklearn <c>max_features</c>).</summary>
public enum MaxFeaturesKind
{
    /// <summary><c>max(1, floor(sqrt(n_features)))</c>, sklearn's <c>"sqrt"</c> (the classifier default).</summary>
    Sqrt,

    /// <summary><c>max(1, floor(log2(n_features)))</c>, sklearn's <c>"log2"</c>.</summary>
    Log2,

    /// <summary>A fixed number of features (sklearn's int value).</summary>
    Count,

    /// <summary><c>max(1, floor(fraction * n_features))</c> (sklearn's float value).</summary>
    Fraction,

    /// <summary>Every feature (sklearn's <c>None</c> / <c>1.0</c>).</summary>
    All,
}

/// <summary>The number of candidate features per node, as one of sklearn's <c>max_features</c> forms.</summary>
/// <param name="Kind">The rule.</param>
/// <param name="Value">The count for <see cref="MaxFeaturesKind.Count"/> or the fraction for <see cref="MaxFeaturesKind.Fraction"/>; unused otherwise.</param>
public readonly record struct MaxFeatures(MaxFeaturesKind Kind, double Value)
{
    /// <summary><c>floor(sqrt(n_features))</c>, at least 1 (the default).</summary>
    public static MaxFeatures Sqrt => new(MaxFeaturesKind.Sqrt, 0);

    /// <summary><c>floor(log2(n_features))</c>, at least 1.</summary>
    public static MaxFeatures Log2 => new(MaxFeaturesKind.Log2, 0);

    /// <summary>Every feature at every node.</summary>
    public static MaxFeatures All => new(MaxFeaturesKind.All, 0);

    /// <summary>A fixed number of features.</summary>
    /// <param name="count">At least 1 and at most the number of features of the training matrix.</param>
    public static MaxFeatures Count(int count) => new(MaxFeaturesKind.Count, count);

    /// <summary>A fraction of the features, <c>max(1, floor(fraction * n_features))</c>.</summary>
    /// <param name="fraction">In (0, 1].</param>
    public static MaxFeatures Fraction(double fraction) => new(MaxFeaturesKind.Fraction, fraction);

    /// <summary>The number of candidate features for a matrix with <paramref name="featureCount"/> columns.</summary>
    /// <param name="featureCount">Columns of the training matrix.</param>
    /// <exception cref="ArgumentException">A fixed count exceeds <paramref name="featureCount"/>.</exception>
    public int Resolve(int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        int m = Kind switch
        {
            MaxFeaturesKind.Sqrt => (int)Math.Sqrt(featureCount),
            MaxFeaturesKind.Log2 => (int)Math.Log2(featureCount),
            MaxFeaturesKind.Count => (int)Value,
            MaxFeaturesKind.Fraction => (int)(Value * featureCount),
            _ => featureCount,
        };
        if (Kind == MaxFeaturesKind.Count && m > featureCount)
        {
            throw new ArgumentException($"MaxFeatures is {m} but the data has only {featureCount} features.", nameof(featureCount));
        }

        return Math.Clamp(m, 1, featureCount);
    }

    internal void Validate(string parameterName)
    {
        bool ok = Kind switch
        {
            MaxFeaturesKind.Sqrt or MaxFeaturesKind.Log2 or MaxFeaturesKind.All => true,
            MaxFeaturesKind.Count => Value >= 1 && Value == Math.Floor(Value) && Value <= int.MaxValue,
            MaxFeaturesKind.Fraction => Value > 0 && Value <= 1,
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException($"MaxFeatures {Kind} with value {Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is invalid (Count needs a whole number >= 1, Fraction a value in (0, 1]).", parameterName);
        }
    }
}

/// <summary>How classes are weighted (sklearn <c>class_weight</c>).</summary>
public enum ClassWeightKind
{
    /// <summary>Every sample weighs 1 (sklearn <c>None</c>, the default).</summary>
    None,

    /// <summary>Class c weighs <c>n_samples / (n_classes * n_c)</c> (sklearn <c>"balanced"</c>).</summary>
    Balanced,

    /// <summary>Explicit weights, one per class.</summary>
    Explicit,
}

/// <summary>Per-class sample weights (sklearn <c>class_weight</c>): none, balanced, or explicit.</summary>
/// <remarks>
/// A sample's weight is the weight of its class. Weights enter the Gini impurity, the impurity decrease used for
/// split choice and feature importances, and the leaf class fractions (weighted fractions), exactly as sklearn's
/// <c>class_weight</c> does through <c>sample_weight</c>. <c>min_samples_leaf</c> still counts samples, not weight.
/// </remarks>
public sealed record ClassWeight
{
    private ClassWeight(ClassWeightKind kind, double[] weights)
    {
        Kind = kind;
        Weights = weights;
    }

    /// <summary>Unweighted (the default).</summary>
    public static ClassWeight None { get; } = new(ClassWeightKind.None, []);

    /// <summary>sklearn's <c>"balanced"</c>: class c weighs <c>n_samples / (n_classes * n_c)</c> on the training sample.</summary>
    public static ClassWeight Balanced { get; } = new(ClassWeightKind.Balanced, []);

    /// <summary>The rule.</summary>
    public ClassWeightKind Kind { get; }

    /// <summary>The explicit weights (class 0 first); empty for the other kinds.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Explicit positive, finite weights, one per class.</summary>
    /// <param name="weights">Weight of class 0, 1, ...</param>
    public static ClassWeight Explicit(params double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length == 0)
        {
            throw new ArgumentException("Explicit class weights need at least one weight.", nameof(weights));
        }

        foreach (double w in weights)
        {
            if (!double.IsFinite(w) || w <= 0)
            {
                throw new ArgumentException("Explicit class weights must be finite and > 0.", nameof(weights));
            }
        }

        return new ClassWeight(ClassWeightKind.Explicit, (double[])weights.Clone());
    }

    /// <inheritdoc/>
    public bool Equals(ClassWeight? other) =>
        other is not null && Kind == other.Kind && ((double[])Weights).AsSpan().SequenceEqual((double[])other.Weights);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Weights.Count);

    /// <summary>The weight of every class for a training sample with the given class counts.</summary>
    internal double[] Resolve(ReadOnlySpan<long> classCounts, long sampleCount, string labelsParameter)
    {
        int k = classCounts.Length;
        var w = new double[k];
        switch (Kind)
        {
            case ClassWeightKind.None:
                w.AsSpan().Fill(1.0);
                break;
            case ClassWeightKind.Balanced:
                for (int c = 0; c < k; c++)
                {
                    if (classCounts[c] == 0)
                    {
                        throw new ArgumentException($"ClassWeight.Balanced needs every class 0..{k - 1} in the training labels; class {c} is absent.", labelsParameter);
                    }

                    w[c] = sampleCount / ((double)k * classCounts[c]);
                }

                break;
            default:
                if (Weights.Count < k)
                {
                    throw new ArgumentException($"Explicit class weights give {Weights.Count} weights but the labels have {k} classes.", labelsParameter);
                }

                for (int c = 0; c < k; c++)
                {
                    w[c] = Weights[c];
                }

                break;
        }

        return w;
    }
}

/// <summary>Settings of <see cref="ExtraTreesLearner"/>; the defaults are sklearn <c>ExtraTreesClassifier()</c>'s.</summary>
/// <remarks>
/// sklearn names: <c>n_estimators</c> = <see cref="TreeCount"/>, <c>max_features</c>, <c>max_depth</c>,
/// <c>min_samples_split</c>, <c>min_samples_leaf</c>, <c>class_weight</c>, <c>random_state</c> = <see cref="Seed"/>,
/// <c>n_jobs</c> = <see cref="MaxDegreeOfParallelism"/>. Not offered (fixed at the sklearn default): criterion (Gini),
/// bootstrap (false), min_weight_fraction_leaf (0), max_leaf_nodes (none), min_impurity_decrease (0), ccp_alpha (0).
/// </remarks>
public sealed record ExtraTreesOptions
{
    /// <summary>Number of trees (sklearn <c>n_estimators</c>, default 100).</summary>
    public int TreeCount { get; init; } = 100;

    /// <summary>Candidate features per node (default <see cref="MaxFeatures.Sqrt"/>).</summary>
    public MaxFeatures MaxFeatures { get; init; } = MaxFeatures.Sqrt;

    /// <summary>Maximum depth (root = depth 0); null grows until the other rules stop (default).</summary>
    public int? MaxDepth { get; init; }

    /// <summary>A node with fewer samples is a leaf (default 2, minimum 2).</summary>
    public int MinSamplesSplit { get; init; } = 2;

    /// <summary>A split that leaves fewer samples on either side is not considered (default 1).</summary>
    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Per-class weights (default <see cref="ClassWeight.None"/>).</summary>
    public ClassWeight ClassWeight { get; init; } = ClassWeight.None;

    /// <summary>Master seed; tree t uses a generator seeded from (Seed, t) so results never depend on threads.</summary>
    public int Seed { get; init; }

    /// <summary>Most trees fitted at once; -1 (default) uses every core. Never changes the result.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TreeCount, 1, nameof(TreeCount));
        MaxFeatures.Validate(nameof(MaxFeatures));
        if (MaxDepth is int d)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(MaxDepth));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamplesSplit, 2, nameof(MinSamplesSplit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamplesLeaf, 1, nameof(MinSamplesLeaf));
        ArgumentNullException.ThrowIfNull(ClassWeight, nameof(ClassWeight));
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 (all cores) or >= 1.");
        }
    }
}
