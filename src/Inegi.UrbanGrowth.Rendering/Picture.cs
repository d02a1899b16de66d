using System.Globalization;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>Composes a quick-look: a title band, the map (RGBA, one pixel per shown cell, enlarged by an integer
/// factor with nearest sampling) and a legend at its right. Title and legend sit on white; the map keeps its alpha.</summary>
internal static class Picture
{
    private const int Margin = 12;
    private const int TitleHeight = 40;
    private const int Swatch = 18;
    private const int LegendLine = 26;
    private const int RampHeight = 220;

    public static byte[] Compose(string title, byte[] rgba, int mapWidth, int mapHeight, int scale,
        IReadOnlyList<(SKColor Color, string Label)> entries, (string Low, string High, string[] Ticks)? ramp, Action<SKCanvas, SKRect>? overlay = null)
    {
        using SKFont titleFont = Fonts.Create(20);
        using SKFont labelFont = Fonts.Create(14);
        int shownWidth = mapWidth * scale;
        int shownHeight = mapHeight * scale;
        float legendWidth = 0;
        foreach (var (_, label) in entries)
        {
            legendWidth = Math.Max(legendWidth, labelFont.MeasureText(label));
        }

        if (ramp is { } r)
        {
            foreach (string tick in r.Ticks)
            {
                legendWidth = Math.Max(legendWidth, labelFont.MeasureText(tick));
            }
        }

        int legendW = (int)Math.Ceiling(legendWidth) + Swatch + 24;
        int legendH = (entries.Count * LegendLine) + (ramp is null ? 0 : RampHeight + LegendLine);
        int width = Math.Max(Margin + shownWidth + Margin + legendW + Margin, (int)Math.Ceiling(titleFont.MeasureText(title)) + (2 * Margin));
        int height = TitleHeight + Math.Max(shownHeight, legendH) + Margin;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"SkiaSharp could not create a {width} x {height} surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        using var white = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true, Style = SKPaintStyle.Fill };
        using var frame = new SKPaint { Color = new SKColor(0x66, 0x66, 0x66), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };

        canvas.DrawRect(new SKRect(0, 0, width, TitleHeight), white);
        canvas.DrawText(title, Margin, 27, SKTextAlign.Left, titleFont, ink);
        float legendX = Margin + shownWidth + Margin;
        canvas.DrawRect(new SKRect(legendX, TitleHeight, width, height), white);
        canvas.DrawRect(new SKRect(0, TitleHeight + shownHeight, legendX, height), white);
        canvas.DrawRect(new SKRect(0, TitleHeight, Margin, TitleHeight + shownHeight), white);

        var mapInfo = new SKImageInfo(mapWidth, mapHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (SKImage map = SKImage.FromPixelCopy(mapInfo, rgba, mapWidth * 4))
        {
            var dest = new SKRect(Margin, TitleHeight, Margin + shownWidth, TitleHeight + shownHeight);
            using var copy = new SKPaint { BlendMode = SKBlendMode.Src };
            canvas.DrawImage(map, dest, new SKSamplingOptions(SKFilterMode.Nearest), copy);
            overlay?.Invoke(canvas, dest);
        }

        float y = TitleHeight + 4;
        float x = legendX + 8;
        foreach (var (color, label) in entries)
        {
            using var fill = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
            var box = new SKRect(x, y, x + Swatch, y + Swatch);
            canvas.DrawRect(box, fill);
            canvas.DrawRect(box, frame);
            canvas.DrawText(label, x + Swatch + 8, y + 14, SKTextAlign.Left, labelFont, ink);
            y += LegendLine;
        }

        if (ramp is { } rampLegend)
        {
            float top = y + 6;
            for (int i = 0; i < RampHeight; i++)
            {
                using var fill = new SKPaint { Color = Palette.Ramp(1.0 - (i / (double)(RampHeight - 1))), Style = SKPaintStyle.Fill };
                canvas.DrawRect(new SKRect(x, top + i, x + Swatch, top + i + 1), fill);
            }

            canvas.DrawRect(new SKRect(x, top, x + Swatch, top + RampHeight), frame);
            string[] ticks = rampLegend.Ticks;
            for (int i = 0; i < ticks.Length; i++)
            {
                float ty = top + RampHeight - (i * (RampHeight - 1f) / Math.Max(1, ticks.Length - 1));
                canvas.DrawLine(x + Swatch, ty, x + Swatch + 4, ty, frame);
                canvas.DrawText(ticks[i], x + Swatch + 8, ty + 5, SKTextAlign.Left, labelFont, ink);
            }
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The reduction and enlargement factors of a grid for the options.</summary>
    public static (int Reduce, int Scale) Factors(int width, int height, QuickLookOptions options)
    {
        options.Validate();
        int longest = Math.Max(width, height);
        if (longest > options.MaxSize)
        {
            return ((longest + options.MaxSize - 1) / options.MaxSize, 1);
        }

        return (1, Math.Clamp(options.TargetSize / longest, 1, options.MaxScale));
    }

    public static void CheckGrid(int length, int width, int height, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height != length)
        {
            throw new ArgumentException($"{length} values do not make a {width} x {height} grid.", parameter);
        }
    }

    public static string Percent(int value) => value.ToString(CultureInfo.InvariantCulture) + " %";
}
