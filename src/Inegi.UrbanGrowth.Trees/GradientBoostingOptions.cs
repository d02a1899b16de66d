namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// Settings of <see cref="GradientBoostingLearner"/>; the defaults are scikit-learn
/// <c>HistGradientBoostingClassifier()</c>'s, except <see cref="MaxIterations"/> (300 here, 100 in sklearn).
/// </summary>
/// <remarks>
/// sklearn names: <c>max_iter</c> = <see cref="MaxIterations"/>, <c>learning_rate</c>, <c>max_leaf_nodes</c>,
/// <c>min_samples_leaf</c>, <c>l2_regularization</c>, <c>max_bins</c>, <c>random_state</c> = <see cref="Seed"/>.
/// Not offered (fixed): loss (binary log-loss), max_depth (none), categorical features (none), monotonic and
/// interaction constraints (none), class weights (none) and early stopping: the learner always fits
/// <see cref="MaxIterations"/> trees, as sklearn does with <c>early_stopping=False</c> (its default <c>"auto"</c> only
/// early-stops above 10,000 training rows).
/// </remarks>
public sealed record GradientBoostingOptions
{
    /// <summary>Number of boosting iterations, one tree each (sklearn <c>max_iter</c>); default 300, where sklearn's is 100.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>Shrinkage applied to every leaf value (sklearn <c>learning_rate</c>, default 0.1); must be &gt; 0.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Most leaves per tree (sklearn <c>max_leaf_nodes</c>, default 31); at least 2.</summary>
    public int MaxLeafNodes { get; init; } = 31;

    /// <summary>A split that leaves fewer samples on either side is not considered (sklearn <c>min_samples_leaf</c>, default 20).</summary>
    public int MinSamplesLeaf { get; init; } = 20;

    /// <summary>L2 penalty added to the hessian sums in split gains and leaf values (sklearn <c>l2_regularization</c>, default 0).</summary>
    public double L2Regularization { get; init; }

    /// <summary>Most bins per feature, 2 .. 255 (sklearn <c>max_bins</c>, default 255).</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>Seed for any randomness (sklearn <c>random_state</c>); the fit as implemented draws no random numbers, so it has no effect today.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Most threads used for histograms and split search; -1 (default) uses every core. Never changes the result.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be finite and > 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLeafNodes, 2, nameof(MaxLeafNodes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamplesLeaf, 1, nameof(MinSamplesLeaf));
        if (!double.IsFinite(L2Regularization) || L2Regularization < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(L2Regularization), L2Regularization, "L2Regularization must be finite and >= 0.");
        }

        if (MaxBins < 2 || MaxBins > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBins), MaxBins, "MaxBins must be in 2 .. 255.");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 (all cores) or >= 1.");
        }
    }
}
