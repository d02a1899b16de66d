using System.Globalization;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>GDAL as the independent oracle: ENVI raw in and out, gdal_translate layouts, gdalinfo -json.</summary>
internal static class GdalHelper
{
    public static int EnviType(RasterSampleType t) => t switch
    {
        RasterSampleType.Byte => 1,
        RasterSampleType.Int16 => 2,
        RasterSampleType.Int32 => 3,
        RasterSampleType.Float32 => 4,
        RasterSampleType.Float64 => 5,
        RasterSampleType.UInt16 => 12,
        RasterSampleType.UInt32 => 13,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Random band-planar values of a type, as doubles, and their raw bytes.</summary>
    public static (double[] Values, byte[] Bytes) RandomRaster(RasterSampleType type, int width, int height, int bands, int seed)
    {
        var rng = new Random(seed);
        int n = width * height * bands;
        var values = new double[n];
        var bytes = new byte[n * RasterSampleTypes.SizeOf(type)];
        for (int i = 0; i < n; i++)
        {
            // Smooth-ish field plus noise so that predictors and compressors have something to do.
            int x = i % width, y = i / width % height;
            double smooth = 50 * Math.Sin(x / 17.0) + 40 * Math.Cos(y / 11.0);
            switch (type)
            {
                case RasterSampleType.Byte: { byte v = (byte)Math.Clamp(128 + smooth + rng.Next(-20, 20), 0, 255); values[i] = v; bytes[i] = v; break; }
                case RasterSampleType.UInt16: { ushort v = (ushort)Math.Clamp(30000 + 200 * smooth + rng.Next(-500, 500), 0, 65535); values[i] = v; BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), v); break; }
                case RasterSampleType.Int16: { short v = (short)Math.Clamp(100 * smooth + rng.Next(-300, 300), -32768, 32767); values[i] = v; BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), v); break; }
                case RasterSampleType.Int32: { int v = (int)(100000 * smooth) + rng.Next(-100000, 100000); values[i] = v; BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), v); break; }
                case RasterSampleType.UInt32: { uint v = (uint)(3_000_000_000 + 1000 * smooth + rng.Next(0, 1000)); values[i] = v; BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), v); break; }
                case RasterSampleType.Float32: { float v = (float)(smooth / 100 + rng.NextDouble() * 0.01); values[i] = v; BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), v); break; }
                default: throw new ArgumentOutOfRangeException(nameof(type));
            }
        }

        return (values, bytes);
    }

    /// <summary>Writes an ENVI .bin/.hdr pair (BSQ, little endian) and returns the .bin path.</summary>
    public static string WriteEnvi(string folder, string name, RasterSampleType type, int width, int height, int bands, byte[] bytes)
    {
        string bin = Path.Combine(folder, name + ".bin");
        File.WriteAllBytes(bin, bytes);
        File.WriteAllText(Path.Combine(folder, name + ".hdr"), string.Create(CultureInfo.InvariantCulture,
            $"ENVI\nsamples = {width}\nlines = {height}\nbands = {bands}\nheader offset = 0\nfile type = ENVI Standard\ndata type = {EnviType(type)}\ninterleave = bsq\nbyte order = 0\n"));
        return bin;
    }

    /// <summary>GDAL's values of a raster (all bands, band-planar), via gdal_translate -of ENVI.</summary>
    public static double[] ReadWithGdal(string tif, string scratchFolder)
    {
        string outBin = Path.Combine(scratchFolder, "oracle-" + Guid.NewGuid().ToString("N") + ".bin");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", tif, outBin);
        string hdr = File.ReadAllText(Path.ChangeExtension(outBin, ".hdr"));
        int dataType = int.Parse(System.Text.RegularExpressions.Regex.Match(hdr, @"data type\s*=\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        byte[] raw = File.ReadAllBytes(outBin);
        return dataType switch
        {
            1 => Array.ConvertAll(raw, b => (double)b),
            2 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(raw).ToArray(), v => (double)v),
            3 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(raw).ToArray(), v => (double)v),
            4 => Array.ConvertAll(MemoryMarshal.Cast<byte, float>(raw).ToArray(), v => (double)v),
            12 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(raw).ToArray(), v => (double)v),
            13 => Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(raw).ToArray(), v => (double)v),
            _ => throw new InvalidOperationException("ENVI data type " + dataType),
        };
    }

    /// <summary>Extracts a window (band-planar) from full band-planar values.</summary>
    public static double[] Window(double[] full, int width, int height, ReadOnlySpan<int> bands, PixelWindow w)
    {
        var result = new double[bands.Length * w.PixelCount];
        int k = 0;
        foreach (int b in bands)
        {
            for (int y = w.Y; y < w.Bottom; y++)
            {
                for (int x = w.X; x < w.Right; x++)
                {
                    result[k++] = full[(long)b * width * height + (long)y * width + x];
                }
            }
        }

        return result;
    }

    /// <summary>Changes the Compression tag of the first IFD of a little-endian classic TIFF in place.</summary>
    public static void PatchCompressionTag(string tif, ushort newValue)
    {
        byte[] b = File.ReadAllBytes(tif);
        if (b[0] != 'I' || b[2] != 42)
        {
            throw new InvalidOperationException("Expected a little-endian classic TIFF.");
        }

        int ifd = BitConverter.ToInt32(b, 4);
        int n = BitConverter.ToUInt16(b, ifd);
        for (int i = 0; i < n; i++)
        {
            int e = ifd + 2 + 12 * i;
            if (BitConverter.ToUInt16(b, e) == 259)
            {
                BitConverter.TryWriteBytes(b.AsSpan(e + 8), newValue);
                File.WriteAllBytes(tif, b);
                return;
            }
        }

        throw new InvalidOperationException("No Compression tag.");
    }
}
