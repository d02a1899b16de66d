using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>Test layers written by GDAL (ogr2ogr) from GeoJSON text: random star-shaped polygons (some with holes, some multi-part, some overlapping) and points.</summary>
internal static class VectorLayers
{
    /// <summary>A feature: WKT-like rings in map coordinates plus its attributes.</summary>
    public sealed record Shape(List<List<List<(double X, double Y)>>> Polygons, int Zone, string Code);

    /// <summary>Random polygons over a grid of <paramref name="width"/> x <paramref name="height"/> 1 km cells at <see cref="TestGrids.Transform"/>.</summary>
    public static List<Shape> RandomPolygons(int count, int width, int height, int seed)
    {
        var random = new Random(seed);
        var shapes = new List<Shape>();
        for (int k = 0; k < count; k++)
        {
            var polygons = new List<List<List<(double, double)>>>();
            int parts = k % 5 == 4 ? 2 : 1;
            for (int p = 0; p < parts; p++)
            {
                // Centres may lie a little outside the grid, so that clipping at its edges is exercised too.
                double cx = (random.NextDouble() * (width + 4)) - 2, cy = (random.NextDouble() * (height + 4)) - 2;
                double radius = 2 + (random.NextDouble() * 7);
                int vertices = 7 + random.Next(12);
                var shell = Star(cx, cy, radius * 0.55, radius, vertices, random, clockwise: true);
                var rings = new List<List<(double, double)>> { shell };
                if (k % 3 == 0)
                {
                    rings.Add(Star(cx, cy, radius * 0.15, radius * 0.45, 6, random, clockwise: false));
                }

                polygons.Add(rings);
            }

            // Parts of one feature are kept apart by construction? Not always: test layers keep only the first part then.
            if (polygons.Count == 2 && Overlap(polygons[0][0], polygons[1][0]))
            {
                polygons.RemoveAt(1);
            }

            shapes.Add(new Shape(polygons, 100 + k, (1000 + k).ToString("00000", CultureInfo.InvariantCulture)));
        }

        return shapes;
    }

    /// <summary>Writes the shapes as a GeoJSON file (map coordinates of EPSG:6372) and converts it with ogr2ogr.</summary>
    public static string Write(IReadOnlyList<Shape> shapes, string folder, string name, string format, string? targetSrs = null)
    {
        var json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < shapes.Count; i++)
        {
            Shape s = shapes[i];
            json.Append(i > 0 ? "," : string.Empty).Append("{\"type\":\"Feature\",\"properties\":{\"zone\":").Append(s.Zone)
                .Append(",\"CVEGEO\":\"").Append(s.Code).Append("\",\"share\":").Append(TestGrids.D(s.Zone + 0.5)).Append("},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[");
            json.Append(string.Join(',', s.Polygons.Select(poly => "[" + string.Join(',', poly.Select(ring => "[" + string.Join(',', ring.Select(Map)) + "]")) + "]")));
            json.Append("]}}");
        }

        json.Append("]}");
        return Convert(json.ToString(), folder, name, format, targetSrs);
    }

    /// <summary>Writes labelled points (grid pixel coordinates) and converts them with ogr2ogr.</summary>
    public static string WritePoints(IReadOnlyList<(double Column, double Row, int Label)> points, string folder, string name, string format)
    {
        var json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        json.Append(string.Join(',', points.Select(p => "{\"type\":\"Feature\",\"properties\":{\"label\":" + p.Label.ToString(CultureInfo.InvariantCulture) +
            "},\"geometry\":{\"type\":\"Point\",\"coordinates\":" + Map((p.Column, p.Row)) + "}}")));
        json.Append("]}");
        return Convert(json.ToString(), folder, name, format, null);
    }

    /// <summary>Writes every cell with a non-zero value as a square polygon with a 'zone' field (a vector copy of a zone raster).</summary>
    public static string WriteCells(ushort[] zones, Raster.RasterInfo grid, string folder, string name)
    {
        var json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        bool first = true;
        for (int i = 0; i < zones.Length; i++)
        {
            if (zones[i] == 0)
            {
                continue;
            }

            int c = i % grid.Width, r = i / grid.Width;
            json.Append(first ? string.Empty : ",").Append("{\"type\":\"Feature\",\"properties\":{\"zone\":").Append(zones[i])
                .Append("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[")
                .Append(string.Join(',', new[] { (c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1), (c, r) }.Select(p => Map(grid.GeoTransform, p.Item1, p.Item2))))
                .Append("]]}}");
            first = false;
        }

        json.Append("]}");
        return Convert(json.ToString(), folder, name, "GPKG", null);
    }

    private static string Map(GeoTransform transform, double column, double row)
    {
        (double x, double y) = transform.PixelToMap(column, row);
        return "[" + TestGrids.D(x) + "," + TestGrids.D(y) + "]";
    }

    private static string Convert(string json, string folder, string name, string format, string? targetSrs)
    {
        string source = Path.Combine(folder, name + ".source.geojson");
        File.WriteAllText(source, json);
        string extension = format == "GPKG" ? ".gpkg" : ".shp";
        string output = Path.Combine(folder, name + extension);
        List<string> args = ["-f", format, "-a_srs", "EPSG:6372", "-nln", name];
        if (targetSrs is not null)
        {
            args = ["-f", format, "-s_srs", "EPSG:6372", "-t_srs", targetSrs, "-nln", name];
        }

        Oracles.Run("ogr2ogr", [.. args, output, source]);
        return output;
    }

    /// <summary>Map coordinates of a grid pixel position, as a GeoJSON position.</summary>
    private static string Map((double Column, double Row) p)
    {
        (double x, double y) = TestGrids.Transform.PixelToMap(p.Column, p.Row);
        return "[" + TestGrids.D(x) + "," + TestGrids.D(y) + "]";
    }

    private static List<(double, double)> Star(double cx, double cy, double rMin, double rMax, int n, Random random, bool clockwise)
    {
        var ring = new List<(double, double)>();
        for (int i = 0; i < n; i++)
        {
            // Pixel rows go down, so increasing angles in pixel space run clockwise on the map.
            double angle = (clockwise ? 1 : -1) * 2 * Math.PI * (i + (random.NextDouble() * 0.6)) / n;
            double r = rMin + (random.NextDouble() * (rMax - rMin));
            ring.Add((cx + (r * Math.Cos(angle)), cy + (r * Math.Sin(angle))));
        }

        ring.Add(ring[0]);
        return ring;
    }

    private static bool Overlap(List<(double X, double Y)> a, List<(double X, double Y)> b)
    {
        double ax0 = a.Min(p => p.X), ax1 = a.Max(p => p.X), ay0 = a.Min(p => p.Y), ay1 = a.Max(p => p.Y);
        double bx0 = b.Min(p => p.X), bx1 = b.Max(p => p.X), by0 = b.Min(p => p.Y), by1 = b.Max(p => p.Y);
        return ax0 <= bx1 && bx0 <= ax1 && ay0 <= by1 && by0 <= ay1;
    }
}
