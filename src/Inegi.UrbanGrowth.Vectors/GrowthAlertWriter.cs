using System.Globalization;
using System.Text.Json;
using Inegi.UrbanGrowth.Raster.Projections;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>
/// Turns growth rows into growth alerts and writes them, streaming: rows go in top to bottom (SPEC 7 growth codes, the
/// first-urban year and the confidence of each cell, optionally zones); each group of 8-connected new-urban cells is
/// written to the GeoPackage as soon as the scan has passed it, so memory holds two rows of labels and the groups still
/// open, never the grid. <see cref="Commit"/> ranks the alerts, writes the GeoJSON, and moves both files into place;
/// disposing without it leaves no output.
/// </summary>
public sealed class GrowthAlertWriter : IDisposable
{
    /// <summary>The name of the feature table (layer) in the GeoPackage.</summary>
    public const string LayerName = "growth_alerts";

    private static readonly GeoPackageColumn[] Columns =
    [
        // MEDIUMINT is GeoPackage's 32-bit integer (GDAL: Integer); INTEGER is 64-bit (Integer64), for cell ids.
        new("id", "MEDIUMINT"), new("first_cell_id", "INTEGER"), new("first_year", "MEDIUMINT"), new("area_km2", "REAL"), new("cell_count", "MEDIUMINT"),
        new("mean_confidence", "REAL"), new("min_confidence", "MEDIUMINT"), new("zone", "MEDIUMINT"), new("rank", "MEDIUMINT"),
    ];

    private readonly GeoTransform _transform;
    private readonly int _epsg;
    private readonly int _width;
    private readonly int _height;
    private readonly double _cellAreaKm2;
    private readonly string _geoPackagePath;
    private readonly string? _geoJsonPath;
    private readonly string _geoPackageTemp;
    private readonly GeometryFactory _factory;
    private readonly AlertComponents _components;
    private readonly List<(int Id, double Mean, int Min, int Cells)> _ranking = [];
    private GeoPackageFile? _file;
    private long _cells;
    private int _largest;
    private bool _done;

