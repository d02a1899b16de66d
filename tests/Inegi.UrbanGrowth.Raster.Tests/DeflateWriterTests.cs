using System.IO.Compression;
using System.Numerics;
using System.Text.Json;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>The writer's Deflate fast path (own predictor 2 + native zlib + WriteRawTile) against GDAL and LibTiff.NET.</summary>
public sealed class DeflateWriterTests
{
    // 530 x 300 in 256-pixel tiles: 3 x 2 tiles, the last column 18 wide and the last row 44 high (edge tiles both ways).
    private const int Width = 530, Height = 300;

    public static TheoryData<RasterSampleType, int> Cases => new()
    {
        { RasterSampleType.Byte, 1 },
        { RasterSampleType.Byte, 3 },
        { RasterSampleType.UInt16, 6 },
        { RasterSampleType.Int16, 2 },
        { RasterSampleType.Int32, 3 },
        { RasterSampleType.Float32, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_FastDeflate_GdalAndReaderReadSameValues(RasterSampleType type, int bands)
    {
        using var dir = new TempDirectory();
        (double[] values, _) = GdalHelper.RandomRaster(type, Width, Height, bands, seed: 17 * bands + (int)type);
        GeoTransform gt = GeoTransform.NorthUp(2_400_000, 1_100_000, 30);
        const double noData = 7;
        string path = dir.File("fast.tif");
        var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = bands, SampleType = type, GeoTransform = gt, Epsg = 6372, NoData = noData, MaxDegreeOfParallelism = 2 };
        WriteStreaming(path, options, values);

        using var doc = JsonDocument.Parse(Oracles.RunGdal("gdalinfo", "-json", path));
        JsonElement root = doc.RootElement;
        Assert.Equal([Width, Height], root.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.EndsWith("ID[\"EPSG\",6372]]", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), StringComparison.Ordinal);
        Assert.Equal(gt.ToArray(), ReaderLayoutTests.JsonGeoTransform(root.GetRawText()));
        JsonElement structure = root.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE");
        Assert.Equal("DEFLATE", structure.GetProperty("COMPRESSION").GetString());
        bool integer = type != RasterSampleType.Float32;
        Assert.Equal(integer, structure.TryGetProperty("PREDICTOR", out JsonElement predictor));
        if (integer)
        {
            Assert.Equal("2", predictor.GetString());
        }

        foreach (JsonElement b in root.GetProperty("bands").EnumerateArray())
        {
            Assert.Equal(noData, b.GetProperty("noDataValue").GetDouble());
            Assert.Equal(type.ToString(), b.GetProperty("type").GetString());
            Assert.Equal([256, 256], b.GetProperty("block").EnumerateArray().Select(e => e.GetInt32()));
        }

        Assert.Equal(values, GdalHelper.ReadWithGdal(path, dir.Path));

        using GeoTiffReader reader = GeoTiffReader.Open(path);
        Assert.Equal(RasterCompression.Deflate, reader.Info.Compression);
        var read = new float[values.Length];
        reader.ReadAsFloat(new PixelWindow(0, 0, Width, Height), read);
        Assert.Equal(Array.ConvertAll(values, v => (float)v), read);
    }

    [Fact]
    public void Write_ThreadCounts_ByteIdenticalFiles()
    {
        using var dir = new TempDirectory();
        // 64-pixel tiles: 11 tiles across, so one worker takes them in groups of 2 and two workers in groups of 4.
        const int width = 700, height = 200, bands = 6;
        (double[] values, _) = GdalHelper.RandomRaster(RasterSampleType.UInt16, width, height, bands, seed: 5);
        var options = new GeoTiffWriteOptions { Width = width, Height = height, BandCount = bands, SampleType = RasterSampleType.UInt16, GeoTransform = GeoTransform.NorthUp(0, 0, 30), Epsg = 6372, TileSize = 64 };
        string one = dir.File("one.tif"), two = dir.File("two.tif"), all = dir.File("all.tif");
        WriteStreaming(one, options with { MaxDegreeOfParallelism = 1 }, values);
        WriteStreaming(two, options with { MaxDegreeOfParallelism = 2 }, values);
        WriteStreaming(all, options with { MaxDegreeOfParallelism = -1 }, values);
        byte[] reference = File.ReadAllBytes(one);
        Assert.Equal(reference, File.ReadAllBytes(two));
        Assert.Equal(reference, File.ReadAllBytes(all));
        Assert.Equal(values, GdalHelper.ReadWithGdal(two, dir.Path));
    }

    [Theory]
    [InlineData(RasterSampleType.Byte, 2)]
    [InlineData(RasterSampleType.UInt16, 6)]
    [InlineData(RasterSampleType.Int32, 1)]
    public void Write_FastAndLibTiffDeflate_SameDecodedTiles(RasterSampleType type, int bands)
    {
        using var dir = new TempDirectory();
        (double[] values, _) = GdalHelper.RandomRaster(type, Width, Height, bands, seed: 3);
        var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = bands, SampleType = type, GeoTransform = GeoTransform.NorthUp(0, 0, 30), Epsg = 6372 };
        string fast = dir.File("fast.tif"), slow = dir.File("slow.tif");
        WriteStreaming(fast, options, values);
        WriteStreaming(slow, options with { UseLibTiffDeflate = true }, values);

        // LibTiff.NET's own predictor and zlib decode both files (no fast path on the read side: tiles decoded by
        // ReadEncodedTile), so the fast writer is checked against an independent predictor implementation.
        Assert.Equal(DecodeTilesWithLibTiff(slow), DecodeTilesWithLibTiff(fast));
        Assert.Equal(values, GdalHelper.ReadWithGdal(slow, dir.Path));
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void Write_DeflateLevels_GdalReadsSameValues(CompressionLevel level)
    {
        using var dir = new TempDirectory();
        (double[] values, _) = GdalHelper.RandomRaster(RasterSampleType.UInt16, Width, Height, 2, seed: 11);
        var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = 2, SampleType = RasterSampleType.UInt16, GeoTransform = GeoTransform.NorthUp(0, 0, 30), Epsg = 6372 };
        string fastest = dir.File("fastest.tif"), other = dir.File("other.tif");
        WriteStreaming(fastest, options, values);
        WriteStreaming(other, options with { DeflateLevel = level }, values);
        Assert.Equal(values, GdalHelper.ReadWithGdal(other, dir.Path));
        if (level == CompressionLevel.NoCompression)
        {
            Assert.True(new FileInfo(other).Length > new FileInfo(fastest).Length);
        }
    }

