using System.Globalization;
using NetTopologySuite.Geometries;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>
/// Burns geometries onto the cell grid held as one <c>int</c> per cell (a national 1 km grid is 2 million cells, 8 MB):
/// polygons by cell centre (a cell takes the value when its centre lies inside, GDAL's default, non-all-touched rule),
/// points into the cell that contains them. Later features overwrite earlier ones, as with <c>gdal_rasterize</c>.
/// </summary>
internal sealed class CellBurner
{
    private readonly int _width;
    private readonly int _height;
    private readonly GeoTransform _transform;
    private readonly List<(int Row, double X)> _crossings = [];

    public CellBurner(int width, int height, GeoTransform transform, int fill)
    {
        _width = width;
        _height = height;
        _transform = transform;
        Cells = new int[checked(width * height)];
        Array.Fill(Cells, fill);
    }

    /// <summary>The burnt values, row-major.</summary>
    public int[] Cells { get; }

    /// <summary>Cells written by the last <see cref="Burn"/>.</summary>
    public int LastBurnt { get; private set; }

    /// <summary>Burns one geometry with a value; returns false for a geometry that is neither polygonal nor puntal.</summary>
    public bool Burn(Geometry geometry, int value)
    {
        LastBurnt = 0;
        switch (geometry)
        {
            case Polygon or MultiPolygon:
                FillPolygons(geometry, value);
                return true;
            case Point or MultiPoint:
                for (int i = 0; i < geometry.NumGeometries; i++)
                {
                    var point = (Point)geometry.GetGeometryN(i);
                    if (point.IsEmpty)
                    {
                        continue;
                    }

                    (double u, double v) = _transform.MapToPixel(point.X, point.Y);
                    int c = (int)Math.Floor(u), r = (int)Math.Floor(v);
                    if ((uint)c < (uint)_width && (uint)r < (uint)_height)
                    {
                        Cells[(r * _width) + c] = value;
                        LastBurnt++;
                    }
                }

                return true;
            case GeometryCollection collection when collection.IsEmpty:
                return true;
            default:
                return geometry.IsEmpty;
        }
    }

    /// <summary>
    /// Scan-line fill in grid pixel coordinates. An edge crosses the centre line v = r + 0.5 of row r when
    /// min(v1, v2) &lt;= v &lt; max(v1, v2) (half-open, so a vertex on the line counts once); crossings are paired
    /// left to right (even-odd rule, the same as the non-zero rule for valid polygons) and the cells whose centre
    /// u = c + 0.5 satisfies x1 &lt;= u &lt; x2 are filled.
    /// </summary>
    private void FillPolygons(Geometry geometry, int value)
    {
        _crossings.Clear();
        for (int p = 0; p < geometry.NumGeometries; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            if (polygon.IsEmpty)
            {
                continue;
            }

            AddRing(polygon.ExteriorRing.CoordinateSequence);
            for (int h = 0; h < polygon.NumInteriorRings; h++)
            {
                AddRing(polygon.GetInteriorRingN(h).CoordinateSequence);
            }
        }

        _crossings.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.X.CompareTo(b.X));
        for (int i = 0; i + 1 < _crossings.Count; i += 2)
        {
            (int row, double x1) = _crossings[i];
            (int row2, double x2) = _crossings[i + 1];
            if (row2 != row)
            {
                // An odd number of crossings on a row means an unclosed ring; resynchronise on the next row.
                i--;
                continue;
            }

            int first = Math.Max((int)Math.Ceiling(x1 - 0.5), 0);
            int last = Math.Min((int)Math.Ceiling(x2 - 0.5) - 1, _width - 1);
            for (int c = first; c <= last; c++)
            {
                Cells[(row * _width) + c] = value;
            }

            LastBurnt += Math.Max(last - first + 1, 0);
        }
    }

    private void AddRing(CoordinateSequence ring)
    {
        int n = ring.Count;
        if (n < 2)
        {
            return;
        }

        (double u0, double v0) = _transform.MapToPixel(ring.GetX(0), ring.GetY(0));
        for (int i = 1; i < n; i++)
        {
            (double u1, double v1) = _transform.MapToPixel(ring.GetX(i), ring.GetY(i));
            if (v0 != v1)
            {
                double lo = Math.Min(v0, v1), hi = Math.Max(v0, v1);
                int rFirst = Math.Max((int)Math.Ceiling(lo - 0.5), 0);
                int rLast = Math.Min((int)Math.Ceiling(hi - 0.5) - 1, _height - 1);
                for (int r = rFirst; r <= rLast; r++)
                {
                    double v = r + 0.5;
                    _crossings.Add((r, u0 + ((v - v0) * (u1 - u0) / (v1 - v0))));
                }
            }

            (u0, v0) = (u1, v1);
        }
    }

    /// <summary>Converts an attribute to an integer value, or explains why it cannot be one.</summary>
    public static bool TryInteger(object? value, out long result, out string problem)
    {
        result = 0;
        problem = string.Empty;
        switch (value)
        {
            case null or DBNull:
                problem = "is empty";
                return false;
            case int or long or short or byte or sbyte or ushort or uint:
                result = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return true;
            case ulong u when u <= long.MaxValue:
                result = (long)u;
                return true;
            case double or float or decimal:
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
                {
                    result = (long)d;
                    return true;
                }

                problem = "is not a whole number: " + d.ToString("R", CultureInfo.InvariantCulture);
                return false;
            case string s:
                string t = s.Trim();
                if (t.Length > 0 && t.Length <= 18 && t.All(char.IsAsciiDigit))
                {
                    result = long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
                    return true;
                }

                problem = $"is the text '{s}', not digits";
                return false;
            default:
                problem = "is a " + value.GetType().Name + ", not a number";
                return false;
        }
    }
}
