namespace Inegi.UrbanGrowth.Selection;

/// <summary>
/// Keeps the features whose variance is above a threshold: scikit-learn's <c>VarianceThreshold</c>, SPEC 4 step 2.
/// Labels are not used.
/// </summary>
/// <remarks>
/// <para>The variance is the population variance (divide by n, numpy's <c>var</c>), computed in double with two
/// passes (mean, then squared deviations), each column shifted by its first value (exact in double). For threshold 0 the compared value is min(variance, max - min), as
/// sklearn does, so that rounding noise in the variance of a constant column (max - min = 0) never keeps it.</para>
/// <para>A feature with a non-finite value gets a NaN variance and is dropped. Unlike sklearn, which raises when no
/// feature passes, the fit returns an empty selection; a later stage or the learner reports it.</para>
/// </remarks>
public sealed class VarianceThreshold : IFeatureSelector
{
    /// <summary>Creates the selector.</summary>
    /// <param name="threshold">Keep variance &gt; threshold; 0 by default (drop constant features only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative or not finite.</exception>
    public VarianceThreshold(double threshold = 0)
    {
        if (!(threshold >= 0) || double.IsInfinity(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The variance threshold must be finite and >= 0.");
        }

        Threshold = threshold;
    }

    /// <summary>The variance threshold.</summary>
    public double Threshold { get; }

    /// <summary>Computes the compared variance of every column (min(variance, max - min) when <see cref="Threshold"/> is 0).</summary>
    /// <param name="features">Rows by features.</param>
    public double[] ComputeVariances(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.RowCount;
        int m = features.ColumnCount;
        var mean = new double[m];
        var variance = new double[m];
        if (n == 0)
        {
            variance.AsSpan().Fill(double.NaN);
            return variance;
        }

        var min = new float[m];
        var max = new float[m];
        ReadOnlySpan<float> values = features.Values;
        values[..m].CopyTo(min);
        values[..m].CopyTo(max);
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * m, m);
            for (int j = 0; j < m; j++)
            {
                float v = row[j];
                mean[j] += (double)v - values[j];
                min[j] = Math.Min(min[j], v);
                max[j] = Math.Max(max[j], v);
            }
        }

        for (int j = 0; j < m; j++)
        {
            mean[j] /= n;
        }

        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * m, m);
            for (int j = 0; j < m; j++)
            {
                double d = ((double)row[j] - values[j]) - mean[j];
                variance[j] += d * d;
            }
        }

        for (int j = 0; j < m; j++)
        {
            variance[j] /= n;
            if (Threshold == 0)
            {
                double peakToPeak = (double)max[j] - min[j];
                variance[j] = double.IsNaN(variance[j]) ? double.NaN : Math.Min(variance[j], peakToPeak);
            }
        }

        return variance;
    }

    /// <summary>Fits the selection.</summary>
    /// <param name="features">Training rows.</param>
    /// <param name="labels">Ignored (present for the <see cref="IFeatureSelector"/> contract); may be empty.</param>
    public FittedSelection Fit(FeatureMatrix features, ReadOnlySpan<byte> labels)
    {
        double[] variance = ComputeVariances(features);
        var scores = new FeatureScore[variance.Length];
        for (int j = 0; j < variance.Length; j++)
        {
            FeatureVerdict verdict = variance[j] > Threshold ? FeatureVerdict.Kept : FeatureVerdict.LowVariance;
            scores[j] = new FeatureScore(double.NaN, double.NaN, double.NaN, variance[j], verdict);
        }

        return new FittedSelection(features.Schema, scores);
    }

    /// <inheritdoc/>
    IFittedSelection IFeatureSelector.Fit(FeatureMatrix features, ReadOnlySpan<byte> labels) => Fit(features, labels);
}
