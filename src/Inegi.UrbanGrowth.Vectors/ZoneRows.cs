using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>
/// Zone ids of the cells of a grid, read one row at a time: a zone raster on the grid, or a polygon layer burnt onto it
/// (<see cref="ZoneRasterizer"/>). The growth and change statistics take either through this interface.
/// </summary>
public interface IZoneRowSource : IDisposable
{
    /// <summary>Cells per row.</summary>
    int Width { get; }

    /// <summary>Rows of cells.</summary>
    int Height { get; }

    /// <summary>The id of cells that belong to no zone, or null when every cell has one.</summary>
    int? NoData { get; }

    /// <summary>Reads the zone ids of one row of cells.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="destination">At least <see cref="Width"/> values.</param>
    void ReadRow(int row, Span<int> destination);
}

/// <summary>Opens zones given as a raster or as a vector layer (the CLI's <c>--zones</c> and <c>--zone-field</c>).</summary>
public static class ZoneSources
{
    /// <summary>Whether a path names a vector layer (.shp or .gpkg) rather than a raster.</summary>
    /// <param name="path">The zones file.</param>
    public static bool IsVector(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".shp" or ".gpkg";
    }

    /// <summary>
    /// Opens zones on a grid: a zone raster (integer ids, same size, geotransform and CRS as the grid, nodata from its
    /// GDAL_NODATA), or a Shapefile / GeoPackage polygon layer rasterised by cell centre with <paramref name="field"/>.
    /// </summary>
    /// <param name="path">A GeoTIFF, .shp or .gpkg.</param>
    /// <param name="field">The integer field holding the zone id (vector layers only; required for them).</param>
    /// <param name="grid">The grid the zones must lie on.</param>
    /// <exception cref="ArgumentException">A vector layer without a field, or a field given with a raster.</exception>
    /// <exception cref="DataFileException">The file cannot be read or does not fit the grid.</exception>
    public static IZoneRowSource Open(string path, string? field, RasterInfo grid)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(grid);
        if (IsVector(path))
        {
            if (string.IsNullOrEmpty(field))
            {
                throw new ArgumentException($"--zone-field is required with the vector zones {path}");
            }

            return ZoneRasterizer.Rasterize(path, field, grid);
        }

        if (field is not null)
        {
            throw new ArgumentException($"--zone-field applies to vector zones (.shp, .gpkg), not to the raster {path}");
        }

        return RasterZoneRows.Open(path, grid);
    }
}

/// <summary>A zone raster on the grid, read row by row.</summary>
internal sealed class RasterZoneRows : IZoneRowSource
{
    private readonly GeoTiffReader _reader;
    private readonly float[] _scratch;

    private RasterZoneRows(GeoTiffReader reader)
    {
        _reader = reader;
        _scratch = new float[reader.Info.Width];
        NoData = reader.Info.NoData is { } nd && nd == Math.Floor(nd) && nd >= int.MinValue && nd <= int.MaxValue ? (int)nd : null;
    }

    public int Width => _reader.Info.Width;

    public int Height => _reader.Info.Height;

    public int? NoData { get; }

    public static RasterZoneRows Open(string path, RasterInfo grid)
    {
        GeoTiffReader reader = GeoTiffReader.Open(path);
        try
        {
            RasterGrids.EnsureSameGrid(grid, reader.Info);
            return new RasterZoneRows(reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public void ReadRow(int row, Span<int> destination)
    {
        _reader.ReadAsFloat(new PixelWindow(0, row, Width, 1), [0], _scratch);
        for (int i = 0; i < Width; i++)
        {
            destination[i] = (int)_scratch[i];
        }
    }

    public void Dispose() => _reader.Dispose();
}
