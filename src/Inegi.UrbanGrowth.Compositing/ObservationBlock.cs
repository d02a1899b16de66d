namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// The observations of a block of pixels: for each observation (date), each band as a plane of
/// <see cref="PixelCount"/> reflectances. Value <c>[(o * BandCount + b) * PixelCount + p]</c> is band b of
/// observation o at pixel p; NaN marks a masked value, and an observation is used at a pixel only where all
/// its bands are finite.
/// </summary>
/// <remarks>
/// Observation-major and band-planar because that is how a window of a per-date GeoTIFF arrives, and because
/// the kernel then loads a run of neighbouring pixels of one band with one vector load.
/// </remarks>
public readonly ref struct ObservationBlock
{
    /// <summary>Wraps a buffer laid out as described on the type.</summary>
    /// <param name="values">The values; at least <paramref name="observationCount"/> x <paramref name="bandCount"/> x <paramref name="pixelCount"/> long.</param>
    /// <param name="observationCount">Number of observations (dates), 0 or more.</param>
    /// <param name="bandCount">Bands per observation, 1 or more.</param>
    /// <param name="pixelCount">Pixels in the block, 0 or more.</param>
    public ObservationBlock(ReadOnlySpan<float> values, int observationCount, int bandCount, int pixelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observationCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pixelCount);
        long needed = (long)observationCount * bandCount * pixelCount;
        if (values.Length < needed)
        {
            throw new ArgumentException($"The stack needs {needed} values ({observationCount} observations x {bandCount} bands x {pixelCount} pixels); got {values.Length}.", nameof(values));
        }

        Values = values[..(int)needed];
        ObservationCount = observationCount;
        BandCount = bandCount;
        PixelCount = pixelCount;
    }

    /// <summary>The values, observation-major, band-planar.</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>Number of observations (dates).</summary>
    public int ObservationCount { get; }

    /// <summary>Bands per observation.</summary>
    public int BandCount { get; }

    /// <summary>Pixels in the block.</summary>
    public int PixelCount { get; }

    /// <summary>The plane of band <paramref name="band"/> of observation <paramref name="observation"/>.</summary>
    /// <param name="observation">Observation index.</param>
    /// <param name="band">Band index.</param>
    public ReadOnlySpan<float> Plane(int observation, int band) =>
        Values.Slice(((observation * BandCount) + band) * PixelCount, PixelCount);
}
