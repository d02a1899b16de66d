using System.Globalization;
using System.Text.RegularExpressions;
using Inegi.UrbanGrowth.Raster.Projections;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>One feature of a layer: its geometry (in the grid's CRS) and the value of the requested field.</summary>
internal readonly record struct LayerFeature(long Index, Geometry Geometry, object? Value);

/// <summary>
/// Reads the features of a Shapefile (.shp with its .dbf, and .prj when present) or of the single feature table of a
/// GeoPackage, one at a time in file order, with one attribute, reprojected to the grid's CRS when the layer declares
/// another EPSG code.
/// </summary>
internal static partial class VectorLayer
{
    public static IEnumerable<LayerFeature> Read(string path, string field, int? gridEpsg)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "the file does not exist");
        }

        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".shp" => ReadShapefile(path, field, gridEpsg),
            ".gpkg" => ReadGeoPackage(path, field, gridEpsg),
            _ => throw new DataFileException(path, "not a vector layer (.shp or .gpkg)"),
        };
    }

    private static IEnumerable<LayerFeature> ReadShapefile(string path, string field, int? gridEpsg)
    {
        ShapefileReader reader;
        try
        {
            reader = Shapefile.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or FileNotFoundException)
        {
            throw new DataFileException(path, "cannot be read as a Shapefile (" + e.Message.ReplaceLineEndings(" ") + ")", e);
        }

        using (reader)
        {
            int column = -1;
            var names = new List<string>();
            for (int i = 0; i < reader.Fields.Count; i++)
            {
                names.Add(reader.Fields[i].Name);
                if (string.Equals(reader.Fields[i].Name, field, StringComparison.OrdinalIgnoreCase))
                {
                    column = i;
                }
            }

            if (column < 0)
            {
                throw new DataFileException(path, $"has no field '{field}' (fields: {string.Join(", ", names)})");
            }

            int? epsg = EpsgOfWkt(reader.Projection);
            MathTransform? transform = epsg is null ? TransformFromWkt(path, reader.Projection, gridEpsg) : TransformTo(path, epsg, gridEpsg);
            long index = 0;
            while (true)
            {
                bool more;
                try
                {
                    more = reader.Read(out bool deleted);
                    if (more && deleted)
                    {
                        index++;
                        continue;
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
                {
                    throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"record {index + 1} cannot be read ({e.Message.ReplaceLineEndings(" ")})"), e);
                }

                if (!more)
                {
                    yield break;
                }

                yield return new LayerFeature(index++, Project(reader.Geometry, transform), reader.Fields[column].Value);
            }
        }
    }

    private static IEnumerable<LayerFeature> ReadGeoPackage(string path, string field, int? gridEpsg)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using (connection)
        {
            string table, geometryColumn;
            int? epsg;
            try
            {
                connection.Open();
                (table, geometryColumn, epsg) = FeatureTable(connection, path);
            }
            catch (SqliteException e)
            {
                throw new DataFileException(path, "cannot be read as a GeoPackage (" + e.Message.ReplaceLineEndings(" ") + ")", e);
            }

            var columns = new List<string>();
            using (SqliteCommand info = connection.CreateCommand())
            {
                info.CommandText = $"PRAGMA table_info({GeoPackageFile.Quote(table)})";
                using SqliteDataReader r = info.ExecuteReader();
                while (r.Read())
                {
                    columns.Add(r.GetString(1));
                }
            }

            string? column = columns.FirstOrDefault(c => string.Equals(c, field, StringComparison.OrdinalIgnoreCase))
                ?? throw new DataFileException(path, $"layer '{table}' has no field '{field}' (fields: {string.Join(", ", columns.Where(c => c != geometryColumn))})");
            MathTransform? transform = TransformTo(path, epsg, gridEpsg);
            var reader = new GeoPackageGeoReader();
            using SqliteCommand query = connection.CreateCommand();
            query.CommandText = $"SELECT {GeoPackageFile.Quote(geometryColumn)}, {GeoPackageFile.Quote(column)} FROM {GeoPackageFile.Quote(table)} ORDER BY rowid";
            using SqliteDataReader rows = query.ExecuteReader();
            long index = 0;
            while (rows.Read())
            {
                if (rows.IsDBNull(0))
                {
                    index++;
                    continue;
                }

                Geometry geometry;
                try
                {
                    geometry = reader.Read((byte[])rows.GetValue(0));
                }
                catch (Exception e) when (e is ParseException or ArgumentException or InvalidOperationException or IOException or IndexOutOfRangeException)
                {
                    throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"feature {index + 1} of '{table}' has an unreadable geometry ({e.Message.ReplaceLineEndings(" ")})"), e);
                }

                yield return new LayerFeature(index++, Project(geometry, transform), rows.IsDBNull(1) ? null : rows.GetValue(1));
            }
        }
    }

    private static (string Table, string GeometryColumn, int? Epsg) FeatureTable(SqliteConnection connection, string path)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT g.table_name, g.column_name, s.organization, s.organization_coordsys_id
            FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name
            LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
            WHERE c.data_type = 'features' ORDER BY g.table_name
            """;
        var tables = new List<(string, string, int?)>();
        using (SqliteDataReader r = command.ExecuteReader())
        {
            while (r.Read())
            {
                int? epsg = !r.IsDBNull(2) && string.Equals(r.GetString(2), "EPSG", StringComparison.OrdinalIgnoreCase) ? r.GetInt32(3) : null;
                tables.Add((r.GetString(0), r.GetString(1), epsg));
            }
        }

        return tables.Count switch
        {
            1 => tables[0],
            0 => throw new DataFileException(path, "holds no feature table"),
            _ => throw new DataFileException(path, $"holds {tables.Count} feature tables ({string.Join(", ", tables.Select(t => t.Item1))}); keep only the zones layer"),
        };
    }

    /// <summary>The EPSG code of a WKT's outermost AUTHORITY, if it has one (ESRI .prj files often have none).</summary>
    internal static int? EpsgOfWkt(string? wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt))
        {
            return null;
        }

        Match m = OuterAuthority().Match(wkt);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static MathTransform? TransformTo(string path, int? layerEpsg, int? gridEpsg)
    {
        if (layerEpsg is null || gridEpsg is null || layerEpsg == gridEpsg)
        {
            return null;
        }

        try
        {
            return CrsCatalog.Transformation(layerEpsg.Value, gridEpsg.Value);
        }
        catch (NotSupportedException e)
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                $"is in EPSG:{layerEpsg} and the grid in EPSG:{gridEpsg}, and no transformation between them is available ({e.Message})"), e);
        }
    }

    /// <summary>
    /// The transformation from a .prj without an EPSG code (ESRI writes none) to the grid's CRS: the WKT is parsed by
    /// ProjNET and compared with the grid's by parameters; none when the file has no .prj.
    /// </summary>
    private static MathTransform? TransformFromWkt(string path, string? wkt, int? gridEpsg)
    {
        if (string.IsNullOrWhiteSpace(wkt) || gridEpsg is null)
        {
            return null;
        }

        CoordinateSystem layer;
        try
        {
            layer = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or InvalidCastException)
        {
            throw new DataFileException(Path.ChangeExtension(path, ".prj"), "the CRS cannot be interpreted (" + e.Message.ReplaceLineEndings(" ") + "); reproject the layer to the grid's CRS", e);
        }

        if (!CrsCatalog.TryGet(gridEpsg.Value, out CoordinateSystem? grid))
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"the layer's CRS '{layer.Name}' cannot be compared with the grid's EPSG:{gridEpsg}, which is not in the catalogue"));
        }

        if (layer.EqualParams(grid))
        {
            return null;
        }

        try
        {
            return new CoordinateTransformationFactory().CreateFromCoordinateSystems(layer, grid).MathTransform;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new DataFileException(Path.ChangeExtension(path, ".prj"), $"no transformation from '{layer.Name}' to the grid's CRS ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static Geometry Project(Geometry geometry, MathTransform? transform)
    {
        if (transform is null)
        {
            return geometry;
        }

        Geometry copy = geometry.Copy();
        copy.Apply(new Reprojection(transform));
        return copy;
    }

    [GeneratedRegex("""AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex OuterAuthority();

    private sealed class Reprojection(MathTransform transform) : IEntireCoordinateSequenceFilter
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
