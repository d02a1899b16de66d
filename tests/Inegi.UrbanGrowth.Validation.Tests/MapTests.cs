using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>
/// <c>serve --maps</c>: the class of each year's map at each sample cell, read by the cell's centre (so a map on another
/// grid works), checked against GDAL's <c>gdallocationinfo</c>, shown only when unblinded, and exported as
/// <c>map_YEAR</c> columns that the area estimate's reader still takes.
/// </summary>
public sealed class MapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A 2010 map on a 500 m grid over the same 9 x 9 km: urban west of x = 289000 + 3500 (the town was smaller).</summary>
    private static string Map2010(Scene scene)
    {
        string path = scene.Dir.File("map_2010_500m.tif");
        byte[] classes = new byte[18 * 18];
        for (int i = 0; i < classes.Length; i++)
        {
            int col = i % 18;
            classes[i] = col < 7 ? UrbanClass.Urban : col == 17 ? UrbanClass.Undefined : UrbanClass.NonUrban;
        }

        GeoTiffWriter.Write<byte>(path, new GeoTiffWriteOptions { Width = 18, Height = 18, GeoTransform = GeoTransform.NorthUp(289000, 9120500, 500), Epsg = Scene.Epsg, NoData = 255 }, classes);
        return path;
    }

    private static int GdalValue(string map, ValidationCell cell) =>
        int.Parse(Oracles.RunGdal("gdallocationinfo", "-valonly", "-geoloc", map, cell.X, cell.Y).Trim(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Unblinded_cells_carry_every_years_map_class_as_gdal_reads_it_and_blind_ones_none()
    {
        using Scene scene = Scene.Create(20);
        string map2010 = Map2010(scene);
        var maps = new Dictionary<int, string> { [2010] = map2010, [2020] = scene.MapPath };
        var cells = ValidationCell.ReadCsv(scene.SamplePath);

        await using (InProcessServer server = await InProcessServer.StartAsync(scene.Options(blind: false) with { Maps = maps }))
        {
            HttpClient ana = server.Interpreter("ana");
            int urban2010 = 0, urban2020 = 0;
            foreach (ValidationCell cell in cells)
            {
                using JsonDocument d = JsonDocument.Parse(await ana.GetStringAsync($"/api/cells/{cell.CellId}", Ct));
                JsonElement m = d.RootElement.GetProperty("mapClasses");
                Assert.Equal(GdalValue(map2010, cell), m.GetProperty("2010").GetInt32());
                Assert.Equal(GdalValue(scene.MapPath, cell), m.GetProperty("2020").GetInt32());
                urban2010 += m.GetProperty("2010").GetInt32() == 1 ? 1 : 0;
                urban2020 += m.GetProperty("2020").GetInt32() == 1 ? 1 : 0;
            }

            // The two maps differ, so the test would see a year mixed up.
            Assert.InRange(urban2010, 1, urban2020 - 1);
        }

        // Blind again (the same database): the classes are kept for the export but not sent to interpreters.
        await using (InProcessServer server = await InProcessServer.StartAsync(scene.Options(blind: true) with { Maps = maps }))
        {
            using JsonDocument d = JsonDocument.Parse(await server.Interpreter("ben").GetStringAsync("/api/next", Ct));
            Assert.False(d.RootElement.TryGetProperty("mapClasses", out _));
            Assert.False(d.RootElement.TryGetProperty("mapClass", out _));
        }
    }

    [Fact]
    public async Task Export_adds_a_map_column_per_year_and_validation_assess_still_reads_the_file()
    {
        using Scene scene = Scene.Create(20);
        string map2010 = Map2010(scene);
        var cells = ValidationCell.ReadCsv(scene.SamplePath);
        await using (InProcessServer server = await InProcessServer.StartAsync(scene.Options(doubleShare: 0) with { Maps = new Dictionary<int, string> { [2010] = map2010, [2020] = scene.MapPath } }))
        {
            HttpClient ana = server.Interpreter("ana");
            foreach (ValidationCell cell in cells)
            {
                (await ana.PostAsJsonAsync("/api/labels", new { cellId = cell.CellId, label = (int)cell.MapClass }, Ct)).EnsureSuccessStatusCode();
            }
        }

        string filled = scene.Dir.File("filled.csv");
        Assert.Equal(cells.Count, ValidationExport.WriteReferenceCsv(LabelStore.Open(scene.DatabasePath), filled).Written);
        string[] lines = File.ReadAllLines(filled);
        Assert.Equal(SampleFiles.CsvHeader + ",map_2010,map_2020", lines[0]);
        foreach (var (cell, line) in cells.Zip(lines.Skip(1)))
        {
            string[] f = line.Split(',');
            Assert.Equal(cell.CellId.ToString(CultureInfo.InvariantCulture), f[0]);
            Assert.Equal(GdalValue(map2010, cell), int.Parse(f[^2], CultureInfo.InvariantCulture));
            Assert.Equal(GdalValue(scene.MapPath, cell), int.Parse(f[^1], CultureInfo.InvariantCulture));
        }

        // The area estimate's reader finds its columns by name and ignores the extra ones.
        var sample = SampleFiles.ReadReferenceCsv(filled);
        Assert.Equal(cells.Select(c => c.MapClass), sample.Select(s => s.MapClass));
        Assert.Equal(cells.Select(c => c.MapClass), sample.Select(s => s.Reference));
    }

    [Fact]
    public void A_map_for_a_year_without_mosaic_or_that_is_not_a_class_map_is_refused_and_stores_nothing()
    {
        using Scene scene = Scene.Create(4);
        Assert.Contains("--maps: 2015 is not one of the mosaic years",
            Assert.Throws<ArgumentException>(() => ValidationServer.Build(scene.Options() with { Maps = new Dictionary<int, string> { [2015] = scene.MapPath } })).Message, StringComparison.Ordinal);

        // A UInt16 raster (reflectance, not classes) given as 2010's map, beside a good 2020 map: refused, and neither year stored.
        string reflectance = scene.Dir.File("reflectance.tif");
        GeoTiffWriter.Write<ushort>(reflectance, new GeoTiffWriteOptions { Width = 9, Height = 9, SampleType = RasterSampleType.UInt16, GeoTransform = Scene.Grid, Epsg = Scene.Epsg }, new ushort[81]);
        var e = Assert.Throws<DataFileException>(() => ValidationServer.Build(scene.Options() with { Maps = new Dictionary<int, string> { [2020] = scene.MapPath, [2010] = reflectance } }));
        Assert.Contains("is not a class map", e.Message, StringComparison.Ordinal);
        Assert.Empty(LabelStore.Open(scene.DatabasePath).MapClasses());

        string elsewhere = scene.Dir.File("map_utm.tif");
        GeoTiffWriter.Write<byte>(elsewhere, new GeoTiffWriteOptions { Width = 9, Height = 9, GeoTransform = Scene.Grid, Epsg = 32724, NoData = 255 }, new byte[81]);
        Assert.Contains("is in EPSG:32724",
            Assert.Throws<DataFileException>(() => ValidationServer.Build(scene.Options() with { Maps = new Dictionary<int, string> { [2020] = elsewhere } })).Message, StringComparison.Ordinal);
    }
}
