using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Inegi.UrbanGrowth.Patches.Kernels;

namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// The fused per-channel kernel: pass 1 finds min, max and the float64 sum; pass 2 accumulates the float64
/// central moments m2, m3, m4 and the numpy histogram in the same loop; the median is a bucket selection on a
/// scratch copy (no sort). Every pass is written once over <see cref="IPatchVectorOps{TFloat, TInt, TEight}"/>
/// (PatchKernels.Vector.cs) and once as the scalar reference (PatchKernels.Scalar.cs); the caller passes the
/// <see cref="VectorWidth"/>, so two extractors in one process can run different widths at once.
/// </summary>
/// <remarks>
/// Every width gives the same bits, the scalar reference included: integer counts, minima, maxima and the median
/// (an input value) do not depend on the order of work, and the float64 sums are accumulated in the eight lanes of
/// the original AVX2 kernel and reduced in its order (<see cref="ReduceEight"/>), so the feature tables written
/// before the kernels became width-generic are reproduced bit for bit.
/// </remarks>
internal static partial class PatchKernels
{
    /// <summary>The widest width the hardware accelerates: 512, 256, 128, or scalar.</summary>
    internal static VectorWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? VectorWidth.V512
        : Vector256.IsHardwareAccelerated ? VectorWidth.V256
        : Vector128.IsHardwareAccelerated ? VectorWidth.V128
        : VectorWidth.Scalar;

    /// <summary>Computes the 18 statistics of one channel plane into <paramref name="destination"/>[0..18).</summary>
    public static void ComputeChannel(ReadOnlySpan<float> values, int centerIndex, Span<float> destination, PatchScratch scratch, VectorWidth width) =>
        ComputeChannel(values, centerIndex, destination, scratch, width, (1 << PatchStatistics.Count) - 1);

    /// <summary>
    /// Computes the statistics of one channel plane that <paramref name="mask"/> keeps (bit s: statistic s, see
    /// <see cref="PatchFeaturePlan"/>) into <paramref name="destination"/>[0..18), each with the full computation's
    /// bits, and NaN in the others: the median's selection runs only when the median is kept, the second pass only
    /// when a moment, the entropy or a histogram count is kept, nothing at all for an empty mask.
    /// </summary>
    public static void ComputeChannel(ReadOnlySpan<float> values, int centerIndex, Span<float> destination, PatchScratch scratch, VectorWidth width, int mask)
    {
        if (mask == 0)
        {
            destination[..PatchStatistics.Count].Fill(float.NaN);
            return;
        }

        int n = values.Length;
        MinMaxSum(values, width, out float min, out float max, out double sum);
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
            // The statistics are independent given pass 1, so skipping a pass changes no kept value.
            if (PatchFeaturePlan.NeedsSecondPass(mask))
            {
                MomentsAndHistogram(values, mean, edges, first, norm, counts, width, out m2, out m3, out m4, PatchFeaturePlan.NeedsMoments(mask));
            }

            median = PatchFeaturePlan.NeedsMedian(mask) ? Median(values, min, max, scratch, width) : float.NaN;
        }

        WriteStatistics(n, mean, m2, m3, m4, median, counts, values[centerIndex], destination);
        if (!PatchFeaturePlan.IsWhole(mask))
        {
            // Columns left out are NaN, never zeros or a previous cell's values that could pass for features.
            for (int s = 0; s < PatchStatistics.Count; s++)
            {
                if ((mask & (1 << s)) == 0)
                {
                    destination[s] = float.NaN;
                }
            }
        }
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

    /// <summary>Pass 1: min, max (float32) and the sum in float64, at <paramref name="width"/>.</summary>
    internal static void MinMaxSum(ReadOnlySpan<float> x, VectorWidth width, out float min, out float max, out double sum)
    {
        switch (width)
        {
            case VectorWidth.V512:
                MinMaxSum<PatchOps512, Vector512<float>, Vector512<int>, Vector512<double>>(x, out min, out max, out sum);
                break;
            case VectorWidth.V256:
                MinMaxSum<PatchOps256, Vector256<float>, Vector256<int>, Vector256Pair>(x, out min, out max, out sum);
                break;
            case VectorWidth.V128:
                MinMaxSum<PatchOps128, Vector128Pair<float>, Vector128Pair<int>, Vector128Quad>(x, out min, out max, out sum);
                break;
            default:
                MinMaxSumScalar(x, out min, out max, out sum);
                break;
        }
    }

    /// <summary>
    /// Pass 2: central moments in float64 and the numpy histogram counts, one loop, at <paramref name="width"/>; with
    /// <paramref name="moments"/> false the histogram alone (the moments are returned as 0; the counts are the same).
    /// </summary>
    internal static void MomentsAndHistogram(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, VectorWidth width, out double m2, out double m3, out double m4, bool moments = true)
    {
        if (!moments)
        {
            HistogramOnly(x, mean, edges, first, norm, counts, width);
            m2 = m3 = m4 = 0;
            return;
        }

        switch (width)
        {
            case VectorWidth.V512:
                MomentsAndHistogram<PatchOps512, Vector512<float>, Vector512<int>, Vector512<double>, KernelSwitch.Enabled>(x, mean, edges, first, norm, counts, out m2, out m3, out m4);
                break;
            case VectorWidth.V256:
                MomentsAndHistogram<PatchOps256, Vector256<float>, Vector256<int>, Vector256Pair, KernelSwitch.Enabled>(x, mean, edges, first, norm, counts, out m2, out m3, out m4);
                break;
            case VectorWidth.V128:
                MomentsAndHistogram<PatchOps128, Vector128Pair<float>, Vector128Pair<int>, Vector128Quad, KernelSwitch.Enabled>(x, mean, edges, first, norm, counts, out m2, out m3, out m4);
                break;
            default:
                MomentsAndHistogramScalar(x, mean, edges, first, norm, counts, out m2, out m3, out m4);
                break;
        }
    }

