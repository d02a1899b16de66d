using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Spectral.Kernels;

/// <summary>
/// All 27 standard channels per vector of pixels in one pass: the six bands are loaded (and converted from DN with
/// one fused multiply-add) once, shared sums and ratios are computed once, and each channel is stored to its plane.
/// Written once over <see cref="ISimdOps{TVec}"/>; the JIT specialises it per vector width and sample type.
/// </summary>
internal static class FusedKernel
{
    /// <summary>Number of standard channels.</summary>
    public const int ChannelCount = 27;

    /// <summary>
    /// Runs the kernel on <paramref name="count"/> pixels starting at pixel <paramref name="start"/>;
    /// <paramref name="count"/> must be at least <c>TOps.Count</c> (the last vector overlaps the one before).
    /// </summary>
    /// <param name="source">Band-planar samples: band k of pixel i at <c>k * planeLength + i</c>.</param>
    /// <param name="planeLength">Length of one input and one output plane (the call's pixel count).</param>
    /// <param name="start">First pixel.</param>
    /// <param name="count">Pixels to process.</param>
    /// <param name="scaled">Whether to apply <c>sample * scale + offset</c>.</param>
    /// <param name="scale">DN scale.</param>
    /// <param name="offset">DN offset.</param>
    /// <param name="tc">36 tasseled-cap coefficients.</param>
    /// <param name="destination">Output planes.</param>
    /// <param name="planeOffsets">Per standard channel, the element offset of its output plane, or -1 to skip it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVec, T>(
        ReadOnlySpan<T> source, int planeLength, int start, int count, bool scaled, float scale, float offset,
        ReadOnlySpan<float> tc, Span<float> destination, ReadOnlySpan<int> planeOffsets)
        where TOps : ISimdOps<TVec>
        where TVec : struct
        where T : unmanaged
    {
        int w = TOps.Count;
        ref T src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        ref float c = ref MemoryMarshal.GetReference(tc);
        ref int po = ref MemoryMarshal.GetReference(planeOffsets);
        nint plane = planeLength;
        int end = start + count;
        TVec vScale = TOps.Create(scale);
        TVec vOffset = TOps.Create(offset);

        for (int i = start; ; i += w)
        {
            if (i > end - w)
            {
                if (i >= end)
                {
                    break;
                }

                i = end - w;
            }

            nint x = i;
            TVec b = TOps.Load(ref Unsafe.Add(ref src, x));
            TVec g = TOps.Load(ref Unsafe.Add(ref src, x + plane));
            TVec r = TOps.Load(ref Unsafe.Add(ref src, x + (2 * plane)));
            TVec n = TOps.Load(ref Unsafe.Add(ref src, x + (3 * plane)));
            TVec s1 = TOps.Load(ref Unsafe.Add(ref src, x + (4 * plane)));
            TVec s2 = TOps.Load(ref Unsafe.Add(ref src, x + (5 * plane)));
            if (scaled)
            {
                b = TOps.MultiplyAdd(b, vScale, vOffset);
                g = TOps.MultiplyAdd(g, vScale, vOffset);
                r = TOps.MultiplyAdd(r, vScale, vOffset);
                n = TOps.MultiplyAdd(n, vScale, vOffset);
                s1 = TOps.MultiplyAdd(s1, vScale, vOffset);
                s2 = TOps.MultiplyAdd(s2, vScale, vOffset);
            }

            Put(TOps.ZeroIfNotFinite(b), 0, ref po, ref dst, x);
            Put(TOps.ZeroIfNotFinite(g), 1, ref po, ref dst, x);
            Put(TOps.ZeroIfNotFinite(r), 2, ref po, ref dst, x);
            Put(TOps.ZeroIfNotFinite(n), 3, ref po, ref dst, x);
            Put(TOps.ZeroIfNotFinite(s1), 4, ref po, ref dst, x);
            Put(TOps.ZeroIfNotFinite(s2), 5, ref po, ref dst, x);

            // evi
            TVec nMinusR = TOps.Subtract(n, r);
            TVec eviDen = TOps.Add(TOps.Subtract(TOps.Add(n, TOps.Multiply(TOps.Create(6f), r)), TOps.Multiply(TOps.Create(7.5f), b)), TOps.Create(1f));
            Put(TOps.SafeDivide(TOps.Multiply(TOps.Create(2.5f), nMinusR), eviDen), 6, ref po, ref dst, x);

            // ndbi, ndvi, bu
            TVec s1PlusN = TOps.Add(s1, n);
            TVec nPlusR = TOps.Add(n, r);
            TVec ndbi = TOps.SafeDivide(TOps.Subtract(s1, n), s1PlusN);
            TVec ndvi = TOps.SafeDivide(nMinusR, nPlusR);
            Put(TOps.ZeroIfNotFinite(TOps.Subtract(ndbi, ndvi)), 7, ref po, ref dst, x);

            // sr
            Put(TOps.SafeDivide(n, r), 8, ref po, ref dst, x);

            // arvi
            TVec rb = TOps.Subtract(TOps.Multiply(TOps.Create(2f), r), b);
            Put(TOps.SafeDivide(TOps.Subtract(n, rb), TOps.Add(n, rb)), 9, ref po, ref dst, x);

            // ui, ndbi
            Put(TOps.SafeDivide(TOps.Subtract(s2, n), TOps.Add(s2, n)), 10, ref po, ref dst, x);
            Put(ndbi, 11, ref po, ref dst, x);

            // ibi
            TVec gPlusS1 = TOps.Add(g, s1);
            TVec built = TOps.SafeDivide(TOps.Multiply(TOps.Create(2f), s1), s1PlusN);
            TVec vegWater = TOps.Add(TOps.SafeDivide(n, nPlusR), TOps.SafeDivide(g, gPlusS1));
            Put(TOps.SafeDivide(TOps.Subtract(built, vegWater), TOps.Add(built, vegWater)), 12, ref po, ref dst, x);
            Put(ndvi, 13, ref po, ref dst, x);

            // ndwi, mndwi
            Put(TOps.SafeDivide(TOps.Subtract(g, n), TOps.Add(g, n)), 14, ref po, ref dst, x);
            Put(TOps.SafeDivide(TOps.Subtract(g, s1), gPlusS1), 15, ref po, ref dst, x);

            // nbi, brba
            Put(TOps.SafeDivide(TOps.Multiply(r, s1), n), 16, ref po, ref dst, x);
            Put(TOps.SafeDivide(r, s1), 17, ref po, ref dst, x);

            // nbai
            TVec s1OverG = TOps.SafeDivide(s1, g);
            Put(TOps.SafeDivide(TOps.Subtract(s2, s1OverG), TOps.Add(s2, s1OverG)), 18, ref po, ref dst, x);

            // baei
            Put(TOps.SafeDivide(TOps.Add(r, TOps.Create(0.3f)), gPlusS1), 19, ref po, ref dst, x);

            // bi
            TVec s1PlusR = TOps.Add(s1, r);
            TVec nPlusB = TOps.Add(n, b);
            Put(TOps.SafeDivide(TOps.Subtract(s1PlusR, nPlusB), TOps.Add(s1PlusR, nPlusB)), 20, ref po, ref dst, x);

            // tasseled cap
            for (int k = 0; k < 6; k++)
            {
                ref float row = ref Unsafe.Add(ref c, k * 6);
                TVec t = TOps.Multiply(TOps.Create(row), b);
                t = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref row, 1)), g, t);
                t = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref row, 2)), r, t);
                t = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref row, 3)), n, t);
                t = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref row, 4)), s1, t);
                t = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref row, 5)), s2, t);
                Put(TOps.ZeroIfNotFinite(t), 21 + k, ref po, ref dst, x);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static void Put(TVec value, int channel, ref int offsets, ref float destination, nint pixel)
            {
                int o = Unsafe.Add(ref offsets, channel);
                if (o >= 0)
                {
                    TOps.Store(value, ref Unsafe.Add(ref destination, o + pixel));
                }
            }
        }
    }
}
