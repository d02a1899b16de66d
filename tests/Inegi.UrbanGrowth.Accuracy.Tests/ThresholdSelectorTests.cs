namespace Inegi.UrbanGrowth.Accuracy.Tests;

public sealed class ThresholdSelectorTests
{
    private static (float[] P, byte[] Labels) TiedData(int n, int seed)
    {
        var rng = new Random(seed);
        var p = new float[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = rng.NextDouble() < 0.3 ? (byte)1 : (byte)0;
            double score = Math.Clamp((labels[i] == 1 ? 0.6 : 0.35) + (0.25 * (rng.NextDouble() - 0.5) * 2), 0, 1);
            p[i] = MathF.Round((float)score, 2); // many ties
        }

        return (p, labels);
    }

    private static ThresholdChoice BruteForce(float[] p, byte[] labels, ThresholdOptions options)
    {
        var candidates = p.Distinct().OrderByDescending(v => v).Select(v => (double)v).ToList();
        candidates.Insert(0, Math.BitIncrement((double)p.Max()));
        ThresholdChoice? best = null;
        foreach (double t in candidates)
        {
            var m = new ConfusionMatrix(2);
            for (int i = 0; i < p.Length; i++)
            {
                m.Add(labels[i], p[i] >= t ? 1 : 0, labels[i] == 1 ? options.UrbanWeight : options.NonUrbanWeight);
            }

            double s = ThresholdSelector.Score(m.Binary(), options);
            if (best is null || s > best.Value.Score)
            {
                best = new ThresholdChoice(t, s, m.Binary());
            }
        }

        return best!.Value;
    }

    [Theory]
    [InlineData(ThresholdScore.UrbanF1, 1)]
    [InlineData(ThresholdScore.BalancedAccuracy, 2)]
    [InlineData(ThresholdScore.PrecisionAtMinimumRecall, 3)]
    public void Select_IntegerWeights_EqualsBruteForce(ThresholdScore score, int seed)
    {
        var (p, labels) = TiedData(3000, seed);
        var options = new ThresholdOptions { Score = score, MinimumRecall = 0.8, UrbanWeight = 1, NonUrbanWeight = 3 };
        var fast = ThresholdSelector.Select(p, labels, options);
        var slow = BruteForce(p, labels, options);
        Assert.Equal(slow.Threshold, fast.Threshold);
        Assert.Equal(slow.Score, fast.Score);
        Assert.Equal(slow.Confusion, fast.Confusion);
    }

    [Fact]
    public void Select_PopulationWeights_ScoreEqualsBruteForceAndThresholdRises()
    {
        var (p, labels) = PriorShiftTests.Population(4_000, 0.5, 7);
        var population = ThresholdOptions.ForPopulation(0.5, 0.02);
        var weighted = ThresholdSelector.Select(p, labels, population);
        var slow = BruteForce(p, labels, population);
        Assert.Equal(slow.Score, weighted.Score, 1e-9);

        // On the balanced sample, the F1-optimal threshold is near 0.5; for a 2% population it must be much higher.
        var balanced = ThresholdSelector.Select(p, labels);
        Assert.InRange(balanced.Threshold, 0.2, 0.6);
        Assert.True(weighted.Threshold > 0.9, $"threshold {weighted.Threshold}");

        // The weighted F1 predicts the F1 on a real 2% population.
        var (pp, lp) = PriorShiftTests.Population(400_000, 0.02, 8);
        var m = new ConfusionMatrix(2);
        for (int i = 0; i < pp.Length; i++)
        {
            m.Add(lp[i], pp[i] >= weighted.Threshold ? 1 : 0);
        }

        Assert.Equal(weighted.Score, m.Binary().F1, 0.04);
    }

    [Fact]
    public void Select_AfterPriorCorrection_SameCellsAsRawThreshold()
    {
        var (p, labels) = PriorShiftTests.Population(5_000, 0.5, 9);
        var options = ThresholdOptions.ForPopulation(0.5, 0.02);
        var raw = ThresholdSelector.Select(p, labels, options);
        var corrected = (float[])p.Clone();
        PriorShift.AdjustBinary(corrected, 0.5, 0.02);
        var adjusted = ThresholdSelector.Select(corrected, labels, options);
        Assert.Equal(raw.Confusion.TruePositives, adjusted.Confusion.TruePositives, 1e-9);
        Assert.Equal(raw.Confusion.FalsePositives, adjusted.Confusion.FalsePositives, 1e-9);
    }

    [Fact]
    public void Select_SkipsUndefinedLabels_AndRejectsOthers()
    {
        float[] p = [0.9f, 0.8f, 0.1f, 0.5f];
        var choice = ThresholdSelector.Select(p, [1, 255, 0, 255]);
        Assert.Equal(0.9f, (float)choice.Threshold);
        Assert.Equal(1.0, choice.Score);
        Assert.Throws<ArgumentException>(() => ThresholdSelector.Select(p, [1, 2, 0, 0]));
    }

    [Fact]
    public void ConfusionMatrix_BinaryView_CountsAndRatios()
    {
        var m = ConfusionMatrix.FromLabels([0, 0, 1, 1, 1, 255, 0], [0, 1, 1, 0, 1, 1, 255]).Binary();
        Assert.Equal(new BinaryConfusion(1, 1, 1, 2), m);
        Assert.Equal(2.0 / 3, m.Precision, 1e-15);
        Assert.Equal(2.0 / 3, m.Recall, 1e-15);
        Assert.Equal(2.0 / 3, m.F1, 1e-15);
        Assert.Equal(0.6, m.Accuracy, 1e-15);
        Assert.Equal((2.0 / 3 + 0.5) / 2, m.BalancedAccuracy, 1e-15);
    }
}
