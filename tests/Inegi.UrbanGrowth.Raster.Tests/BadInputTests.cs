using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

public sealed class BadInputTests
{
    [Fact]
    public void Open_EmptyFile_DataFileException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.tif");
        File.WriteAllBytes(path, []);
        AssertNames(path, () => GeoTiffReader.Open(path));
    }

    [Fact]
    public void Open_RandomBytesAndText_DataFileException()
    {
        using var dir = new TempDirectory();
        string random = dir.File("random.tif");
        var bytes = new byte[5000];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(random, bytes);
        AssertNames(random, () => GeoTiffReader.Open(random));
        string text = dir.File("text.tif");
        File.WriteAllText(text, "this is not a tiff, just a text file\n");
        AssertNames(text, () => GeoTiffReader.Open(text));
        AssertNames(dir.File("missing.tif"), () => GeoTiffReader.Open(dir.File("missing.tif")));
    }

    [Fact]
    public void Read_TruncatedFile_DataFileException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("half.tif");
        byte[] full = File.ReadAllBytes(TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif"));
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        AssertNames(path, () =>
        {
            using GeoTiffReader reader = GeoTiffReader.Open(path);
            reader.ReadAllAsFloat();
        });
    }

    [Fact]
    public void Open_JpegCompression_DataFileException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("jpeg.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-b", "1", "-co", "COMPRESS=JPEG", TestData.Path("olinda-ls7-etm", "L7_ETMs.tif"), path);
        var e = AssertNames(path, () => GeoTiffReader.Open(path));
        Assert.Contains("compression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoGeoreferencing_DataFileException()
    {
        using var dir = new TempDirectory();
        string bin = GdalHelper.WriteEnvi(dir.Path, "plain", RasterSampleType.Byte, 10, 10, 1, new byte[100]);
        string path = dir.File("plain.tif");
        Oracles.RunGdal("gdal_translate", "-q", bin, path);
        var e = AssertNames(path, () => GeoTiffReader.Open(path));
        Assert.Contains("georeferencing", e.Message, StringComparison.Ordinal);
        using GeoTiffReader lenient = GeoTiffReader.Open(path, new GeoTiffReaderOptions { RequireGeoreferencing = false });
        Assert.Equal(new GeoTransform(0, 1, 0, 0, 0, 1), lenient.Info.GeoTransform);
        Assert.Null(lenient.Info.Epsg);
    }

    [Fact]
    public void Read_WindowOutside_DataFileExceptionNamesWindow()
    {
        string path = TestData.Path("olinda-ls7-etm", "L7_ETMs.tif");
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        var buffer = new float[33 * 33];
        var e = AssertNames(path, () => reader.ReadAsFloat(new PixelWindow(340, 10, 33, 33), [0], buffer));
        Assert.Contains("x 340, y 10, 33 x 33", e.Message, StringComparison.Ordinal);
        AssertNames(path, () => reader.ReadAsFloat(new PixelWindow(-1, 0, 33, 33), [0], buffer));
        Assert.Throws<ArgumentException>(() => reader.Read<ushort>(new PixelWindow(0, 0, 33, 33), [0], new ushort[33 * 33]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadAsFloat(new PixelWindow(0, 0, 33, 33), [9], buffer));
    }

    internal static DataFileException AssertNames(string path, Action action)
    {
        var e = Assert.Throws<DataFileException>(action);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }
}
