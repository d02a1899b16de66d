using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban features --later-mosaics / --earlier-mosaics` (census labels carried to other years) in the growth flow.</summary>
public sealed class CarryCliTests
{
    [Fact]
    public void Features_CarriedToOtherYears_TrainAndGrowthRunOnTheCombinedCsv()
    {
        using var dir = new TempDirectory();
        string Scene(string name) => dir.File(Path.Combine("scene", name));
        Ok(UrbanProcess.Run("synth", "--out", dir.File("scene"), "--cells-x", "30", "--cells-y", "24", "--years", "2000,2010,2020", "--seed", "4"));
        Ok(UrbanProcess.Run("sample", "--grid", Scene("labels_2010.tif"), "--per-class", "30", "--non-urban", "150", "--seed", "2", "--out", dir.File("sample.csv"), "--mosaic", Scene("mosaic_2010.tif")));
        Ok(UrbanProcess.Run("features", "--mosaic", Scene("mosaic_2010.tif"), "--grid", Scene("labels_2010.tif"), "--cells", dir.File("sample.csv"), "--out", dir.File("census.csv")));
        UrbanProcess.Result carried = UrbanProcess.Run("features", "--mosaic", Scene("mosaic_2010.tif"), "--grid", Scene("labels_2010.tif"), "--cells", dir.File("sample.csv"),
            "--later-mosaics", Scene("mosaic_2020.tif"), "--earlier-mosaics", Scene("mosaic_2000.tif"), "--out", dir.File("carried.csv"), "--threads", "2");
        Ok(carried);

        // Rows: the census sample as `urban features` writes it, then its urban cells from 2020 and its non-urban cells
        // from 2000 (cells whose patch is incomplete in a year are skipped, as in any features run).
        string[] census = File.ReadAllLines(dir.File("census.csv"));
        string[] rows = File.ReadAllLines(dir.File("carried.csv"));
        Assert.Equal(census, rows.Take(census.Length));
        string[] sample = [.. File.ReadAllLines(dir.File("sample.csv")).Skip(1)];
        int urban = sample.Count(l => l.EndsWith(",1", StringComparison.Ordinal)), nonUrban = sample.Count(l => l.EndsWith(",0", StringComparison.Ordinal));
        string[] extra = [.. rows.Skip(census.Length)];
        int extraUrban = extra.Count(l => l.Split(',')[3] == "1"), extraNonUrban = extra.Count(l => l.Split(',')[3] == "0");
        Assert.Equal(extra.Length, extraUrban + extraNonUrban);
        Assert.InRange(extraUrban, urban * 9 / 10, urban);
        Assert.InRange(extraNonUrban, nonUrban * 9 / 10, nonUrban);
        Assert.True(extra.Take(extraUrban).All(l => l.Split(',')[3] == "1"), "the later mosaic's rows come first and are all urban");

        Ok(UrbanProcess.Run("train", "--features", dir.File("carried.csv"), "--out", dir.File("model.ugm"), "--trees", "30", "--seed", "1", "--prevalence", Scene("labels_2010.tif"), "--calibration-folds", "3"));
        Ok(UrbanProcess.Run("growth", "--mosaics", Scene("mosaic_2000.tif"), Scene("mosaic_2010.tif"), Scene("mosaic_2020.tif"), "--years", "2000,2010,2020",
            "--grid", Scene("labels_2010.tif"), "--model", dir.File("model.ugm"), "--out", dir.File("growth"), "--threads", "2"));
        Assert.True(File.Exists(dir.File(Path.Combine("growth", "growth_2000_2020.tif"))));

        // Carrying needs the labelled sample: a bad argument, one line, exit 2, nothing written.
        UrbanProcess.Result noCells = UrbanProcess.Run("features", "--mosaic", Scene("mosaic_2010.tif"), "--grid", Scene("labels_2010.tif"),
            "--later-mosaics", Scene("mosaic_2020.tif"), "--out", dir.File("nocells.csv"));
        Assert.Equal(2, noCells.ExitCode);
        Assert.Contains("--cells", noCells.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("nocells.csv")));
    }

    private static void Ok(UrbanProcess.Result r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");
}
