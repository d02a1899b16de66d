namespace Inegi.UrbanGrowth.Selection;

/// <summary>The one-way ANOVA F-test of every feature against the class labels (scikit-learn's <c>f_classif</c>).</summary>
/// <remarks>
/// <para>For a feature with values x_i, classes c = 1..k of sizes n_c and means m_c, grand mean m and n rows:
/// SSB = sum_c n_c (m_c - m)^2, SSW = sum_i (x_i - m_{c(i)})^2, F = (SSB / (k - 1)) / (SSW / (n - k)).
/// The p-value is P(F(k - 1, n - k) &gt; F) (see <see cref="FDistributionTail"/>).</para>
/// <para>sklearn computes SSB and SSW from sums of squares in the input's precision; this class uses the
/// two-pass centred form in double (after shifting each column by its first value, exact in double), which is the same quantity without the cancellation, so a near-constant
/// feature (tiny noise on a large offset) gets an accurate F. A feature constant within and across classes has
/// SSB = SSW = 0 exactly and F = NaN (dropped by <see cref="SelectFwe"/>); constant within classes but different
/// between them gives F = +inf and p = 0 (kept), as in sklearn.</para>
/// <para>The classes are the distinct label values present; <see cref="UrbanClass.Undefined"/> (255) is refused.</para>
/// </remarks>
public static class AnovaFTest
{
    /// <summary>Computes F and p for every column of <paramref name="features"/>.</summary>
    /// <param name="features">Rows by features.</param>
    /// <param name="labels">Class of each row (at least two distinct values, and more rows than classes).</param>
    /// <exception cref="ArgumentException">Lengths differ, a label is 255, fewer than two classes, or no more rows than classes.</exception>
    public static AnovaFResult Compute(FeatureMatrix features, ReadOnlySpan<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length != features.RowCount)
        {
            throw new ArgumentException($"Expected {features.RowCount} labels (one per row), got {labels.Length}.", nameof(labels));
        }

        Span<int> classOf = stackalloc int[256];
        classOf.Fill(-1);
        Span<long> counts = stackalloc long[256];
        counts.Clear();
        int classCount = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            byte label = labels[i];
            if (label == UrbanClass.Undefined)
            {
                throw new ArgumentException($"Row {i} has the undefined label 255; select labelled rows before fitting.", nameof(labels));
            }

            if (classOf[label] < 0)
            {
                classOf[label] = classCount++;
            }

            counts[classOf[label]]++;
        }

        if (classCount < 2)
        {
            throw new ArgumentException($"The ANOVA F-test needs at least two classes; the labels hold {classCount}.", nameof(labels));
        }

        int n = features.RowCount;
        if (n <= classCount)
        {
            throw new ArgumentException($"The ANOVA F-test needs more rows ({n}) than classes ({classCount}).", nameof(labels));
        }

        int m = features.ColumnCount;
        var sums = new double[classCount * m];
        ReadOnlySpan<float> values = features.Values;

        // Shift every column by its first value (exact in double): sums of small deviations keep their precision
        // when a column is a large offset plus small variation.
        var shift = new double[m];
        for (int j = 0; j < m; j++)
        {
            shift[j] = values[j];
        }

        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * m, m);
            Span<double> classSums = sums.AsSpan(classOf[labels[r]] * m, m);
            for (int j = 0; j < m; j++)
            {
                classSums[j] += row[j] - shift[j];
            }
        }

        var grand = new double[m];
        for (int c = 0; c < classCount; c++)
        {
            ReadOnlySpan<double> classSums = sums.AsSpan(c * m, m);
            for (int j = 0; j < m; j++)
            {
                grand[j] += classSums[j];
            }
        }

        // Class means (in place of the sums) and the grand mean.
        var ssb = new double[m];
        for (int j = 0; j < m; j++)
        {
            grand[j] /= n;
        }

        for (int c = 0; c < classCount; c++)
        {
            Span<double> classMeans = sums.AsSpan(c * m, m);
            double size = counts[c];
            for (int j = 0; j < m; j++)
            {
                classMeans[j] /= size;
                double d = classMeans[j] - grand[j];
                ssb[j] += size * d * d;
            }
        }

        var ssw = new double[m];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * m, m);
            ReadOnlySpan<double> classMeans = sums.AsSpan(classOf[labels[r]] * m, m);
            for (int j = 0; j < m; j++)
            {
                double d = (row[j] - shift[j]) - classMeans[j];
                ssw[j] += d * d;
            }
        }

        double d1 = classCount - 1;
        double d2 = n - classCount;
        var f = new double[m];
        var p = new double[m];
        var log10P = new double[m];
        for (int j = 0; j < m; j++)
        {
            f[j] = ssb[j] / d1 / (ssw[j] / d2);
            p[j] = FDistributionTail.UpperTail(f[j], d1, d2);
            log10P[j] = FDistributionTail.Log10UpperTail(f[j], d1, d2);
        }

        return new AnovaFResult(f, p, log10P, classCount, (int)d1, (int)d2);
    }
}

/// <summary>Per-feature results of <see cref="AnovaFTest.Compute"/>.</summary>
public sealed class AnovaFResult
{
    private readonly double[] _f;
    private readonly double[] _p;
    private readonly double[] _log10P;

    internal AnovaFResult(double[] f, double[] p, double[] log10P, int classCount, int dfBetween, int dfWithin)
    {
        _f = f;
        _p = p;
        _log10P = log10P;
        ClassCount = classCount;
        DegreesOfFreedomBetween = dfBetween;
        DegreesOfFreedomWithin = dfWithin;
    }

    /// <summary>F statistic per feature (NaN: undefined; +inf: constant within classes, different between).</summary>
    public IReadOnlyList<double> F => _f;

    /// <summary>p-value per feature (0 where it underflows double; NaN where F is NaN).</summary>
    public IReadOnlyList<double> P => _p;

    /// <summary>log10 of the p-value per feature, finite where <see cref="P"/> underflows.</summary>
    public IReadOnlyList<double> Log10P => _log10P;

    /// <summary>Number of distinct classes in the labels (k).</summary>
    public int ClassCount { get; }

    /// <summary>k - 1.</summary>
    public int DegreesOfFreedomBetween { get; }

    /// <summary>n - k.</summary>
    public int DegreesOfFreedomWithin { get; }
}
