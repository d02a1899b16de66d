using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Growth.Tests;

/// <summary>The growth method's parts on hand-made series with known answers, and against scipy / scikit-learn.</summary>
public sealed class GrowthMethodTests
{
    private static double[] Isotonic(params double[] values)
    {
        double[] fitted = new double[values.Length];
        IsotonicRegression.Fit(values, fitted);
        return fitted;
    }

    [Fact]
    public void Isotonic_HandMadeSeries_PoolsViolatorsAndKeepsMonotoneSeries()
    {
        Assert.Equal([1, 2, 3, 4], Isotonic(1, 2, 3, 4));
        Assert.Equal([1, 2.5, 2.5, 4], Isotonic(1, 3, 2, 4));
        Assert.Equal([2, 2, 2], Isotonic(3, 2, 1));
        Assert.Equal([0, 1.5, 1.5, 1.5, 5], Isotonic(0, 3, 1, 0.5, 5));
        double[] gaps = Isotonic(2, double.NaN, 1, 4);
        Assert.Equal(1.5, gaps[0]);
        Assert.True(double.IsNaN(gaps[1]));
        Assert.Equal([1.5, 4], gaps[2..]);
    }

    [Fact]
    public void Isotonic_RandomSeries_MatchesScikitLearn()
    {
        var random = new Random(7);
        double[][] series = [.. Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 7).Select(_ => Math.Round(random.NextDouble() * 10, 3)).ToArray())];
        string input = string.Join(";", series.Select(s => string.Join(",", s.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        string output = Oracles.RunPython("""
            import sys
            from sklearn.isotonic import IsotonicRegression
            for s in sys.argv[1].split(";"):
                y = [float(v) for v in s.split(",")]
                print(" ".join(repr(float(v)) for v in IsotonicRegression().fit_transform(range(len(y)), y)))
            """, [input]);
        double[] expected = Oracles.ParseNumbers(output);
        double[] actual = [.. series.SelectMany(s => Isotonic(s))];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 9);
        }
    }

    [Fact]
    public void LogisticScore_MatchesScikitLearnOnStandardisedInputs()
    {
        var random = new Random(3);
        int n = 400, k = 3;
        float[] x = new float[n * k];
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble() * 5, c = random.NextDouble();
            x[i * k] = (float)a;
            x[(i * k) + 1] = (float)b;
            x[(i * k) + 2] = (float)c;
            y[i] = (byte)((2 * a) - (0.3 * b) + (random.NextDouble() - 0.5) > 0.3 ? 1 : 0);
        }

        LogisticScore score = LogisticScore.Fit(x, y, k, ridge: 1.0);
        string rows = string.Join(";", Enumerable.Range(0, n).Select(i => string.Join(",", x.AsSpan(i * k, k).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "," + y[i].ToString(CultureInfo.InvariantCulture)));
        string output = Oracles.RunPython("""
            import sys, numpy as np
            from sklearn.linear_model import LogisticRegression
            from sklearn.preprocessing import StandardScaler
            d = np.array([[float(v) for v in r.split(",")] for r in sys.argv[1].split(";")])
            X = StandardScaler().fit_transform(d[:, :3].astype(np.float32).astype(np.float64)); y = d[:, 3]
            m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)
            print(m.intercept_[0], *m.coef_[0])
            """, [rows]);
        double[] expected = Oracles.ParseNumbers(output);
        Assert.Equal(expected[0], score.Intercept, 6);
        for (int j = 0; j < k; j++)
        {
            Assert.Equal(expected[j + 1], score.Weights[j], 6);
        }
    }

    [Fact]
    public void NormalCdf_MatchesKnownValues()
    {
        Assert.Equal(0.5, AnchoredGrowthRule.NormalCdf(0), 15);
        Assert.Equal(0.8413447460685429, AnchoredGrowthRule.NormalCdf(1), 13);
        Assert.Equal(0.022750131948179195, AnchoredGrowthRule.NormalCdf(-2), 13);
        Assert.Equal(0.9986501019683699, AnchoredGrowthRule.NormalCdf(3), 13);
    }

    private static double[] Apply(AnchoredGrowthRule rule, byte label, params double[] scores)
    {
        double[] p = new double[scores.Length];
        rule.Apply(scores, label, p);
        return p;
    }

    [Fact]
    public void AnchoredRule_KnownSeries_GrowthOnlyWhereTheScoreRoseBeyondNoise()
    {
        var rule = new AnchoredGrowthRule(censusIndex: 2, changeNoise: [0.5, 0.5, 1, 0.5, 0.5], margin: 2);

        // A field that becomes a suburb: non-urban at the census, then a large rise to a clearly urban score.
        double[] suburb = Apply(rule, 0, -6, -6, -5, 3, 4);
        Assert.Equal([0, 0, 0], suburb[..3]);
        Assert.True(suburb[3] > 0.9 && suburb[4] >= suburb[3]);

        // A quarry: urban-looking every year, labelled non-urban, its score does not rise: never growth.
        double[] quarry = Apply(rule, 0, 3, 3.1, 3, 2.9, 3.05);
        Assert.All(quarry, p => Assert.True(p < 0.5));

        // A rise within the noise (0.4 = 0.8 spreads < margin 2) is not growth even though the score crosses 0.
        double[] noisy = Apply(rule, 0, -0.2, -0.2, -0.2, 0.2, 0.2);
        Assert.True(noisy[3] < 0.5 && noisy[4] < 0.5);

        // An old town centre: urban at the census and before.
        double[] centre = Apply(rule, 1, 5, 5, 5, 5, 5);
        Assert.All(centre, p => Assert.True(p > 0.99));

        // A neighbourhood built just before the census: low scores before, high after; urban from the census on.
        double[] recent = Apply(rule, 1, -5, -4, 2, 2, 2);
        Assert.True(recent[0] < 0.5 && recent[1] < 0.5);
        Assert.Equal([1, 1, 1], recent[2..]);

        // A noisy drop (the score went down after the census) is smoothed away: the cell stays urban.
        Assert.Equal([1, 1], Apply(rule, 1, 2, 2, 2, -3, 2)[3..]);

        // After an urban census a cell stays urban even in a year without data.
        Assert.Equal(1, Apply(rule, 1, 2, 2, 2, double.NaN, 2)[3]);

        // Unlabelled cells follow their (smoothed) score; missing years stay missing.
        double[] unlabelled = Apply(rule, 255, -3, double.NaN, 0, 3, 3);
        Assert.True(unlabelled[0] < 0.1 && double.IsNaN(unlabelled[1]) && Math.Abs(unlabelled[2] - 0.5) < 1e-12 && unlabelled[3] > 0.9);
    }

    [Fact]
    public void AnchoredRule_ConfidenceNeverDecreases()
    {
        var rule = new AnchoredGrowthRule(1, [0.3, 1, 0.3, 0.3]);
        var random = new Random(11);
        for (int i = 0; i < 2000; i++)
        {
            double[] s = [.. Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 12) - 6)];
            foreach (byte label in new byte[] { 0, 1, 255 })
            {
                double[] p = Apply(rule, label, s);
                for (int t = 1; t < p.Length; t++)
                {
                    Assert.True(p[t] >= p[t - 1] - 1e-12, $"p fell from {p[t - 1]} to {p[t]} for label {label}, scores {string.Join(",", s)}");
                }
            }
        }
    }

    [Fact]
    public void YearNormalisation_RecoversShiftAndSpread()
    {
        var random = new Random(5);
        var norm = new YearNormalisation(3, censusIndex: 1);
        for (int i = 0; i < 50_000; i++)
        {
            double s = (random.NextDouble() * 8) - 4;
            double g1 = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            double g2 = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            norm.Add([s + 0.7 + (0.2 * g1), s, s - 1.5 + (0.5 * g2)]);
        }

        double[] offsets = norm.Offsets(), noise = norm.Noise();
        Assert.Equal(0.7, offsets[0], 1);
        Assert.Equal(0, offsets[1]);
        Assert.Equal(-1.5, offsets[2], 1);
        Assert.InRange(noise[0], 0.19, 0.21);
        Assert.InRange(noise[2], 0.48, 0.52);
        Assert.True(double.IsNaN(noise[1]));
    }

    [Fact]
    public void UrbanAreaEstimate_SumsProbabilitiesWithInterval()
    {
        var estimate = new UrbanAreaEstimate([2000, 2010], cellAreaKm2: 2, zoneNoData: 0);
        // Three cells, two years, year-major rows: zone 1, 1, 0 (unzoned).
        estimate.AddRow([1, 0, 255, 1, 1, 0], [0.9, 0.2, 0.7, 1.0, 0.6, 0.1], [1, 1, 0]);
        UrbanAreaEstimate.Row[] rows = [.. estimate.Rows()];
        UrbanAreaEstimate.Row all2000 = rows.Single(r => r.Zone == "all" && r.Year == 2000);
        Assert.Equal(2, all2000.ValidCells);
        Assert.Equal(2.0, all2000.MappedKm2);
        Assert.Equal(2.2, all2000.ExpectedKm2, 12);
        double half = 1.959963984540054 * Math.Sqrt((0.9 * 0.1) + (0.2 * 0.8));
        Assert.Equal((1.1 - half) * 2, all2000.LowKm2, 12);
        Assert.Equal((1.1 + half) * 2, all2000.HighKm2, 12);
        UrbanAreaEstimate.Row all2010 = rows.Single(r => r.Zone == "all" && r.Year == 2010);
        Assert.Equal(3, all2010.ValidCells);
        Assert.Equal(4.0, all2010.MappedKm2);
        Assert.Equal(2 * 1.7, all2010.ExpectedKm2, 12);
        Assert.Equal(1, rows.Single(r => r.Zone == "none" && r.Year == 2010).ValidCells);
        Assert.Equal(2.0, rows.Single(r => r.Zone == "1" && r.Year == 2000).MappedKm2);
        Assert.StartsWith("zone,year,valid_cells,urban_cells,urban_km2,expected_km2,ci95_low_km2,ci95_high_km2\nall,2000,2,1,2,2.2,", estimate.ToCsv(), StringComparison.Ordinal);
    }
}
