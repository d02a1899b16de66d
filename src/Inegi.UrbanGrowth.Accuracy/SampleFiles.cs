using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>A sample cell with the photo-interpreter's reference label.</summary>
/// <param name="CellId">row * width + col.</param>
/// <param name="Row">Grid row (-1 when the file has no row column).</param>
/// <param name="Column">Grid column (-1 when the file has no col column).</param>
/// <param name="Stratum">Stratum it was drawn from.</param>
/// <param name="MapClass">The map's class.</param>
/// <param name="Reference">The reference class.</param>
public readonly record struct ReferenceSample(long CellId, int Row, int Column, byte Stratum, byte MapClass, byte Reference);

/// <summary>
/// Files of a reference assessment: the sample for the photo-interpreter (CSV and GeoJSON) and the filled-in CSV.
/// </summary>
/// <remarks>
/// CSV header: <c>cell_id,row,col,stratum,map_class,x,y,reference</c>; x, y are the cell centre in map units;
/// reference is empty until the interpreter fills it with a class value (0..254). Invariant culture, UTF-8, LF.
/// Every file is written to a temporary name in its folder and then renamed.
/// </remarks>
public static class SampleFiles
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "cell_id,row,col,stratum,map_class,x,y,reference";

    /// <summary>Writes the sample as CSV with an empty reference column.</summary>
    /// <param name="path">Output file.</param>
    /// <param name="cells">Sample cells.</param>
    /// <param name="transform">The grid's geotransform (cell centres are written).</param>
    public static void WriteCsv(string path, IReadOnlyList<SampleCell> cells, GeoTransform transform)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var cell in cells)
        {
            var (x, y) = transform.PixelToMap(cell.Column + 0.5, cell.Row + 0.5);
            sb.Append(Fmt.I(cell.CellId)).Append(',').Append(Fmt.I(cell.Row)).Append(',').Append(Fmt.I(cell.Column)).Append(',')
              .Append(Fmt.I(cell.Stratum)).Append(',').Append(Fmt.I(cell.MapClass)).Append(',')
              .Append(Fmt.D(x)).Append(',').Append(Fmt.D(y)).Append(",\n");
        }

        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Writes the sample as a GeoJSON FeatureCollection: one Polygon per cell (its four corners in map coordinates),
    /// properties cell_id, row, col, stratum, map_class, x, y and reference (null).
    /// </summary>
    /// <param name="path">Output file.</param>
    /// <param name="cells">Sample cells.</param>
    /// <param name="transform">The grid's geotransform.</param>
    /// <param name="epsg">EPSG code of the grid's CRS (e.g. 6372), written as a GeoJSON 2008 named CRS
    /// <c>"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6372"}}</c>; GDAL and QGIS read it. RFC 7946
    /// drops the member and assumes WGS 84, which a projected grid is not, hence the older form.</param>
    /// <remarks>Rings are closed and counter-clockwise in map coordinates (RFC 7946 3.1.6 right-hand rule).</remarks>
    public static void WriteGeoJson(string path, IReadOnlyList<SampleCell> cells, GeoTransform transform, int epsg)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsg);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartObject("crs");
            w.WriteString("type", "name");
            w.WriteStartObject("properties");
            w.WriteString("name", "urn:ogc:def:crs:EPSG::" + Fmt.I(epsg));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("features");
            // Corner order TL, BL, BR, TR is counter-clockwise when the transform flips y (north-up); else reverse it.
            double det = transform.PixelWidth * transform.PixelHeight - transform.RowRotation * transform.ColumnRotation;
            ReadOnlySpan<(int Dc, int Dr)> ccw = [(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)];
            ReadOnlySpan<(int Dc, int Dr)> cw = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)];
            var ring = det < 0 ? ccw : cw;
            foreach (var cell in cells)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteNumber("id", cell.CellId);
                w.WriteStartObject("geometry");
                w.WriteString("type", "Polygon");
                w.WriteStartArray("coordinates");
                w.WriteStartArray();
                foreach (var (dc, dr) in ring)
                {
                    var (x, y) = transform.PixelToMap(cell.Column + dc, cell.Row + dr);
                    w.WriteStartArray();
                    w.WriteNumberValue(x);
                    w.WriteNumberValue(y);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteEndObject();
                var (cx, cy) = transform.PixelToMap(cell.Column + 0.5, cell.Row + 0.5);
                w.WriteStartObject("properties");
                w.WriteNumber("cell_id", cell.CellId);
                w.WriteNumber("row", cell.Row);
                w.WriteNumber("col", cell.Column);
                w.WriteNumber("stratum", cell.Stratum);
                w.WriteNumber("map_class", cell.MapClass);
                w.WriteNumber("x", cx);
                w.WriteNumber("y", cy);
                w.WriteNull("reference");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    /// <summary>Reads a filled-in sample CSV.</summary>
    /// <param name="path">The file (header with at least cell_id, stratum, map_class, reference; any column order).</param>
    /// <exception cref="DataFileException">Missing file or column, a short row, or a missing or invalid value; the
    /// message names the file, the line and the column.</exception>
    public static IReadOnlyList<ReferenceSample> ReadReferenceCsv(string path)
    {
        using SampleCsvReader csv = SampleCsvReader.Open(path, CsvHeader);
        int iId = csv.Column("cell_id"), iRow = csv.Column("row", required: false), iCol = csv.Column("col", required: false);
        int iStratum = csv.Column("stratum"), iMap = csv.Column("map_class"), iRef = csv.Column("reference");
        var result = new List<ReferenceSample>();
        while (csv.Next())
        {
            long id = csv.WholeNumber(iId, "cell_id", 0, long.MaxValue);
            int row = iRow < 0 ? -1 : (int)csv.WholeNumber(iRow, "row", 0, int.MaxValue);
            int col = iCol < 0 ? -1 : (int)csv.WholeNumber(iCol, "col", 0, int.MaxValue);
            byte stratum = (byte)csv.WholeNumber(iStratum, "stratum", 0, 254);
            byte map = (byte)csv.WholeNumber(iMap, "map_class", 0, 254);
            if (csv.Field(iRef).Length == 0)
            {
                throw csv.Error($"cell {Fmt.I(id)} has no reference label");
            }

            byte label = (byte)csv.WholeNumber(iRef, "reference", 0, 254);
            result.Add(new ReferenceSample(id, row, col, stratum, map, label));
        }

        return result.Count == 0 ? throw new DataFileException(path, "no sample rows after the header") : result;
    }
}
