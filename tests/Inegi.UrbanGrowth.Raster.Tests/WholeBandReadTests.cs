using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>
/// The typed whole-band read (<see cref="GeoTiffReader.ReadBand{T}(int)"/>, <see cref="GeoTiffReader.ReadBandAsFloat"/>, and the static <c>ReadBand</c> of a path)
/// on real Landsat files, band by band against GDAL's values (gdal_translate to raw ENVI).
/// </summary>
public sealed class WholeBandReadTests
{
    [Fact]
    public void ReadBand_ByteFile_EveryBandIsGdalsBand()
    {
        AssertEveryBandMatchesGdal<byte>(TestData.Path("olinda-ls7-etm", "L7_ETMs.tif"), v => v);
    }

    [Fact]
    public void ReadBand_Int16File_EveryBandIsGdalsBand()
    {
        AssertEveryBandMatchesGdal<short>(TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif"), v => v);
    }

    [Fact]
    public void ReadBand_WrongTypeOrBand_IsAnArgumentError()
    {
        string path = TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif");
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        var type = Assert.Throws<ArgumentException>(() => reader.ReadBand<byte>(0));
        Assert.Contains("Int16", type.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadBand<short>(reader.Info.BandCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadBandAsFloat(-1));
    }

    private static void AssertEveryBandMatchesGdal<T>(string path, Func<T, double> toDouble) where T : unmanaged
    {
        using var dir = new TempDirectory();
        double[] gdal = GdalHelper.ReadWithGdal(path, dir.Path);
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        int plane = reader.Info.Width * reader.Info.Height;
        Assert.Equal(gdal.Length, plane * reader.Info.BandCount);
        for (int b = 0; b < reader.Info.BandCount; b++)
        {
            double[] expected = gdal.AsSpan(b * plane, plane).ToArray();
            T[] native = reader.ReadBand<T>(b);
            Assert.Equal(expected, Array.ConvertAll(native, v => toDouble(v)));
            Assert.Equal(Array.ConvertAll(expected, v => (float)v), reader.ReadBandAsFloat(b));
            Assert.Equal(native, GeoTiffReader.ReadBand<T>(path, b));
        }
    }
}
