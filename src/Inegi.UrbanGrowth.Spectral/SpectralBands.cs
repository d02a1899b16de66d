namespace Inegi.UrbanGrowth.Spectral;

/// <summary>The six reflectance values of one pixel, handed to user-defined indices.</summary>
/// <param name="Blue">Blue reflectance (B).</param>
/// <param name="Green">Green reflectance (G).</param>
/// <param name="Red">Red reflectance (R).</param>
/// <param name="Nir">Near-infrared reflectance (N).</param>
/// <param name="Swir1">Short-wave infrared 1 reflectance (S1).</param>
/// <param name="Swir2">Short-wave infrared 2 reflectance (S2).</param>
public readonly record struct SpectralBands(float Blue, float Green, float Red, float Nir, float Swir1, float Swir2)
{
    /// <summary>
    /// SPEC 2's division: <paramref name="numerator"/> / <paramref name="denominator"/>, or 0 where the denominator
    /// is 0 or the quotient is not finite. User indices should divide with this to follow the same rule.
    /// </summary>
    /// <param name="numerator">Dividend.</param>
    /// <param name="denominator">Divisor.</param>
    public static float SafeDivide(float numerator, float denominator)
    {
        float q = numerator / denominator;
        return denominator != 0f && float.IsFinite(q) ? q : 0f;
    }
}

/// <summary>A user-defined per-pixel index over the six reflectance bands.</summary>
/// <param name="bands">The pixel's reflectance.</param>
/// <returns>The index value; a non-finite result is stored as 0 (SPEC 2).</returns>
public delegate float SpectralIndexFunction(SpectralBands bands);