    /// <summary>Starts writing alerts for a grid.</summary>
    /// <param name="geoPackagePath">The GeoPackage to write (replaced on commit).</param>
    /// <param name="geoJsonPath">The RFC 7946 GeoJSON to write as well (EPSG:4326), or null.</param>
    /// <param name="width">Cells per row.</param>
    /// <param name="height">Rows of cells.</param>
    /// <param name="transform">The grid's geotransform.</param>
    /// <param name="epsg">The grid's EPSG code: a projected CRS in metres.</param>
    /// <exception cref="NotSupportedException">The CRS is not in <see cref="CrsCatalog"/>.</exception>
    /// <exception cref="ArgumentException">The CRS is geographic (cell areas need metres).</exception>
    public GrowthAlertWriter(string geoPackagePath, string? geoJsonPath, int width, int height, GeoTransform transform, int epsg)
    {
        ArgumentException.ThrowIfNullOrEmpty(geoPackagePath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        CoordinateSystem crs = CrsCatalog.Get(epsg);
        if (crs is not ProjectedCoordinateSystem)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"growth alerts need a grid in a projected CRS in metres, not EPSG:{epsg}"));
        }

        _transform = transform;
        _epsg = epsg;
        _width = width;
        _height = height;
        _cellAreaKm2 = Math.Abs(transform.PixelWidth * transform.PixelHeight - transform.RowRotation * transform.ColumnRotation) / 1e6;
        _geoPackagePath = Path.GetFullPath(geoPackagePath);
        _geoJsonPath = geoJsonPath is null ? null : Path.GetFullPath(geoJsonPath);
        _factory = new GeometryFactory(new PrecisionModel(), epsg);
        Directory.CreateDirectory(Path.GetDirectoryName(_geoPackagePath)!);
        _geoPackageTemp = AtomicFile.TemporaryPathFor(_geoPackagePath);
        _file = GeoPackageFile.Create(_geoPackageTemp, LayerName, "MULTIPOLYGON", epsg, crs.Name, crs.WKT, Columns);
        _components = new AlertComponents(width, Write);
    }

    /// <summary>Rows received so far.</summary>
    public int RowsWritten => _components.RowsAdded;

    /// <summary>Adds the next row of cells.</summary>
    /// <param name="growth">SPEC 7 growth codes; 2 (new urban) makes alerts.</param>
    /// <param name="firstYear">The first year each cell was urban (0 never, 65535 nodata: neither counts).</param>
    /// <param name="confidence">Confidence 0..100 (255 nodata: not counted).</param>
    /// <param name="zones">Zone ids, or empty for none.</param>
    /// <param name="zoneNoData">The id of cells without a zone, if any.</param>
    /// <exception cref="ArgumentException">A span is shorter than the row.</exception>
    /// <exception cref="InvalidOperationException">All rows were already added, or the writer is done.</exception>
    public void AddRow(ReadOnlySpan<byte> growth, ReadOnlySpan<ushort> firstYear, ReadOnlySpan<byte> confidence, ReadOnlySpan<int> zones = default, int? zoneNoData = null)
    {
        if (_done || _file is null || RowsWritten >= _height)
        {
            throw new InvalidOperationException($"{_geoPackagePath}: all {_height} rows were already added, or the writer is closed.");
        }

        if (growth.Length < _width || firstYear.Length < _width || confidence.Length < _width || (!zones.IsEmpty && zones.Length < _width))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"every row must hold {_width} cells"));
        }

        _components.AddRow(growth, firstYear, confidence, zones, zoneNoData);
    }

    /// <summary>Closes the last groups, ranks the alerts, writes the GeoJSON and moves both files into place.</summary>
    /// <param name="lastChangeUtc">The GeoPackage's <c>last_change</c> time (pass the inputs' time to keep the bytes reproducible).</param>
    /// <exception cref="InvalidOperationException">Not every row was added.</exception>
    public GrowthAlertSummary Commit(DateTime lastChangeUtc)
    {
        GeoPackageFile file = _file ?? throw new InvalidOperationException($"{_geoPackagePath}: the writer is closed.");
        if (RowsWritten != _height)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{_geoPackagePath}: only {RowsWritten} of {_height} rows were added."));
        }

        _components.Complete();
        var ranks = _ranking
            .OrderByDescending(a => a.Mean).ThenByDescending(a => a.Min).ThenByDescending(a => a.Cells).ThenBy(a => a.Id)
            .Select((a, i) => ((long)a.Id, (long)(i + 1)))
            .ToList();
        file.UpdateInteger("rank", ranks);
        file.Finish(lastChangeUtc);
        file.Dispose();
        _file = null;
        _done = true;
        string? jsonTemp = null;
        try
        {
            if (_geoJsonPath is not null)
            {
                jsonTemp = AtomicFile.TemporaryPathFor(_geoJsonPath);
                Directory.CreateDirectory(Path.GetDirectoryName(_geoJsonPath)!);
                WriteGeoJson(_geoPackageTemp, jsonTemp, _epsg);
            }

            File.Move(_geoPackageTemp, _geoPackagePath, overwrite: true);
            if (jsonTemp is not null)
            {
                File.Move(jsonTemp, _geoJsonPath!, overwrite: true);
            }
        }
        catch
        {
            AtomicFile.TryDelete(_geoPackageTemp);
            if (jsonTemp is not null)
            {
                AtomicFile.TryDelete(jsonTemp);
            }

            throw;
        }

        return new GrowthAlertSummary(_ranking.Count, _cells, _cells * _cellAreaKm2, _largest);
    }

    /// <summary>Reads the alerts of a GeoPackage written by this class, in id order (for checks and reports).</summary>
    /// <param name="path">The GeoPackage.</param>
    public static IReadOnlyList<GrowthAlert> Read(string path)
    {
        var alerts = new List<GrowthAlert>();
        foreach (GrowthAlert alert in ReadFeatures(path))
        {
            alerts.Add(alert);
        }

        return alerts;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_file is not null)
        {
            _file.Dispose();
            _file = null;
        }

        if (!_done)
        {
            _done = true;
            AtomicFile.TryDelete(_geoPackageTemp);
        }
    }

    private void Write(AlertComponent component)
    {
        int id = _ranking.Count + 1;
        MultiPolygon geometry = CellPolygons.Dissolve(component.Runs, _transform, _factory);
        double? mean = component.ConfidenceCount > 0 ? (double)component.ConfidenceSum / component.ConfidenceCount : null;
        int? min = component.ConfidenceCount > 0 ? component.MinConfidence : null;
        int? year = component.MinYear == int.MaxValue ? null : component.MinYear;
        object?[] values = [id, component.FirstCellId, year, component.CellCount * _cellAreaKm2, component.CellCount, mean, min, component.Zone, null];
        _file!.Insert(id, geometry, values);
        _ranking.Add((id, mean ?? -1, min ?? -1, component.CellCount));
        _cells += component.CellCount;
        _largest = Math.Max(_largest, component.CellCount);
    }

    private static IEnumerable<GrowthAlert> ReadFeatures(string path)
    {
        var reader = new GeoPackageGeoReader();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand query = connection.CreateCommand();
        query.CommandText = $"SELECT geom, id, first_cell_id, first_year, area_km2, cell_count, mean_confidence, min_confidence, zone, rank FROM {GeoPackageFile.Quote(LayerName)} ORDER BY fid";
        using Microsoft.Data.Sqlite.SqliteDataReader row = query.ExecuteReader();
        while (row.Read())
        {
            var geometry = (MultiPolygon)reader.Read((byte[])row.GetValue(0));
            yield return new GrowthAlert(
                row.GetInt32(1), row.GetInt64(2), row.IsDBNull(3) ? null : row.GetInt32(3), row.GetDouble(4), row.GetInt32(5),
                row.IsDBNull(6) ? null : row.GetDouble(6), row.IsDBNull(7) ? null : row.GetInt32(7), row.IsDBNull(8) ? null : row.GetInt32(8),
                row.GetInt32(9), geometry);
        }
    }

    /// <summary>Streams the GeoPackage's alerts into an RFC 7946 FeatureCollection in EPSG:4326 (longitude, latitude).</summary>
    private static void WriteGeoJson(string geoPackage, string destination, int epsg)
    {
        MathTransform toWgs84 = CrsCatalog.Transformation(epsg, 4326);
        var wgs84 = new GeometryFactory(new PrecisionModel(), 4326);
        var options = new JsonSerializerOptions();
        // RFC 7946 3.1.6: exterior rings counterclockwise, holes clockwise.
        options.Converters.Add(new GeoJsonConverterFactory(wgs84, false, GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.EnforceRfc9746));
        using var stream = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteString("name", LayerName);
            json.WriteStartArray("features");
            foreach (GrowthAlert alert in ReadFeatures(geoPackage))
            {
                Geometry lonLat = alert.Geometry.Copy();
                lonLat.Apply(new ProjectionFilter(toWgs84));
                lonLat.SRID = 4326;
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteNumber("id", alert.Id);
                json.WritePropertyName("properties");
                json.WriteStartObject();
                json.WriteNumber("id", alert.Id);
                json.WriteNumber("first_cell_id", alert.FirstCellId);
                WriteInteger(json, "first_year", alert.FirstYear);
                WriteReal(json, "area_km2", alert.AreaKm2);
                json.WriteNumber("cell_count", alert.CellCount);
                WriteReal(json, "mean_confidence", alert.MeanConfidence);
                WriteInteger(json, "min_confidence", alert.MinConfidence);
                WriteInteger(json, "zone", alert.Zone);
                json.WriteNumber("rank", alert.Rank);
                json.WriteEndObject();
                json.WritePropertyName("geometry");
                JsonSerializer.Serialize(json, lonLat, options);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.Flush(flushToDisk: false);
    }

    private static void WriteInteger(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Writes a real with a decimal point even when it is whole, so that readers (GDAL) type the field as Real.</summary>
    private static void WriteReal(Utf8JsonWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        if (value is not { } v)
        {
            json.WriteNullValue();
            return;
        }

        string text = v.ToString("R", CultureInfo.InvariantCulture);
        json.WriteRawValue(text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0");
    }

    /// <summary>Transforms every coordinate of a geometry in place.</summary>
    private sealed class ProjectionFilter(MathTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                (double x, double y) = transform.Transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
