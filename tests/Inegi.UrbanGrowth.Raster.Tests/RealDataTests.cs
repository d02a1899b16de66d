using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

public sealed class RealDataTests
{
    internal static readonly string[] CanberraBands = [.. new[] { "B10", "B20", "B30", "B40", "B50", "B70" }
        .Select(b => TestData.Path("canberra-ls5-nbar", $"LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_{b}.tif"))];

    [Theory]
    [InlineData("portovelho-ls8-sr/LC08_232066_20190727.tif", 32620, -9999.0)]
    [InlineData("olinda-ls7-etm/L7_ETMs.tif", 31985, null)]
    [InlineData("canberra-ls5-nbar/LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_B40.tif", 28355, -999.0)]
    public void Read_RealFile_MatchesGdal(string relative, int epsg, double? noData)
    {
        using var dir = new TempDirectory();
        string path = TestData.Path(relative.Split('/'));
        double[] gdal = GdalHelper.ReadWithGdal(path, dir.Path);
        double[] gdalGt = ReaderLayoutTests.JsonGeoTransform(Oracles.RunGdal("gdalinfo", "-json", path));
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        Assert.Equal(epsg, reader.Info.Epsg);
        Assert.Equal(noData, reader.Info.NoData);
        Assert.Equal(gdalGt, reader.Info.GeoTransform.ToArray());
        Assert.Equal(Array.ConvertAll(gdal, v => (float)v), reader.ReadAllAsFloat());
    }

    [Fact]
    public void Mosaic_SixCanberraFiles_MatchGdalPerBand()
    {
        using var dir = new TempDirectory();
        using Mosaic mosaic = Mosaic.Open(CanberraBands);
        Assert.Equal(-999, mosaic.NoData);
        Assert.Equal(28355, mosaic.Epsg);
        var window = new PixelWindow(100, 200, 120, 90);
        var planes = new float[6 * window.PixelCount];
        mosaic.Read(window, planes);
        foreach (int b in new[] { 0, 5 })
        {
            double[] gdal = GdalHelper.ReadWithGdal(CanberraBands[b], dir.Path);
            double[] expected = GdalHelper.Window(gdal, mosaic.Width, mosaic.Height, [0], window);
            Assert.Equal(Array.ConvertAll(expected, v => (float)v), planes.AsSpan((int)(b * window.PixelCount), (int)window.PixelCount).ToArray());
        }

        // The bottom-left corner is the nodata wedge; the centre is clear.
        Assert.True(mosaic.ContainsNoData(new PixelWindow(0, mosaic.Height - 33, 33, 33)));
        Assert.True(mosaic.IsComplete(new PixelWindow(200, 150, 33, 33)));
        Assert.False(mosaic.IsComplete(new PixelWindow(mosaic.Width - 10, 0, 33, 33)));
    }

    [Fact]
    public void Mosaic_BandOrder_PicksFileBands()
    {
        string path = TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif");
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        using Mosaic reversed = Mosaic.Open(path, new MosaicOptions { BandOrder = BandOrder.FromBandNumbers(6, 5, 4, 3, 2, 1) });
        var window = new PixelWindow(10, 20, 40, 30);
        var expected = new float[6 * window.PixelCount];
        reader.ReadAsFloat(window, [5, 4, 3, 2, 1, 0], expected);
        var got = new float[expected.Length];
        reversed.Read(window, got);
        Assert.Equal(expected, got);
        var native = new short[expected.Length];
        reader.Read<short>(window, [5, 4, 3, 2, 1, 0], native);
        Assert.Equal(expected, Array.ConvertAll(native, v => (float)v));
    }

    [Fact]
    public void Mosaic_MismatchedFile_ErrorNamesFile()
    {
        string[] files = [.. CanberraBands];
        files[3] = TestData.Path("florida-ls8-l1t", "l8_B5.tif");
        var e = Assert.Throws<DataFileException>(() => Mosaic.Open(files));
        Assert.Contains("l8_B5.tif", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mosaic_BandOrderBeyondFile_ErrorNamesFile()
    {
        string path = TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif");
        var e = Assert.Throws<DataFileException>(() => Mosaic.Open(path, new MosaicOptions { BandOrder = BandOrder.LandsatOliB1ToB7 }));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
