using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// <c>--scenes</c>: the NYC archive scanned as scene folders (Collection 1, no MTL: the documented OLI rescaling)
/// composites to the same bytes as the same dates given as six-band images with <c>--scale 0.00002 --offset -0.1
/// --qa-format c1</c>, in a single process and as a tiled plan.
/// </summary>
public sealed class CompositeScenesTests(NycStack s) : IClassFixture<NycStack>
{
    private static readonly string[] Rasters = ["mosaic.tif", "mads.tif", "count.tif"];

    private static readonly string[] Grid =
        ["--crs", "EPSG:6372", "--bounds", "4710000,3240000,5160000,3720000", "--resolution", "1500", "--tile", "64"];

    [Fact]
    public void Scenes_composite_as_their_images_in_date_order_and_a_plan_of_them_merges_to_the_same_bytes()
    {
        string nyc = TestData.Path("nyc-l8-2018-coarse");

        // The scan orders observations by date, then product id; the images, named LC08_L1TP_PPPRRR_YYYYMMDD_SR.tif, likewise.
        int[] order = [.. Enumerable.Range(0, s.Images.Count).OrderBy(i => Path.GetFileName(s.Images[i])[17..25], StringComparer.Ordinal).ThenBy(i => s.Images[i], StringComparer.Ordinal)];
        string images = s.NewFolder("images"), scenes = s.NewFolder("scenes");
        Urban.Ok(Urban.Run(["composite", "--images", .. order.Select(i => s.Images[i]), "--qa", .. order.Select(i => s.Quality[i]), "--qa-format", "c1", "--nodata", "0",
            "--scale", "0.00002", "--offset", "-0.1", .. Grid, "--out", Path.Combine(images, "mosaic.tif"), "--mads", Path.Combine(images, "mads.tif"), "--count", Path.Combine(images, "count.tif")]));
        Urban.Result run = Urban.Ok(Urban.Run(["composite", "--scenes", nyc, .. Grid,
            "--out", Path.Combine(scenes, "mosaic.tif"), "--mads", Path.Combine(scenes, "mads.tif"), "--count", Path.Combine(scenes, "count.tif")]));
        Assert.Contains("19 observations", run.Stdout, StringComparison.Ordinal);
        AssertSameBytes(images, scenes);
        string provenance = File.ReadAllText(Path.Combine(scenes, "mosaic.provenance.json"));
        Assert.Contains("\"scene\": \"LC08_L1TP_014031_20180106_20180119_01_T1\"", provenance, StringComparison.Ordinal);
        Assert.Contains("no MTL", provenance, StringComparison.Ordinal);

        // A period: the summer's 10 scenes.
        string summer = s.NewFolder("summer");
        run = Urban.Ok(Urban.Run(["composite", "--scenes", nyc, "--from", "2018-04-05", "--to", "2018-09-03", .. Grid, "--out", Path.Combine(summer, "mosaic.tif")]));
        Assert.Contains("10 observations", run.Stdout, StringComparison.Ordinal);
        run = Urban.Ok(Urban.Run(["composite", "--scenes", nyc, "--period", "2018-Q2", "--cloud-opening", "1", "--cloud-dilation", "1", .. Grid, "--out", Path.Combine(summer, "q2.tif")]));
        Assert.Contains("6 observations", run.Stdout, StringComparison.Ordinal);
        string q2 = File.ReadAllText(Path.Combine(summer, "q2.provenance.json"));
        Assert.Contains("\"period\": \"2018-Q2\"", q2, StringComparison.Ordinal);
        Assert.Contains("\"cloud_dilation\": \"1\"", q2, StringComparison.Ordinal);

        // The same as a plan of 2 x 2 tiles.
        string folder = s.NewFolder("plan-scenes");
        Urban.Ok(Urban.Run(["plan", "composite", "--scenes", nyc, .. Grid, "--tiles-x", "2", "--tiles-y", "2", "--out", folder]));
        Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));
        string merged = s.NewFolder("merged-scenes");
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        AssertSameBytes(scenes, merged);
    }

    [Fact]
    public void A_quarter_widened_to_three_observations_merges_from_tiles_to_the_same_bytes_window_band_included()
    {
        string nyc = TestData.Path("nyc-l8-2018-coarse");
        string[] widening = ["--period", "2018-Q2", "--min-observations", "3", "--max-widening", "2"];
        string single = s.NewFolder("widened-single");
        Urban.Ok(Urban.Run(["composite", "--scenes", nyc, .. widening, .. Grid, "--out", Path.Combine(single, "mosaic.tif"),
            "--mads", Path.Combine(single, "mads.tif"), "--count", Path.Combine(single, "count.tif"), "--window", Path.Combine(single, "window.tif")]));
        float[] steps;
        using (var window = Inegi.UrbanGrowth.Raster.GeoTiffReader.Open(Path.Combine(single, "window.tif")))
        {
            steps = window.ReadAllAsFloat();
        }

        Assert.Contains(steps, k => k == 0);
        Assert.Contains(steps, k => k > 0);   // a quarter of this archive leaves pixels short of three observations

        string folder = s.NewFolder("plan-widened");
        Urban.Ok(Urban.Run(["plan", "composite", "--scenes", nyc, .. widening, .. Grid, "--tiles-x", "2", "--tiles-y", "2", "--out", folder]));
        Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));
        string merged = s.NewFolder("merged-widened");
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        AssertSameBytes(single, merged);
        Assert.True(File.ReadAllBytes(Path.Combine(single, "window.tif")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, "window.tif"))), "window.tif differs");
    }

    [Fact]
    public void Bad_scene_options_give_one_line_and_the_documented_exit_codes()
    {
        string nyc = TestData.Path("nyc-l8-2018-coarse");
        foreach ((string[] args, int exit, string message) in new (string[], int, string)[]
        {
            (["composite", "--scenes", nyc, "--from", "2018-13-01"], 2, "--from must be a date yyyy-MM-dd"),
            (["composite", "--scenes", nyc, "--images", s.Images[0]], 2, "not both"),
            (["composite", "--from", "2018-01-01"], 2, "select scenes of --scenes"),
            (["composite"], 2, "--images A.tif B.tif ... or --scenes DIR"),
            (["composite", "--scenes", nyc, "--from", "2019-01-01"], 1, "holds no Landsat scene"),
            (["composite", "--scenes", s.Dir.File("missing")], 1, "is not a folder"),
            (["plan", "composite", "--scenes", "relative/nyc"], 2, "--scenes must be an absolute path in a plan"),
            (["plan", "composite", "--stac", "relative/items.json"], 2, "--stac must be an absolute path in a plan"),
            (["composite", "--scenes", nyc, "--period", "2018-H3"], 2, "--period: a year has halves H1 and H2"),
            (["composite", "--scenes", nyc, "--period", "2018", "--to", "2018-05-01"], 2, "either --period or --from/--to"),
            (["composite", "--scenes", nyc, "--cloud-opening", "-1"], 2, "--cloud-opening must be 0 to 100"),
        })
        {
            string folder = s.NewFolder("bad");
            string[] output = args[0] == "plan" ? ["--out", folder] : ["--out", Path.Combine(folder, "mosaic.tif")];
            Urban.Result r = Urban.Run([.. args, .. Grid, .. output]);
            Assert.True(r.ExitCode == exit, $"{string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.tif").Any());
        }
    }

    private static void AssertSameBytes(string expectedFolder, string actualFolder)
    {
        foreach (string name in Rasters)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expectedFolder, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualFolder, name))), name + " differs");
        }
    }
}
