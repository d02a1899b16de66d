namespace Inegi.UrbanGrowth.Selection;

/// <summary>Why a feature was kept or dropped by a fitted selection.</summary>
public enum FeatureVerdict
{
    /// <summary>The feature passed every stage.</summary>
    Kept = 0,

    /// <summary>
    /// The ANOVA F statistic is undefined (0 / 0): the feature is constant within and across classes
    /// (or holds non-finite values). scikit-learn's <c>f_classif</c> returns NaN and <c>SelectFwe</c> drops it.
    /// </summary>
    Constant = 1,

    /// <summary>The F-test p-value is not below <c>alpha / n_features</c> (Bonferroni family-wise error).</summary>
    NotSignificant = 2,

    /// <summary>The variance (for threshold 0: min(variance, max - min)) is not above the threshold.</summary>
    LowVariance = 3,

    /// <summary>Dropped by a selector that records no reason (a custom <see cref="IFeatureSelector"/> in a chain).</summary>
    Dropped = 4,
}

/// <summary>What a fitted selection knows about one input feature.</summary>
/// <remarks>Statistics a stage did not compute are NaN (e.g. <see cref="Variance"/> after a SelectFwe alone, or
/// every statistic of a feature that an earlier stage of a chain had already dropped).</remarks>
/// <param name="F">ANOVA F statistic (sklearn <c>f_classif</c>); +inf when the classes are constant but different; NaN when undefined or not computed.</param>
/// <param name="P">Upper-tail p-value of <paramref name="F"/> on the F(k - 1, n - k) distribution; 0 where it underflows double.</param>
/// <param name="Log10P">Base-10 logarithm of the p-value, finite even where <paramref name="P"/> underflows to 0; -inf for F = inf.</param>
/// <param name="Variance">The variance used by VarianceThreshold (population variance; for threshold 0, min(variance, max - min)).</param>
/// <param name="Verdict">Kept, or why dropped.</param>
public readonly record struct FeatureScore(double F, double P, double Log10P, double Variance, FeatureVerdict Verdict)
{
    /// <summary>A score with no statistics (all NaN) and the given verdict.</summary>
    /// <param name="verdict">Kept, or why dropped.</param>
    public static FeatureScore Empty(FeatureVerdict verdict) => new(double.NaN, double.NaN, double.NaN, double.NaN, verdict);
}
