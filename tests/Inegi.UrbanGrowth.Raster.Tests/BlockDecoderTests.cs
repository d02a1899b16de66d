using System.Globalization;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Raster.Decoding;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>
/// The block decoders of issue 21 (positioned reads, libdeflate or zlib-ng, our LZW, vectorised predictor 2, our
/// predictor 3, blocks decoded in parallel) against the reader before them (<c>LegacyDecoding</c>: LibTiff.NET's
/// decoders) and against the bytes GDAL was given, on GDAL-written files of every sample type, Deflate and LZW,
/// predictors 1, 2 and 3, tiles and strips, pixel- and band-interleaved.
/// </summary>
public sealed class BlockDecoderTests
{
    private const int W = 211, H = 83, Bands = 3;

    public static TheoryData<RasterSampleType, string> Layouts()
    {
        var data = new TheoryData<RasterSampleType, string>();
        RasterSampleType[] types = [RasterSampleType.Byte, RasterSampleType.UInt16, RasterSampleType.Int16, RasterSampleType.UInt32,
            RasterSampleType.Int32, RasterSampleType.Float32, RasterSampleType.Float64];
        string[] layouts = ["TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=32 INTERLEAVE=PIXEL", "TILED=NO BLOCKYSIZE=9 INTERLEAVE=BAND",
            "TILED=YES BLOCKXSIZE=48 BLOCKYSIZE=16 INTERLEAVE=BAND", "TILED=NO INTERLEAVE=PIXEL"];
        int k = 0;
        foreach (RasterSampleType type in types)
        {
            bool floating = type is RasterSampleType.Float32 or RasterSampleType.Float64;
            foreach (string compression in (string[])["DEFLATE", "LZW"])
            {
                foreach (int predictor in floating ? (int[])[1, 2, 3] : [1, 2])
                {
                    // Two of the four layouts per combination, rotating, so every combination meets tiles and strips.
                    for (int j = 0; j < 2; j++)
                    {
                        data.Add(type, $"COMPRESS={compression} PREDICTOR={predictor} {layouts[(k + 2 * j + j) % layouts.Length]}");
                    }

                    k++;
                }
            }
        }

        data.Add(RasterSampleType.UInt16, "COMPRESS=DEFLATE PREDICTOR=2 TILED=YES ENDIANNESS=BIG INTERLEAVE=PIXEL");
        data.Add(RasterSampleType.Float64, "COMPRESS=LZW PREDICTOR=2 TILED=NO ENDIANNESS=BIG INTERLEAVE=BAND");
        data.Add(RasterSampleType.Int32, "COMPRESS=NONE TILED=YES BLOCKXSIZE=32 BLOCKYSIZE=32 ENDIANNESS=BIG");
        data.Add(RasterSampleType.Byte, "COMPRESS=NONE TILED=NO BLOCKYSIZE=5 INTERLEAVE=BAND");
        data.Add(RasterSampleType.UInt16, "COMPRESS=DEFLATE PREDICTOR=2 ZLEVEL=9 TILED=YES BIGTIFF=YES");
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_GdalLayout_SameBytesAsGdalInputAndTheLegacyReader(RasterSampleType type, string creationOptions)
    {
        using var dir = new TempDirectory();
        byte[] source = SourceBytes(type, seed: creationOptions.Length);
        string bin = GdalHelper.WriteEnvi(dir.Path, "src", type, W, H, Bands, source);
        string tif = dir.File("out.tif");
        var args = new List<string> { "-q", "-of", "GTiff", "-a_srs", "EPSG:32614", "-a_ullr", "500000", "2000000", "506330", "1997510" };
        foreach (string co in creationOptions.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            args.Add("-co");
            args.Add(co);
        }

        args.Add(bin);
        args.Add(tif);
        Oracles.RunGdal("gdal_translate", [.. args]);

        var full = new PixelWindow(0, 0, W, H);
        using GeoTiffReader fast = GeoTiffReader.Open(tif);
        using GeoTiffReader serial = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { ParallelWindowDecode = false, MaxConcurrentDecoders = 1, UseLibDeflate = false });
        using GeoTiffReader legacy = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { LegacyDecoding = true });
        Assert.Equal(source, NativeBytes(fast, full));
        Assert.Equal(source, NativeBytes(serial, full));
        if (type == RasterSampleType.Float64 && creationOptions.Contains("LZW PREDICTOR=2", StringComparison.Ordinal))
        {
            // LibTiff.NET has no 64-bit horizontal differencing; the new decoders do (GDAL's bytes, above).
            Assert.Contains("64-bit", Assert.Throws<DataFileException>(() => NativeBytes(legacy, full)).Message, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(source, NativeBytes(legacy, full));

        // Windows over block edges, subsets of bands, through a small cache: the new and the legacy reader agree.
        using GeoTiffReader smallCache = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { BlockCacheBytes = 1 << 15 });
        var rng = new Random(3);
        for (int i = 0; i < 12; i++)
        {
            int w = rng.Next(1, 90), h = rng.Next(1, 60);
            var window = new PixelWindow(rng.Next(0, W - w + 1), rng.Next(0, H - h + 1), w, h);
            int[] bands = [.. Enumerable.Range(0, rng.Next(1, Bands + 1)).Select(_ => rng.Next(Bands))];
            var expected = new float[w * h * bands.Length];
            var got = new float[expected.Length];
            legacy.ReadAsFloat(window, bands, expected);
            smallCache.ReadAsFloat(window, bands, got);
            Assert.Equal(MemoryMarshal.AsBytes(expected.AsSpan()).ToArray(), MemoryMarshal.AsBytes(got.AsSpan()).ToArray());
        }
    }

