using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Sixteen spectral summaries of a cell's 33 x 33 patch (reflectance): the mean of each of the six bands, their
/// standard deviations, NDVI, NDBI and MNDWI of the mean spectrum, and the mean brightness. Means are linear in the
/// cover fractions of the patch, so a linear score of them follows the built-up fraction below the cell; the
/// deviations carry the texture of streets and roofs. Cheap (one pass over the patch), so every cell of every year
/// is summarised in a fraction of the time the 486 patch statistics take.
/// </summary>
public sealed class CellSpectra
{
    /// <summary>Summaries per cell.</summary>
    public const int FeatureCount = 16;

    /// <summary>The names of the summaries, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "mean_blue", "mean_green", "mean_red", "mean_nir", "mean_swir1", "mean_swir2",
        "sd_blue", "sd_green", "sd_red", "sd_nir", "sd_swir1", "sd_swir2",
        "ndvi_of_mean", "ndbi_of_mean", "mndwi_of_mean", "mean_brightness",
    ];

    private readonly float _scale;
    private readonly float _offset;

    /// <summary>Creates the summariser for one mosaic's reflectance convention.</summary>
    /// <param name="scale">Reflectance = DN * scale + offset.</param>
    /// <param name="offset">Reflectance offset.</param>
    public CellSpectra(float scale = 0.0001f, float offset = 0f)
    {
        if (!float.IsFinite(scale) || scale <= 0 || !float.IsFinite(offset))
        {
            throw new ArgumentException($"The reflectance scale must be positive and finite (scale {scale}, offset {offset}).", nameof(scale));
        }

        _scale = scale;
        _offset = offset;
    }

    /// <summary>
    /// Summarises the cells of <paramref name="rows"/> grid rows from <paramref name="firstRow"/> in parallel;
    /// <paramref name="complete"/> is false where the patch leaves the mosaic or holds nodata.
    /// </summary>
    /// <param name="mosaic">The mosaic.</param>
    /// <param name="grid">The grid over it.</param>
    /// <param name="firstRow">First grid row.</param>
    /// <param name="rows">Grid rows.</param>
    /// <param name="destination"><see cref="FeatureCount"/> values per cell, row-major.</param>
    /// <param name="complete">One flag per cell.</param>
    /// <param name="parallel">Threads and cancellation.</param>
    public void Summarise(Mosaic mosaic, CellGrid grid, int firstRow, int rows, Span<float> destination, Span<bool> complete, ParallelOptions parallel)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(parallel);
        int width = grid.Width, cells = rows * width;
        if (destination.Length < cells * FeatureCount || complete.Length < cells)
        {
            throw new ArgumentException($"The buffers hold fewer than {cells} cells.", nameof(destination));
        }

        float[] features = new float[cells * FeatureCount];
        bool[] flags = new bool[cells];
        int pixels = PatchGeometry.PixelCount;
        Parallel.For(0, cells, parallel, () => new float[StandardChannels.BandCount * pixels], (i, _, planes) =>
        {
            PixelWindow window = grid.PatchWindow(firstRow + (i / width), i % width);
            if (!mosaic.Info.Contains(window))
            {
                return planes;
            }

            mosaic.Read(window, planes);
            if (mosaic.ContainsNoData(planes))
            {
                return planes;
            }

            Summarise(planes, pixels, features.AsSpan(i * FeatureCount, FeatureCount));
            flags[i] = true;
            return planes;
        }, _ => { });
        features.CopyTo(destination);
        flags.CopyTo(complete);
    }

    /// <summary>Summarises one patch given as six band planes of raw digital numbers.</summary>
    /// <param name="planes">Six planes of <paramref name="pixels"/> values (blue .. swir2).</param>
    /// <param name="pixels">Pixels per plane.</param>
    /// <param name="destination"><see cref="FeatureCount"/> values.</param>
    public void Summarise(ReadOnlySpan<float> planes, int pixels, Span<float> destination)
    {
        if (pixels < 1 || planes.Length < pixels * StandardChannels.BandCount || destination.Length < FeatureCount)
        {
            throw new ArgumentException($"Six planes of {pixels} pixels and {FeatureCount} outputs are needed.", nameof(planes));
        }

        Span<double> mean = stackalloc double[StandardChannels.BandCount];
        double brightness = 0;
        for (int b = 0; b < StandardChannels.BandCount; b++)
        {
            // Two-pass mean and deviation in double: the patch is small and this keeps the figures exact enough
            // to be compared with numpy's.
            ReadOnlySpan<float> plane = planes.Slice(b * pixels, pixels);
            double sum = 0;
            foreach (float v in plane)
            {
                sum += (v * _scale) + _offset;
            }

            double m = sum / pixels, squares = 0;
            foreach (float v in plane)
            {
                double d = (v * _scale) + _offset - m;
                squares += d * d;
            }

            mean[b] = m;
            brightness += m;
            destination[b] = (float)m;
            destination[StandardChannels.BandCount + b] = (float)Math.Sqrt(squares / pixels);
        }

        destination[12] = (float)Ratio(mean[3] - mean[2], mean[3] + mean[2]);
        destination[13] = (float)Ratio(mean[4] - mean[3], mean[4] + mean[3]);
        destination[14] = (float)Ratio(mean[1] - mean[4], mean[1] + mean[4]);
        destination[15] = (float)(brightness / StandardChannels.BandCount);
    }

    private static double Ratio(double a, double b) => Math.Abs(b) > 1e-9 ? a / b : 0;
}
