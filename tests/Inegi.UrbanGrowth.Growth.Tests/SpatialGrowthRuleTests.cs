namespace Inegi.UrbanGrowth.Growth.Tests;

/// <summary><see cref="SpatialGrowthRule"/> on hand-made grids whose answers follow from its definition.</summary>
public sealed class SpatialGrowthRuleTests
{
    // A 6 x 1 strip: one town cell (label 1) at x = 0; three years, census in the middle.
    private static readonly byte[] StripLabels = [1, 0, 0, 0, 0, 0];

    private static float[][] Years(params float[][] years) => years;

    [Fact]
    public void CensusYearIsTheLabels_ThresholdMatchesTheLabelledCount()
    {
        // Census scores rank cell 1 above the town: the labels win in the census year, and the threshold is the
        // score of the k-th highest labelled cell (k = 1 urban label): cell 1's 2.0.
        float[][] scores = Years([0, 0, 0, 0, 0, 0], [1.5f, 2f, -3, -3, -3, -3], [2, 2, -3, -3, -3, -3]);
        SpatialGrowthRule.Decision d = new SpatialGrowthRule().Decide(scores, StripLabels, 6, censusIndex: 1);
        Assert.Equal(StripLabels, d.Classes[1]);
        Assert.Equal(2.0, d.Threshold, 6);
        Assert.Equal([100, 0, 0, 0, 0, 0], d.Confidence[1]);
    }

    [Fact]
    public void GrowthAfterTheCensus_SpreadsFromTownsAtMostThePassesPerYear()
    {
        // After the census every cell reaches the threshold, but growth spreads from the town one cell per sweep:
        // with two sweeps, cells 1 and 2 join; cells 3-5 stay non-urban (they touch no town, and no score clears the
        // detached margin).
        float[][] scores = Years([0, -2, -2, -2, -2, -2], [1, 1, 1, 1, 1, 1]);
        byte[] labels = [1, 0, 0, 0, 0, 0];
        SpatialGrowthRule.Decision d = new SpatialGrowthRule(inclusionPasses: 2).Decide(scores, labels, 6, censusIndex: 0);
        Assert.Equal([1, 1, 1, 0, 0, 0], d.Classes[1]);
        // Confidences agree with classes: at least 50 for urban, below 50 otherwise.
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(d.Classes[1][i] == 1, d.Confidence[1][i] >= 50);
        }
    }

    [Fact]
    public void DetachedDevelopment_NeedsTheMargin()
    {
        // Cell 5 touches no town; at threshold + 1 it stays non-urban, at threshold + 3.5 it becomes urban.
        byte[] labels = [1, 0, 0, 0, 0, 0];
        float[][] weak = Years([0, -2, -2, -2, -2, -2], [0, -2, -2, -2, -2, 1]);
        Assert.Equal(0, new SpatialGrowthRule().Decide(weak, labels, 6, 0).Classes[1][5]);
        float[][] strong = Years([0, -2, -2, -2, -2, -2], [0, -2, -2, -2, -2, 3.5f]);
        Assert.Equal(1, new SpatialGrowthRule().Decide(strong, labels, 6, 0).Classes[1][5]);
    }

    [Fact]
    public void BeforeTheCensus_OnlyTownEdgesRecede_AndNeverBackToUrban()
    {
        // A 5 x 1 town of three urban cells (1..3) in the census year (last). Two years earlier all scores are low:
        // the edges (1 and 3, beside non-urban cells) recede first, then the middle once it has become an edge.
        byte[] labels = [0, 1, 1, 1, 0];
        float[][] scores = Years([-9, -9, -9, -9, -9], [-9, -9, -9, -9, -9], [-9, 5, 5, 5, -9]);
        SpatialGrowthRule.Decision d = new SpatialGrowthRule().Decide(scores, labels, 5, censusIndex: 2);
        Assert.Equal(labels, d.Classes[2]);
        Assert.Equal([0, 0, 1, 0, 0], d.Classes[1]);
        Assert.Equal([0, 0, 0, 0, 0], d.Classes[0]);
        // A monotone series: no cell is urban before and non-urban after.
        for (int t = 1; t < 3; t++)
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.True(d.Classes[t][i] >= d.Classes[t - 1][i]);
            }
        }
    }

    [Fact]
    public void ScoresAreFittedMonotone_AndMissingYearsStayMissing()
    {
        // Cell 1's scores (3, -1, 3) dip in the middle year (noise): the non-decreasing fit pools them into (1, 1, 3),
        // which reach the threshold (1) from year 1 on, beside the town; cell 2 has no data in year 1 and keeps its
        // state around the gap.
        byte[] labels = [1, 0, 0];
        float[][] scores = Years([1, 3, -5], [1, -1, float.NaN], [1, 3, -5]);
        SpatialGrowthRule.Decision d = new SpatialGrowthRule().Decide(scores, labels, 3, censusIndex: 0);
        Assert.Equal(1, d.Threshold, 6);
        Assert.Equal([1, 1, UrbanClass.Undefined], d.Classes[1]);
        Assert.Equal([1, 1, 0], d.Classes[2]);
        Assert.Equal(UrbanClass.Undefined, d.Confidence[1][2]);
        Assert.Equal(1.0f, scores[1][1], 5);
        Assert.Equal(3.0f, scores[2][1], 5);
    }

    [Fact]
    public void Unlabelled_CellsFollowTheThreshold()
    {
        byte[] labels = [1, 255, 0];
        float[][] scores = Years([2, 1, -2], [2, 2.5f, -2]);
        SpatialGrowthRule.Decision d = new SpatialGrowthRule().Decide(scores, labels, 3, censusIndex: 0);
        Assert.Equal(2, d.Threshold, 6);
        Assert.Equal(0, d.Classes[0][1]);
        Assert.Equal(1, d.Classes[1][1]);
    }
}
