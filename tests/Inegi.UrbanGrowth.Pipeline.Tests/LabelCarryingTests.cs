using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>Census labels carried to other years (<see cref="LabelCarrying"/>) and the multi-mosaic features CSV.</summary>
[Collection(SmallSceneCollection.Name)]
public sealed class LabelCarryingTests(SmallSceneFixture scene)
{
    [Fact]
    public void Carry_HandMadeSample_KeepsUrbanForLaterAndNonUrbanForEarlierYears()
    {
        SampledCell[] census =
        [
            new(0, 0, 0, UrbanClass.Urban), new(1, 0, 1, UrbanClass.NonUrban), new(2, 0, 2, UrbanClass.Undefined),
            new(7, 1, 2, UrbanClass.Urban), new(5, 1, 0, UrbanClass.NonUrban), new(5, 1, 0, UrbanClass.NonUrban),
        ];
        Assert.Equal([0L, 7L], LabelCarrying.ToLaterYear(census).Select(c => c.CellId));
        Assert.Equal([1L, 5L, 5L], LabelCarrying.ToEarlierYear(census).Select(c => c.CellId));
        Assert.All(LabelCarrying.ToLaterYear(census), c => Assert.Equal(UrbanClass.Urban, c.Label));
        Assert.All(LabelCarrying.ToEarlierYear(census), c => Assert.Equal(UrbanClass.NonUrban, c.Label));
        Assert.Empty(LabelCarrying.ToLaterYear([]));
    }

    /// <summary>On a five-epoch synthetic series with growth, every carried label is the other year's truth, and the
    /// cells left out are exactly those whose label could have changed (some of them did).</summary>
    [Fact]
    public void Carry_SyntheticSeries_EveryCarriedLabelIsTheOtherYearsTruth()
    {
        int[] years = [2000, 2005, 2010, 2015, 2020];
        var series = new SyntheticScene(new SyntheticSceneOptions { CellsX = 60, CellsY = 40, Years = years, Seed = 3 });
        int w = series.Options.CellsX, h = series.Options.CellsY;
        byte[][] truth = [.. years.Select(y => Labels(series, y, w, h))];
        var census = new List<SampledCell>();
        for (int id = 0; id < w * h; id++)
        {
            census.Add(new SampledCell(id, id / w, id % w, truth[2][id]));
        }

        IReadOnlyList<SampledCell> later = LabelCarrying.ToLaterYear(census), earlier = LabelCarrying.ToEarlierYear(census);
        Assert.NotEmpty(later);
        Assert.NotEmpty(earlier);
        foreach (int t in new[] { 3, 4 })
        {
            Assert.All(later, c => Assert.True(truth[t][c.CellId] is UrbanClass.Urban or UrbanClass.Undefined, $"cell {c.CellId} carried urban to {years[t]}"));
        }

        foreach (int t in new[] { 0, 1 })
        {
            Assert.All(earlier, c => Assert.True(truth[t][c.CellId] is UrbanClass.NonUrban or UrbanClass.Undefined, $"cell {c.CellId} carried non-urban to {years[t]}"));
        }

        // What is not carried is uncertain: census non-urban cells that grew by 2020, census urban cells new since 2000.
        Assert.Contains(census, c => c.Label == UrbanClass.NonUrban && truth[4][c.CellId] == UrbanClass.Urban);
        Assert.Contains(census, c => c.Label == UrbanClass.Urban && truth[0][c.CellId] == UrbanClass.NonUrban);
        Assert.Equal(census.Count(c => c.Label == UrbanClass.Urban), later.Count);
        Assert.Equal(census.Count(c => c.Label == UrbanClass.NonUrban), earlier.Count);
    }

    [Fact]
    public void WriteCsv_Parts_AreTheSingleMosaicCsvsOneAfterTheOtherWhateverTheThreads()
    {
        using var dir = new TempDirectory();
        using Mosaic census = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid censusGrid = CellGrid.Open(scene.Files.Labels(2010), census);
        using Mosaic later = Mosaic.Open(scene.Files.Mosaic(2020));
        using CellGrid laterGrid = CellGrid.Open(scene.Files.Labels(2010), later);
        IReadOnlyList<SampledCell> sample = TrainingSample.DrawCounts(censusGrid, nonUrban: 60, urban: 30, seed: 4, census).Cells;
        IReadOnlyList<SampledCell> carried = LabelCarrying.ToLaterYear(sample);

        FeatureExtraction.WriteCsv(census, censusGrid, sample, dir.File("census.csv"));
        FeatureExtraction.WriteCsv(later, laterGrid, carried, dir.File("later.csv"));
        FeaturePart[] parts = [new(census, censusGrid, sample), new(later, laterGrid, carried)];
        FeatureExtractionSummary one = FeatureExtraction.WriteCsv(parts, dir.File("both1.csv"), maxDegreeOfParallelism: 1);
        FeatureExtraction.WriteCsv(parts, dir.File("both2.csv"), maxDegreeOfParallelism: 2);

        Assert.Equal(File.ReadAllBytes(dir.File("both1.csv")), File.ReadAllBytes(dir.File("both2.csv")));
        string[] expected = [.. File.ReadAllLines(dir.File("census.csv")), .. File.ReadAllLines(dir.File("later.csv")).Skip(1)];
        Assert.Equal(expected, File.ReadAllLines(dir.File("both1.csv")));
        Assert.Equal(expected.Length - 1 + one.Incomplete, sample.Count + carried.Count);

        // The settings sidecar belongs to the combined CSV, so `urban train` accepts it.
        FeatureTable table = FeatureCsv.Read(dir.File("both1.csv"));
        Assert.Equal(FeatureExtractionSettings.Default.Channels, FeatureExtractionSettings.ReadSidecarFor(dir.File("both1.csv"), table.Features.Schema).Channels);
        int censusRows = File.ReadAllLines(dir.File("census.csv")).Length - 1;
        Assert.All(table.Labels.Skip(censusRows), l => Assert.Equal(UrbanClass.Urban, l));
        Assert.Contains(table.Labels.Take(censusRows), l => l == UrbanClass.NonUrban);
    }

    private static byte[] Labels(SyntheticScene s, int year, int w, int h)
    {
        var all = new byte[w * h];
        for (int r = 0; r < h; r++)
        {
            s.RenderLabels(year, r, all.AsSpan(r * w, w));
        }

        return all;
    }
}