    [Fact]
    public void Difference_MatchesScalarDefinition()
    {
        // Rows of 3 pixels x 5 bands (15 samples, longer than some vector widths, shorter than others), 4 rows.
        var rng = new Random(2);
        var data = new ushort[4 * 15];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (ushort)rng.Next(0, 65536);
        }

        var expected = (ushort[])data.Clone();
        for (int r = 0; r < 4; r++)
        {
            for (int i = 14; i >= 5; i--)
            {
                expected[r * 15 + i] = unchecked((ushort)(data[r * 15 + i] - data[r * 15 + i - 5]));
            }
        }

        GeoTiffWriter.Difference<ushort>(data, 15, 5);
        Assert.Equal(expected, data);

        var bytes = new byte[2 * 300];
        rng.NextBytes(bytes);
        var expectedBytes = (byte[])bytes.Clone();
        for (int r = 0; r < 2; r++)
        {
            for (int i = 299; i >= 1; i--)
            {
                expectedBytes[r * 300 + i] = unchecked((byte)(bytes[r * 300 + i] - bytes[r * 300 + i - 1]));
            }
        }

        GeoTiffWriter.Difference<byte>(bytes, 300, 1);
        Assert.Equal(expectedBytes, bytes);
    }

    [Fact]
    public void Create_InvalidParallelismOrLevel_ArgumentException()
    {
        using var dir = new TempDirectory();
        var options = new GeoTiffWriteOptions { Width = 10, Height = 10, GeoTransform = GeoTransform.NorthUp(0, 0, 1) };
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(dir.File("a.tif"), options with { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(dir.File("a.tif"), options with { DeflateLevel = (CompressionLevel)42 }));
    }

    private static byte[] DecodeTilesWithLibTiff(string path)
    {
        using BitMiracle.LibTiff.Classic.Tiff tiff = BitMiracle.LibTiff.Classic.Tiff.Open(path, "r");
        int tiles = tiff.NumberOfTiles();
        int size = tiff.TileSize();
        var all = new byte[tiles * size];
        for (int t = 0; t < tiles; t++)
        {
            Assert.Equal(size, tiff.ReadEncodedTile(t, all, t * size, size));
        }

        return all;
    }

    private static void WriteStreaming(string path, GeoTiffWriteOptions options, double[] values)
    {
        switch (options.SampleType)
        {
            case RasterSampleType.Byte: Stream<byte>(); break;
            case RasterSampleType.UInt16: Stream<ushort>(); break;
            case RasterSampleType.Int16: Stream<short>(); break;
            case RasterSampleType.Int32: Stream<int>(); break;
            case RasterSampleType.Float32: Stream<float>(); break;
            default: throw new InvalidOperationException();
        }

        void Stream<T>() where T : unmanaged, INumberBase<T>
        {
            int width = options.Width, height = options.Height, bands = options.BandCount;
            using GeoTiffWriter writer = GeoTiffWriter.Create(path, options);
            int[] heights = [40, 3, 129, 250];
            int y = 0, k = 0;
            while (y < height)
            {
                int n = Math.Min(heights[k++ % heights.Length], height - y);
                var chunk = new T[bands * n * width];
                for (int b = 0; b < bands; b++)
                {
                    for (int r = 0; r < n; r++)
                    {
                        for (int x = 0; x < width; x++)
                        {
                            chunk[(b * n + r) * width + x] = T.CreateTruncating(values[(long)b * width * height + (long)(y + r) * width + x]);
                        }
                    }
                }

                writer.WriteRows<T>(chunk);
                y += n;
            }

            writer.Commit();
        }
    }
}
