using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary><c>urban alerts</c> and <c>urban grid</c> run as users run them (urban.dll in a child process).</summary>
[Collection(SyntheticAlertsCollection.Name)]
public sealed class VectorCliTests(SyntheticAlertsFixture scene)
{
    [Fact]
    public void Alerts_with_vector_zones_write_both_files_and_match_the_library()
    {
        // Zones as a GeoPackage of polygons: the zone raster's cells as squares, so the layer rasterises back exactly.
        string zonesLayer = VectorLayers.WriteCells(TestGrids.ReadAll<ushort>(scene.Zones), scene.Info, scene.Dir.Path, "zones_cells");
        string output = scene.Dir.File("cli/alerts.gpkg"), json = scene.Dir.File("cli/alerts.geojson");
        (int code, string stdout, string stderr) = Urban("alerts", "--growth", scene.Growth, "--first-year", scene.FirstYear, "--confidence", scene.Confidence,
            "--zones", zonesLayer, "--zone-field", "zone", "--out", output, "--geojson", json);
        Assert.True(code == 0, stderr);
        Assert.Contains($"growth alerts: {scene.Alerts.Count} polygons", stdout, StringComparison.Ordinal);
        IReadOnlyList<GrowthAlert> alerts = GrowthAlertWriter.Read(output);
        Assert.Equal(scene.Alerts.Select(a => (a.Id, a.CellCount, a.Zone, a.Rank, a.FirstYear)), alerts.Select(a => (a.Id, a.CellCount, a.Zone, a.Rank, a.FirstYear)));
        Assert.True(File.Exists(json));
    }

    [Fact]
    public void Grid_burns_a_layer_on_the_grid_of_like()
    {
        string layer = VectorLayers.WritePoints([(0.5, 0.5, 1), (3.2, 2.7, 0)], scene.Dir.Path, "cli_points", "GPKG");
        string output = scene.Dir.File("cli/labels.tif");
        (int code, string stdout, string stderr) = Urban("grid", "--from", layer, "--field", "label", "--like", scene.Growth, "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("2 features burnt: 2 of", stdout, StringComparison.Ordinal);
        byte[] labels = TestGrids.ReadAll<byte>(output);
        Assert.Equal(1, labels[0]);
        Assert.Equal(0, labels[(2 * scene.Info.Width) + 3]);
        Assert.Equal(labels.Length - 2, labels.Count(v => v == 255));
        Assert.Equal(scene.Info.GeoTransform, GeoTiffReader.ReadInfo(output).GeoTransform);
    }

    [Theory]
    [InlineData(2, "--zone-field applies to vector zones", "alerts", "--zones", "{zones}", "--zone-field", "zone")]
    [InlineData(2, "--zone-field is required", "alerts", "--zones", "{layer}")]
    [InlineData(1, "has no field 'nope'", "alerts", "--zones", "{layer}", "--zone-field", "nope")]
    [InlineData(1, "missing.tif", "grid", "--from", "{layer}", "--field", "label", "--like", "{missing}", "--out", "{out}")]
    [InlineData(2, "would overwrite the input", "grid", "--from", "{layer}", "--field", "label", "--like", "{growth}", "--out", "{growth}")]
    public void Bad_input_gives_one_line_and_the_documented_exit_code(int expectedCode, string message, string command, params string[] extra)
    {
        string layer = VectorLayers.WritePoints([(0.5, 0.5, 1)], scene.Dir.Path, "cli_bad_" + Guid.NewGuid().ToString("N"), "GPKG");
        string output = scene.Dir.File("cli_bad/out.gpkg");
        List<string> args = [command];
        if (command == "alerts")
        {
            args.AddRange(["--growth", scene.Growth, "--first-year", scene.FirstYear, "--confidence", scene.Confidence, "--out", output]);
        }

        args.AddRange(extra.Select(a => a.Replace("{zones}", scene.Zones, StringComparison.Ordinal).Replace("{layer}", layer, StringComparison.Ordinal)
            .Replace("{missing}", scene.Dir.File("missing.tif"), StringComparison.Ordinal).Replace("{out}", scene.Dir.File("cli_bad/out.tif"), StringComparison.Ordinal)
            .Replace("{growth}", scene.Growth, StringComparison.Ordinal)));
        (int code, string stdout, string stderr) = Urban([.. args]);
        Assert.Equal(expectedCode, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Empty(stdout);
        Assert.False(Directory.Exists(scene.Dir.File("cli_bad")));
    }

    private static (int Code, string Stdout, string Stderr) Urban(params string[] args)
    {
        var (code, stdout, stderr) = UrbanTool.Run(args);
        return (code, stdout, stderr);
    }
}
