using System.Text;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Demo.Tests;

/// <summary>
/// The demo's first stage when it starts from scenes (<see cref="DemoRunner"/> with <see cref="DemoOptions.FromScenes"/>):
/// an archive per year, composited into the mosaic files the rest of the demo reads, with the report's table. The rest
/// of the demo is the pipeline as before; a scene large enough to train on takes minutes, so it is not run here.
/// </summary>
public sealed class DemoFromScenesTests
{
    [Fact]
    public void SceneMosaics_ArchivePerYear_CompositedIntoTheMosaicFiles_AndReported()
    {
        using var dir = new TempDirectory();
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 16, CellsY = 12, Years = [2010, 2020], Seed = 8 });
        SyntheticSceneFiles files = SyntheticSceneWriter.WriteGridFiles(scene, dir.File("scene"));
        var report = new StringBuilder();
        var log = new List<string>();
        SceneMosaics.Make(scene, files, dir.File("scenes"), acquisitionsPerFrame: 6, seed: 8, report, log.Add, progress: null);

        string text = report.ToString();
        Assert.Contains("From scenes to mosaics", text, StringComparison.Ordinal);
        foreach (int year in scene.Years)
        {
            Assert.True(File.Exists(files.Mosaic(year)));
            Assert.True(File.Exists(Compositing.GeomedianCompositor.ProvenancePath(files.Mosaic(year))), "the mosaic is a composite with its provenance");
            Assert.Contains($"| {year} | 12 |", text, StringComparison.Ordinal); // 2 frames x 6 acquisitions (the demo's default)
            SurfaceComparison c = SurfaceComparison.Measure(scene, year, files.Mosaic(year));
            Assert.True(c.PixelsWithData > 0.95 * c.Pixels, c.ToString()); // 3 acquisitions a frame left 13% without a clear observation
            Assert.True(c.MedianAbsoluteError.Max() < 0.015, c.ToString());

            // COUNT beside the mosaic; the report's median and share with at least 3 clear observations are its own.
            (int median, double atLeast3) = SceneMosaics.CountStatistics(SceneMosaics.CountPath(files, year));
            ushort[] counts = ReadCounts(SceneMosaics.CountPath(files, year));
            ushort[] sorted = [.. counts.Order()];
            Assert.Equal(sorted[(sorted.Length - 1) / 2], median);
            Assert.Equal(counts.Count(v => v >= 3) / (double)counts.Length, atLeast3, 12);
            Assert.Contains(FormattableString.Invariant($"| {median} ({atLeast3:P1}) |"), text, StringComparison.Ordinal);

            // The pipeline opens it as the mosaic of the year, on the grid of the labels.
            using Mosaic mosaic = Mosaic.Open(files.Mosaic(year));
            using CellGrid grid = CellGrid.Open(files.Labels(year), mosaic);
            Assert.Equal((scene.GridWidth, scene.GridHeight), (grid.Width, grid.Height));
        }

        Assert.Contains("TM", text, StringComparison.Ordinal);   // 2010: Landsat 5 and 7
        Assert.Contains("OLI", text, StringComparison.Ordinal);  // 2020: Landsat 7 and 8
        Assert.Equal(2, log.Count);
        Assert.Contains("clear observations per pixel", text, StringComparison.Ordinal);

        // Each year's scenes deleted once composited (the next year's composite reads only its own): no archive is left.
        Assert.False(Directory.Exists(dir.File("scenes")), "the scenes are deleted by default");
        Assert.Contains("deleted once composited", text, StringComparison.Ordinal);
        Assert.All(log, line => Assert.Contains("MB, deleted once composited", line, StringComparison.Ordinal));
        Assert.False(new DemoOptions().FromScenes, "the quick tour renders mosaics (faithful growth, under 1 GB); --from-scenes runs this stage");
    }

    private static ushort[] ReadCounts(string path)
    {
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        var values = new ushort[reader.Info.Width * reader.Info.Height];
        reader.Read<ushort>(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height), values);
        return values;
    }
}
