using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Testing;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering.Tests;

public sealed class RealSceneAndChartTests
{
    /// <summary>Set URBANGROWTH_PICTURES to a folder to keep the pictures for a look.</summary>
    private static void Keep(string name, byte[] png)
    {
        string? folder = Environment.GetEnvironmentVariable("URBANGROWTH_PICTURES");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            PngFile.Write(Path.Combine(folder, name), png);
        }
    }

    /// <summary>Reads a Canberra band with GDAL (independent reader): Int16 reflectance x 10000, -999 nodata.</summary>
    private static float[] ReadBand(TempDirectory dir, string suffix, out int width, out int height)
    {
        string src = TestData.Path("canberra-ls5-nbar", "LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_" + suffix + ".tif");
        string raw = dir.File(suffix + ".img");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-ot", "Int16", src, raw);
        string hdr = File.ReadAllText(dir.File(suffix + ".hdr"));
        width = int.Parse(hdr.Split("samples = ")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        height = int.Parse(hdr.Split("lines   = ")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        byte[] bytes = File.ReadAllBytes(raw);
        float[] values = new float[width * height];
        for (int i = 0; i < values.Length; i++)
        {
            short v = BitConverter.ToInt16(bytes, 2 * i);
            values[i] = v == -999 ? float.NaN : v * 1e-4f;
        }

        return values;
    }

    [Fact]
    public void TrueColor_CanberraWithOverlay_StretchedNodataTransparentCellsOutlined()
    {
        using var dir = new TempDirectory();
        float[] blue = ReadBand(dir, "B10", out int w, out int h);
        float[] green = ReadBand(dir, "B20", out _, out _);
        float[] red = ReadBand(dir, "B30", out _, out _);
        float[] planes = [.. blue, .. green, .. red];

        // Cells of 33 px: "urban" where the mean red reflectance is high (a stand-in classification for the picture).
        int cols = w / 33, rows = h / 33;
        byte[] classes = new byte[cols * rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                int n = 0;
                for (int y = r * 33; y < (r + 1) * 33; y++)
                {
                    for (int x = c * 33; x < (c + 1) * 33; x++)
                    {
                        if (float.IsFinite(red[(y * w) + x]))
                        {
                            sum += red[(y * w) + x];
                            n++;
                        }
                    }
                }

                classes[(r * cols) + c] = n < 1089 ? (byte)255 : sum / n > 0.07 ? (byte)1 : (byte)0;
            }
        }

        var overlay = new CellOverlay(classes, cols, rows, 33);
        byte[] png = QuickLook.TrueColor(planes, 3, w, h, "Canberra 1992-03-23 (Landsat 5 TM)", overlay);
        Keep("canberra_truecolor.png", png);
        using SKBitmap bmp = SKBitmap.Decode(png);
        int scale = 800 / w; // 456 px wide: scale 1
        Assert.Equal(1, scale);
        Assert.True(bmp.Width > w + 24);
        Assert.True(bmp.Height >= h + 40);

        // Bottom-left corner is the scene's nodata wedge: transparent.
        Assert.True(float.IsNaN(red[((h - 1) * w) + 0]));
        Assert.Equal(0, bmp.GetPixel(12, 40 + h - 1).Alpha);

        // A valid pixel outside urban cells: its red channel is the 2-98 % stretch of the red band.
        float[] sorted = [.. red.Where(float.IsFinite)];
        Array.Sort(sorted);
        float low = sorted[(int)Math.Round(0.02 * (sorted.Length - 1))];
        float high = sorted[(int)Math.Round(0.98 * (sorted.Length - 1))];
        int checkedPixels = 0;
        for (int r = 0; r < rows && checkedPixels < 5; r++)
        {
            for (int c = 0; c < cols && checkedPixels < 5; c++)
            {
                if (classes[(r * cols) + c] != 0)
                {
                    continue;
                }

                int x = (c * 33) + 16, y = (r * 33) + 16;
                byte expected = (byte)Math.Clamp(Math.Round(255.0 * (red[(y * w) + x] - low) / (high - low)), 0, 255);
                Assert.InRange(bmp.GetPixel(12 + x, 40 + y).Red, expected - 1, expected + 1);
                checkedPixels++;
            }
        }

        Assert.Equal(5, checkedPixels);

        // An urban cell's top-left corner carries the red outline.
        int urban = Array.IndexOf(classes, (byte)1);
        Assert.True(urban >= 0);
        SKColor edge = bmp.GetPixel(12 + ((urban % cols) * 33) + 10, 40 + ((urban / cols) * 33));
        Assert.True(edge.Red > 200 && edge.Green < 100 && edge.Blue < 100, edge.ToString());
        Assert.Equal(png, QuickLook.TrueColor(planes, 3, w, h, "Canberra 1992-03-23 (Landsat 5 TM)", overlay));
    }

    [Fact]
    public void Render_ZonesOverYears_ChartWithLinesAxesAndLegend()
    {
        int[] years = [2000, 2005, 2010, 2015, 2020];
        var series = new UrbanTimeSeries(years, zoneNoData: 0);
        var r = new Random(5);
        const int Width = 60;
        for (int row = 0; row < 30; row++)
        {
            byte[] classes = new byte[5 * Width];
            int[] zones = new int[Width];
            for (int x = 0; x < Width; x++)
            {
                zones[x] = 1 + (x / 20);
                int grow = r.Next(8) - (zones[x] == 1 ? 2 : 0);
                for (int t = 0; t < 5; t++)
                {
                    classes[(t * Width) + x] = t >= grow ? (byte)1 : (byte)0;
                }
            }

            series.AddRow(classes, default, zones, new ushort[Width]);
        }

        IReadOnlyList<ChartSeries> lines = UrbanAreaChart.FromTimeSeries(series, includeNational: true);
        Assert.Equal(["National", "Zone 1", "Zone 2", "Zone 3"], lines.Select(s => s.Name));
        byte[] png = UrbanAreaChart.Render(years, lines, "Urban area per zone");
        Keep("chart.png", png);
        using SKBitmap bmp = SKBitmap.Decode(png);
        Assert.Equal(900, bmp.Width);
        Assert.Equal(540, bmp.Height);
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bmp.Height; y += 2)
        {
            for (int x = 0; x < bmp.Width; x += 2)
            {
                colours.Add(bmp.GetPixel(x, y));
            }
        }

        Assert.True(colours.Count > 50);
        foreach (SKColor c in Palette.Series.Take(4))
        {
            Assert.Contains(c, colours);
        }

        Assert.True(QuickLookTests.CountNonWhite(bmp, 0, 0, 90, 470) > 200); // y tick labels and axis title
        Assert.True(QuickLookTests.CountNonWhite(bmp, 90, 480, 800, 540) > 200); // year labels
        Assert.Equal(png, UrbanAreaChart.Render(years, lines, "Urban area per zone"));
    }

    [Fact]
    public void GrowthAndFirstYear_SyntheticSeries_PicturesForALook()
    {
        const int W = 60, H = 40;
        int[] years = [2000, 2010, 2020];
        var series = new UrbanTimeSeries(years);
        byte[] growth = new byte[W * H];
        ushort[] first = new ushort[W * H];
        for (int y = 0; y < H; y++)
        {
            byte[] classes = new byte[3 * W];
            for (int x = 0; x < W; x++)
            {
                double d = Math.Sqrt(((x - 30) * (x - 30)) + ((y - 20) * (y - 20) * 1.5));
                for (int t = 0; t < 3; t++)
                {
                    classes[(t * W) + x] = x > 55 ? (byte)255 : d < 6 + (5 * t) ? (byte)1 : (byte)0;
                }

                if (x == 10 && y == 10)
                {
                    classes[x] = 1;
                    classes[(2 * W) + x] = 0;
                }
            }

            series.AddRow(classes, default, default, first.AsSpan(y * W, W));
            ChangeMap.Compute(classes.AsSpan(0, W), classes.AsSpan(2 * W, W), growth.AsSpan(y * W, W));
        }

        byte[] g = QuickLook.GrowthMap(growth, W, H, "Urban growth 2000-2020");
        byte[] f = QuickLook.FirstUrbanYearMap(first, W, H, years, "First year urban");
        Keep("growth.png", g);
        Keep("first_year.png", f);
        using SKBitmap gb = SKBitmap.Decode(g);
        using SKBitmap fb = SKBitmap.Decode(f);
        int scale = 800 / W;
        Assert.Equal(Palette.Growth[GrowthCode.StableUrban], gb.GetPixel(12 + (30 * scale), 40 + (20 * scale)));
        Assert.Equal(Palette.Growth[GrowthCode.UrbanLost], gb.GetPixel(12 + (10 * scale) + 2, 40 + (10 * scale) + 2));
        Assert.Equal(0, gb.GetPixel(12 + (58 * scale), 40 + (5 * scale)).Alpha);
        Assert.Equal(Palette.Ramp(0), fb.GetPixel(12 + (30 * scale), 40 + (20 * scale)));
    }
}
