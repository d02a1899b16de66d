using System.Globalization;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// The one check that two rasters lie on the same grid (size, EPSG code, geotransform), for every library that reads
/// rasters cell by cell against each other: maps of two years, a map and its zones, a grid and its labels.
/// </summary>
public static class RasterGrids
{
    /// <summary>
    /// How far two geotransforms may differ and still be the same grid: pixel sizes and rotations within a millionth
    /// of a pixel, origins within a thousandth of a pixel (origins are large map coordinates written as decimal text
    /// by some tools, so they carry more rounding than the pixel size).
    /// </summary>
    public const double PixelFraction = 1e-6;

    /// <summary>True when both geotransforms describe the same pixels (see <see cref="PixelFraction"/>).</summary>
    /// <param name="reference">The first transform.</param>
    /// <param name="other">The second transform.</param>
    public static bool SameTransform(GeoTransform reference, GeoTransform other)
    {
        double[] a = reference.ToArray(), b = other.ToArray();
        double tolerance = PixelFraction * Math.Max(Math.Max(Math.Abs(reference.PixelWidth), Math.Abs(reference.PixelHeight)), 1e-9);
        for (int i = 0; i < a.Length; i++)
        {
            if (!(Math.Abs(a[i] - b[i]) <= tolerance * (i is 0 or 3 ? 1e3 : 1)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws a one-line data error naming <paramref name="other"/> unless it lies on the grid of <paramref name="reference"/>.</summary>
    /// <param name="reference">The first raster.</param>
    /// <param name="other">The raster that must match it.</param>
    /// <exception cref="DataFileException">Another size, CRS or geotransform.</exception>
    public static void EnsureSameGrid(RasterInfo reference, RasterInfo other)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        if (reference.Width != other.Width || reference.Height != other.Height)
        {
            throw new DataFileException(other.Path, string.Create(CultureInfo.InvariantCulture,
                $"grid mismatch: {other.Width} x {other.Height} cells, but {Path.GetFileName(reference.Path)} has {reference.Width} x {reference.Height}"));
        }

        if (reference.Epsg != other.Epsg)
        {
            throw new DataFileException(other.Path, string.Create(CultureInfo.InvariantCulture,
                $"CRS mismatch: EPSG:{Code(other.Epsg)}, but {Path.GetFileName(reference.Path)} is EPSG:{Code(reference.Epsg)}"));
        }

        if (!SameTransform(reference.GeoTransform, other.GeoTransform))
        {
            throw new DataFileException(other.Path, $"grid mismatch: geotransform [{string.Join(", ", other.GeoTransform.ToArray().Select(v => v.ToString("G10", CultureInfo.InvariantCulture)))}] differs from {Path.GetFileName(reference.Path)}'s");
        }
    }

    private static string Code(int? epsg) => epsg?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
