namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// The scalar reference: the passes written out one value at a time, for <see cref="VectorWidth.Scalar"/> and as
/// what the vector passes are tested against. Sums keep the eight lanes of the vector passes (lane j adds the
/// values whose index is j modulo 8) and reduce them in the same order, so the reference gives the same bits.
/// </summary>
internal static partial class PatchKernels
{
    /// <summary>Pass 1, scalar: min, max and the float64 sum in the eight canonical lanes.</summary>
    internal static void MinMaxSumScalar(ReadOnlySpan<float> x, out float min, out float max, out double sum)
    {
        int n = x.Length;
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        Span<double> lanes = stackalloc double[8];
        lanes.Clear();
        int blocked = n - (n % 8);
        for (int i = 0; i < n; i++)
        {
            float v = x[i];
            mn = Math.Min(mn, v);
            mx = Math.Max(mx, v);
        }

        for (int i = 0; i < blocked; i++)
        {
            lanes[i % 8] += x[i];
        }

        double s = ReduceEight(lanes);
        for (int i = blocked; i < n; i++)
        {
            s += x[i];
        }

        min = mn;
        max = mx;
        sum = s;
    }

    /// <summary>Pass 2, scalar: the central moments in the eight canonical lanes and the histogram by <see cref="NumpyHistogram.BinOf"/>.</summary>
    internal static void MomentsAndHistogramScalar(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double m2, out double m3, out double m4)
    {
        int n = x.Length;
        int blocked = n - (n % 8);
        Span<double> lanes = stackalloc double[3 * 8];
        lanes.Clear();
        Span<double> l2 = lanes[..8], l3 = lanes.Slice(8, 8), l4 = lanes.Slice(16, 8);
        for (int i = 0; i < blocked; i++)
        {
            double d = x[i] - mean;
            double d2 = d * d;
            l2[i % 8] += d2;
            l3[i % 8] += d2 * d;
            l4[i % 8] += d2 * d2;
        }

        double s2 = ReduceEight(l2), s3 = ReduceEight(l3), s4 = ReduceEight(l4);
        for (int i = blocked; i < n; i++)
        {
            double d = x[i] - mean;
            double d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }

        foreach (float v in x)
        {
            counts[NumpyHistogram.BinOf(v, edges, first, norm)]++;
        }

        m2 = s2 / n;
        m3 = s3 / n;
        m4 = s4 / n;
    }

    /// <summary>
    /// The scalar bucket selection (bucket ids in float64, one at a time): the reference for the vector
    /// <see cref="Median{TOps, TFloat, TInt, TEight}"/>, and <see cref="VectorWidth.Scalar"/>'s median. Its buckets
    /// differ from the vector passes' float32 ones at the margins, but every path returns the input value of rank n / 2.
    /// </summary>
    internal static float MedianScalar(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch)
    {
        int n = values.Length;
        int k = n / 2;
        if (min == max)
        {
            return min;
        }

        Span<float> work = scratch.Work.AsSpan(0, n);
        Span<byte> ids = scratch.Ids.AsSpan(0, n);
        Span<int> counts = scratch.Counts.AsSpan(0, PatchScratch.Buckets);
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
            MinMaxSumScalar(source, out lo, out hi, out _);
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

    /// <summary>Bucket ids of <paramref name="x"/> from index <paramref name="start"/> on, one at a time (the vector passes' formula).</summary>
    internal static void BucketIdsScalar(ReadOnlySpan<float> x, float lo, float scale, Span<int> ids, int start)
    {
        for (int i = start; i < x.Length; i++)
        {
            ids[i] = (int)MathF.Min((x[i] - lo) * scale, PatchScratch.Buckets - 1);
        }
    }
}

/// <summary>Vector width a kernel runs at (bits; 0 = the scalar reference). Every width gives the same bits.</summary>
internal enum VectorWidth
{
    /// <summary>The scalar reference.</summary>
    Scalar = 0,

    /// <summary>Vector128 (SSE, NEON), two registers per 8 lanes.</summary>
    V128 = 128,

    /// <summary>Vector256 (AVX2).</summary>
    V256 = 256,

    /// <summary>Vector512 (AVX-512).</summary>
    V512 = 512,
}
