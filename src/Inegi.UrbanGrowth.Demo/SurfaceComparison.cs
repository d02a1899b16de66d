using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>How far a mosaic (a composite of a synthetic archive, say) is from the clear-sky surface of its scene and year.</summary>
/// <param name="Pixels">Pixels compared (rows sampled x width).</param>
/// <param name="PixelsWithData">Of those, pixels the mosaic has a value for.</param>
/// <param name="MedianAbsoluteError">Per band (blue .. SWIR2), median |mosaic - surface| in reflectance over the pixels with data.</param>
/// <param name="MeanError">Per band, mean (mosaic - surface) in reflectance: the bias.</param>
/// <param name="Share90">Per band, the 90th percentile of |mosaic - surface| in reflectance.</param>
public sealed record SurfaceComparison(long Pixels, long PixelsWithData, IReadOnlyList<double> MedianAbsoluteError, IReadOnlyList<double> MeanError, IReadOnlyList<double> Share90)
{
    /// <summary>Compares a 6-band UInt16 mosaic (reflectance x 10000, nodata 0) on the scene's mosaic grid with <see cref="SyntheticScene.RenderSurface"/>.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="year">One of its years.</param>
    /// <param name="mosaicPath">The mosaic; it must have the scene mosaic's size.</param>
    /// <param name="everyNthStrip">Compare one 64-row strip in this many (1: every row).</param>
    /// <exception cref="DataFileException">The mosaic is not on the scene's grid.</exception>
    public static SurfaceComparison Measure(SyntheticScene scene, int year, string mosaicPath, int everyNthStrip = 1)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyNthStrip, 1);
        using GeoTiffReader reader = GeoTiffReader.Open(mosaicPath);
        if (reader.Info.Width != scene.MosaicWidth || reader.Info.Height != scene.MosaicHeight || reader.Info.BandCount != SyntheticScene.BandCount)
        {
            throw new DataFileException(mosaicPath, string.Create(CultureInfo.InvariantCulture, $"is {reader.Info.Width} x {reader.Info.Height} x {reader.Info.BandCount}, not the scene's {scene.MosaicWidth} x {scene.MosaicHeight} x 6 mosaic"));
        }

        const int Rows = 64;
        int bands = SyntheticScene.BandCount, w = scene.MosaicWidth;
        var histograms = new long[bands][];
        var sums = new double[bands];
        for (int b = 0; b < bands; b++)
        {
            histograms[b] = new long[65536];
        }

        long pixels = 0, withData = 0;
        var mosaic = new ushort[bands * Rows * w];
        var surface = new ushort[mosaic.Length];
        for (int strip = 0, y = 0; y < scene.MosaicHeight; strip++, y += Rows)
        {
            if (strip % everyNthStrip != 0)
            {
                continue;
            }

            var window = new PixelWindow(0, y, w, Math.Min(Rows, scene.MosaicHeight - y));
            int n = (int)window.PixelCount;
            reader.Read<ushort>(window, mosaic.AsSpan(0, bands * n));
            scene.RenderSurface(year, window, surface.AsSpan(0, bands * n));
            for (int p = 0; p < n; p++)
            {
                pixels++;
                if (mosaic[p] == 0)
                {
                    continue;
                }

                withData++;
                for (int b = 0; b < bands; b++)
                {
                    int d = mosaic[(b * n) + p] - surface[(b * n) + p];
                    histograms[b][Math.Abs(d)]++;
                    sums[b] += d;
                }
            }
        }

        double Quantile(long[] histogram, double q)
        {
            long target = (long)Math.Ceiling(q * withData), seen = 0;
            for (int v = 0; v < histogram.Length; v++)
            {
                seen += histogram[v];
                if (seen >= target && target > 0)
                {
                    return v * SyntheticScene.ReflectanceScale;
                }
            }

            return double.NaN;
        }

        return new SurfaceComparison(pixels, withData,
            [.. histograms.Select(h => Quantile(h, 0.5))],
            [.. sums.Select(s => withData > 0 ? s / withData * SyntheticScene.ReflectanceScale : double.NaN)],
            [.. histograms.Select(h => Quantile(h, 0.9))]);
    }

    /// <summary>One line: coverage, median and 90th percentile absolute error and bias, in reflectance, per band.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Pixels > 0 ? (double)PixelsWithData / Pixels : 0):P2} of {Pixels:N0} pixels with data; |composite - surface| median {string.Join(" / ", MedianAbsoluteError.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)))}, 90th percentile {string.Join(" / ", Share90.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)))}, bias {string.Join(" / ", MeanError.Select(v => Math.Round(v, 4).ToString("+0.0000;-0.0000;+0.0000", CultureInfo.InvariantCulture)))} (B / G / R / NIR / SWIR1 / SWIR2)");
}
