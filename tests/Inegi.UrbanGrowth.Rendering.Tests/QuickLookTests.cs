using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Testing;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering.Tests;

public sealed class QuickLookTests
{
    // Layout constants of Picture: margin 12, title band 40.
    private const int MapLeft = 12;
    private const int MapTop = 40;

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("PNG does not decode");

    private static SKColor CellColor(SKBitmap bmp, int col, int row, int scale) =>
        bmp.GetPixel(MapLeft + (col * scale) + (scale / 2), MapTop + (row * scale) + (scale / 2));

    private static byte[] ClassGrid(int w, int h)
    {
        byte[] classes = new byte[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                classes[(y * w) + x] = x == 0 && y == 0 ? (byte)255 : (x - 10) * (x - 10) + (y - 8) * (y - 8) < 20 ? (byte)1 : (byte)0;
            }
        }

        return classes;
    }

    [Fact]
    public void ClassMap_SmallGrid_EnlargedWithClassColoursTransparentNodataAndLegendText()
    {
        byte[] classes = ClassGrid(25, 20);
        byte[] png = QuickLook.ClassMap(classes, 25, 20, "Urban map 2020");
        using SKBitmap bmp = Decode(png);
        int scale = 800 / 25;
        Assert.True(bmp.Width >= 12 + (25 * scale) + 12);
        Assert.True(bmp.Height >= 40 + (20 * scale));
        Assert.Equal(0, CellColor(bmp, 0, 0, scale).Alpha);
        Assert.Equal(Palette.Urban, CellColor(bmp, 10, 8, scale));
        Assert.Equal(Palette.NonUrban, CellColor(bmp, 1, 0, scale));
        Assert.Equal(Palette.NonUrban, CellColor(bmp, 24, 19, scale));

        // Legend: swatches then text to the right of the map; text pixels differ from the white background.
        int legendX = MapLeft + (25 * scale) + 12;
        Assert.Equal(Palette.NonUrban, bmp.GetPixel(legendX + 8 + 9, MapTop + 4 + 9));
        Assert.True(CountNonWhite(bmp, legendX + 34, MapTop, bmp.Width, MapTop + 52) > 50);

        // Title text drawn.
        Assert.True(CountNonWhite(bmp, 0, 0, bmp.Width, 40) > 100);
        using var dir = new TempDirectory();
        PngFile.Write(dir.File("class.png"), png);
        Assert.Equal(png, File.ReadAllBytes(dir.File("class.png")));
        Assert.Equal(png, QuickLook.ClassMap(classes, 25, 20, "Urban map 2020"));
    }

    [Fact]
    public void GrowthMap_KnownCells_HaveGrowthColours()
    {
        byte[] growth = new byte[40 * 30];
        for (int i = 0; i < growth.Length; i++)
        {
            growth[i] = (byte)(i % 5 == 4 ? 255 : i % 5);
        }

        using SKBitmap bmp = Decode(QuickLook.GrowthMap(growth, 40, 30, "Growth 2010-2020"));
        int scale = 800 / 40;
        for (int i = 0; i < 10; i++)
        {
            SKColor c = CellColor(bmp, i, 0, scale);
            if (growth[i] == 255)
            {
                Assert.Equal(0, c.Alpha);
            }
            else
            {
                Assert.Equal(Palette.Growth[growth[i]], c);
            }
        }
    }

    [Fact]
    public void ClassMap_NationalSizeGrid_ReducedByModeUnderCap()
    {
        const int W = 4500, H = 1200;
        byte[] classes = new byte[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                // Left third nodata, middle urban-majority blocks, right non-urban.
                classes[(y * W) + x] = x < 1500 ? (byte)255 : x < 3000 ? (byte)((x + y) % 3 == 0 ? 0 : 1) : (byte)0;
            }
        }

        var options = new QuickLookOptions { MaxSize = 1500 };
        using SKBitmap bmp = Decode(QuickLook.ClassMap(classes, W, H, "National", options));
        Assert.True(bmp.Width < 1800);
        Assert.Equal(0, bmp.GetPixel(MapLeft + 100, MapTop + 100).Alpha);
        Assert.Equal(Palette.Urban, bmp.GetPixel(MapLeft + 700, MapTop + 100));
        Assert.Equal(Palette.NonUrban, bmp.GetPixel(MapLeft + 1200, MapTop + 100));
    }

    [Fact]
    public void ProbabilityMap_Ramp_LowDarkHighBrightNodataTransparent()
    {
        byte[] p = new byte[101 * 10];
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 101; x++)
            {
                p[(y * 101) + x] = y == 9 ? (byte)255 : (byte)x;
            }
        }

        using SKBitmap bmp = Decode(QuickLook.ProbabilityMap(p, 101, 10, "p(urban)"));
        int scale = 800 / 101;
        Assert.Equal(Palette.Ramp(0), CellColor(bmp, 0, 0, scale));
        Assert.Equal(Palette.Ramp(1), CellColor(bmp, 100, 0, scale));
        Assert.Equal(Palette.Ramp(0.5), CellColor(bmp, 50, 3, scale));
        Assert.Equal(0, CellColor(bmp, 30, 9, scale).Alpha);
    }

    [Fact]
    public void FirstUrbanYearMap_ColourPerYear()
    {
        int[] years = [2000, 2010, 2020];
        ushort[] first = [0, 2000, 2010, 2020, UrbanTimeSeries.NoData, 2015];
        using SKBitmap bmp = Decode(QuickLook.FirstUrbanYearMap(first, 6, 1, years, "First year urban"));
        int scale = 32; // capped by MaxScale
        Assert.Equal(Palette.NeverUrban, CellColor(bmp, 0, 0, scale));
        Assert.Equal(Palette.Ramp(0), CellColor(bmp, 1, 0, scale));
        Assert.Equal(Palette.Ramp(0.5), CellColor(bmp, 2, 0, scale));
        Assert.Equal(Palette.Ramp(1), CellColor(bmp, 3, 0, scale));
        Assert.Equal(0, CellColor(bmp, 4, 0, scale).Alpha);
        Assert.Equal(Palette.Ramp(0.5), CellColor(bmp, 5, 0, scale));
    }

    [Fact]
    public void ClassMap_WrongLength_ThrowsNamingParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => QuickLook.ClassMap(new byte[10], 3, 3, "x"));
        Assert.Equal("classes", e.ParamName);
    }

    internal static int CountNonWhite(SKBitmap bmp, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = y0; y < Math.Min(y1, bmp.Height); y++)
        {
            for (int x = x0; x < Math.Min(x1, bmp.Width); x++)
            {
                SKColor c = bmp.GetPixel(x, y);
                if (c.Alpha == 255 && (c.Red < 200 || c.Green < 200 || c.Blue < 200))
                {
                    n++;
                }
            }
        }

        return n;
    }
}
