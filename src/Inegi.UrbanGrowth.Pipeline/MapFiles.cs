using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Reading and checking map rasters on a common grid (maps, growth maps, zone rasters).</summary>
public static class MapFiles
{
    /// <summary>Throws a clear error unless <paramref name="other"/> lies on the same grid as <paramref name="reference"/>.</summary>
    /// <param name="reference">The first raster.</param>
    /// <param name="other">The raster that must match it.</param>
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
                $"CRS mismatch: EPSG:{other.Epsg?.ToString(CultureInfo.InvariantCulture) ?? "none"}, but {Path.GetFileName(reference.Path)} is EPSG:{reference.Epsg?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
        }

        double[] a = reference.GeoTransform.ToArray(), b = other.GeoTransform.ToArray();
        double tolerance = 1e-6 * Math.Max(Math.Abs(reference.GeoTransform.PixelWidth), 1e-9);
        for (int i = 0; i < a.Length; i++)
        {
            if (Math.Abs(a[i] - b[i]) > tolerance * (i is 0 or 3 ? 1e3 : 1))
            {
                throw new DataFileException(other.Path, $"grid mismatch: geotransform [{string.Join(", ", b.Select(v => v.ToString("G10", CultureInfo.InvariantCulture)))}] differs from {Path.GetFileName(reference.Path)}'s");
            }
        }
    }

    /// <summary>Opens a map (band 1 class, optional band 2 probability) and checks that it is a Byte raster.</summary>
    /// <param name="path">The map.</param>
    public static GeoTiffReader OpenMap(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        GeoTiffReader reader = GeoTiffReader.Open(path);
        if (reader.Info.SampleType != RasterSampleType.Byte)
        {
            reader.Dispose();
            throw new DataFileException(path, $"not a class map: sample type {reader.Info.SampleType}, expected Byte (0 non-urban, 1 urban, 255 nodata)");
        }

        return reader;
    }

    /// <summary>Reads one row of band <paramref name="band"/> (0-based) of a Byte raster.</summary>
    internal static void ReadByteRow(GeoTiffReader reader, int row, int band, Span<byte> destination) =>
        reader.Read<byte>(new PixelWindow(0, row, reader.Info.Width, 1), [band], destination);

    /// <summary>Reads one row of a zone raster as integer ids (any integer sample type; float values are truncated).</summary>
    internal static void ReadZoneRow(GeoTiffReader reader, int row, Span<float> scratch, Span<int> destination)
    {
        reader.ReadAsFloat(new PixelWindow(0, row, reader.Info.Width, 1), [0], scratch);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (int)scratch[i];
        }
    }

    /// <summary>Reads a whole band of a small Byte raster (a 1 km grid of a country is about 2 MB).</summary>
    /// <param name="path">The raster.</param>
    /// <param name="band">0-based band.</param>
    public static byte[] ReadByteBand(string path, int band = 0)
    {
        using GeoTiffReader reader = OpenMap(path);
        byte[] values = new byte[checked(reader.Info.Width * reader.Info.Height)];
        reader.Read<byte>(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height), [band], values);
        return values;
    }
}
