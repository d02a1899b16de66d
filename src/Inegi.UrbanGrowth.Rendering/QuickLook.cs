using System.Globalization;
using Inegi.UrbanGrowth.Growth;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>
/// Quick-look PNG pictures of the maps: class, p(urban), growth and first-year-urban rasters, and true-colour
/// reflectance windows, each with a title and a legend.
/// </summary>
/// <remarks>
/// Every method takes a whole grid in memory (row-major; the 1 km grid of Mexico is about 2 million cells) and
/// returns the encoded PNG; write it with <see cref="PngFile.Write"/>. Size rules: <see cref="QuickLookOptions"/>.
/// Nodata cells are fully transparent; the title and legend sit on white. The output depends only on the inputs
/// (same input, same bytes): the font is embedded, text is drawn without subpixel positioning or hinting, and the
/// PNG encoder has no timestamps.
/// </remarks>
public static class QuickLook
{
    /// <summary>Pictures a class map (band 1 of a map: 0 non-urban, 1 urban, anything else nodata).</summary>
    /// <param name="classes">Classes, row-major.</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="title">Title drawn above the map.</param>
    /// <param name="options">Size options, or null for <see cref="QuickLookOptions.Default"/>.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] ClassMap(ReadOnlySpan<byte> classes, int width, int height, string title, QuickLookOptions? options = null)
    {
        Picture.CheckGrid(classes.Length, width, height, nameof(classes));
        ArgumentNullException.ThrowIfNull(title);
        SKColor[] colors = [Palette.NonUrban, Palette.Urban];
        return Categorical(classes, width, height, colors, title, options,
            [(Palette.NonUrban, "Non-urban"), (Palette.Urban, "Urban")]);
    }

    /// <summary>Pictures a growth map (<see cref="GrowthCode"/>: 0..3, anything else nodata).</summary>
    /// <param name="growth">Growth codes, row-major.</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="title">Title, e.g. "Urban growth 2010-2020".</param>
    /// <param name="options">Size options, or null.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] GrowthMap(ReadOnlySpan<byte> growth, int width, int height, string title, QuickLookOptions? options = null)
    {
        Picture.CheckGrid(growth.Length, width, height, nameof(growth));
        ArgumentNullException.ThrowIfNull(title);
        SKColor[] colors = [.. Palette.Growth];
        return Categorical(growth, width, height, colors, title, options,
        [
            (colors[0], "Stable non-urban"), (colors[1], "Stable urban"), (colors[2], "New urban"), (colors[3], "Urban lost"),
        ]);
    }

    /// <summary>Pictures a p(urban) map (band 2 of a map: byte 0..100, 255 nodata) with the viridis ramp.</summary>
    /// <param name="probabilities">p(urban) in percent, row-major; values above 100 are nodata.</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="title">Title.</param>
    /// <param name="options">Size options, or null.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] ProbabilityMap(ReadOnlySpan<byte> probabilities, int width, int height, string title, QuickLookOptions? options = null)
    {
        Picture.CheckGrid(probabilities.Length, width, height, nameof(probabilities));
        ArgumentNullException.ThrowIfNull(title);
        options ??= QuickLookOptions.Default;
        var (reduce, scale) = Picture.Factors(width, height, options);
        float[] values = new float[probabilities.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = probabilities[i] <= 100 ? probabilities[i] : float.NaN;
        }

        float[] shown = Raster.ReduceMean(values, width, height, reduce, out int w, out int h);
        byte[] rgba = new byte[w * h * 4];
        var lut = new SKColor[101];
        for (int p = 0; p <= 100; p++)
        {
            lut[p] = Palette.Ramp(p / 100.0);
        }

        for (int i = 0; i < shown.Length; i++)
        {
            if (float.IsFinite(shown[i]))
            {
                Put(rgba, i, lut[(int)Math.Round(shown[i])]);
            }
        }

        string[] ticks = [Picture.Percent(0), Picture.Percent(25), Picture.Percent(50), Picture.Percent(75), Picture.Percent(100)];
        return Picture.Compose(title, rgba, w, h, scale, [], ("0", "100", ticks));
    }

