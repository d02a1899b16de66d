using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// The fused per-channel kernel: pass 1 finds min, max and the float64 sum; pass 2 accumulates the float64
/// central moments m2, m3, m4 and the numpy histogram in the same loop; the median is a bucket selection on a
/// scratch copy (no sort).
/// </summary>
internal static class PatchKernels
{
    /// <summary>Set by tests to run the portable scalar loops even where AVX2 is available.</summary>
    internal static bool ForceScalar { get; set; }

    private static bool UseAvx2 => Avx2.IsSupported && !ForceScalar;

    /// <summary>Computes the 18 statistics of one channel plane into <paramref name="destination"/>[0..18).</summary>
    public static void ComputeChannel(ReadOnlySpan<float> values, int centerIndex, Span<float> destination, PatchScratch scratch)
    {
        int n = values.Length;
        MinMaxSum(values, out float min, out float max, out double sum);
        if (!double.IsFinite(sum))
        {
            // NaN or +-infinity somewhere in the plane: numpy.histogram refuses such input; we flag the channel.
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
            median = Median(values, min, max, scratch);
        }

        WriteStatistics(n, mean, m2, m3, m4, median, counts, values[centerIndex], destination);
    }

    /// <summary>Turns the accumulated sums into the 18 outputs (SPEC 3 formulas).</summary>
    internal static void WriteStatistics(int n, double mean, double m2, double m3, double m4, float median, ReadOnlySpan<int> counts, float center, Span<float> d)
    {
        d[(int)PatchStatistic.Mean] = (float)mean;
        d[(int)PatchStatistic.Variance] = (float)m2;
        d[(int)PatchStatistic.Median] = median;
        d[(int)PatchStatistic.Variation] = mean == 0 ? 0f : (float)(Math.Sqrt(m2) / mean);
        d[(int)PatchStatistic.Skewness] = m2 == 0 ? 0f : (float)(m3 / (m2 * Math.Sqrt(m2)));
        d[(int)PatchStatistic.Kurtosis] = m2 == 0 ? 0f : (float)((m4 / (m2 * m2)) - 3.0);
        double entropy = 0;
        for (int b = 0; b < NumpyHistogram.Bins; b++)
        {
            int c = counts[b];
            d[(int)PatchStatistic.Hist0 + b] = c;
            if (c > 0)
            {
                double p = (double)c / n;
                entropy -= p * Math.Log(p);
            }
        }

        d[(int)PatchStatistic.Entropy] = (float)entropy;
        d[(int)PatchStatistic.Center] = center;
    }

    /// <summary>Pass 1: min, max (float32) and the sum in float64.</summary>
    internal static void MinMaxSum(ReadOnlySpan<float> x, out float min, out float max, out double sum)
    {
        int n = x.Length;
        int i = 0;
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        double s = 0;
        if (Vector256.IsHardwareAccelerated && !ForceScalar && n >= Vector256<float>.Count)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            var vmin = Vector256.Create(float.PositiveInfinity);
            var vmax = Vector256.Create(float.NegativeInfinity);
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                vmin = Vector256.Min(vmin, v);
                vmax = Vector256.Max(vmax, v);
                s0 += Vector256.WidenLower(v);
                s1 += Vector256.WidenUpper(v);
            }

            for (int k = 0; k < Vector256<float>.Count; k++)
            {
                mn = Math.Min(mn, vmin.GetElement(k));
                mx = Math.Max(mx, vmax.GetElement(k));
            }

            s = Vector256.Sum(s0 + s1);
        }

        for (; i < x.Length; i++)
        {
            float v = x[i];
            mn = Math.Min(mn, v);
            mx = Math.Max(mx, v);
            s += v;
        }

        min = mn;
        max = mx;
        sum = s;
    }

    /// <summary>Pass 2: central moments in float64 and the numpy histogram counts, one loop.</summary>
    internal static void MomentsAndHistogram(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double m2, out double m3, out double m4)
    {
        int n = x.Length;
        int i = 0;
        double s2 = 0, s3 = 0, s4 = 0;
        if (UseAvx2 && n >= Vector256<float>.Count)
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

    private static int MomentsAndHistogramAvx2(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double s2, out double s3, out double s4)
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

    /// <summary>edges[index] for 8 indices 0..10, from two registers (vpermps uses the low 3 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lookup(Vector256<float> low, Vector256<float> high, Vector256<int> index, Vector256<int> seven) =>
        Vector256.ConditionalSelect(
            Vector256.GreaterThan(index, seven).AsSingle(),
            Avx2.PermuteVar8x32(high, index),
            Avx2.PermuteVar8x32(low, index));

    /// <summary>
    /// The median (the value of rank n / 2, n odd) by bucket selection: values are spread over 64 equal buckets
    /// between the current min and max, only the bucket holding the wanted rank is kept (copied into scratch), and
    /// this repeats on the survivors; a small remainder is finished by quickselect. Never sorts the patch.
    /// </summary>
    internal static float Median(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch)
    {
        int n = values.Length;
        int k = n / 2;
        if (min == max)
        {
            return min;
        }

        Span<float> work = scratch.Work.AsSpan(0, n);
        Span<byte> ids = scratch.Ids.AsSpan(0, n);
        Span<int> counts = scratch.Counts;
        ReadOnlySpan<float> source = values;
        int m = n;
        float lo = min, hi = max;
        const int SmallEnough = 24;
        for (int level = 0; level < 8 && m > SmallEnough; level++)
        {
            double scale = PatchScratch.Buckets / ((double)hi - lo);
            if (!double.IsFinite(scale))
            {
                break;
            }

            counts.Clear();
            for (int i = 0; i < m; i++)
            {
                int b = (int)((source[i] - (double)lo) * scale);
                b = Math.Min(b, PatchScratch.Buckets - 1);
                ids[i] = (byte)b;
                counts[b]++;
            }

            int selected = 0;
            int below = 0;
            while (below + counts[selected] <= k)
            {
                below += counts[selected];
                selected++;
            }

            k -= below;
            int kept = 0;
            for (int i = 0; i < m; i++)
            {
                // Branch-free compaction; in place once source is the work buffer (kept <= i).
                work[kept] = source[i];
                kept += ids[i] == selected ? 1 : 0;
            }

            m = kept;
            source = work[..m];
            MinMaxSum(source, out lo, out hi, out _);
            if (lo == hi)
            {
                return lo;
            }
        }

        if (source == values)
        {
            values.CopyTo(work);
        }

        return QuickSelect(work[..m], k);
    }

    /// <summary>The k-th smallest value (0-based) of <paramref name="a"/>, reordering it: Hoare quickselect with a median-of-three pivot, insertion sort for short ranges.</summary>
    internal static float QuickSelect(Span<float> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right - left > 16)
        {
            int mid = left + ((right - left) >> 1);
            if (a[mid] < a[left])
            {
                (a[mid], a[left]) = (a[left], a[mid]);
            }

            if (a[right] < a[left])
            {
                (a[right], a[left]) = (a[left], a[right]);
            }

            if (a[right] < a[mid])
            {
                (a[right], a[mid]) = (a[mid], a[right]);
            }

            float pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (pivot < a[j])
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        for (int i = left + 1; i <= right; i++)
        {
            float v = a[i];
            int j = i - 1;
            while (j >= left && a[j] > v)
            {
                a[j + 1] = a[j];
                j--;
            }

            a[j + 1] = v;
        }

        return a[k];
    }
}
