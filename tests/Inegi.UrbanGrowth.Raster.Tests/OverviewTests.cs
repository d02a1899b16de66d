using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>
/// Internal overviews written by <see cref="GeoTiffWriter"/> (reduced-resolution directories after the main image):
/// GDAL sees them, their values are those of <c>gdaladdo -r average</c> (GDAL 3.6: each level from the one before,
/// partial pixels weighted, nodata left out), and every reader of this project still reads the full-resolution image.
/// </summary>
public sealed class OverviewTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Reads every overview of two files with GDAL's Python bindings and prints, per level and band: size, pixels
    // that differ, the largest difference, and pixels that are nodata in one file only.
    private const string CompareOverviews = """
        import sys
        import numpy as np
        from osgeo import gdal
        a, b = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
        for band in range(1, a.RasterCount + 1):
            ba, bb = a.GetRasterBand(band), b.GetRasterBand(band)
            assert ba.GetOverviewCount() == bb.GetOverviewCount(), (ba.GetOverviewCount(), bb.GetOverviewCount())
            for k in range(ba.GetOverviewCount()):
                x = ba.GetOverview(k).ReadAsArray().astype(np.float64)
                y = bb.GetOverview(k).ReadAsArray().astype(np.float64)
                nan = np.isnan(x) != np.isnan(y)
                both = ~np.isnan(x) & ~np.isnan(y)
                d = np.abs(x - y)[both]
                print(band, k, x.shape[1], x.shape[0], int((d > 0).sum()), float(d.max()) if d.size else 0.0, int(nan.sum()), x.size)
        """;

    public static TheoryData<RasterSampleType, int, int, int, double> Cases => new()
    {
        // Sizes not divisible by the factors: the last overview pixels of a row or column cover partial source pixels.
        { RasterSampleType.UInt16, 3, 301, 203, 0 },
        { RasterSampleType.UInt16, 1, 256, 192, 0 },
        { RasterSampleType.Byte, 2, 97, 130, 255 },
        { RasterSampleType.Float32, 1, 150, 77, double.NaN },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Overviews_AreGdaladdoAverage_AndTheFullImageReadsUnchanged(RasterSampleType type, int bands, int width, int height, double noData)
    {
        (double[] values, _) = GdalHelper.RandomRaster(type, width, height, bands, seed: width + bands);
        var rng = new Random(7);
        for (int i = 0; i < values.Length; i++)
        {
            // Nodata holes: scattered pixels and a block, so that some overview pixels average fewer sources or none.
            int x = i % width, y = i / width % height;
            if (rng.NextDouble() < 0.15 || (x < 40 && y < 30))
            {
                values[i] = noData;
            }
        }

        var options = new GeoTiffWriteOptions
        {
            Width = width, Height = height, BandCount = bands, SampleType = type, GeoTransform = GeoTransform.NorthUp(500_000, 2_000_000, 30),
            Epsg = 32614, NoData = noData, TileSize = 32,
        };
        string ours = _dir.File("ours.tif"), plain = _dir.File("plain.tif");
        Write(ours, options with { OverviewFactors = [2, 4, 8] }, values, type);
        Write(plain, options, values, type);

        // gdaladdo on the file written without overviews: GDAL's own average.
        Oracles.RunGdal("gdaladdo", "-q", "-r", "average", plain, "2", "4", "8");
        string info = Oracles.RunGdal("gdalinfo", ours);
        int w2 = (width + 1) / 2, h2 = (height + 1) / 2, w4 = (width + 3) / 4, h4 = (height + 3) / 4, w8 = (width + 7) / 8, h8 = (height + 7) / 8;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Overviews: {w2}x{h2}, {w4}x{h4}, {w8}x{h8}"), info, StringComparison.Ordinal);

        int levels = 0;
        foreach (string line in Oracles.RunPython(CompareOverviews, [ours, plain]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(' ');
            int differing = int.Parse(f[4], CultureInfo.InvariantCulture);
            double maxDifference = double.Parse(f[5], CultureInfo.InvariantCulture);
            Assert.Equal(0, int.Parse(f[6], CultureInfo.InvariantCulture)); // the same nodata pixels
            if (type == RasterSampleType.Float32)
            {
                // The same means but for the float rounding of the sums: relative 1e-6.
                Assert.True(maxDifference <= 1e-6 * 70000, line);
            }
            else
            {
                // GDAL's windows, edge weights, summation order and rounding: the same values.
                Assert.True(differing == 0, line);
            }

            levels++;
        }

        Assert.Equal(3 * bands, levels);

        // The first directory is the full image: this project's reader and GDAL read it as written.
        using var reader = GeoTiffReader.Open(ours);
        Assert.Equal((width, height, bands), (reader.Info.Width, reader.Info.Height, reader.Info.BandCount));
        var read = new float[values.Length];
        reader.ReadAsFloat(new PixelWindow(0, 0, width, height), read);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal((float)values[i], read[i]);
        }

        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", ours, _dir.File("full.raw"));
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", plain, _dir.File("plain.raw"));
        Assert.Equal(File.ReadAllBytes(_dir.File("plain.raw")), File.ReadAllBytes(_dir.File("full.raw")));
    }

    [Fact]
    public void OverviewFactors_GoDownToOneTile_AndBadFactorsAreRefused()
    {
        Assert.Equal([2, 4, 8], GeoTiffWriter.OverviewFactorsFor(2000, 900, 256));
        Assert.Equal([2], GeoTiffWriter.OverviewFactorsFor(300, 320, 256));
        Assert.Empty(GeoTiffWriter.OverviewFactorsFor(256, 100, 256));
        var options = new GeoTiffWriteOptions { Width = 10, Height = 10, GeoTransform = GeoTransform.NorthUp(0, 10, 1) };
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(_dir.File("a.tif"), options with { OverviewFactors = [4, 2] }));
        Assert.Throws<ArgumentException>(() => GeoTiffWriter.Create(_dir.File("b.tif"), options with { OverviewFactors = [1] }));
        Assert.False(File.Exists(_dir.File("a.tif")));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AnUncommittedWriter_LeavesNoOverviewFiles()
    {
        var options = new GeoTiffWriteOptions
        {
            Width = 100, Height = 100, SampleType = RasterSampleType.UInt16, GeoTransform = GeoTransform.NorthUp(0, 100, 1), TileSize = 16, OverviewFactors = [2, 4],
        };
        using (GeoTiffWriter writer = GeoTiffWriter.Create(_dir.File("x.tif"), options))
        {
            writer.WriteRows<ushort>(new ushort[50 * 100]);
        }

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    private static void Write(string path, GeoTiffWriteOptions options, double[] values, RasterSampleType type)
    {
        switch (type)
        {
            case RasterSampleType.Byte: GeoTiffWriter.Write<byte>(path, options, Array.ConvertAll(values, v => (byte)v)); break;
            case RasterSampleType.UInt16: GeoTiffWriter.Write<ushort>(path, options, Array.ConvertAll(values, v => (ushort)v)); break;
            default: GeoTiffWriter.Write<float>(path, options, Array.ConvertAll(values, v => (float)v)); break;
        }
    }
}
