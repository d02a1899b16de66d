using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Patches.Kernels;

namespace Inegi.UrbanGrowth.Patches;

/// <summary>The vector passes, written once over <see cref="IPatchVectorOps{TFloat, TInt, TEight}"/>.</summary>
/// <remarks>
/// <c>TOps.Count</c> is a constant to the JIT, so the <c>Count == 16</c> branches (the second block of eight sum lanes
/// in a 512-bit vector, and a last block of eight that a 16-lane vector cannot take) vanish at the other widths.
/// </remarks>
internal static partial class PatchKernels
{
    /// <summary>5-bit histogram fields packed in a double: a lane's fields stay below 32 for this many increments.</summary>
    private const int PackedFieldLimit = 31;

    /// <summary>Pass 1 at one width: min, max and the float64 sum in the eight canonical lanes.</summary>
    internal static void MinMaxSum<TOps, TFloat, TInt, TEight>(ReadOnlySpan<float> x, out float min, out float max, out double sum)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
    {
        int n = x.Length;
        int i = 0;
        ref float r = ref MemoryMarshal.GetReference(x);
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        TEight acc = TOps.CreateEight(0);
        if (n >= TOps.Count)
        {
            TFloat vmin = TOps.Create(float.PositiveInfinity);
            TFloat vmax = TOps.Create(float.NegativeInfinity);
            for (; i <= n - TOps.Count; i += TOps.Count)
            {
                TFloat v = TOps.Load(ref Unsafe.Add(ref r, i));
                vmin = TOps.Min(vmin, v);
                vmax = TOps.Max(vmax, v);
                acc = TOps.Add(acc, TOps.Widen(v, 0));
                if (TOps.Count == 16)
                {
                    acc = TOps.Add(acc, TOps.Widen(v, 1));
                }
            }

            mn = TOps.MinAcross(vmin);
            mx = TOps.MaxAcross(vmax);
        }

        if (TOps.Count == 16 && i <= n - 8)
        {
            acc = TOps.Add(acc, TOps.LoadEight(ref Unsafe.Add(ref r, i)));
            for (int end = i + 8; i < end; i++)
            {
                mn = Math.Min(mn, x[i]);
                mx = Math.Max(mx, x[i]);
            }
        }

        double s = TOps.Sum(acc);
        for (; i < n; i++)
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

    /// <summary>
    /// Pass 2 at one width: the float64 central moments in the eight canonical lanes and the numpy histogram.
    /// </summary>
    /// <remarks>
    /// The histogram bin of each lane is numpy's guess-and-correct (as <see cref="NumpyHistogram.BinOf"/>), with the
    /// edges looked up from registers: edge[g] and edge[g + 1] of the guess g together, which decide both of numpy's
    /// corrections. Counts are kept packed in doubles: a value in bin b adds 2^(5b), so each of the
    /// eight lanes holds ten 5-bit counts (below 2^50: exact) and is unpacked before any field can reach 32.
    /// TMoments is <see cref="KernelSwitch.Enabled"/> to accumulate the moments, or <see cref="KernelSwitch.Disabled"/>
    /// for the histogram alone (the moments are then 0): the JIT compiles each as its own loop.
    /// </remarks>
    internal static void MomentsAndHistogram<TOps, TFloat, TInt, TEight, TMoments>(ReadOnlySpan<float> x, double mean, ReadOnlySpan<float> edges, float first, float norm, Span<int> counts, out double m2, out double m3, out double m4)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
        where TMoments : struct, IKernelSwitch
    {
        int n = x.Length;
        int i = 0;
        ref float r = ref MemoryMarshal.GetReference(x);
        ref float e = ref MemoryMarshal.GetReference(edges[..NumpyHistogram.EdgeBufferLength]);
        TEight a2 = TOps.CreateEight(0), a3 = a2, a4 = a2;
        TEight meanV = TOps.CreateEight(mean);
        if (n >= TOps.Count)
        {
            TFloat firstV = TOps.Create(first);
            TFloat normV = TOps.Create(norm);
            TInt zero = TOps.CreateInt(0);
            TInt nine = TOps.CreateInt(NumpyHistogram.Bins - 1);
            int blockIterations = PackedFieldLimit / (TOps.Count / 8);
            while (i <= n - TOps.Count)
            {
                int blockLast = Math.Min(n - TOps.Count, i + ((blockIterations - 1) * TOps.Count));
                TEight packed = TOps.CreateEight(0);
                for (; i <= blockLast; i += TOps.Count)
                {
                    TFloat v = TOps.Load(ref Unsafe.Add(ref r, i));

                    if (TMoments.On)
                    {
                        TEight d = TOps.Subtract(TOps.Widen(v, 0), meanV);
                        TEight d2 = TOps.Multiply(d, d);
                        a2 = TOps.Add(a2, d2);
                        a3 = TOps.Add(a3, TOps.Multiply(d2, d));
                        a4 = TOps.Add(a4, TOps.Multiply(d2, d2));
                        if (TOps.Count == 16)
                        {
                            d = TOps.Subtract(TOps.Widen(v, 1), meanV);
                            d2 = TOps.Multiply(d, d);
                            a2 = TOps.Add(a2, d2);
                            a3 = TOps.Add(a3, TOps.Multiply(d2, d));
                            a4 = TOps.Add(a4, TOps.Multiply(d2, d2));
                        }
                    }

                    TInt g = TOps.ConvertToInt32(TOps.Multiply(TOps.Subtract(v, firstV), normV));
                    g = TOps.MinInt(TOps.MaxInt(g, zero), nine);

                    // edge[g] and edge[g + 1] of the guess at once. A step down (x < edge[g]) never happens at g = 0
                    // (x >= min = edge[0]) and rules out a step up (x < edge[g] <= edge[g + 1]), so both steps are
                    // decided from these two edges, as NumpyHistogram.BinOf decides them one after the other.
                    TOps.LookupPair(ref e, g, out TFloat lower, out TFloat upper);
                    TInt down = TOps.LessThan(v, lower);
                    TInt up = TOps.AndNot(TOps.AndNot(TOps.GreaterThanOrEqual(v, upper), down), TOps.EqualsInt(g, nine));
                    g = TOps.SubtractInt(TOps.AddInt(g, down), up); // down and up are -1 where set

                    TInt exponent = TOps.AddInt(TOps.ShiftLeftInt(g, 2), g);
                    packed = TOps.Add(packed, TOps.PowerOfTwo(exponent, 0));
                    if (TOps.Count == 16)
                    {
                        packed = TOps.Add(packed, TOps.PowerOfTwo(exponent, 1));
                    }
                }

                UnpackCounts<TOps, TFloat, TInt, TEight>(packed, counts);
            }
        }

        if (TOps.Count == 16 && i <= n - 8)
        {
            if (TMoments.On)
            {
                TEight d = TOps.Subtract(TOps.LoadEight(ref Unsafe.Add(ref r, i)), meanV);
                TEight d2 = TOps.Multiply(d, d);
                a2 = TOps.Add(a2, d2);
                a3 = TOps.Add(a3, TOps.Multiply(d2, d));
                a4 = TOps.Add(a4, TOps.Multiply(d2, d2));
            }

            for (int end = i + 8; i < end; i++)
            {
                counts[NumpyHistogram.BinOf(x[i], edges, first, norm)]++;
            }
        }

        double s2 = TOps.Sum(a2);
        double s3 = TOps.Sum(a3);
        double s4 = TOps.Sum(a4);
        for (; i < n; i++)
        {
            float v = x[i];
            if (TMoments.On)
            {
                double d = v - mean;
                double d2 = d * d;
                s2 += d2;
                s3 += d2 * d;
                s4 += d2 * d2;
            }

            counts[NumpyHistogram.BinOf(v, edges, first, norm)]++;
        }

        m2 = s2 / n;
        m3 = s3 / n;
        m4 = s4 / n;
    }

    /// <summary>
    /// Adds the ten 5-bit counts of each of the eight packed lanes to <paramref name="counts"/>: the even and the odd
    /// bins are split into 10-bit fields so that the eight lanes add up without carries (8 x 31 &lt; 1024), in
    /// registers (no trip through memory). Inlined: a call here would make the JIT keep the loop's accumulators in
    /// memory (every vector register is caller-saved), which cost a third of the loop's speed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnpackCounts<TOps, TFloat, TInt, TEight>(TEight packed, Span<int> counts)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
    {
        const long EvenFields = 31L | (31L << 10) | (31L << 20) | (31L << 30) | (31L << 40);
        long even = TOps.SumFields(packed, 0, EvenFields);
        long odd = TOps.SumFields(packed, 5, EvenFields);
        for (int b = 0; b < NumpyHistogram.Bins / 2; b++)
        {
            counts[2 * b] += (int)((even >> (10 * b)) & 1023);
            counts[(2 * b) + 1] += (int)((odd >> (10 * b)) & 1023);
        }
    }

    /// <summary>The median's bucket selection at one width: the same buckets, counts and survivors as <see cref="MedianScalar"/>, so the same value.</summary>
    internal static float Median<TOps, TFloat, TInt, TEight>(ReadOnlySpan<float> values, float min, float max, PatchScratch scratch)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
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

            BucketIds<TOps, TFloat, TInt, TEight>(source[..m], lo, scale, ids);
            int selected = SelectBucket(ids[..m], counts, ref k);
            m = CompactBucket<TOps, TFloat, TInt, TEight>(source[..m], ids, selected, work, out lo, out hi);
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

        return QuickSelect(work[..m], k);
    }

