using System.Globalization;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>A horizontal bar chart (PNG): one labelled bar per value, top to bottom in the order given, e.g. the feature
/// importances of a model or the urban area per zone.</summary>
/// <remarks>Bars start at 0 and share one linear value axis that ends at a "nice" value, with 4 to 8 ticks at steps of
/// 1, 2, 2.5 or 5 times a power of ten (as in <see cref="UrbanAreaChart"/>); each bar carries its value at its end.
/// The label column is as wide as the longest label. Bars use the first tab10 colour (<see cref="Palette.Series"/>).
/// Text uses the embedded DejaVu Sans font. Same input, same bytes.</remarks>
public static class BarChart
{
    private const int Top = 50;
    private const int Bottom = 56;
    private const int MaxBars = 100;

    /// <summary>Draws the chart.</summary>
    /// <param name="labels">One label per bar, top to bottom.</param>
    /// <param name="values">One value per bar: finite and &gt;= 0.</param>
    /// <param name="title">Title above the chart.</param>
    /// <param name="valueLabel">Label of the value axis, below it.</param>
    /// <param name="width">Picture width, pixels (400..4000).</param>
    /// <param name="height">Picture height, pixels (200..4000); 0 sizes it to the bars (24 px per bar).</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentException">No bars or more than 100, labels and values of different lengths, or a
    /// negative or non-finite value.</exception>
    public static byte[] Render(IReadOnlyList<string> labels, IReadOnlyList<double> values, string title, string valueLabel = "", int width = 900, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(valueLabel);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4000);
        if (height != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(height, 200);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 4000);
        }

        if (values.Count is 0 or > MaxBars)
        {
            throw new ArgumentException($"Between 1 and {MaxBars} bars are needed; got {values.Count}.", nameof(values));
        }

        if (labels.Count != values.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {values.Count} values.", nameof(labels));
        }

        double max = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]) || values[i] < 0)
            {
                throw new ArgumentException($"Value {i} ({labels[i]}) is {values[i].ToString(CultureInfo.InvariantCulture)}; bars need finite values >= 0.", nameof(values));
            }

            max = Math.Max(max, values[i]);
        }

        if (height == 0)
        {
            height = Math.Clamp(Top + Bottom + (24 * values.Count), 200, 4000);
        }

        double step = NiceStep(max > 0 ? max / 5 : 1);
        double xMax = Math.Max(step, Math.Ceiling(max / step) * step);

        using SKFont titleFont = Fonts.Create(20);
        using SKFont font = Fonts.Create(14);
        float labelWidth = 0;
        foreach (string label in labels)
        {
            labelWidth = Math.Max(labelWidth, font.MeasureText(label ?? string.Empty));
        }

        float x0 = Math.Min((int)Math.Ceiling(labelWidth) + 24, width / 2), x1 = width - 40, y0 = Top, y1 = height - Bottom;
        float band = (y1 - y0) / values.Count;
        float X(double v) => (float)(x0 + (v / xMax * (x1 - x0)));

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create the chart surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var axis = new SKPaint { Color = new SKColor(0x33, 0x33, 0x33), Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        using var bar = new SKPaint { Color = Palette.Series[0], Style = SKPaintStyle.Fill, IsAntialias = false };
        using SKFont small = Fonts.Create(Math.Clamp(band * 0.6f, 8, 14));

        canvas.DrawText(title, width / 2f, 30, SKTextAlign.Center, titleFont, ink);
        for (double v = 0; v <= xMax + (step / 2); v += step)
        {
            float x = X(v);
            canvas.DrawLine(x, y0, x, y1, grid);
            canvas.DrawLine(x, y1, x, y1 + 5, axis);
            canvas.DrawText(Format(v, step), x, y1 + 22, SKTextAlign.Center, font, ink);
        }

        for (int i = 0; i < values.Count; i++)
        {
            float top = y0 + (i * band) + (band * 0.15f), bottom = y0 + ((i + 1) * band) - (band * 0.15f);
            float middle = (top + bottom) / 2;
            float end = X(values[i]);
            canvas.DrawRect(SKRect.Create(x0, top, end - x0, bottom - top), bar);
            canvas.DrawText(labels[i] ?? string.Empty, x0 - 8, middle + (small.Size * 0.35f), SKTextAlign.Right, small, ink);
            canvas.DrawText(values[i].ToString("G3", CultureInfo.InvariantCulture), end + 4, middle + (small.Size * 0.35f), SKTextAlign.Left, small, ink);
        }

        canvas.DrawLine(x0, y1, x1, y1, axis);
        canvas.DrawLine(x0, y0, x0, y1, axis);
        if (valueLabel.Length > 0)
        {
            canvas.DrawText(valueLabel, (x0 + x1) / 2, height - 10, SKTextAlign.Center, font, ink);
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
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
