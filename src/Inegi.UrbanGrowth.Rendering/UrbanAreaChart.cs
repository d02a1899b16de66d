using System.Globalization;
using Inegi.UrbanGrowth.Growth;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>One line of an <see cref="UrbanAreaChart"/>.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="Values">One value per year (NaN: no point that year).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>A line chart (PNG) of urban area per year, one line per zone (or the country).</summary>
/// <remarks>The x axis is linear in years, with a tick per year (thinned past 15 years); the y axis starts at 0 and
/// ends at a "nice" value, with 4 to 8 ticks at steps of 1, 2, 2.5 or 5 times a power of ten. Lines use the tab10
/// colours (<see cref="Palette.Series"/>) with a marker at each year. Same input, same bytes.</remarks>
public static class UrbanAreaChart
{
    private const int Left = 90;
    private const int Top = 50;
    private const int Bottom = 64;

    /// <summary>Draws the chart.</summary>
    /// <param name="years">The years (x values), strictly increasing.</param>
    /// <param name="series">The lines, each with one value per year (at most 10 lines).</param>
    /// <param name="title">Title above the chart.</param>
    /// <param name="yLabel">Label of the y axis.</param>
    /// <param name="width">Picture width, pixels (400..4000).</param>
    /// <param name="height">Picture height, pixels (300..4000).</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] Render(IReadOnlyList<int> years, IReadOnlyList<ChartSeries> series, string title, string yLabel = "Urban area (km²)", int width = 900, int height = 540)
    {
        ArgumentNullException.ThrowIfNull(years);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(yLabel);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4000);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 4000);
        if (years.Count == 0)
        {
            throw new ArgumentException("At least one year is needed.", nameof(years));
        }

        for (int t = 1; t < years.Count; t++)
        {
            if (years[t] <= years[t - 1])
            {
                throw new ArgumentException("Years must be strictly increasing.", nameof(years));
            }
        }

        if (series.Count is 0 or > 10)
        {
            throw new ArgumentException($"Between 1 and 10 series are needed; got {series.Count}.", nameof(series));
        }

        double max = 0;
        foreach (ChartSeries s in series)
        {
            if (s.Values.Count != years.Count)
            {
                throw new ArgumentException($"Series '{s.Name}' has {s.Values.Count} values for {years.Count} years.", nameof(series));
            }

            foreach (double v in s.Values)
            {
                if (double.IsFinite(v))
                {
                    max = Math.Max(max, v);
                }
            }
        }

        double step = NiceStep(max > 0 ? max / 5 : 1);
        double yMax = Math.Max(step, Math.Ceiling(max / step) * step);

        using SKFont titleFont = Fonts.Create(20);
        using SKFont font = Fonts.Create(14);
        float legendWidth = 0;
        foreach (ChartSeries s in series)
        {
            legendWidth = Math.Max(legendWidth, font.MeasureText(s.Name));
        }

        int right = (int)Math.Ceiling(legendWidth) + 70;
        float x0 = Left, x1 = width - right, y0 = height - Bottom, y1 = Top;
        double firstYear = years[0], lastYear = years[^1];
        double span = lastYear > firstYear ? lastYear - firstYear : 1;
        float X(double year) => years.Count == 1 ? (x0 + x1) / 2 : (float)(x0 + 20 + ((year - firstYear) / span * (x1 - x0 - 40)));
        float Y(double v) => (float)(y0 - (v / yMax * (y0 - y1)));

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create the chart surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var axis = new SKPaint { Color = new SKColor(0x33, 0x33, 0x33), Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };

        canvas.DrawText(title, width / 2f, 30, SKTextAlign.Center, titleFont, ink);
        for (double v = 0; v <= yMax + (step / 2); v += step)
        {
            float y = Y(v);
            canvas.DrawLine(x0, y, x1, y, grid);
            canvas.DrawLine(x0 - 5, y, x0, y, axis);
            canvas.DrawText(Format(v, step), x0 - 8, y + 5, SKTextAlign.Right, font, ink);
        }

        int every = Math.Max(1, (years.Count + 14) / 15);
        for (int t = 0; t < years.Count; t += every)
        {
            float x = X(years[t]);
            canvas.DrawLine(x, y0, x, y0 + 5, axis);
            canvas.DrawText(years[t].ToString(CultureInfo.InvariantCulture), x, y0 + 22, SKTextAlign.Center, font, ink);
        }

        canvas.DrawLine(x0, y0, x1, y0, axis);
        canvas.DrawLine(x0, y0, x0, y1, axis);
        canvas.DrawText("Year", (x0 + x1) / 2, height - 18, SKTextAlign.Center, font, ink);
        canvas.Save();
        canvas.RotateDegrees(-90, 22, (y0 + y1) / 2);
        canvas.DrawText(yLabel, 22, ((y0 + y1) / 2) + 5, SKTextAlign.Center, font, ink);
        canvas.Restore();

        for (int i = 0; i < series.Count; i++)
        {
            SKColor color = Palette.Series[i];
            using var line = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = 2.5f, IsAntialias = true };
            using var dot = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
            using var path = new SKPath();
            bool open = false;
            IReadOnlyList<double> values = series[i].Values;
            for (int t = 0; t < years.Count; t++)
            {
                if (!double.IsFinite(values[t]))
                {
                    open = false;
                    continue;
                }

                float x = X(years[t]);
                float y = Y(values[t]);
                if (open)
                {
                    path.LineTo(x, y);
                }
                else
                {
                    path.MoveTo(x, y);
                    open = true;
                }

                canvas.DrawCircle(x, y, 4, dot);
            }

            canvas.DrawPath(path, line);
            float ly = Top + 10 + (i * 24);
            float lx = x1 + 20;
            canvas.DrawLine(lx, ly, lx + 26, ly, line);
            canvas.DrawCircle(lx + 13, ly, 4, dot);
            canvas.DrawText(series[i].Name, lx + 34, ly + 5, SKTextAlign.Left, font, ink);
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The chart's series from an <see cref="UrbanTimeSeries"/>: its zones (the <paramref name="maxZones"/> with
    /// the largest urban area in the last year, in increasing id order), or the country when it has no zones.</summary>
    /// <param name="timeSeries">The accumulated series.</param>
    /// <param name="maxZones">Most lines in all, the national one included (1..10).</param>
    /// <param name="includeNational">Whether to add the national line first (it may dwarf the zones).</param>
    /// <returns>The series, values in km2.</returns>
    public static IReadOnlyList<ChartSeries> FromTimeSeries(UrbanTimeSeries timeSeries, int maxZones = 10, bool includeNational = false)
    {
        ArgumentNullException.ThrowIfNull(timeSeries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxZones, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxZones, 10);
        var zones = new List<KeyValuePair<int, IReadOnlyList<YearlyUrbanArea>>>(timeSeries.Zones);
        var result = new List<ChartSeries>();
        if (includeNational || zones.Count == 0)
        {
            result.Add(new ChartSeries("National", Km2(timeSeries.National)));
        }

        int keep = Math.Min(zones.Count, maxZones - (includeNational ? 1 : 0));
        zones.Sort(static (a, b) =>
        {
            int c = b.Value[^1].UrbanKm2.CompareTo(a.Value[^1].UrbanKm2);
            return c != 0 ? c : a.Key.CompareTo(b.Key);
        });
        zones.RemoveRange(keep, zones.Count - keep);
        zones.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        foreach (var (id, areas) in zones)
        {
            result.Add(new ChartSeries("Zone " + id.ToString(CultureInfo.InvariantCulture), Km2(areas)));
        }

        return result;
    }

    private static double[] Km2(IReadOnlyList<YearlyUrbanArea> areas)
    {
        double[] values = new double[areas.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = areas[i].UrbanKm2;
        }

        return values;
    }

    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double m in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (m * power >= raw)
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    private static string Format(double v, double step) =>
        v.ToString(step >= 1 && step == Math.Floor(step) ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
