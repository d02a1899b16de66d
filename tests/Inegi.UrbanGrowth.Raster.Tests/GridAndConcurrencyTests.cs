using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

public sealed class GridAndConcurrencyTests
{
    [Fact]
    public void CellGrid_OverCanberra_PatchCentresMatchGdalLocationInfo()
    {
        using var dir = new TempDirectory();
        using Mosaic mosaic = Mosaic.Open(RealDataTests.CanberraBands);
        // A 1 km grid whose edges do not fall on the 25 m pixel edges: origin 137 m east and 61 m south of the mosaic's.
        GeoTransform m = mosaic.GeoTransform;
        const int gw = 12, gh = 11;
        var labels = new byte[gw * gh];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)(i % 7 == 0 ? 255 : i % 3 == 0 ? 1 : 0);
        }

        string gridPath = dir.File("grid.tif");
        GeoTiffWriter.Write<byte>(gridPath, new GeoTiffWriteOptions
        {
            Width = gw, Height = gh, GeoTransform = GeoTransform.NorthUp(m.OriginX + 137, m.OriginY - 61, 1000), Epsg = 28355, NoData = 255,
        }, labels);

        using CellGrid grid = CellGrid.Open(gridPath, mosaic);
        Assert.Equal(labels, grid.ReadAllLabels());
        var firstRows = new byte[2 * gw];
        grid.ReadLabels(3, 2, firstRows);
        Assert.Equal(labels.AsSpan(3 * gw, 2 * gw).ToArray(), firstRows);
        Assert.Equal(5L * gw + 7, grid.CellId(5, 7));
        Assert.Equal((5, 7), grid.CellOf(5L * gw + 7));

        foreach ((int row, int col) in new[] { (0, 0), (5, 7), (10, 11), (3, 2) })
        {
            (double x, double y) = grid.CellCenter(row, col);
            string location = Oracles.RunGdal("gdallocationinfo", "-xml", "-geoloc", RealDataTests.CanberraBands[0],
                x.ToString("R", CultureInfo.InvariantCulture), y.ToString("R", CultureInfo.InvariantCulture));
            var match = System.Text.RegularExpressions.Regex.Match(location, "pixel=\"(\\d+)\" line=\"(\\d+)\"");
            Assert.True(match.Success, location);
            (int px, int py) = grid.CenterPixel(row, col);
            Assert.Equal(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), px);
            Assert.Equal(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), py);
            Assert.Equal(new PixelWindow(px - 16, py - 16, 33, 33), grid.PatchWindow(row, col));
        }

        // Rows of patches for one row of cells: every window of the row lies within them.
        for (int row = 0; row < gh; row++)
        {
            (int first, int count) = grid.PatchRows(row);
            for (int col = 0; col < gw; col++)
            {
                PixelWindow w = grid.PatchWindow(row, col);
                if (grid.IsPatchInside(row, col))
                {
                    Assert.True(w.Y >= first && w.Bottom <= first + count);
                }
            }
        }

        // Cell (10, 0) sits over the nodata wedge at the bottom-left; cell (5, 7) in the clear centre.
        Assert.False(grid.IsComplete(10, 0, mosaic));
        Assert.True(grid.IsComplete(5, 7, mosaic));
    }

    [Fact]
    public void CellGrid_CrsMismatch_ErrorNamesBothFilesAndCodes()
    {
        using var dir = new TempDirectory();
        string gridPath = dir.File("grid.tif");
        GeoTiffWriter.Write<byte>(gridPath, new GeoTiffWriteOptions { Width = 4, Height = 4, GeoTransform = GeoTransform.NorthUp(2_500_000, 1_000_000, 1000), Epsg = 6372 }, new byte[16]);
        using Mosaic mosaic = Mosaic.Open(RealDataTests.CanberraBands);
        var e = BadInputTests.AssertNames(gridPath, () => CellGrid.Open(gridPath, mosaic));
        Assert.Contains("6372", e.Message, StringComparison.Ordinal);
        Assert.Contains("28355", e.Message, StringComparison.Ordinal);
        Assert.Contains(RealDataTests.CanberraBands[0], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ParallelRandomWindows_EqualSerial()
    {
        using var dir = new TempDirectory();
        string tif = ReaderLayoutTests.Translate(dir, RasterSampleType.Int16, 6, "TILED=YES BLOCKXSIZE=32 BLOCKYSIZE=32 COMPRESS=DEFLATE PREDICTOR=2", out double[] source);
        var windows = new PixelWindow[400];
        var rng = new Random(11);
        for (int i = 0; i < windows.Length; i++)
        {
            int w = rng.Next(1, 60), h = rng.Next(1, 60);
            windows[i] = new PixelWindow(rng.Next(0, 203 - w + 1), rng.Next(0, 157 - h + 1), w, h);
        }

        float[][] serial = new float[windows.Length][];
        using (GeoTiffReader reader = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { BlockCacheBytes = 0, MaxConcurrentDecoders = 1 }))
        {
            for (int i = 0; i < windows.Length; i++)
            {
                serial[i] = new float[6 * windows[i].PixelCount];
                reader.ReadAsFloat(windows[i], serial[i]);
            }
        }

        // A small cache so that blocks are evicted while other threads still copy from them.
        using GeoTiffReader shared = GeoTiffReader.Open(tif, new GeoTiffReaderOptions { BlockCacheBytes = 40_000, MaxConcurrentDecoders = 3 });
        float[][] parallel = new float[windows.Length][];
        Parallel.For(0, windows.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            parallel[i] = new float[6 * windows[i].PixelCount];
            shared.ReadAsFloat(windows[i], parallel[i]);
        });
        for (int i = 0; i < windows.Length; i++)
        {
            Assert.Equal(serial[i], parallel[i]);
        }

        Assert.Equal(Array.ConvertAll(GdalHelper.Window(source, 203, 157, [0, 1, 2, 3, 4, 5], windows[0]), v => (float)v), serial[0]);
    }

    [Fact]
    public void Read_ScanIn33RowBands_DecodesEachBlockOnce()
    {
        using var dir = new TempDirectory();
        string tif = ReaderLayoutTests.Translate(dir, RasterSampleType.UInt16, 6, "TILED=YES BLOCKXSIZE=64 BLOCKYSIZE=64 COMPRESS=DEFLATE PREDICTOR=2", out double[] source);
        using GeoTiffReader reader = GeoTiffReader.Open(tif);
        var band = new float[6 * 203 * 33];
        for (int y = 0; y < 157; y += 33)
        {
            int h = Math.Min(33, 157 - y);
            reader.ReadAsFloat(new PixelWindow(0, y, 203, h), band);
        }

        Assert.Equal(4 * 3, reader.BlocksDecoded);
        Assert.Equal((float)source[0], band[0] == band[0] ? ReadOne(reader) : float.NaN);
    }

    private static float ReadOne(GeoTiffReader reader)
    {
        var one = new float[1];
        reader.ReadAsFloat(new PixelWindow(0, 0, 1, 1), [0], one);
        return one[0];
    }
}
