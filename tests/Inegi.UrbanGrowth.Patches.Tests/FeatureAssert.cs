using System.Globalization;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// Compares our float32 features with a float64 reference computed from the same float32 values.
/// </summary>
/// <remarks>
/// Both sides read the same float32 inputs and work in float64, so they differ only by (a) our output being
/// rounded to float32 (relative 6e-8; we allow 1e-6 relative) and (b) float64 rounding in a different summation
/// order (numpy sums pairwise, we sum in vector lanes). (b) moves the mean by at most about n * 2^-53 * max|x|
/// (&lt; 1.3e-13 max|x| for n = 1,089; we allow delta = 1e-12 max|x|); a shift delta of the mean changes m3 by about
/// 3 delta m2 and m4 by 4 delta |m3|, hence skewness by about 3 delta / sigma and kurtosis by about
/// 4 delta |skewness| / sigma, and the variation by |variation| delta / |mean|. Those bounds, plus 1e-9 absolute,
/// are the tolerances: nothing but float rounding of the same values can pass them. Counts, median and centre
/// must be equal.
/// </remarks>
internal static class FeatureAssert
{
    public static void Equal(ReadOnlySpan<float> plane, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
    {
        double maxAbs = 0;
        foreach (float v in plane)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs((double)v));
        }

        double delta = 1e-12 * maxAbs;
        double mean = expected[(int)PatchStatistic.Mean];
        double sigma = Math.Sqrt(expected[(int)PatchStatistic.Variance]);
        double skew = expected[(int)PatchStatistic.Skewness];
        double kurt = expected[(int)PatchStatistic.Kurtosis];
        double shapeTolerance = sigma > 0 ? 10 * delta / sigma * (1 + Math.Abs(skew) + Math.Abs(kurt + 3)) : 0;
        for (int s = 0; s < PatchStatistics.Count; s++)
        {
            var stat = (PatchStatistic)s;
            double e = expected[s];
            double a = actual[s];
            double tolerance = stat switch
            {
                PatchStatistic.Mean => (1e-6 * Math.Abs(e)) + delta + 1e-30,
                PatchStatistic.Variance => (1e-6 * Math.Abs(e)) + (delta * maxAbs) + 1e-30,
                PatchStatistic.Variation => (1e-6 * Math.Abs(e)) + (mean == 0 ? 0 : Math.Abs(e) * 10 * delta / Math.Abs(mean)) + 1e-9,
                PatchStatistic.Skewness or PatchStatistic.Kurtosis => (1e-6 * Math.Abs(e)) + shapeTolerance + 1e-9,
                PatchStatistic.Entropy => (1e-6 * Math.Abs(e)) + 1e-9,
                _ => 0, // median, histogram counts, centre: exact
            };
            bool ok = tolerance == 0 ? a == e : Math.Abs(a - e) <= tolerance;
            Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"{what} {PatchStatistics.Names[s]}: expected {e:R}, got {a:R} (tolerance {tolerance:R})"));
        }
    }
}