    /// <summary>Bucket ids at one width: <c>(int)min((x - lo) * scale, 63)</c> in float32, lane by lane.</summary>
    internal static void BucketIds<TOps, TFloat, TInt, TEight>(ReadOnlySpan<float> x, float lo, float scale, Span<int> ids)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
    {
        int n = x.Length;
        int i = 0;
        ref float r = ref MemoryMarshal.GetReference(x);
        ref int d = ref MemoryMarshal.GetReference(ids);
        TFloat loV = TOps.Create(lo);
        TFloat scaleV = TOps.Create(scale);
        TFloat topV = TOps.Create(PatchScratch.Buckets - 1);
        for (; i <= n - TOps.Count; i += TOps.Count)
        {
            TFloat v = TOps.Load(ref Unsafe.Add(ref r, i));
            TOps.StoreInt(TOps.ConvertToInt32(TOps.Min(TOps.Multiply(TOps.Subtract(v, loV), scaleV), topV)), ref Unsafe.Add(ref d, i));
        }

        BucketIdsScalar(x, lo, scale, ids, i);
    }

    /// <summary>Packs the values whose id is <paramref name="selected"/> to the front of <paramref name="work"/>
    /// (in place when <paramref name="x"/> is <paramref name="work"/>: the write position never passes the read
    /// position) and returns how many, with their min and max.</summary>
    private static int CompactBucket<TOps, TFloat, TInt, TEight>(ReadOnlySpan<float> x, ReadOnlySpan<int> ids, int selected, Span<float> work, out float min, out float max)
        where TOps : IPatchVectorOps<TFloat, TInt, TEight>
        where TFloat : struct
        where TInt : struct
        where TEight : struct
    {
        int m = x.Length;
        int kept = 0;
        int i = 0;
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        if (m >= TOps.Count)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            ref int id = ref MemoryMarshal.GetReference(ids);
            ref float w = ref MemoryMarshal.GetReference(work);
            TInt sel = TOps.CreateInt(selected);
            TFloat inf = TOps.Create(float.PositiveInfinity);
            TFloat negInf = TOps.Create(float.NegativeInfinity);
            TFloat vmin = inf, vmax = negInf;
            for (; i <= m - TOps.Count; i += TOps.Count)
            {
                TFloat v = TOps.Load(ref Unsafe.Add(ref r, i));
                TInt keep = TOps.EqualsInt(TOps.LoadInt(ref Unsafe.Add(ref id, i)), sel);
                kept += TOps.CompressStore(v, keep, ref Unsafe.Add(ref w, kept)); // writes below kept + Count <= i + Count <= m
                vmin = TOps.Min(vmin, TOps.Select(keep, v, inf));
                vmax = TOps.Max(vmax, TOps.Select(keep, v, negInf));
            }

            mn = TOps.MinAcross(vmin);
            mx = TOps.MaxAcross(vmax);
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
}
