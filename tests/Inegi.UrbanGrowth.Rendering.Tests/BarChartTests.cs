using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering.Tests;

public sealed class BarChartTests
{
    [Fact]
    public void Render_KnownValues_BarsInOrderWithLengthsProportionalToValues()
    {
        string[] labels = ["ndvi_mean", "b4_std", "ndbi_center", "zero", "mndwi_p90"];
        double[] values = [0.4, 0.1, 0.25, 0, 0.3];
        byte[] png = BarChart.Render(labels, values, "Top feature importances", "Importance");
        using SKBitmap bmp = SKBitmap.Decode(png);
        Assert.Equal(900, bmp.Width);
        Assert.Equal(50 + 56 + (24 * 5), bmp.Height);

        // Bars: runs of rows holding the bar colour, top to bottom; each bar's length on its middle row.
        SKColor colour = Palette.Series[0];
        var bars = new List<(int Start, int Length)>();
        int runStart = -1;
        for (int y = 0; y <= bmp.Height; y++)
        {
            bool any = false;
            for (int x = 0; y < bmp.Height && x < bmp.Width && !any; x++)
            {
                any = bmp.GetPixel(x, y) == colour;
            }

            if (any && runStart < 0)
            {
                runStart = y;
            }
            else if (!any && runStart >= 0)
            {
                int middle = (runStart + y - 1) / 2;
                int first = -1, last = -1;
                for (int x = 0; x < bmp.Width; x++)
                {
                    if (bmp.GetPixel(x, middle) == colour)
                    {
                        first = first < 0 ? x : first;
                        last = x;
                    }
                }

                bars.Add((first, last - first + 1));
                runStart = -1;
            }
        }

        // The zero bar draws nothing; the others share their left edge and scale with their values.
        Assert.Equal(4, bars.Count);
        Assert.All(bars, b => Assert.Equal(bars[0].Start, b.Start));
        double[] drawn = [values[0], values[1], values[2], values[4]];
        for (int i = 1; i < bars.Count; i++)
        {
            Assert.InRange(bars[i].Length, (bars[0].Length * drawn[i] / drawn[0]) - 1.5, (bars[0].Length * drawn[i] / drawn[0]) + 1.5);
        }

        // Labels left of the bars, title above them; the same input gives the same bytes.
        Assert.True(QuickLookTests.CountNonWhite(bmp, 0, 50, bars[0].Start - 4, bmp.Height - 56) > 200);
        Assert.True(QuickLookTests.CountNonWhite(bmp, 0, 0, bmp.Width, 40) > 100);
        Assert.Equal(png, BarChart.Render(labels, values, "Top feature importances", "Importance"));
    }

    [Theory]
    [InlineData(new[] { 1.0, -0.5 })]
    [InlineData(new[] { 1.0, double.NaN })]
    [InlineData(new[] { 1.0 })]
    [InlineData(new double[0])]
    public void Render_BadValues_ThrowsArgumentException(double[] values)
    {
        string[] labels = [.. Enumerable.Range(0, Math.Max(2, values.Length)).Select(i => "f" + i)];
        if (values.Length == 0)
        {
            labels = [];
        }

        Assert.ThrowsAny<ArgumentException>(() => BarChart.Render(labels, values, "t"));
    }
}
