namespace Inegi.UrbanGrowth.Accuracy.Tests;

/// <summary>
/// Synthetic population with known class-conditional scores: x ~ N(+1, 1) for urban cells, N(-1, 1) for non-urban.
/// A classifier trained on a 50/50 sample that is perfectly calibrated outputs p = 1 / (1 + exp(-2x)) (the
/// log-likelihood ratio is 2x). The population is 2% urban.
/// </summary>
public sealed class PriorShiftTests
{
    internal static (float[] P, byte[] Labels) Population(int n, double prevalence, int seed)
    {
        var rng = new Random(seed);
        var p = new float[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bool urban = rng.NextDouble() < prevalence;
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double x = (urban ? 1 : -1) + z;
            p[i] = (float)(1 / (1 + Math.Exp(-2 * x)));
            labels[i] = urban ? (byte)1 : (byte)0;
        }

        return (p, labels);
    }

    [Fact]
    public void AdjustBinary_BalancedTrainingTo2Percent_MeanProbabilityIsPrevalence()
    {
        var (p, labels) = Population(200_000, 0.02, 1);
        double truth = PriorShift.PrevalenceFromLabels(labels);
        PriorShift.AdjustBinary(p, 0.5, truth);
        double mean = 0;
        foreach (float v in p)
        {
            mean += v;
        }

        mean /= p.Length;
        Assert.InRange(truth, 0.019, 0.021);
        Assert.Equal(truth, mean, 0.002);
    }

    [Fact]
    public void EstimatePrevalence_Unlabelled2PercentPopulation_RecoversPrevalence()
    {
        var (p, labels) = Population(200_000, 0.02, 2);
        double truth = PriorShift.PrevalenceFromLabels(labels);
        var estimate = PriorShift.EstimatePrevalence(p, 0.5);
        Assert.True(estimate.Converged);
        Assert.Equal(truth, estimate.Prevalence, 0.003);

        // The raw mean probability is far off: the 50/50 prior shows through.
        double rawMean = 0;
        foreach (float v in p)
        {
            rawMean += v;
        }

        Assert.True(rawMean / p.Length > 0.1);
    }

    [Fact]
    public void AdjustBinary_Threshold05_PrecisionImprovesAsBayesPredicts()
    {
        var (p, labels) = Population(200_000, 0.02, 3);
        var raw = Classify(p, labels, 0.5);
        var corrected = (float[])p.Clone();
        PriorShift.AdjustBinary(corrected, 0.5, 0.02);
        var adjusted = Classify(corrected, labels, 0.5);

        // Uncorrected at 0.5: x >= 0. Precision = 0.02 Phi(1) / (0.02 Phi(1) + 0.98 Phi(-1)) ~ 0.09 (the pilot's 25% story).
        Assert.InRange(raw.Precision, 0.07, 0.11);
        Assert.InRange(raw.Recall, 0.82, 0.86);

        // Corrected at 0.5: 2x >= ln(49), x >= 1.946. Precision = 0.02 Phi(-0.946) / (0.02 Phi(-0.946) + 0.98 Phi(-2.946)).
        double expected = 0.02 * 0.17207 / ((0.02 * 0.17207) + (0.98 * 0.001610));
        Assert.Equal(expected, adjusted.Precision, 0.05);
        Assert.True(adjusted.Precision > 4 * raw.Precision);
        Assert.True(adjusted.Accuracy > raw.Accuracy);
    }

    [Fact]
    public void AdjustBinary_InverseWithSwappedPriors_RoundTrips()
    {
        foreach (double p in new[] { 0.0, 0.01, 0.3, 0.5, 0.77, 1.0 })
        {
            double q = PriorShift.AdjustBinary(p, 0.5, 0.02);
            Assert.Equal(p, PriorShift.AdjustBinary(q, 0.02, 0.5), 1e-12);
        }
    }

    [Fact]
    public void Adjust_TwoClassMatrix_MatchesBinary()
    {
        float[] binary = [0.1f, 0.5f, 0.9f];
        float[] matrix = [0.9f, 0.1f, 0.5f, 0.5f, 0.1f, 0.9f];
        PriorShift.AdjustBinary(binary, 0.4, 0.05);
        PriorShift.Adjust(matrix, 2, [0.6, 0.4], [0.95, 0.05]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(binary[i], matrix[(2 * i) + 1], 1e-6f);
            Assert.Equal(1f, matrix[2 * i] + matrix[(2 * i) + 1], 1e-6f);
        }
    }

    [Fact]
    public void Adjust_ThreeClasses_MatchesBayesRuleByHand()
    {
        float[] m = [0.2f, 0.3f, 0.5f];
        PriorShift.Adjust(m, 3, [1 / 3.0, 1 / 3.0, 1 / 3.0], [0.7, 0.2, 0.1]);
        double a = 0.2 * 0.7, b = 0.3 * 0.2, c = 0.5 * 0.1, s = a + b + c;
        Assert.Equal(a / s, m[0], 1e-6);
        Assert.Equal(b / s, m[1], 1e-6);
        Assert.Equal(c / s, m[2], 1e-6);
    }

    [Fact]
    public void AdjustBinary_PriorOutOfRange_ThrowsNamingParameter()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PriorShift.AdjustBinary(0.3, 0.5, 0));
        Assert.Equal("populationPrior", e.ParamName);
    }

    private static BinaryConfusion Classify(float[] p, byte[] labels, double threshold)
    {
        var m = new ConfusionMatrix(2);
        for (int i = 0; i < p.Length; i++)
        {
            m.Add(labels[i], p[i] >= threshold ? 1 : 0);
        }

        return m.Binary();
    }
}
