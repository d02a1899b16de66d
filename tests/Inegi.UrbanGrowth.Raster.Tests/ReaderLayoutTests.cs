using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

public sealed class ReaderLayoutTests
{
    private const int W = 203, H = 157;

    public static TheoryData<RasterSampleType, int, string> Layouts => new()
    {
        { RasterSampleType.Byte, 3, "TILED=NO COMPRESS=NONE" },
        { RasterSampleType.Byte, 2, "TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=32 COMPRESS=PACKBITS INTERLEAVE=BAND" },
        { RasterSampleType.UInt16, 6, "TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=48 COMPRESS=DEFLATE PREDICTOR=2 INTERLEAVE=PIXEL" },
        { RasterSampleType.UInt16, 6, "TILED=NO BLOCKYSIZE=7 COMPRESS=PACKBITS INTERLEAVE=BAND BIGTIFF=YES" },
        { RasterSampleType.UInt16, 1, "TILED=NO COMPRESS=LZW PREDICTOR=2 ENDIANNESS=BIG" },
        { RasterSampleType.Int16, 3, "TILED=YES BLOCKXSIZE=32 BLOCKYSIZE=32 COMPRESS=LZW PREDICTOR=2 INTERLEAVE=BAND" },
        { RasterSampleType.Int16, 6, "TILED=YES COMPRESS=DEFLATE PREDICTOR=2 ENDIANNESS=BIG" },
        { RasterSampleType.Int16, 2, "TILED=YES COMPRESS=DEFLATE PREDICTOR=2 BIGTIFF=YES" },
        { RasterSampleType.Int16, 2, "TILED=NO COMPRESS=NONE INTERLEAVE=PIXEL ENDIANNESS=BIG" },
        { RasterSampleType.Float32, 2, "TILED=YES BLOCKXSIZE=48 BLOCKYSIZE=16 COMPRESS=DEFLATE PREDICTOR=3" },
        { RasterSampleType.Float32, 3, "TILED=NO BLOCKYSIZE=10 COMPRESS=LZW PREDICTOR=3 INTERLEAVE=BAND" },
        { RasterSampleType.Float32, 2, "TILED=YES COMPRESS=DEFLATE PREDICTOR=1 ENDIANNESS=BIG" },
        { RasterSampleType.Float32, 1, "TILED=NO COMPRESS=NONE PREDICTOR=3 ENDIANNESS=BIG" },
        { RasterSampleType.Float32, 1, "TILED=NO COMPRESS=DEFLATE PREDICTOR=1" },
        { RasterSampleType.Int32, 2, "TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=64 COMPRESS=DEFLATE PREDICTOR=2" },
        { RasterSampleType.UInt32, 1, "TILED=NO COMPRESS=LZW" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_GdalLayout_MatchesGdalValues(RasterSampleType type, int bands, string creationOptions)
    {
        using var dir = new TempDirectory();
        // GDAL wrote the source values losslessly (the ENVI -> GTiff round trip through GDAL itself is checked for
        // the big-endian and BigTIFF layouts, the ones most likely to go wrong), so they are GDAL's values.
        string tif = Translate(dir, type, bands, creationOptions, out double[] source);
        double[] gdal = source;
        if (creationOptions.Contains("BIG", StringComparison.Ordinal))
        {
            Assert.Equal(source, GdalHelper.ReadWithGdal(tif, dir.Path));
        }

        using GeoTiffReader reader = GeoTiffReader.Open(tif);
        Assert.Equal(W, reader.Info.Width);
        Assert.Equal(H, reader.Info.Height);
        Assert.Equal(bands, reader.Info.BandCount);
        Assert.Equal(type, reader.Info.SampleType);
        Assert.Equal(32614, reader.Info.Epsg);
        Assert.Equal(creationOptions.Contains("TILED=YES", StringComparison.Ordinal), reader.Info.IsTiled);
        Assert.Equal(creationOptions.Contains("BIGTIFF=YES", StringComparison.Ordinal), reader.Info.IsBigTiff);
        if (creationOptions.Contains("INTERLEAVE=", StringComparison.Ordinal))
        {
            Assert.Equal(creationOptions.Contains("INTERLEAVE=BAND", StringComparison.Ordinal) && bands > 1, reader.Info.IsBandInterleaved);
        }
        Assert.Equal(new GeoTransform(500000, 30, 0, 2000000, 0, -30), reader.Info.GeoTransform);

        float[] all = reader.ReadAllAsFloat();
        Assert.Equal(Array.ConvertAll(gdal, v => (float)v), all);

        var rng = new Random(7);
        for (int i = 0; i < 25; i++)
        {
            int w = rng.Next(1, 80), h = rng.Next(1, 80);
            var window = new PixelWindow(rng.Next(0, W - w + 1), rng.Next(0, H - h + 1), w, h);
            // Every fifth window reads all bands in order: the mosaic layout's one-pass copy (six UInt16 bands, pixel-interleaved).
            int[] bandList = i % 5 == 0 ? [.. Enumerable.Range(0, bands)] : [.. Enumerable.Range(0, rng.Next(1, bands + 1)).Select(_ => rng.Next(bands))];
            double[] expected = GdalHelper.Window(gdal, W, H, bandList, window);
            var got = new float[expected.Length];
            reader.ReadAsFloat(window, bandList, got);
            Assert.Equal(Array.ConvertAll(expected, v => (float)v), got);
            AssertNative(reader, window, bandList, expected);
        }
    }

    [Fact]
    public void Open_FloatingPointPredictorBigEndian_ClearError()
    {
        // LibTiff.NET decodes predictor 3 in big-endian files wrongly, so the reader refuses them rather than return wrong values.
        using var dir = new TempDirectory();
        string tif = Translate(dir, RasterSampleType.Float32, 1, "TILED=NO COMPRESS=LZW PREDICTOR=3 ENDIANNESS=BIG", out _);
        var e = Assert.Throws<DataFileException>(() => GeoTiffReader.Open(tif));
        Assert.Contains(tif, e.Message, StringComparison.Ordinal);
        Assert.Contains("predictor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeflateTag32946_MatchesGdalValues()
    {
        using var dir = new TempDirectory();
        string tif = Translate(dir, RasterSampleType.UInt16, 2, "TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=64 COMPRESS=DEFLATE PREDICTOR=2", out double[] source);
        GdalHelper.PatchCompressionTag(tif, 32946);
        Assert.Equal(source, GdalHelper.ReadWithGdal(tif, dir.Path));
        using GeoTiffReader reader = GeoTiffReader.Open(tif);
        Assert.Equal(RasterCompression.Deflate, reader.Info.Compression);
        Assert.Equal(Array.ConvertAll(source, v => (float)v), reader.ReadAllAsFloat());
    }

    [Fact]
    public void Open_PixelIsPoint_ShiftsHalfPixelAsGdal()
    {
        using var dir = new TempDirectory();
        string tif = Translate(dir, RasterSampleType.Byte, 1, "TILED=NO", out _, "-mo", "AREA_OR_POINT=Point");
        string json = Oracles.RunGdal("gdalinfo", "-json", tif);
        double[] gdalGt = JsonGeoTransform(json);
        using GeoTiffReader reader = GeoTiffReader.Open(tif);
        Assert.Equal(gdalGt, reader.Info.GeoTransform.ToArray());
    }

    [Fact]
    public void Open_ModelTransformation_ReadsRotatedGeoTransform()
    {
        using var dir = new TempDirectory();
        string src = Translate(dir, RasterSampleType.Byte, 1, "TILED=NO", out _);
        string vrtGt = Path.Combine(dir.Path, "rot.tif");
        // gdal_edit is python; instead write a rotated transform through our writer and let gdalinfo read it back.
        var gt = new GeoTransform(1000, 10, 2, 5000, 1.5, -10);
        GeoTiffWriter.Write<byte>(vrtGt, new GeoTiffWriteOptions { Width = 20, Height = 10, GeoTransform = gt, Epsg = 32614 }, new byte[200]);
        Assert.Equal(gt.ToArray(), JsonGeoTransform(Oracles.RunGdal("gdalinfo", "-json", vrtGt)));
        using GeoTiffReader reader = GeoTiffReader.Open(vrtGt);
        Assert.Equal(gt, reader.Info.GeoTransform);
        Assert.True(File.Exists(src));
    }

    internal static double[] JsonGeoTransform(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble())];
    }

    internal static string Translate(TempDirectory dir, RasterSampleType type, int bands, string creationOptions, out double[] source, params string[] extra)
    {
        (double[] values, byte[] bytes) = GdalHelper.RandomRaster(type, W, H, bands, seed: creationOptions.Length * 31 + bands);
        source = values;
        string bin = GdalHelper.WriteEnvi(dir.Path, "src", type, W, H, bands, bytes);
        string tif = dir.File("out.tif");
        var args = new List<string> { "-q", "-of", "GTiff", "-a_srs", "EPSG:32614", "-a_ullr", "500000", "2000000", (500000 + 30 * W).ToString(System.Globalization.CultureInfo.InvariantCulture), (2000000 - 30 * H).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (string co in creationOptions.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            args.Add("-co");
            args.Add(co);
        }

        args.AddRange(extra);
        args.Add(bin);
        args.Add(tif);
        Oracles.RunGdal("gdal_translate", [.. args]);
        return tif;
    }

    private static void AssertNative(GeoTiffReader reader, PixelWindow window, int[] bands, double[] expected)
    {
        switch (reader.Info.SampleType)
        {
            case RasterSampleType.Byte: Check<byte>(); break;
            case RasterSampleType.UInt16: Check<ushort>(); break;
            case RasterSampleType.Int16: Check<short>(); break;
            case RasterSampleType.Int32: Check<int>(); break;
            case RasterSampleType.UInt32: Check<uint>(); break;
            case RasterSampleType.Float32: Check<float>(); break;
            default: throw new InvalidOperationException();
        }

        void Check<T>() where T : unmanaged, System.Numerics.INumberBase<T>
        {
            var got = new T[expected.Length];
            reader.Read<T>(window, bands, got);
            Assert.Equal(expected, Array.ConvertAll(got, v => double.CreateTruncating(v)));
        }
    }
}