    [Fact]
    public void Read_ManyThreadsOnOneReader_EachBlockDecodedOnceAndSameValues()
    {
        using var dir = new TempDirectory();
        byte[] source = SourceBytes(RasterSampleType.UInt16, seed: 1);
        string bin = GdalHelper.WriteEnvi(dir.Path, "src", RasterSampleType.UInt16, W, H, Bands, source);
        string tif = dir.File("t.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:32614", "-a_ullr", "500000", "2000000", "506330", "1997510",
            "-co", "TILED=YES", "-co", "BLOCKXSIZE=32", "-co", "BLOCKYSIZE=16", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", bin, tif);
        using GeoTiffReader reader = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { MaxConcurrentDecoders = 4 });
        var results = new byte[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => results[t] = NativeBytes(reader, new PixelWindow(0, 0, W, H)));
        foreach (byte[] r in results)
        {
            Assert.Equal(source, r);
        }

        // 7 x 6 tiles: threads that needed a tile another was decoding waited for it (the default cache holds them all).
        Assert.Equal(7 * 6, reader.BlocksDecoded);
    }

    [Fact]
    public void Read_TruncatedDeflateFile_OneLineErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        byte[] source = SourceBytes(RasterSampleType.UInt16, seed: 2);
        string bin = GdalHelper.WriteEnvi(dir.Path, "src", RasterSampleType.UInt16, W, H, Bands, source);
        string tif = dir.File("t.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:32614", "-a_ullr", "500000", "2000000", "506330", "1997510",
            "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", bin, tif);
        // GDAL writes the directory first, then the tile: cutting the end removes part of the tile.
        using (var fs = new FileStream(tif, FileMode.Open))
        {
            fs.SetLength(fs.Length - 100);
        }

