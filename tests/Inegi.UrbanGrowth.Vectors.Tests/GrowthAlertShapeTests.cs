using Inegi.UrbanGrowth.Testing;
using NetTopologySuite.Geometries;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>Growth alerts on hand-made grids with known answers: connectivity, shapes, attributes, ids and ranks.</summary>
public sealed class GrowthAlertShapeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Diagonal_neighbours_make_one_alert_whose_parts_touch_at_a_corner()
    {
        GrowthAlert alert = Assert.Single(Alerts(["2.", ".2"]));
        Assert.Equal(2, alert.CellCount);
        Assert.Equal(2.0, alert.AreaKm2, 12);
        Assert.Equal(2, alert.Geometry.NumGeometries);
        Assert.True(alert.Geometry.IsValid);
        Assert.Equal(2e6, alert.Geometry.Area, 6);
        // The two squares meet at the grid point (2401000, 1199000) only.
        Geometry touch = alert.Geometry.GetGeometryN(0).Intersection(alert.Geometry.GetGeometryN(1));
        Assert.Equal(new Coordinate(2_401_000, 1_199_000), Assert.IsType<Point>(touch).Coordinate);
    }

    [Fact]
    public void A_ring_of_cells_is_one_polygon_with_a_hole()
    {
        GrowthAlert alert = Assert.Single(Alerts(["222", "2.2", "222"]));
        Assert.Equal(8, alert.CellCount);
        var polygon = (Polygon)Assert.Single(alert.Geometry.Geometries);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.True(alert.Geometry.IsValid);
        Assert.Equal(8e6, alert.Geometry.Area, 6);
        Assert.Equal(1e6, polygon.GetInteriorRingN(0).Envelope.Area, 6);
    }

    [Fact]
    public void A_hole_that_meets_the_outside_at_a_corner_stays_valid()
    {
        // The non-urban cell (1, 1) is enclosed by its four neighbours but meets the outside cell (0, 0) at a corner.
        GrowthAlert alert = Assert.Single(Alerts([".22", "2.2", "222"]));
        Assert.Equal(7, alert.CellCount);
        Assert.True(alert.Geometry.IsValid, alert.Geometry.ToText());
        Assert.Equal(7e6, alert.Geometry.Area, 6);
    }

    [Fact]
    public void Branches_that_join_lower_down_are_one_alert()
    {
        // A U: two separate groups in the first rows, joined by the last one.
        GrowthAlert u = Assert.Single(Alerts(["2.2", "2.2", "222"]));
        Assert.Equal(7, u.CellCount);
        Assert.Equal(0, u.FirstCellId);
        Assert.Single(u.Geometry.Geometries);

        // A V of diagonal steps: five parts, one alert.
        GrowthAlert v = Assert.Single(Alerts(["2...2", ".2.2.", "..2.."]));
        Assert.Equal(5, v.CellCount);
        Assert.Equal(5, v.Geometry.NumGeometries);
        Assert.True(v.Geometry.IsValid);

        // A W whose middle arm joins a group that started later.
        GrowthAlert w = Assert.Single(Alerts(["2...2...2", ".2.2.2.2.", "..2...2.."]));
        Assert.Equal(9, w.CellCount);
    }

    [Fact]
    public void Ids_follow_the_scan_and_attributes_come_from_the_cells()
    {
        string[] growth = ["22..2", "....2", "2.x.1"];
        ushort[] years =
        [
            2015, 2005, 0, 0, 65535,
            0, 0, 0, 0, 2020,
            2010, 0, 0, 0, 0,
        ];
        byte[] confidence =
        [
            90, 70, 0, 0, 255,
            0, 0, 0, 0, 40,
            80, 0, 0, 0, 0,
        ];
        int[] zones =
        [
            7, 3, 0, 0, 5,
            0, 0, 0, 0, -9,
            -9, 0, 0, 0, 0,
        ];
        IReadOnlyList<GrowthAlert> alerts = Alerts(growth, years, confidence, zones, zoneNoData: -9);
        Assert.Equal(3, alerts.Count);

        // Closed by row 1 (none of its cells below), by row 2, and at the end.
        GrowthAlert a = alerts[0], b = alerts[1], c = alerts[2];
        Assert.Equal((1, 0L, 2), (a.Id, a.FirstCellId, a.CellCount));
        Assert.Equal((2, 4L, 2), (b.Id, b.FirstCellId, b.CellCount));
        Assert.Equal((3, 10L, 1), (c.Id, c.FirstCellId, c.CellCount));

        Assert.Equal(2005, a.FirstYear);
        Assert.Equal(80.0, a.MeanConfidence);
        Assert.Equal(70, a.MinConfidence);
        Assert.Equal(3, a.Zone); // one cell each in zones 7 and 3: the smaller id wins the tie

        Assert.Equal(2020, b.FirstYear); // 65535 is nodata
        Assert.Equal(40.0, b.MeanConfidence); // 255 is nodata
        Assert.Equal(40, b.MinConfidence);
        Assert.Equal(5, b.Zone); // the other cell has no zone

        Assert.Equal(2010, c.FirstYear);
        Assert.Null(c.Zone);

        // Rank: by mean confidence, highest first; a and c tie at 80, and c's minimum (80) beats a's (70).
        Assert.Equal([2, 3, 1], alerts.Select(x => x.Rank));
    }

    [Fact]
    public void Cells_without_year_or_confidence_give_empty_attributes()
    {
        GrowthAlert alert = Assert.Single(Alerts(["2"], [0], [255], null, null));
        Assert.Null(alert.FirstYear);
        Assert.Null(alert.MeanConfidence);
        Assert.Null(alert.MinConfidence);
        Assert.Null(alert.Zone);
        Assert.Equal(1, alert.Rank);
    }

    [Fact]
    public void A_grid_without_new_urban_cells_gives_an_empty_layer()
    {
        Assert.Empty(Alerts(["11..", "3.1x"]));
    }

    [Fact]
    public void Components_match_scipy_ndimage_label_with_8_connectivity()
    {
        const int width = 70, height = 55;
        var random = new Random(20261207);
        byte[] growth = new byte[width * height];
        for (int i = 0; i < growth.Length; i++)
        {
            growth[i] = random.NextDouble() < 0.28 ? (byte)2 : (byte)random.Next(0, 2);
        }

        IReadOnlyList<GrowthAlert> alerts = Write(width, height, growth, new ushort[growth.Length], new byte[growth.Length], null, null);
        string grid = _dir.File("grid.txt");
        File.WriteAllLines(grid, Enumerable.Range(0, height).Select(r => string.Join(' ', growth.Skip(r * width).Take(width))));
        string stdout = Oracles.RunPython("""
            import sys, numpy as np
            from scipy import ndimage
            g = np.loadtxt(sys.argv[1], dtype=np.int64) == 2
            labels, n = ndimage.label(g, structure=np.ones((3, 3), dtype=int))
            flat = labels.ravel()
            for k in range(1, n + 1):
                cells = np.flatnonzero(flat == k)
                print(cells.min(), cells.size)
            """, [grid]);
        double[] numbers = Oracles.ParseNumbers(stdout);
        var expected = Enumerable.Range(0, numbers.Length / 2).Select(i => ((long)numbers[2 * i], (int)numbers[(2 * i) + 1])).Order().ToList();
        var actual = alerts.Select(a => (a.FirstCellId, a.CellCount)).Order().ToList();
        Assert.True(expected.Count > 50, "the random grid should hold many groups");
        Assert.Equal(expected, actual);
        Assert.All(alerts, a =>
        {
            Assert.True(a.Geometry.IsValid);
            Assert.Equal(a.CellCount * 1e6, a.Geometry.Area, 3);
        });
        Assert.Equal(Enumerable.Range(1, alerts.Count), alerts.Select(a => a.Rank).Order());
    }

    [Fact]
    public void Groups_are_closed_as_the_scan_passes_them()
    {
        // 400 rows of small separate groups: only the groups touching the current row stay open.
        const int width = 40, height = 400;
        int closed = 0;
        var components = new AlertComponents(width, _ => closed++);
        byte[] row = new byte[width];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                row[c] = (r % 3 != 2 && c % 4 < 2) ? (byte)2 : (byte)0;
            }

            components.AddRow(row, new ushort[width], new byte[width], default, null);
            Assert.True(components.OpenGroups <= width / 4, $"{components.OpenGroups} groups open at row {r}");
        }

        components.Complete();
        Assert.Equal(0, components.OpenGroups);
        Assert.Equal(((height + 2) / 3) * (width / 4), closed);
    }

    [Fact]
    public void The_writer_refuses_a_geographic_or_unknown_crs_and_leaves_nothing_when_not_committed()
    {
        Assert.Throws<ArgumentException>(() => new GrowthAlertWriter(_dir.File("a.gpkg"), null, 3, 3, TestGrids.Transform, 4326));
        Assert.Throws<NotSupportedException>(() => new GrowthAlertWriter(_dir.File("a.gpkg"), null, 3, 3, TestGrids.Transform, 2154));
        using (var writer = new GrowthAlertWriter(_dir.File("b.gpkg"), _dir.File("b.geojson"), 2, 2, TestGrids.Transform, TestGrids.Epsg))
        {
            writer.AddRow(new byte[] { 2, 2 }, new ushort[2], new byte[2]);
            Assert.Throws<InvalidOperationException>(() => writer.Commit(DateTime.UnixEpoch));
        }

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    private IReadOnlyList<GrowthAlert> Alerts(string[] rows) =>
        Alerts(rows, new ushort[rows.Length * rows[0].Length], new byte[rows.Length * rows[0].Length], null, null);

    private IReadOnlyList<GrowthAlert> Alerts(string[] rows, ushort[] years, byte[] confidence, int[]? zones, int? zoneNoData = null) =>
        Write(rows[0].Length, rows.Length, TestGrids.Growth(rows), years, confidence, zones, zoneNoData);

    private IReadOnlyList<GrowthAlert> Write(int width, int height, byte[] growth, ushort[] years, byte[] confidence, int[]? zones, int? zoneNoData)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".gpkg");
        using (var writer = new GrowthAlertWriter(path, null, width, height, TestGrids.Transform, TestGrids.Epsg))
        {
            for (int r = 0; r < height; r++)
            {
                writer.AddRow(growth.AsSpan(r * width, width), years.AsSpan(r * width, width), confidence.AsSpan(r * width, width),
                    zones is null ? default : zones.AsSpan(r * width, width), zoneNoData);
            }

            GrowthAlertSummary summary = writer.Commit(DateTime.UnixEpoch);
            Assert.Equal(growth.Count(g => g == 2), summary.CellCount);
        }

        return GrowthAlertWriter.Read(path);
    }
}
