using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Inegi.UrbanGrowth.Patches;

namespace Inegi.UrbanGrowth.Benchmarks.Patches;

/// <summary>
/// The per-channel kernel as it was before the median and histogram were vectorised further (commit 81f005b on
/// main): scalar first pass of the bucket median (float64 bucket ids, byte ids, scalar compaction) and ten
/// compare-and-subtract histogram counters. Kept here so that before / after are measured in the same run.
/// </summary>
internal static class PreviousPatchKernels
{
    public static void Extract(PatchFeatureLayout layout, ReadOnlySpan<float> channelPlanes, Span<float> destination, PatchScratch scratch)
    {
        int n = layout.PixelCount;
        for (int c = 0; c < layout.ChannelCount; c++)
        {
            ComputeChannel(channelPlanes.Slice(c * n, n), layout.CenterIndex, destination.Slice(c * PatchStatistics.Count, PatchStatistics.Count), scratch);
        }
    }

    public static void ComputeChannel(ReadOnlySpan<float> values, int centerIndex, Span<float> destination, PatchScratch scratch)
    {
        int n = values.Length;
        PatchKernels.MinMaxSum(values, PatchKernels.BestWidth, out float min, out float max, out double sum);
        if (!double.IsFinite(sum))
        {
            destination[..PatchStatistics.Count].Fill(float.NaN);
            return;
        }

        double mean = sum / n;
        Span<float> edges = scratch.Edges;
        NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
        Span<int> counts = stackalloc int[NumpyHistogram.Bins];
        counts.Clear();
        double m2 = 0, m3 = 0, m4 = 0;
        float median;
        if (min == max)
        {
            counts[NumpyHistogram.BinOf(min, edges, first, norm)] = n;
            median = min;
        }
        else
        {
            MomentsAndHistogram(values, mean, edges, first, norm, counts, out m2, out m3, out m4);
            median = PatchKernels.MedianScalar(values, min, max, scratch);
        }

        PatchKernels.WriteStatistics(n, mean, m2, m3, m4, median, counts, values[centerIndex], destination);
    }

    public static void MomentsAndHistogram(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double m2, out double m3, out double m4)
    {
        int n = x.Length;
        int i = 0;
        double s2 = 0, s3 = 0, s4 = 0;
        if (Avx2.IsSupported && n >= Vector256<float>.Count)
        {
            i = MomentsAndHistogramAvx2(x, mean, edges, first, norm, counts, out s2, out s3, out s4);
        }

        for (; i < n; i++)
        {
            float v = x[i];
            double d = v - mean;
            double d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
            counts[NumpyHistogram.BinOf(v, edges, first, norm)]++;
        }

        m2 = s2 / n;
        m3 = s3 / n;
        m4 = s4 / n;
    }

    internal static int MomentsAndHistogramAvx2(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double s2, out double s3, out double s4)
    {
        int n = x.Length;
        ref float r = ref MemoryMarshal.GetReference(x);
        ref float e = ref MemoryMarshal.GetReference(edges);
        var edgesLow = Vector256.LoadUnsafe(ref e);
        var edgesHigh = Vector256.LoadUnsafe(ref e, 8);
        var firstV = Vector256.Create(first);
        var normV = Vector256.Create(norm);
        var meanV = Vector256.Create(mean);
        var zero = Vector256<int>.Zero;
        var one = Vector256.Create(1);
        var seven = Vector256.Create(7);
        var nine = Vector256.Create(9);
        Vector256<double> a2 = default, a3 = default, a4 = default, b2 = default, b3 = default, b4 = default;
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default;
        Vector256<int> c5 = default, c6 = default, c7 = default, c8 = default, c9 = default;
        int i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.LoadUnsafe(ref r, (nuint)i);

            var dl = Vector256.WidenLower(v) - meanV;
            var dl2 = dl * dl;
            a2 += dl2;
            a3 += dl2 * dl;
            a4 += dl2 * dl2;
            var dh = Vector256.WidenUpper(v) - meanV;
            var dh2 = dh * dh;
            b2 += dh2;
            b3 += dh2 * dh;
            b4 += dh2 * dh2;

            var g = Vector256.ConvertToInt32((v - firstV) * normV);
            g = Vector256.Min(Vector256.Max(g, zero), nine);
            g += Vector256.LessThan(v, Lookup(edgesLow, edgesHigh, g, seven)).AsInt32();
            g = Vector256.Max(g, zero);
            var above = Vector256.GreaterThanOrEqual(v, Lookup(edgesLow, edgesHigh, g + one, seven)).AsInt32();
            g -= Vector256.AndNot(above, Vector256.Equals(g, nine));

            c0 -= Vector256.Equals(g, zero);
            c1 -= Vector256.Equals(g, one);
            c2 -= Vector256.Equals(g, Vector256.Create(2));
            c3 -= Vector256.Equals(g, Vector256.Create(3));
            c4 -= Vector256.Equals(g, Vector256.Create(4));
            c5 -= Vector256.Equals(g, Vector256.Create(5));
            c6 -= Vector256.Equals(g, Vector256.Create(6));
            c7 -= Vector256.Equals(g, seven);
            c8 -= Vector256.Equals(g, Vector256.Create(8));
            c9 -= Vector256.Equals(g, nine);
        }

        counts[0] += Vector256.Sum(c0);
        counts[1] += Vector256.Sum(c1);
        counts[2] += Vector256.Sum(c2);
        counts[3] += Vector256.Sum(c3);
        counts[4] += Vector256.Sum(c4);
        counts[5] += Vector256.Sum(c5);
        counts[6] += Vector256.Sum(c6);
        counts[7] += Vector256.Sum(c7);
        counts[8] += Vector256.Sum(c8);
        counts[9] += Vector256.Sum(c9);
        s2 = Vector256.Sum(a2 + b2);
        s3 = Vector256.Sum(a3 + b3);
        s4 = Vector256.Sum(a4 + b4);
        return i;
    }


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lookup(Vector256<float> low, Vector256<float> high, Vector256<int> index, Vector256<int> seven) =>
        Vector256.ConditionalSelect(
            Vector256.GreaterThan(index, seven).AsSingle(),
            Avx2.PermuteVar8x32(high, index),
            Avx2.PermuteVar8x32(low, index));
}