    /// <summary>Pictures a first-year-urban raster (<see cref="UrbanTimeSeries"/>): one colour per year (viridis, earliest
    /// dark), never-urban light grey, nodata transparent.</summary>
    /// <param name="firstUrbanYear">Year values, <see cref="UrbanTimeSeries.NeverUrban"/> or <see cref="UrbanTimeSeries.NoData"/>, row-major.</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="years">The years of the series, increasing (at most 200); a value between two years takes the earlier one's colour.</param>
    /// <param name="title">Title.</param>
    /// <param name="options">Size options, or null.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] FirstUrbanYearMap(ReadOnlySpan<ushort> firstUrbanYear, int width, int height, IReadOnlyList<int> years, string title, QuickLookOptions? options = null)
    {
        Picture.CheckGrid(firstUrbanYear.Length, width, height, nameof(firstUrbanYear));
        ArgumentNullException.ThrowIfNull(years);
        ArgumentNullException.ThrowIfNull(title);
        if (years.Count is 0 or > 200)
        {
            throw new ArgumentException($"Between 1 and 200 years are needed; got {years.Count}.", nameof(years));
        }

        byte[] index = new byte[firstUrbanYear.Length];
        for (int i = 0; i < index.Length; i++)
        {
            ushort v = firstUrbanYear[i];
            if (v == UrbanTimeSeries.NoData)
            {
                index[i] = Raster.NoIndex;
            }
            else if (v == UrbanTimeSeries.NeverUrban)
            {
                index[i] = 0;
            }
            else
            {
                int k = 0;
                while (k + 1 < years.Count && years[k + 1] <= v)
                {
                    k++;
                }

                index[i] = (byte)(k + 1);
            }
        }

        var colors = new SKColor[years.Count + 1];
        var legend = new List<(SKColor, string)>(years.Count + 1) { (Palette.NeverUrban, "Never urban") };
        colors[0] = Palette.NeverUrban;
        for (int k = 0; k < years.Count; k++)
        {
            colors[k + 1] = Palette.Ramp(years.Count == 1 ? 1.0 : k / (double)(years.Count - 1));
            legend.Add((colors[k + 1], "Urban since " + years[k].ToString(CultureInfo.InvariantCulture)));
        }

        return Categorical(index, width, height, colors, title, options, legend);
    }

