using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Spectral.Kernels;

/// <summary>
/// The plain per-pixel reference for the 27 standard channels: SPEC 2's formulas written out one pixel at a time.
/// The vector kernel evaluates exactly the same IEEE operations in the same order (fused multiply-add in the same
/// places: DN scaling and the tasseled cap), so both give bit-identical results.
/// </summary>
internal static class ScalarReference
{
    /// <summary>
    /// Whether the CPU fuses multiply-add in hardware. When it does not (e.g. DOTNET_EnableAVX2=0, which also turns off
    /// FMA), both the scalar and the vector paths use a separate multiply and add instead of the slow software FMA, so
    /// they stay bit-identical to each other.
    /// </summary>
    public static readonly bool HasFma = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <summary>x * y + z: fused when the hardware fuses, else multiply then add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float x, float y, float z) => HasFma ? MathF.FusedMultiplyAdd(x, y, z) : (x * y) + z;

    /// <summary>SPEC 2's division: 0 for a zero divisor or a non-finite quotient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SafeDivide(float x, float y) => ZeroIfNotFinite(x / y);

    /// <summary>x where finite, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ZeroIfNotFinite(float x) => float.IsFinite(x) ? x : 0f;

    /// <summary>Computes the 27 standard channels of one pixel into <paramref name="channels"/>.</summary>
    /// <param name="p">Reflectance of the pixel.</param>
    /// <param name="tc">The 36 tasseled-cap coefficients, row-major.</param>
    /// <param name="channels">27 values in SPEC 2 order.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ComputePixel(in SpectralBands p, ReadOnlySpan<float> tc, Span<float> channels)
    {
        float b = p.Blue, g = p.Green, r = p.Red, n = p.Nir, s1 = p.Swir1, s2 = p.Swir2;
        channels[0] = ZeroIfNotFinite(b);
        channels[1] = ZeroIfNotFinite(g);
        channels[2] = ZeroIfNotFinite(r);
        channels[3] = ZeroIfNotFinite(n);
        channels[4] = ZeroIfNotFinite(s1);
        channels[5] = ZeroIfNotFinite(s2);

        // evi = 2.5 (N - R) / (N + 6R - 7.5B + 1)
        float nMinusR = n - r;
        channels[6] = SafeDivide(2.5f * nMinusR, ((n + (6f * r)) - (7.5f * b)) + 1f);

        // ndbi = (S1 - N) / (S1 + N); ndvi = (N - R) / (N + R); bu = ndbi - ndvi
        float s1PlusN = s1 + n;
        float nPlusR = n + r;
        float ndbi = SafeDivide(s1 - n, s1PlusN);
        float ndvi = SafeDivide(nMinusR, nPlusR);
        channels[7] = ZeroIfNotFinite(ndbi - ndvi);

        // sr = N / R
        channels[8] = SafeDivide(n, r);

        // arvi = (N - (2R - B)) / (N + (2R - B))
        float rb = (2f * r) - b;
        channels[9] = SafeDivide(n - rb, n + rb);

        // ui = (S2 - N) / (S2 + N)
        channels[10] = SafeDivide(s2 - n, s2 + n);
        channels[11] = ndbi;

        // ibi = (2S1/(S1+N) - (N/(N+R) + G/(G+S1))) / (2S1/(S1+N) + (N/(N+R) + G/(G+S1)))
        float gPlusS1 = g + s1;
        float built = SafeDivide(2f * s1, s1PlusN);
        float vegWater = SafeDivide(n, nPlusR) + SafeDivide(g, gPlusS1);
        channels[12] = SafeDivide(built - vegWater, built + vegWater);
        channels[13] = ndvi;

        // ndwi = (G - N) / (G + N); mndwi = (G - S1) / (G + S1)
        channels[14] = SafeDivide(g - n, g + n);
        channels[15] = SafeDivide(g - s1, gPlusS1);

        // nbi = R * S1 / N; brba = R / S1
        channels[16] = SafeDivide(r * s1, n);
        channels[17] = SafeDivide(r, s1);

        // nbai = (S2 - S1/G) / (S2 + S1/G)
        float s1OverG = SafeDivide(s1, g);
        channels[18] = SafeDivide(s2 - s1OverG, s2 + s1OverG);

        // baei = (R + 0.3) / (G + S1)
        channels[19] = SafeDivide(r + 0.3f, gPlusS1);

        // bi = ((S1 + R) - (N + B)) / ((S1 + R) + (N + B))
        float s1PlusR = s1 + r;
        float nPlusB = n + b;
        channels[20] = SafeDivide(s1PlusR - nPlusB, s1PlusR + nPlusB);

        // Tasseled cap: component k = sum_j tc[k, j] * band_j, accumulated B, G, R, N, S1, S2 with fused multiply-add.
        for (int k = 0; k < 6; k++)
        {
            ReadOnlySpan<float> row = tc.Slice(k * 6, 6);
            float t = row[0] * b;
            t = MultiplyAdd(row[1], g, t);
            t = MultiplyAdd(row[2], r, t);
            t = MultiplyAdd(row[3], n, t);
            t = MultiplyAdd(row[4], s1, t);
            t = MultiplyAdd(row[5], s2, t);
            channels[21 + k] = ZeroIfNotFinite(t);
        }
    }
}
