using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Inegi.UrbanGrowth.Testing;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>Alerts written from a synthetic scene's rasters, checked with GDAL, NetTopologySuite and the growth raster itself.</summary>
[Collection(SyntheticAlertsCollection.Name)]
public sealed partial class GrowthAlertFileTests(SyntheticAlertsFixture scene)
{
    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    private static readonly string[] Fields = ["id", "first_cell_id", "first_year", "area_km2", "cell_count", "mean_confidence", "min_confidence", "zone", "rank"];

    [Fact]
    public void The_scene_has_growth_to_alert_on()
    {
        int newUrban = scene.GrowthCodes.Count(g => g == 2);
        Assert.True(scene.Alerts.Count >= 20, $"{scene.Alerts.Count} alerts");
        Assert.Equal(newUrban, scene.Summary.CellCount);
        Assert.Equal(newUrban, scene.Alerts.Sum(a => a.CellCount));
        Assert.Equal(scene.Alerts.Count, scene.Summary.AlertCount);
        Assert.Contains(scene.Alerts, a => a.CellCount > 1);
    }

    [Fact]
    public void Ogrinfo_reads_the_geopackage_with_its_count_fields_crs_and_extent()
    {
        string info = Oracles.RunGdal("ogrinfo", "-al", "-so", scene.GeoPackage);
        Assert.Contains("Layer name: growth_alerts", info, StringComparison.Ordinal);
        Assert.Contains("Geometry: Multi Polygon", info, StringComparison.Ordinal);
        Assert.Equal(scene.Alerts.Count, FeatureCount(info));
        Assert.EndsWith("ID[\"EPSG\",6372]]", CrsWkt(info), StringComparison.Ordinal);
        Envelope expected = Extent(scene.Alerts.Select(a => a.Geometry));
        AssertExtent(expected, info, 1e-6);
        Assert.Equal(Fields, FieldNames(info));
        Assert.Contains("first_cell_id: Integer64", info, StringComparison.Ordinal);
        Assert.Contains("area_km2: Real", info, StringComparison.Ordinal);
        Assert.Contains("zone: Integer ", info, StringComparison.Ordinal);

        // GDAL's own reading of every geometry: valid, and the same area as the cells.
        string sql = Oracles.RunGdal("ogrinfo", "-q", "-dialect", "sqlite", "-sql",
            "SELECT COUNT(*) AS n, SUM(ST_IsValid(geom)) AS valid, SUM(ABS(ST_Area(geom) - cell_count * 1e6)) AS err FROM growth_alerts", scene.GeoPackage);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"n (Integer) = {scene.Alerts.Count}"), sql, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"valid (Integer) = {scene.Alerts.Count}"), sql, StringComparison.Ordinal);
        Assert.Contains("err (Real) = 0", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Ogrinfo_reads_the_geojson_in_wgs84_with_its_count_fields_and_extent()
    {
        string info = Oracles.RunGdal("ogrinfo", "-al", "-so", scene.GeoJson);
        Assert.Equal(scene.Alerts.Count, FeatureCount(info));
        Assert.EndsWith("ID[\"EPSG\",4326]]", CrsWkt(info), StringComparison.Ordinal);
        Assert.Equal(Fields, FieldNames(info));
        Assert.Contains("area_km2: Real", info, StringComparison.Ordinal);
        FeatureCollection features = ReadGeoJson();
        AssertExtent(Extent(features.Select(f => f.Geometry)), info, 1e-6);
    }

    [Fact]
    public void The_polygons_rasterised_back_are_the_new_urban_cells()
    {
        int[] ids = TestGrids.GdalRasterize(scene.GeoPackage, "id", scene.Info, 0, scene.Dir.File("alerts_back.tif"));
        int mismatches = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            mismatches += (ids[i] > 0) != (scene.GrowthCodes[i] == 2) ? 1 : 0;
        }

        Assert.Equal(0, mismatches);
        Dictionary<int, int> cellsPerId = ids.Where(id => id > 0).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(scene.Alerts.Count, cellsPerId.Count);
        Assert.All(scene.Alerts, a =>
        {
            Assert.Equal(a.CellCount, cellsPerId[a.Id]);
            Assert.Equal(a.Id, ids[a.FirstCellId]);
        });
    }

    [Fact]
    public void Attributes_agree_with_the_rasters_cell_by_cell()
    {
        int[] ids = TestGrids.GdalRasterize(scene.GeoPackage, "id", scene.Info, 0, scene.Dir.File("alerts_ids.tif"));
        ushort[] years = TestGrids.ReadAll<ushort>(scene.FirstYear);
        ushort[] zones = TestGrids.ReadAll<ushort>(scene.Zones);
        foreach (GrowthAlert alert in scene.Alerts)
        {
            int[] cells = [.. Enumerable.Range(0, ids.Length).Where(i => ids[i] == alert.Id)];
            byte[] confidence = [.. cells.Select(i => scene.ConfidenceValues[i]).Where(p => p <= 100)];
            Assert.Equal(confidence.Length == 0 ? null : confidence.Average(p => (double)p), alert.MeanConfidence);
            Assert.Equal(confidence.Length == 0 ? null : confidence.Min(), alert.MinConfidence);
            int[] known = [.. cells.Select(i => (int)years[i]).Where(y => y is not 0 and not 65535)];
            Assert.Equal(known.Length == 0 ? null : known.Min(), alert.FirstYear);
            var votes = cells.Select(i => (int)zones[i]).Where(z => z != 0).GroupBy(z => z).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
            Assert.Equal(votes.Count == 0 ? null : votes[0].Key, alert.Zone);
            Assert.Equal(alert.CellCount * 1.0, alert.AreaKm2, 9);
        }

        // Every new-urban cell became urban in 2010 or 2020 in this series.
        Assert.All(scene.Alerts, a => Assert.Contains(a.FirstYear, new int?[] { 2010, 2020 }));
        int[] rankOrder = [.. scene.Alerts.OrderBy(a => a.Rank).Select(a => a.Id)];
        int[] expected = [.. scene.Alerts.OrderByDescending(a => a.MeanConfidence ?? -1).ThenByDescending(a => a.MinConfidence ?? -1).ThenByDescending(a => a.CellCount).ThenBy(a => a.Id).Select(a => a.Id)];
        Assert.Equal(expected, rankOrder);
    }

    [Fact]
    public void The_geojson_is_rfc7946_and_its_coordinates_match_gdaltransform()
    {
        FeatureCollection features = ReadGeoJson();
        Assert.Equal(scene.Alerts.Count, features.Count);
        var points = new List<(double X, double Y)>();
        foreach (GrowthAlert alert in scene.Alerts)
        {
            points.AddRange(alert.Geometry.Coordinates.Select(c => (c.X, c.Y)));
        }

        (double X, double Y)[] expected = TestGrids.GdalTransform(6372, 4326, points);
        int next = 0;
        for (int k = 0; k < scene.Alerts.Count; k++)
        {
            GrowthAlert alert = scene.Alerts[k];
            IFeature feature = features[k];
            Assert.Equal(alert.Id, Convert.ToInt32(feature.Attributes["id"], CultureInfo.InvariantCulture));
            Assert.Equal(alert.Rank, Convert.ToInt32(feature.Attributes["rank"], CultureInfo.InvariantCulture));
            Assert.Equal(alert.CellCount, Convert.ToInt32(feature.Attributes["cell_count"], CultureInfo.InvariantCulture));
            var geometry = Assert.IsType<MultiPolygon>(feature.Geometry);
            Assert.True(geometry.IsValid);
            foreach (Polygon polygon in geometry.Geometries.Cast<Polygon>())
            {
                Assert.True(Orientation.IsCCW(polygon.ExteriorRing.CoordinateSequence), "RFC 7946: exterior rings counterclockwise");
                Assert.All(polygon.InteriorRings, hole => Assert.False(Orientation.IsCCW(hole.CoordinateSequence)));
            }

            // Same vertices as GDAL's transformation of the GeoPackage's (ring order may be reversed), within 1e-7 degree (1 cm):
            // ProjNET converts between the GRS 80 and WGS 84 ellipsoids, PROJ applies a null transformation (about 2 mm apart).
            (double X, double Y)[] mine = [.. alert.Geometry.Coordinates.Select(_ => expected[next++])];
            Assert.All(geometry.Coordinates, c => Assert.Contains(mine, e => Math.Abs(e.X - c.X) < 1e-7 && Math.Abs(e.Y - c.Y) < 1e-7));
            Assert.Equal(alert.Geometry.NumPoints, geometry.NumPoints);
        }
    }

    [Fact]
    public void Output_bytes_are_reproducible()
    {
        using IZoneRowSource zones = ZoneSources.Open(scene.Zones, null, scene.Info);
        GrowthAlerts.Write(scene.Growth, scene.FirstYear, scene.Confidence, zones, scene.Dir.File("again/alerts.gpkg"), scene.Dir.File("again/alerts.geojson"));
        Assert.Equal(File.ReadAllBytes(scene.GeoPackage), File.ReadAllBytes(scene.Dir.File("again/alerts.gpkg")));
        Assert.Equal(File.ReadAllBytes(scene.GeoJson), File.ReadAllBytes(scene.Dir.File("again/alerts.geojson")));
    }

    [Fact]
    public void Bad_inputs_fail_with_one_line_naming_the_file_and_write_nothing()
    {
        string small = scene.Dir.File("small.tif");
        TestGrids.WriteByte(small, 5, 4, new byte[20]);
        string output = scene.Dir.File("bad/alerts.gpkg");
        var mismatch = Assert.Throws<DataFileException>(() => GrowthAlerts.Write(scene.Growth, scene.FirstYear, small, null, output, null));
        Assert.Contains("small.tif", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mismatch.Message);

        var wrongType = Assert.Throws<DataFileException>(() => GrowthAlerts.Write(scene.Growth, scene.Confidence, scene.Confidence, null, output, null));
        Assert.Contains("UInt16", wrongType.Message, StringComparison.Ordinal);

        string badConfidence = scene.Dir.File("bad_confidence.tif");
        byte[] values = (byte[])scene.ConfidenceValues.Clone();
        values[^1] = 150;
        TestGrids.WriteByte(badConfidence, scene.Info.Width, scene.Info.Height, values);
        Assert.Contains("150", Assert.Throws<DataFileException>(() => GrowthAlerts.Write(scene.Growth, scene.FirstYear, badConfidence, null, output, null)).Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => GrowthAlerts.Write(scene.Growth, scene.FirstYear, scene.Confidence, null, scene.Confidence, null));
        Assert.False(Directory.Exists(scene.Dir.File("bad")) && Directory.EnumerateFileSystemEntries(scene.Dir.File("bad")).Any());
    }

    private FeatureCollection ReadGeoJson()
    {
        return JsonSerializer.Deserialize<FeatureCollection>(File.ReadAllText(scene.GeoJson), GeoJsonOptions)!;
    }

    private static Envelope Extent(IEnumerable<Geometry> geometries)
    {
        var e = new Envelope();
        foreach (Geometry g in geometries)
        {
            e.ExpandToInclude(g.EnvelopeInternal);
        }

        return e;
    }

    private static int FeatureCount(string info) => int.Parse(FeatureCountLine().Match(info).Groups[1].Value, CultureInfo.InvariantCulture);

    private static string CrsWkt(string info)
    {
        int start = info.IndexOf("Layer SRS WKT:", StringComparison.Ordinal);
        int end = info.IndexOf("Data axis to CRS axis mapping", StringComparison.Ordinal);
        return info[start..end].Trim();
    }

    private static string[] FieldNames(string info) =>
        [.. info.Split('\n').Select(l => FieldLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    private static void AssertExtent(Envelope expected, string info, double tolerance)
    {
        Match m = ExtentLine().Match(info);
        Assert.True(m.Success, info);
        double[] v = [.. Enumerable.Range(1, 4).Select(i => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture))];
        Assert.Equal(expected.MinX, v[0], tolerance);
        Assert.Equal(expected.MinY, v[1], tolerance);
        Assert.Equal(expected.MaxX, v[2], tolerance);
        Assert.Equal(expected.MaxY, v[3], tolerance);
    }

    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex FeatureCountLine();

    [GeneratedRegex(@"^([a-z_0-9]+): (Integer|Integer64|Real|String)")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)")]
    private static partial Regex ExtentLine();
}