    /// <summary>Pictures a reflectance window in true colour, optionally with a cell-level class map over it.</summary>
    /// <param name="bandPlanes">Reflectance, band-planar: band <c>b</c> at <c>[b * width * height, (b + 1) * width * height)</c>;
    /// NaN (or any non-finite value) is nodata in the band.</param>
    /// <param name="bandCount">Bands in <paramref name="bandPlanes"/> (6 for the mosaic: blue, green, red, NIR, SWIR1, SWIR2).</param>
    /// <param name="width">Window width, pixels.</param>
    /// <param name="height">Window height, pixels.</param>
    /// <param name="title">Title.</param>
    /// <param name="overlay">Cells to outline (urban: red outline and light red tint), or null.</param>
    /// <param name="options">Size options, or null.</param>
    /// <param name="redBand">Index of the red band (default 2).</param>
    /// <param name="greenBand">Index of the green band (default 1).</param>
    /// <param name="blueBand">Index of the blue band (default 0).</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>Each of red, green and blue is stretched linearly from its 2nd to its 98th percentile (over the finite
    /// values of the window) to 0..255, clamped. A pixel with nodata in any of the three bands is transparent.</remarks>
    public static byte[] TrueColor(ReadOnlySpan<float> bandPlanes, int bandCount, int width, int height, string title,
        CellOverlay? overlay = null, QuickLookOptions? options = null, int redBand = 2, int greenBand = 1, int blueBand = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bandCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(title);
        long plane = (long)width * height;
        if (plane * bandCount != bandPlanes.Length)
        {
            throw new ArgumentException($"{bandPlanes.Length} values do not make {bandCount} planes of {width} x {height}.", nameof(bandPlanes));
        }

        int[] bands = [redBand, greenBand, blueBand];
        foreach (int b in bands)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(b, nameof(bands));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, bandCount, nameof(bands));
        }

        options ??= QuickLookOptions.Default;
        var (reduce, scale) = Picture.Factors(width, height, options);
        float[][] shown = new float[3][];
        int w = 0, h = 0;
        for (int c = 0; c < 3; c++)
        {
            shown[c] = Raster.ReduceMean(bandPlanes.Slice(bands[c] * (int)plane, (int)plane), width, height, reduce, out w, out h);
        }

        byte[] rgba = new byte[w * h * 4];
        for (int c = 0; c < 3; c++)
        {
            float low = Raster.Percentile(bandPlanes.Slice(bands[c] * (int)plane, (int)plane), 0.02, 0.98, out float high);
            float range = high > low ? high - low : 1f;
            float[] v = shown[c];
            for (int i = 0; i < v.Length; i++)
            {
                rgba[(4 * i) + c] = float.IsFinite(v[i]) ? (byte)Math.Clamp(Math.Round(255.0 * (v[i] - low) / range), 0, 255) : (byte)0;
            }
        }

        for (int i = 0; i < w * h; i++)
        {
            rgba[(4 * i) + 3] = float.IsFinite(shown[0][i]) && float.IsFinite(shown[1][i]) && float.IsFinite(shown[2][i]) ? (byte)255 : (byte)0;
        }

        var legend = new List<(SKColor, string)>();
        Action<SKCanvas, SKRect>? draw = null;
        if (overlay is not null)
        {
            legend.Add((new SKColor(0xff, 0x30, 0x30), "Urban cell"));
            double pixelsPerWindowPixel = scale / (double)reduce;
            draw = (canvas, dest) => DrawOverlay(canvas, dest, overlay, pixelsPerWindowPixel);
        }

        return Picture.Compose(title, rgba, w, h, scale, legend, null, draw);
    }

    private static void DrawOverlay(SKCanvas canvas, SKRect dest, CellOverlay overlay, double k)
    {
        using var tint = new SKPaint { Color = new SKColor(0xff, 0x30, 0x30, 0x40), Style = SKPaintStyle.Fill };
        using var outline = new SKPaint { Color = new SKColor(0xff, 0x30, 0x30), Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1.5f, (float)k * 0.75f), IsAntialias = false };
        canvas.Save();
        canvas.ClipRect(dest);
        for (int row = 0; row < overlay.Rows; row++)
        {
            for (int col = 0; col < overlay.Columns; col++)
            {
                if (overlay.ClassAt(col, row) != 1)
                {
                    continue;
                }

                float x0 = dest.Left + (float)((overlay.OriginX + (col * overlay.CellSize)) * k);
                float y0 = dest.Top + (float)((overlay.OriginY + (row * overlay.CellSize)) * k);
                float size = (float)(overlay.CellSize * k);
                var cell = new SKRect(x0, y0, x0 + size, y0 + size);
                canvas.DrawRect(cell, tint);
                canvas.DrawRect(cell, outline);
            }
        }

        canvas.Restore();
    }

    private static byte[] Categorical(ReadOnlySpan<byte> index, int width, int height, SKColor[] colors, string title,
        QuickLookOptions? options, IReadOnlyList<(SKColor, string)> legend)
    {
        options ??= QuickLookOptions.Default;
        var (reduce, scale) = Picture.Factors(width, height, options);
        byte[] shown = Raster.ReduceMode(index, width, height, reduce, colors.Length, out int w, out int h);
        byte[] rgba = new byte[w * h * 4];
        for (int i = 0; i < shown.Length; i++)
        {
            if (shown[i] < colors.Length)
            {
                Put(rgba, i, colors[shown[i]]);
            }
        }

        return Picture.Compose(title, rgba, w, h, scale, legend, null);
    }

    private static void Put(byte[] rgba, int i, SKColor c)
    {
        rgba[4 * i] = c.Red;
        rgba[(4 * i) + 1] = c.Green;
        rgba[(4 * i) + 2] = c.Blue;
        rgba[(4 * i) + 3] = 255;
    }
}