    /// <summary>Pass 2 without the moments: the numpy histogram counts alone, the same counts as the fused loop's.</summary>
    private static void HistogramOnly(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.V512:
                MomentsAndHistogram<PatchOps512, Vector512<float>, Vector512<int>, Vector512<double>, KernelSwitch.Disabled>(x, mean, edges, first, norm, counts, out _, out _, out _);
                break;
            case VectorWidth.V256:
                MomentsAndHistogram<PatchOps256, Vector256<float>, Vector256<int>, Vector256Pair, KernelSwitch.Disabled>(x, mean, edges, first, norm, counts, out _, out _, out _);
                break;
            case VectorWidth.V128:
                MomentsAndHistogram<PatchOps128, Vector128Pair<float>, Vector128Pair<int>, Vector128Quad, KernelSwitch.Disabled>(x, mean, edges, first, norm, counts, out _, out _, out _);
                break;
            default:
                foreach (float v in x)
                {
                    counts[NumpyHistogram.BinOf(v, edges, first, norm)]++;
                }

                break;
        }
    }

    /// <summary>
    /// The median (the value of rank n / 2, n odd) by bucket selection: values are spread over 64 equal buckets
    /// between the current min and max, only the bucket holding the wanted rank is kept (copied into scratch), and
    /// this repeats on the survivors; a small remainder is finished by quickselect. Never sorts the patch.
    /// </summary>
    internal static float Median(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch, VectorWidth width) =>
        width switch
        {
            VectorWidth.V512 => Median<PatchOps512, Vector512<float>, Vector512<int>, Vector512<double>>(values, min, max, scratch),
            VectorWidth.V256 => Median<PatchOps256, Vector256<float>, Vector256<int>, Vector256Pair>(values, min, max, scratch),
            VectorWidth.V128 => Median<PatchOps128, Vector128Pair<float>, Vector128Pair<int>, Vector128Quad>(values, min, max, scratch),
            _ => MedianScalar(values, min, max, scratch),
        };

    /// <summary>Bucket id of each value: <c>(int)min((x - lo) * scale, 63)</c> in float32 (non-decreasing in x), at <paramref name="width"/>.</summary>
    internal static void BucketIds(ReadOnlySpan<float> x, float lo, float scale, Span<int> ids, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.V512:
                BucketIds<PatchOps512, Vector512<float>, Vector512<int>, Vector512<double>>(x, lo, scale, ids);
                break;
            case VectorWidth.V256:
                BucketIds<PatchOps256, Vector256<float>, Vector256<int>, Vector256Pair>(x, lo, scale, ids);
                break;
            case VectorWidth.V128:
                BucketIds<PatchOps128, Vector128Pair<float>, Vector128Pair<int>, Vector128Quad>(x, lo, scale, ids);
                break;
            default:
                BucketIdsScalar(x, lo, scale, ids, 0);
                break;
        }
    }

    /// <summary>
    /// The one reduction order of the eight float64 sum lanes, for every width:
    /// <c>((e0 + e4) + (e1 + e5)) + ((e2 + e6) + (e3 + e7))</c>, which is what the AVX2 kernel's
    /// <c>Vector256.Sum(low + high)</c> computed (lanes 0-3 in <c>low</c>, 4-7 in <c>high</c>).
    /// </summary>
    internal static double ReduceEight(ReadOnlySpan<double> e) => ((e[0] + e[4]) + (e[1] + e[5])) + ((e[2] + e[6]) + (e[3] + e[7]));

    /// <summary>Counts the ids (four interleaved tables, so repeated ids do not wait on each other) and returns the
    /// bucket holding rank <paramref name="k"/>; <paramref name="k"/> becomes the rank inside that bucket.</summary>
    private static int SelectBucket(ReadOnlySpan<int> ids, Span<int> counts, ref int k)
    {
        const int B = PatchScratch.Buckets;
        counts.Clear();
        ref int c = ref MemoryMarshal.GetReference(counts);
        ref int id = ref MemoryMarshal.GetReference(ids);
        int m = ids.Length;
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            // ids are 0..63 by construction (BucketIds clamps), so the tables are never overrun.
            Unsafe.Add(ref c, Unsafe.Add(ref id, i))++;
            Unsafe.Add(ref c, B + Unsafe.Add(ref id, i + 1))++;
            Unsafe.Add(ref c, (2 * B) + Unsafe.Add(ref id, i + 2))++;
            Unsafe.Add(ref c, (3 * B) + Unsafe.Add(ref id, i + 3))++;
        }

        for (; i < m; i++)
        {
            counts[ids[i]]++;
        }

        int selected = 0;
        int below = 0;
        while (true)
        {
            int count = counts[selected] + counts[B + selected] + counts[(2 * B) + selected] + counts[(3 * B) + selected];
            if (below + count > k)
            {
                break;
            }

            below += count;
            selected++;
        }

        k -= below;
        return selected;
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
