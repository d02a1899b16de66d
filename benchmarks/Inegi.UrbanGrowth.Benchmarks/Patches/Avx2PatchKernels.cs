using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using Inegi.UrbanGrowth.Patches;

namespace Inegi.UrbanGrowth.Benchmarks.Patches;

/// <summary>
/// The per-channel kernel as it was before it became width-generic (commit 9bcfde5 on main): AVX2 intrinsics with a
/// scalar fallback, chosen by a process-wide flag (removed here). Kept so that before / after are measured in the
/// same run; needs AVX2 (its benchmarks report nothing useful without it).
/// </summary>
internal static class Avx2PatchKernels
{
    private static bool UseAvx2 => Avx2.IsSupported;

    public static void Extract(PatchFeatureLayout layout, ReadOnlySpan<float> channelPlanes, Span<float> destination, PatchScratch scratch)
    {
        int n = layout.PixelCount;
        for (int c = 0; c < layout.ChannelCount; c++)
        {
            ComputeChannel(channelPlanes.Slice(c * n, n), layout.CenterIndex, destination.Slice(c * PatchStatistics.Count, PatchStatistics.Count), scratch);
        }
    }

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

        PatchKernels.WriteStatistics(n, mean, m2, m3, m4, median, counts, values[centerIndex], destination);
    }

    /// <summary>Pass 1: min, max (float32) and the sum in float64.</summary>
    internal static void MinMaxSum(ReadOnlySpan<float> x, out float min, out float max, out double sum)
    {
        int n = x.Length;
        int i = 0;
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        double s = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
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
    internal static void MomentsAndHistogram(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double m2, out double m3, out double m4) =>
        MomentsAndHistogram(x, mean, edges, first, norm, counts, UseAvx2, out m2, out m3, out m4);

    /// <summary>Pass 2 with the AVX2 loop (<paramref name="vector"/>, needs AVX2) or the scalar reference loop only.</summary>
    internal static void MomentsAndHistogram(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, bool vector, out double m2, out double m3, out double m4)
    {
        int n = x.Length;
        int i = 0;
        double s2 = 0, s3 = 0, s4 = 0;
        if (vector && n >= Vector256<float>.Count)
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
        // Bin counts are kept packed: 6 bits per bin in each 64-bit lane (bin b at bits 6b..6b+5, 60 bits), one
        // lane per float pair (lane j counts values j and j + 4 of each vector). A lane gains at most 2 per
        // iteration, so after 31 iterations no field exceeds 62 < 64 and the block is flushed into counts.
        const int BlockIterations = 31;
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
        var six = Vector256.Create(6);
        var seven = Vector256.Create(7);
        var nine = Vector256.Create(9);
        var oneBit = Vector256.Create(1UL);
        Vector256<double> a2 = default, a3 = default, a4 = default, b2 = default, b3 = default, b4 = default;
        int i = 0;
        while (i <= n - Vector256<float>.Count)
        {
            int blockLast = Math.Min(n - Vector256<float>.Count, i + ((BlockIterations - 1) * Vector256<float>.Count));
            var packed = Vector256<ulong>.Zero;
            for (; i <= blockLast; i += Vector256<float>.Count)
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

                var shift = Avx2.MultiplyLow(g, six);
                packed += Avx2.ShiftLeftLogicalVariable(oneBit, Vector256.WidenLower(shift).AsUInt64())
                    + Avx2.ShiftLeftLogicalVariable(oneBit, Vector256.WidenUpper(shift).AsUInt64());
            }

            for (int bin = 0; bin < NumpyHistogram.Bins; bin++)
            {
                counts[bin] += (int)Vector256.Sum(Vector256.ShiftRightLogical(packed, 6 * bin) & Vector256.Create(63UL));
            }
        }

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
    internal static float Median(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch) =>
        UseAvx2 && values.Length >= Vector256<float>.Count
            ? MedianAvx2(values, min, max, scratch)
            : MedianScalar(values, min, max, scratch);

    /// <summary>
    /// The scalar bucket selection (bucket ids in float64, one at a time): the reference for
    /// <see cref="MedianAvx2"/> and the path where AVX2 is missing.
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

        return PatchKernels.QuickSelect(work[..m], k);
    }

    /// <summary>
    /// The same bucket selection with every pass over the values vectorised: bucket ids
    /// <c>min((x - lo) * scale, 63)</c> in float32, 8 lanes at a time (monotone in x, so the bucket holding rank k
    /// holds exactly the values of ranks below..below + count); counts from four interleaved tables; the chosen
    /// bucket packed into scratch with a <c>vpermps</c> compress (lookup table of 256 permutations), its min and
    /// max found in the same loop. Returns exactly what <see cref="MedianScalar"/> returns (an input value of rank
    /// n / 2).
    /// </summary>
    internal static float MedianAvx2(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch)
    {
        int n = values.Length;
        int k = n / 2;
        if (min == max)
        {
            return min;
        }

        Span<float> work = scratch.Work.AsSpan(0, n);
        Span<int> ids = scratch.BucketIds.AsSpan(0, n);
        Span<int> counts = scratch.Counts;
        ReadOnlySpan<float> source = values;
        int m = n;
        float lo = min, hi = max;
        const int SmallEnough = 24;
        for (int level = 0; level < 8 && m > SmallEnough; level++)
        {
            float scale = (float)(PatchScratch.Buckets / ((double)hi - lo));
            if (!float.IsFinite(scale) || scale <= 0)
            {
                break;
            }

            BucketIds(source[..m], lo, scale, ids, vector: true);
            int selected = SelectBucket(ids[..m], counts, ref k);
            m = CompactBucket(source[..m], ids, selected, work, out lo, out hi);
            source = work[..m];
            if (lo == hi)
            {
                return lo;
            }
        }

        if (source == values)
        {
            values.CopyTo(work);
        }

        return PatchKernels.QuickSelect(work[..m], k);
    }

    /// <summary>Bucket id of each value: <c>(int)min((x - lo) * scale, 63)</c> in float32 (non-decreasing in x).</summary>
    internal static void BucketIds(ReadOnlySpan<float> x, float lo, float scale, Span<int> ids, bool vector)
    {
        int n = x.Length;
        int i = 0;
        if (vector && Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            ref int d = ref MemoryMarshal.GetReference(ids);
            var loV = Vector256.Create(lo);
            var scaleV = Vector256.Create(scale);
            var topV = Vector256.Create((float)(PatchScratch.Buckets - 1));
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                Vector256.ConvertToInt32(Vector256.Min((v - loV) * scaleV, topV)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ids[i] = (int)MathF.Min((x[i] - lo) * scale, PatchScratch.Buckets - 1);
        }
    }

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

    /// <summary>Packs the values whose id is <paramref name="selected"/> to the front of <paramref name="work"/>
    /// (in place when <paramref name="x"/> is <paramref name="work"/>: the write position never passes the read
    /// position) and returns how many, with their min and max.</summary>
    private static int CompactBucket(ReadOnlySpan<float> x, ReadOnlySpan<int> ids, int selected, Span<float> work, out float min, out float max)
    {
        int m = x.Length;
        int kept = 0;
        int i = 0;
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        if (Avx2.IsSupported)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            ref int id = ref MemoryMarshal.GetReference(ids);
            ref float w = ref MemoryMarshal.GetReference(work);
            ref int lut = ref MemoryMarshal.GetArrayDataReference(CompressTable);
            var sel = Vector256.Create(selected);
            var vmin = Vector256.Create(float.PositiveInfinity);
            var vmax = Vector256.Create(float.NegativeInfinity);
            for (; i <= m - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                var mask = Vector256.Equals(Vector256.LoadUnsafe(ref id, (nuint)i), sel).AsSingle();
                uint bits = mask.ExtractMostSignificantBits();
                var perm = Vector256.LoadUnsafe(ref lut, bits * 8);
                Avx2.PermuteVar8x32(v, perm).StoreUnsafe(ref w, (nuint)kept); // kept + 8 <= i + 8 <= m
                kept += BitOperations.PopCount(bits);
                vmin = Vector256.Min(vmin, Vector256.ConditionalSelect(mask, v, Vector256.Create(float.PositiveInfinity)));
                vmax = Vector256.Max(vmax, Vector256.ConditionalSelect(mask, v, Vector256.Create(float.NegativeInfinity)));
            }

            for (int j = 0; j < Vector256<float>.Count; j++)
            {
                mn = Math.Min(mn, vmin.GetElement(j));
                mx = Math.Max(mx, vmax.GetElement(j));
            }
        }

        for (; i < m; i++)
        {
            float v = x[i];
            if (ids[i] == selected)
            {
                work[kept++] = v;
                mn = Math.Min(mn, v);
                mx = Math.Max(mx, v);
            }
        }

        min = mn;
        max = mx;
        return kept;
    }

    /// <summary>For each 8-bit lane mask, the <c>vpermps</c> indices that move the selected lanes to the front, in order.</summary>
    private static readonly int[] CompressTable = BuildCompressTable();

    private static int[] BuildCompressTable()
    {
        var table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
        {
            int p = 0;
            for (int lane = 0; lane < 8; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    table[(mask * 8) + p++] = lane;
                }
            }
        }

        return table;
    }
}
