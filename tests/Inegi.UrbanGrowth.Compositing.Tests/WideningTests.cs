using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>
/// <c>--min-observations</c>: where a pixel has too few clear observations in the period, its window widens by the
/// period's length on both sides, step by step; checked on a synthetic archive with known answers and on the real
/// NYC quarter (few observations) against plain runs over each widened window, with tile and thread determinism.
/// </summary>
public sealed class WideningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// 2020-Q2 (91 days) with three scenes in it, two a step out (within 91 days) and two two steps out (within 182);
    /// each step's scenes hold one value, so the median says which window a pixel used.
    /// Pixel 0: clear in the three of the quarter (step 0). Pixel 1: one in the quarter, both of step 1 (step 1).
    /// Pixel 2: none in the quarter, one of step 1, both of step 2 (step 2). Pixel 3: one of step 1 only (step 1, the
    /// smallest window with all it can get). Pixels 4-5: nothing clear anywhere (step 0, nodata).
    /// </summary>
    [Fact]
    public void SyntheticArchive_WidensEachPixelAsFarAsItNeeds_WithKnownAnswers()
    {
        string archive = _dir.File("archive");
        (string Date, int Step, bool[] Clear)[] scenes =
        [
            ("20191115", 2, [false, false, true, false, false, false]),
            ("20200201", 1, [false, true, true, true, false, false]),
            ("20200415", 0, [true, true, false, false, false, false]),
            ("20200515", 0, [true, false, false, false, false, false]),
            ("20200615", 0, [true, false, false, false, false, false]),
            ("20200801", 1, [false, true, false, false, false, false]),
            ("20201101", 2, [false, false, true, false, false, false]),
            ("20190601", 3, [true, true, true, true, true, true]), // beyond two steps: never read
        ];
        var items = new List<Dictionary<string, object>>();
        foreach ((string date, int step, bool[] clear) in scenes)
        {
            string id = $"LC08_L2SP_026046_{date}_20200825_02_T1";
            ushort dn = (ushort)(10000 + (2000 * step)); // reflectance 0.075, 0.13, 0.185, 0.24
            string dir = StacCatalogTests.C2Scene(archive, id, (b, i) => dn, i => i < clear.Length && clear[i], saturated: -1);
            items.Add(StacCatalogTests.C2Item(archive, dir, id, $"{date[..4]}-{date[4..6]}-{date[6..]}T17:00:00Z"));
        }

        string stac = StacCatalogTests.WriteCollection(Path.Combine(archive, "items.json"), items);
        var settings = new CompositeSettings { Stac = stac, Period = "2020-Q2", Crs = "EPSG:32614", Bounds = "500000,1999880,500180,2000000", Resolution = 30, MinObservations = 3 };
        Assert.Equal(new[] { 2, 1, 0, 0, 0, 1, 2 }, settings.WideningSteps()!);

        using ObservationReader reader = settings.OpenReader();
        Assert.Equal(7, reader.ObservationCount);
        CompositeTileResult tile = new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: 1)).CompositeTile(new PixelWindow(0, 0, 6, 4));
        Assert.Equal(new ushort[] { 0, 1, 2, 1, 0, 0 }, tile.Widening[..6]);
        Assert.Equal(new ushort[] { 3, 3, 3, 1, 0, 0 }, tile.Count[..6]);

        // Geomedians of {a, a, a}, {a, b, b}, {b, c, c}, {b}: the repeated value (Weiszfeld stops within a few eps of it).
        float[] expected = [0.075f, 0.13f, 0.185f, 0.13f];
        for (int p = 0; p < 4; p++)
        {
            for (int b = 0; b < 6; b++)
            {
                Assert.Equal(expected[p], tile.Median[(b * 24) + p], 5e-4f);
            }
        }

        Assert.True(float.IsNaN(tile.Median[4]));

        // Without widening: the quarter alone.
        using ObservationReader quarter = (settings with { MinObservations = 0 }).OpenReader();
        Assert.Equal(3, quarter.ObservationCount);
        CompositeTileResult plain = new GeomedianCompositor(quarter, (settings with { MinObservations = 0 }).ToCompositeOptions(1)).CompositeTile(new PixelWindow(0, 0, 6, 4));
        Assert.Equal(new ushort[] { 3, 1, 0, 0, 0, 0 }, plain.Count[..6]);
        Assert.All(plain.Widening, w => Assert.Equal(0, w));

        // One step at most: pixel 2 stays at step 1 with its one observation.
        CompositeTileResult oneStep = Tile(settings with { MaxWidening = 1 });
        Assert.Equal(new ushort[] { 0, 1, 1, 1, 0, 0 }, oneStep.Widening[..6]);
        Assert.Equal(new ushort[] { 3, 3, 1, 1, 0, 0 }, oneStep.Count[..6]);

        // The provenance records the rule and each observation's step.
        string mosaic = _dir.File("m.tif"), window = _dir.File("window.tif");
        new GeomedianCompositor(reader, settings.ToCompositeOptions(1)).Write(mosaic, null, _dir.File("count.tif"), settings.Provenance(), window);
        string provenance = File.ReadAllText(GeomedianCompositor.ProvenancePath(mosaic));
        Assert.Contains("\"min_observations\": \"3\"", provenance, StringComparison.Ordinal);
        Assert.Contains("\"widening_step_days\": \"91\"", provenance, StringComparison.Ordinal);
        Assert.Contains("\"widening_step\": 2", provenance, StringComparison.Ordinal);
        Assert.Contains("\"window\": \"window.tif\"", provenance, StringComparison.Ordinal);
        using var written = GeoTiffReader.Open(window);
        var steps = new ushort[24];
        written.Read<ushort>(new PixelWindow(0, 0, 6, 4), steps);
        Assert.Equal(tile.Widening, steps);

        // Bad uses are bad arguments.
        Assert.Throws<ArgumentException>(() => (settings with { Period = null, From = "2020-04-01" }).WideningSteps());
        Assert.Throws<ArgumentException>(() => (settings with { MinObservations = -1 }).CompositeImages());
        Assert.Throws<ArgumentException>(() => new CompositeSettings { Images = ["a.tif"], MinObservations = 3 }.CompositeImages());
    }

    /// <summary>
    /// The real NYC 2018-Q2 (6 scenes over three path/rows) with at least 3 clear observations: each pixel's step,
    /// COUNT, mosaic and MADs are those of a plain run over the window of that step (2018-04-01..06-30 widened by 91
    /// days per step), computed independently; and the bytes do not depend on the tile size or the threads.
    /// </summary>
    [Fact]
    public void NycQuarter_EachPixelIsThePlainCompositeOfItsWindow_WhateverTheTiles()
    {
        string nyc = TestData.Path("nyc-l8-2018-coarse");
        var settings = new CompositeSettings { Scenes = nyc, Period = "2018-Q2", Crs = "EPSG:32618", Bounds = "500000,4400000,700000,4600000", Resolution = 3000, MinObservations = 3 };
        CompositeTileResult widened = Tile(settings);
        CompositeTileResult[] plain =
        [
            Tile(settings with { MinObservations = 0 }),
            Tile(settings with { MinObservations = 0, Period = null, From = "2017-12-31", To = "2018-09-29" }),
            Tile(settings with { MinObservations = 0, Period = null, From = "2017-10-01", To = "2018-12-29" }),
        ];
        int pixels = widened.Count.Length;
        int[] perStep = new int[3];
        for (int p = 0; p < pixels; p++)
        {
            int expected = Enumerable.Range(0, 3).FirstOrDefault(k => plain[k].Count[p] >= 3, -1);
            if (expected < 0)
            {
                expected = Enumerable.Range(0, 3).First(k => plain[k].Count[p] == plain[2].Count[p]);
            }

            int step = widened.Widening[p];
            Assert.Equal(expected, step);
            perStep[step]++;
            Assert.Equal(plain[step].Count[p], widened.Count[p]);
            for (int b = 0; b < 6; b++)
            {
                Assert.Equal(GeomedianCompositor.ToDigitalNumber(plain[step].Median[(b * pixels) + p]), GeomedianCompositor.ToDigitalNumber(widened.Median[(b * pixels) + p]));
            }

            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(plain[step].Deviations[(k * pixels) + p], widened.Deviations[(k * pixels) + p]);
            }
        }

        // A quarter of three path/rows is thin: pixels at every step.
        Assert.All(perStep, n => Assert.True(n > 0, $"pixels per step: {string.Join(", ", perStep)}"));

        string[] small = Write(settings with { TileSize = 16 }, "a", threads: 1), large = Write(settings with { TileSize = 48 }, "b", threads: -1);
        for (int k = 0; k < small.Length; k++)
        {
            Assert.Equal(File.ReadAllBytes(small[k]), File.ReadAllBytes(large[k]));
        }
    }

    private static CompositeTileResult Tile(CompositeSettings settings)
    {
        using ObservationReader reader = settings.OpenReader();
        return new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: 2)).CompositeTile(new PixelWindow(0, 0, reader.Grid.Width, reader.Grid.Height));
    }

    private string[] Write(CompositeSettings settings, string name, int threads)
    {
        using ObservationReader reader = settings.OpenReader();
        string[] paths = [_dir.File(name + ".tif"), _dir.File(name + "_mads.tif"), _dir.File(name + "_count.tif"), _dir.File(name + "_window.tif")];
        new GeomedianCompositor(reader, settings.ToCompositeOptions(threads)).Write(paths[0], paths[1], paths[2], null, paths[3]);
        return paths;
    }
}
