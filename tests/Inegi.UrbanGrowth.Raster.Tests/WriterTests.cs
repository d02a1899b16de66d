using System.Text.Json;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

public sealed class WriterTests
{
    public static TheoryData<RasterSampleType, int, int, double> Cases => new()
    {
        { RasterSampleType.Byte, 2, 6372, 255 },
        { RasterSampleType.UInt16, 6, 32620, 0 },
        { RasterSampleType.Int16, 3, 28355, -999 },
        { RasterSampleType.Float32, 1, 4326, -9999.5 },
        { RasterSampleType.Int32, 1, 6372, -1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_Streaming_GdalReadsSameRaster(RasterSampleType type, int bands, int epsg, double noData)
    {
        using var dir = new TempDirectory();
        const int width = 300, height = 270;
        (double[] values, _) = GdalHelper.RandomRaster(type, width, height, bands, seed: epsg + bands);
        bool geographic = epsg == 4326;
        GeoTransform gt = geographic ? GeoTransform.NorthUp(-99.5, 19.75, 0.00025) : GeoTransform.NorthUp(2_500_000, 1_200_000, 30);
        string path = dir.File("out.tif");
        var options = new GeoTiffWriteOptions { Width = width, Height = height, BandCount = bands, SampleType = type, GeoTransform = gt, Epsg = epsg, NoData = noData };
        switch (type)
        {
            case RasterSampleType.Byte: Stream<byte>(); break;
            case RasterSampleType.UInt16: Stream<ushort>(); break;
            case RasterSampleType.Int16: Stream<short>(); break;
            case RasterSampleType.Float32: Stream<float>(); break;
            case RasterSampleType.Int32: Stream<int>(); break;
            default: throw new InvalidOperationException();
        }

        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        using var doc = JsonDocument.Parse(Oracles.RunGdal("gdalinfo", "-json", path));
        JsonElement root = doc.RootElement;
        Assert.Equal([width, height], root.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.EndsWith($"ID[\"EPSG\",{epsg}]]", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), StringComparison.Ordinal);
        Assert.Equal(gt.ToArray(), ReaderLayoutTests.JsonGeoTransform(doc.RootElement.GetRawText()));
        Assert.Equal("DEFLATE", root.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("COMPRESSION").GetString());
        JsonElement[] jsonBands = [.. root.GetProperty("bands").EnumerateArray()];
        Assert.Equal(bands, jsonBands.Length);
        foreach (JsonElement b in jsonBands)
        {
            Assert.Equal([256, 256], b.GetProperty("block").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(noData, b.GetProperty("noDataValue").GetDouble());
            Assert.Equal(type.ToString(), b.GetProperty("type").GetString());
        }

        Assert.Equal(values, GdalHelper.ReadWithGdal(path, dir.Path));

        void Stream<T>() where T : unmanaged, System.Numerics.INumberBase<T>
        {
            using GeoTiffWriter writer = GeoTiffWriter.Create(path, options);
            int[] heights = [33, 1, 100, 7, 129];
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

            Assert.False(File.Exists(path));
            writer.Commit();
        }
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("never.tif");
        using (GeoTiffWriter writer = GeoTiffWriter.Create(path, new GeoTiffWriteOptions { Width = 10, Height = 10, GeoTransform = GeoTransform.NorthUp(0, 0, 1), Epsg = 6372 }))
        {
            writer.WriteRows<byte>(new byte[50]);
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Commit_MissingRows_Throws()
    {
        using var dir = new TempDirectory();
        using GeoTiffWriter writer = GeoTiffWriter.Create(dir.File("x.tif"), new GeoTiffWriteOptions { Width = 10, Height = 10, GeoTransform = GeoTransform.NorthUp(0, 0, 1) });
        writer.WriteRows<byte>(new byte[50]);
        Assert.Throws<InvalidOperationException>(writer.Commit);
        Assert.Throws<ArgumentException>(() => writer.WriteRows<ushort>(new ushort[10]));
    }

    [Fact]
    public void Write_BigTiffOnRequest_GdalAndReaderAgree()
    {
        using var dir = new TempDirectory();
        string path = dir.File("big.tif");
        (double[] values, _) = GdalHelper.RandomRaster(RasterSampleType.UInt16, 70, 40, 2, 3);
        GeoTiffWriter.Write<ushort>(path, new GeoTiffWriteOptions
        {
            Width = 70, Height = 40, BandCount = 2, SampleType = RasterSampleType.UInt16, GeoTransform = GeoTransform.NorthUp(0, 4000, 30), Epsg = 32620,
            BigTiff = true, TileSize = 32, Compression = RasterCompression.Lzw,
        }, Array.ConvertAll(values, v => (ushort)v));
        byte[] header = File.ReadAllBytes(path)[..4];
        Assert.Equal(43, header[2]);
        Assert.Equal(values, GdalHelper.ReadWithGdal(path, dir.Path));
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        Assert.True(reader.Info.IsBigTiff);
        Assert.Equal(RasterCompression.Lzw, reader.Info.Compression);
        Assert.Equal(32, reader.Info.BlockWidth);
        Assert.Equal(Array.ConvertAll(values, v => (float)v), reader.ReadAllAsFloat());
    }

    [Fact]
    public void Create_InvalidOptions_ArgumentException()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(dir.File("a.tif"), new GeoTiffWriteOptions { Width = 0, Height = 10, GeoTransform = GeoTransform.NorthUp(0, 0, 1) }));
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(dir.File("a.tif"), new GeoTiffWriteOptions { Width = 10, Height = 10, TileSize = 100, GeoTransform = GeoTransform.NorthUp(0, 0, 1) }));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
