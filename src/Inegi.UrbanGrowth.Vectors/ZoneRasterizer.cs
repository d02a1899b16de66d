using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>
/// Zones from a polygon layer (INEGI's geostatistical framework: municipalities, states, as Shapefile or GeoPackage)
/// burnt onto the cell grid by cell centre, read back row by row like a zone raster.
/// </summary>
/// <remarks>
/// A cell takes the zone of the polygon that contains its centre (GDAL's default rule, so the result matches
/// <c>gdal_rasterize -a FIELD</c> on the same grid); cells of no polygon have <see cref="NoZone"/>. Where polygons
/// overlap, the later feature in file order wins, as with <c>gdal_rasterize</c>. The field must hold whole numbers 0 or
/// more: integer fields, real fields with whole values, or text made of digits only (INEGI's CVEGEO "09015" is zone
/// 9015; leading zeros are dropped); anything else, and an empty value, is refused with the feature's number. The
/// layer is reprojected to the grid's CRS when it declares another EPSG code (GeoPackage srs, or the AUTHORITY of a
/// .prj); a layer that declares none is taken to be in the grid's CRS. The ids of the whole grid are held in memory
/// (4 bytes a cell: 8 MB for Mexico's 2 million cells); the layer is read one feature at a time.
/// </remarks>
public sealed class ZoneRasterizer : IZoneRowSource
{
    /// <summary>The id of cells whose centre lies in no polygon.</summary>
    public const int NoZone = -1;

    private readonly int[] _zones;

    private ZoneRasterizer(int width, int height, int[] zones, int featureCount, long coveredCells)
    {
        Width = width;
        Height = height;
        _zones = zones;
        FeatureCount = featureCount;
        CoveredCells = coveredCells;
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int? NoData => NoZone;

    /// <summary>Polygon features read from the layer.</summary>
    public int FeatureCount { get; }

    /// <summary>Cells whose centre lies in some polygon.</summary>
    public long CoveredCells { get; }

    /// <summary>Rasterises the polygons of a layer onto a grid.</summary>
    /// <param name="layerPath">A .shp or .gpkg polygon layer.</param>
    /// <param name="field">The field that holds the zone id.</param>
    /// <param name="grid">The grid (size, geotransform, EPSG code).</param>
    /// <exception cref="DataFileException">The layer cannot be read, lacks the field, holds a non-polygon geometry or a value that is not a zone id.</exception>
    public static ZoneRasterizer Rasterize(string layerPath, string field, RasterInfo grid)
    {
        ArgumentException.ThrowIfNullOrEmpty(layerPath);
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(grid);
        var burner = new CellBurner(grid.Width, grid.Height, grid.GeoTransform, NoZone);
        int features = 0;
        foreach (LayerFeature feature in VectorLayer.Read(layerPath, field, grid.Epsg))
        {
            if (feature.Geometry is not (NetTopologySuite.Geometries.Polygon or NetTopologySuite.Geometries.MultiPolygon))
            {
                throw new DataFileException(layerPath, string.Create(CultureInfo.InvariantCulture, $"feature {feature.Index + 1} is a {feature.Geometry.GeometryType}; zones must be polygons"));
            }

            if (!CellBurner.TryInteger(feature.Value, out long id, out string problem) || id < 0 || id > int.MaxValue)
            {
                if (problem.Length == 0)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"is {id}, outside 0..{int.MaxValue}");
                }

                throw new DataFileException(layerPath, string.Create(CultureInfo.InvariantCulture, $"feature {feature.Index + 1}: zone field '{field}' {problem}"));
            }

            burner.Burn(feature.Geometry, (int)id);
            features++;
        }

        long covered = burner.Cells.LongCount(z => z != NoZone);
        return new ZoneRasterizer(grid.Width, grid.Height, burner.Cells, features, covered);
    }

    /// <inheritdoc/>
    public void ReadRow(int row, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Height);
        _zones.AsSpan(row * Width, Width).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