        using GeoTiffReader reader = GeoTiffReader.Open(tif);
        var e = Assert.Throws<DataFileException>(() => reader.ReadAllAsFloat());
        Assert.Contains(tif, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Inflate_LibDeflateAndZlibNg_SameBytes()
    {
        var rng = new Random(4);
        byte[] plain = new byte[300_000];
        for (int i = 0; i < plain.Length; i++)
        {
            plain[i] = (byte)(i / 700 + rng.Next(0, 3));
        }

        using var packed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(plain);
        }

        byte[] raw = packed.ToArray();
        var a = new byte[plain.Length];
        var b = new byte[plain.Length];
        Assert.Equal(plain.Length, Inflate.ZLib(raw, raw.Length, a, useLibDeflate: true));
        Assert.Equal(plain.Length, Inflate.ZLib(raw, raw.Length, b, useLibDeflate: false));
        Assert.Equal(plain, a);
        Assert.Equal(plain, b);

        // A block whose stream decodes to more than the block: cut, as libtiff does, on both paths.
        var shortA = new byte[1000];
        Assert.Equal(1000, Inflate.ZLib(raw, raw.Length, shortA));
        Assert.Equal(plain.AsSpan(0, 1000).ToArray(), shortA);
        Assert.Equal(File.Exists("/usr/lib/x86_64-linux-gnu/libdeflate.so.0") && Environment.GetEnvironmentVariable("URBANGROWTH_NO_LIBDEFLATE") != "1", Inflate.HasLibDeflate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void HorizontalPredictor_EveryStrideAndLength_EqualsTheScalarLoop(int bytesPerSample)
    {
        var rng = new Random(bytesPerSample);
        foreach (int stride in (int[])[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 27])
        {
            foreach (int pixels in (int[])[1, 2, 7, 8, 33, 256, 1027])
            {
                int rowSamples = pixels * stride;
                byte[] data = new byte[rowSamples * bytesPerSample * 3];
                rng.NextBytes(data);
                byte[] expected = (byte[])data.Clone();
                for (int row = 0; row < 3; row++)
                {
                    Span<byte> r = expected.AsSpan(row * rowSamples * bytesPerSample, rowSamples * bytesPerSample);
                    switch (bytesPerSample)
                    {
                        case 1: HorizontalPredictor.ScalarTail(r, stride, 0); break;
                        case 2: HorizontalPredictor.ScalarTail(MemoryMarshal.Cast<byte, ushort>(r), stride, 0); break;
                        case 4: HorizontalPredictor.ScalarTail(MemoryMarshal.Cast<byte, uint>(r), stride, 0); break;
                        default: HorizontalPredictor.ScalarTail(MemoryMarshal.Cast<byte, ulong>(r), stride, 0); break;
                    }
                }

                HorizontalPredictor.Undo(data, bytesPerSample, rowSamples, stride);
                Assert.True(expected.AsSpan().SequenceEqual(data), string.Create(CultureInfo.InvariantCulture, $"width {bytesPerSample}, stride {stride}, {pixels} pixels"));
            }
        }
    }

    [Fact]
    public void TiffLzw_CorruptCodes_ReportedNotThrown()
    {
        // A first code above 255 after the clear code cannot be decoded.
        byte[] corrupt = [0x80, 0x7F, 0xFF, 0xFF];
        Assert.Equal(-1, TiffLzw.Decode(corrupt, new byte[16]));
        Assert.True(TiffLzw.IsOldStyle([0x00, 0x01]));
        Assert.False(TiffLzw.IsOldStyle([0x80, 0x00]));
    }

    /// <summary>Band-planar bytes of every band in the native type, as the ENVI source holds them.</summary>
    private static byte[] NativeBytes(GeoTiffReader reader, PixelWindow window) => reader.Info.SampleType switch
    {
        RasterSampleType.Byte => Read<byte>(reader, window),
        RasterSampleType.UInt16 => Read<ushort>(reader, window),
        RasterSampleType.Int16 => Read<short>(reader, window),
        RasterSampleType.UInt32 => Read<uint>(reader, window),
        RasterSampleType.Int32 => Read<int>(reader, window),
        RasterSampleType.Float32 => Read<float>(reader, window),
        _ => Read<double>(reader, window),
    };

    private static byte[] Read<T>(GeoTiffReader reader, PixelWindow window) where T : unmanaged
    {
        var values = new T[window.PixelCount * reader.Info.BandCount];
        reader.Read(window, values);
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    /// <summary>A smooth field with noise (long LZW strings and short ones), plus NaN, -0 and infinities for floats.</summary>
    private static byte[] SourceBytes(RasterSampleType type, int seed)
    {
        var rng = new Random(seed);
        int n = W * H * Bands;
        int size = RasterSampleTypes.SizeOf(type);
        var bytes = new byte[n * size];
        for (int i = 0; i < n; i++)
        {
            int x = i % W, y = i / W % H, b = i / (W * H);
            double smooth = 60 * Math.Sin(x / (9.0 + b)) + 50 * Math.Cos(y / 7.0) + (x > 150 ? 0 : rng.Next(-4, 5));
            Span<byte> at = bytes.AsSpan(i * size, size);
            switch (type)
            {
                case RasterSampleType.Byte: at[0] = (byte)Math.Clamp(128 + smooth, 0, 255); break;
                case RasterSampleType.UInt16: BitConverter.TryWriteBytes(at, (ushort)Math.Clamp(30000 + 150 * smooth, 0, 65535)); break;
                case RasterSampleType.Int16: BitConverter.TryWriteBytes(at, (short)Math.Clamp(250 * smooth, -32768, 32767)); break;
                case RasterSampleType.UInt32: BitConverter.TryWriteBytes(at, (uint)(4_000_000_000 + 1_000_000 * smooth)); break;
                case RasterSampleType.Int32: BitConverter.TryWriteBytes(at, (int)(-20_000_000 * smooth)); break;
                case RasterSampleType.Float32: BitConverter.TryWriteBytes(at, Special(i) ?? (float)(smooth / 7)); break;
                default: BitConverter.TryWriteBytes(at, (double?)Special(i) ?? smooth * 1e-3 + y); break;
            }
        }

        return bytes;
    }

    private static float? Special(int i) => (i % 997) switch
    {
        0 => float.NaN,
        1 => -0f,
        2 => float.PositiveInfinity,
        3 => float.NegativeInfinity,
        4 => float.Epsilon,
        5 => float.MaxValue,
        _ => null,
    };
}
