using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Reading and checking map rasters on a common grid (maps, growth maps, zone rasters).</summary>
public static class MapFiles
{
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
        return reader.ReadBand<byte>(band);
    }
}
