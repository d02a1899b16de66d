namespace Inegi.UrbanGrowth.Selection;

/// <summary>
/// Keeps the features whose ANOVA F-test p-value is below <c>alpha / n_features</c> (Bonferroni control of the
/// family-wise error rate): scikit-learn's <c>SelectFwe(f_classif, alpha=0.05)</c>, SPEC 4 step 1.
/// </summary>
/// <remarks>
/// <para>n_features counts every input feature, constants included (sklearn divides by <c>len(pvalues_)</c>).
/// A feature with undefined F (constant) is dropped; F = +inf (p = 0) is kept.</para>
/// <para>A p-value that underflows double is 0 and therefore below the bound; the report shows its log10 instead.
/// Labels are ignored except through the F-test; see <see cref="AnovaFTest"/> for the statistic.</para>
/// </remarks>
public sealed class SelectFwe : IFeatureSelector
{
    /// <summary>Creates the selector.</summary>
    /// <param name="alpha">Family-wise error rate, in (0, 1]; 0.05 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside (0, 1].</exception>
    public SelectFwe(double alpha = 0.05)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1].");
        }

        Alpha = alpha;
    }

    /// <summary>The family-wise error rate.</summary>
    public double Alpha { get; }

    /// <summary>Fits the selection on labelled rows.</summary>
    /// <param name="features">Training rows.</param>
    /// <param name="labels">Class of each row (two or more classes).</param>
    /// <exception cref="ArgumentException">See <see cref="AnovaFTest.Compute"/>.</exception>
    public FittedSelection Fit(FeatureMatrix features, ReadOnlySpan<byte> labels)
    {
        AnovaFResult test = AnovaFTest.Compute(features, labels);
        int m = features.ColumnCount;
        double bound = Alpha / m;
        var scores = new FeatureScore[m];
        for (int j = 0; j < m; j++)
        {
            double f = test.F[j];
            double p = test.P[j];
            FeatureVerdict verdict = double.IsNaN(f) ? FeatureVerdict.Constant
                : p < bound ? FeatureVerdict.Kept
                : FeatureVerdict.NotSignificant;
            scores[j] = new FeatureScore(f, p, test.Log10P[j], double.NaN, verdict);
        }

        return new FittedSelection(features.Schema, scores);
    }

    /// <inheritdoc/>
    IFittedSelection IFeatureSelector.Fit(FeatureMatrix features, ReadOnlySpan<byte> labels) => Fit(features, labels);
}
