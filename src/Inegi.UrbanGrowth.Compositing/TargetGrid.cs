using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>The grid a composite is made on: north-up pixels of one size in one EPSG coordinate system.</summary>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="GeoTransform">Pixel corners to map coordinates.</param>
/// <param name="Epsg">The coordinate system.</param>
public sealed record TargetGrid(int Width, int Height, GeoTransform GeoTransform, int Epsg)
{
    /// <summary>
    /// A grid over <c>[minX, maxX] x [minY, maxY]</c> with square pixels of <paramref name="resolution"/>, its origin at
    /// (minX, maxY) and the last column and row widened to cover the bounds.
    /// </summary>
    /// <param name="epsg">Coordinate system of the bounds.</param>
    /// <param name="minX">West.</param>
    /// <param name="minY">South.</param>
    /// <param name="maxX">East.</param>
    /// <param name="maxY">North.</param>
    /// <param name="resolution">Pixel size in the system's units (30 for Landsat).</param>
    public static TargetGrid FromBounds(int epsg, double minX, double minY, double maxX, double maxY, double resolution)
    {
        if (!(resolution > 0) || !double.IsFinite(resolution))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "--resolution must be a positive number.");
        }

        if (!(maxX > minX) || !(maxY > minY))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--bounds must be minx,miny,maxx,maxy with max > min; got {minX},{minY},{maxX},{maxY}."));
        }

        double w = Math.Ceiling(((maxX - minX) / resolution) - 1e-9), h = Math.Ceiling(((maxY - minY) / resolution) - 1e-9);
        if (w * h > 4e10)
        {
            throw new ArgumentException("--bounds and --resolution make a grid of more than 4e10 pixels.");
        }

        return new TargetGrid((int)w, (int)h, GeoTransform.NorthUp(minX, maxY, resolution), epsg);
    }

    /// <summary>The extent and coordinate system of an existing raster (a mosaic or a 1 km grid), at <paramref name="resolution"/>.</summary>
    /// <param name="path">A georeferenced GeoTIFF with an EPSG code.</param>
    /// <param name="resolution">Pixel size of the composite (30 for Landsat).</param>
    public static TargetGrid Like(string path, double resolution)
    {
        RasterInfo info = GeoTiffReader.ReadInfo(path);
        if (info.Epsg is not int epsg)
        {
            throw new DataFileException(path, "has no EPSG code; a target grid needs one");
        }

        if (!info.GeoTransform.IsNorthUp)
        {
            throw new DataFileException(path, "is not north-up; a target grid must be");
        }

        GeoTransform g = info.GeoTransform;
        double x0 = g.OriginX, x1 = g.OriginX + (g.PixelWidth * info.Width);
        double y0 = g.OriginY, y1 = g.OriginY + (g.PixelHeight * info.Height);
        return FromBounds(epsg, Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1), resolution);
    }

    /// <summary>The pixel count.</summary>
    public long PixelCount => (long)Width * Height;
}
