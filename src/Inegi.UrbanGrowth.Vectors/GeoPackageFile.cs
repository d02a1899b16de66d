using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>A column of a GeoPackage feature table.</summary>
/// <param name="Name">Column name.</param>
/// <param name="SqlType">INTEGER, REAL or TEXT.</param>
internal readonly record struct GeoPackageColumn(string Name, string SqlType);

/// <summary>
/// Writes one GeoPackage 1.3 feature table with SQLite (OGC 12-128r18): the <c>GPKG</c> application id and user version,
/// <c>gpkg_spatial_ref_sys</c> (the three required rows plus the layer's CRS with its WKT), <c>gpkg_contents</c> (with
/// the layer's extent), <c>gpkg_geometry_columns</c>, and the feature table whose geometries are GeoPackage binary blobs
/// (header with SRS id and envelope, then WKB) written by NetTopologySuite.
/// </summary>
internal sealed class GeoPackageFile : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _insert;
    private readonly string _table;
    private readonly int _srsId;
    private readonly GeoPackageGeoWriter _writer = new() { HandleOrdinates = Ordinates.XY };
    private Envelope _extent = new();

    private GeoPackageFile(SqliteConnection connection, string table, int srsId, IReadOnlyList<GeoPackageColumn> columns)
    {
        _connection = connection;
        _table = table;
        _srsId = srsId;
        _transaction = connection.BeginTransaction();
        _insert = connection.CreateCommand();
        _insert.Transaction = _transaction;
        string names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        string values = string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)));
        _insert.CommandText = $"INSERT INTO {Quote(table)} (fid, geom, {names}) VALUES ($fid, $geom, {values})";
        _insert.Parameters.Add("$fid", SqliteType.Integer);
        _insert.Parameters.Add("$geom", SqliteType.Blob);
        for (int i = 0; i < columns.Count; i++)
        {
            // Untyped: each value binds as what it is (integer, real, or NULL).
            _insert.Parameters.AddWithValue("$p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value);
        }
    }

    /// <summary>Creates the file (which must not exist) with its metadata tables and an empty feature table.</summary>
    public static GeoPackageFile Create(string path, string table, string geometryType, int srsId, string srsName, string srsDefinition, IReadOnlyList<GeoPackageColumn> columns)
    {
        // No pooling: the file must be closed for real before it is renamed into place.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;");
            Execute(connection, """
                CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
                """);
            using (SqliteCommand srs = connection.CreateCommand())
            {
                srs.CommandText = "INSERT OR REPLACE INTO gpkg_spatial_ref_sys VALUES ($name, $id, 'EPSG', $id, $definition, NULL)";
                srs.Parameters.AddWithValue("$name", "WGS 84 geodetic");
                srs.Parameters.AddWithValue("$id", 4326);
                srs.Parameters.AddWithValue("$definition", Raster.Projections.CrsCatalog.Get(4326).WKT);
                srs.ExecuteNonQuery();
                srs.Parameters["$name"].Value = srsName;
                srs.Parameters["$id"].Value = srsId;
                srs.Parameters["$definition"].Value = srsDefinition;
                srs.ExecuteNonQuery();
            }

            string columnsSql = string.Concat(columns.Select(c => ", " + Quote(c.Name) + " " + c.SqlType));
            Execute(connection, $"CREATE TABLE {Quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometryType}{columnsSql})");
            using (SqliteCommand meta = connection.CreateCommand())
            {
                meta.CommandText = "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change, srs_id) VALUES ($t, 'features', $t, '1970-01-01T00:00:00.000Z', $srs);" +
                    "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, $srs, 0, 0)";
                meta.Parameters.AddWithValue("$t", table);
                meta.Parameters.AddWithValue("$type", geometryType);
                meta.Parameters.AddWithValue("$srs", srsId);
                meta.ExecuteNonQuery();
            }

            return new GeoPackageFile(connection, table, srsId, columns);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Inserts one feature; <paramref name="values"/> follow the columns (null for SQL NULL).</summary>
    public void Insert(long fid, Geometry geometry, ReadOnlySpan<object?> values)
    {
        geometry.SRID = _srsId;
        _insert.Parameters[0].Value = fid;
        _insert.Parameters[1].Value = _writer.Write(geometry);
        for (int i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i + 2].Value = values[i] ?? DBNull.Value;
        }

        _insert.ExecuteNonQuery();
        _extent.ExpandToInclude(geometry.EnvelopeInternal);
    }

    /// <summary>Sets one integer column of every feature from a fid -> value map.</summary>
    public void UpdateInteger(string column, IReadOnlyList<(long Fid, long Value)> values)
    {
        using SqliteCommand update = _connection.CreateCommand();
        update.Transaction = _transaction;
        update.CommandText = $"UPDATE {Quote(_table)} SET {Quote(column)} = $v WHERE fid = $fid";
        SqliteParameter v = update.Parameters.Add("$v", SqliteType.Integer), fid = update.Parameters.Add("$fid", SqliteType.Integer);
        foreach ((long f, long value) in values)
        {
            fid.Value = f;
            v.Value = value;
            update.ExecuteNonQuery();
        }
    }

    /// <summary>Writes the extent and the change time, commits, and closes the file.</summary>
    public void Finish(DateTime lastChangeUtc)
    {
        using (SqliteCommand meta = _connection.CreateCommand())
        {
            meta.Transaction = _transaction;
            meta.CommandText = "UPDATE gpkg_contents SET last_change = $time, min_x = $minx, min_y = $miny, max_x = $maxx, max_y = $maxy WHERE table_name = $t";
            meta.Parameters.AddWithValue("$time", lastChangeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue("$minx", _extent.IsNull ? DBNull.Value : _extent.MinX);
            meta.Parameters.AddWithValue("$miny", _extent.IsNull ? DBNull.Value : _extent.MinY);
            meta.Parameters.AddWithValue("$maxx", _extent.IsNull ? DBNull.Value : _extent.MaxX);
            meta.Parameters.AddWithValue("$maxy", _extent.IsNull ? DBNull.Value : _extent.MaxY);
            meta.Parameters.AddWithValue("$t", _table);
            meta.ExecuteNonQuery();
        }

        _transaction.Commit();
        _connection.Close();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
