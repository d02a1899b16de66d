using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// Each vector pass at every width (128, 256, 512 bits; a width the CPU lacks runs emulated, so every machine tests
/// all three) against the scalar reference, bit for bit, on lengths around the vector widths and awkward values; and
/// the float64 sums against an independent replica of the AVX2 loops that wrote every feature table before the
/// kernels became width-generic (<see cref="LegacyAvx2Order"/>).
/// </summary>
public sealed class KernelTests
{
    /// <summary>Around 4, 8 and 16 lanes, the 8-lane block a 16-lane vector leaves (23..25), a patch, and longer.</summary>
    private static readonly int[] Lengths = [1, 7, 8, 15, 16, 17, 23, 24, 25, 31, 1089, 4097];

    private static readonly int[] Widths = [128, 256, 512];

    private const int Kinds = 12;

    public static TheoryData<int, int, int> Inputs()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in Widths)
        {
            foreach (int n in Lengths)
            {
                for (int kind = 0; kind < Kinds; kind++)
                {
                    data.Add(width, n, kind);
                }
            }
        }

        return data;
    }

    [Fact]
    public void BestWidth_IsTheWidestAcceleratedVector()
    {
        var best = PatchKernels.BestWidth;
        Assert.Equal(Vector512.IsHardwareAccelerated ? VectorWidth.V512 : Vector256.IsHardwareAccelerated ? VectorWidth.V256 : Vector128.IsHardwareAccelerated ? VectorWidth.V128 : VectorWidth.Scalar, best);
        Assert.Equal(best, new PatchFeatureExtractor().Width);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void MinMaxSum_EveryWidth_EqualsScalarAndLegacyOrderBitForBit(int width, int n, int kind)
    {
        float[] x = Make(n, kind, seed: (n * 7) + kind);
        PatchKernels.MinMaxSum(x, (VectorWidth)width, out float min, out float max, out double sum);
        PatchKernels.MinMaxSumScalar(x, out float smin, out float smax, out double ssum);
        Assert.Equal(BitConverter.SingleToInt32Bits(smin), BitConverter.SingleToInt32Bits(min));
        Assert.Equal(BitConverter.SingleToInt32Bits(smax), BitConverter.SingleToInt32Bits(max));
        Assert.Equal(BitConverter.DoubleToInt64Bits(ssum), BitConverter.DoubleToInt64Bits(sum));
        Assert.Equal(BitConverter.DoubleToInt64Bits(LegacyAvx2Order.Sum(x)), BitConverter.DoubleToInt64Bits(sum));
        Assert.Equal(x.Min(), min);
        Assert.Equal(x.Max(), max);

        // The order is fixed, the value is still the sum: within float64 rounding of the plain sequential one.
        double sequential = x.Sum(v => (double)v);
        double magnitude = x.Sum(v => Math.Abs((double)v));
        Assert.Equal(sequential, sum, 1e-12 * magnitude);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void MomentsAndHistogram_EveryWidth_EqualsScalarCountsAndMomentsBitForBit(int width, int n, int kind)
    {
        float[] x = Make(n, kind, seed: (n * 13) + kind);
        PatchKernels.MinMaxSumScalar(x, out float min, out float max, out double sum);
        var edges = new float[NumpyHistogram.EdgeBufferLength];
        NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
        var vectorCounts = new int[NumpyHistogram.Bins];
        var scalarCounts = new int[NumpyHistogram.Bins];
        double mean = sum / n;
        PatchKernels.MomentsAndHistogram(x, mean, edges, first, norm, vectorCounts, (VectorWidth)width, out double v2, out double v3, out double v4);
        PatchKernels.MomentsAndHistogramScalar(x, mean, edges, first, norm, scalarCounts, out double s2, out double s3, out double s4);
        Assert.Equal(scalarCounts, vectorCounts);
        Assert.Equal(n, vectorCounts.Sum());

        // The histogram-only loop (a plan keeping no moment of the channel) counts the same.
        var histogramOnly = new int[NumpyHistogram.Bins];
        PatchKernels.MomentsAndHistogram(x, mean, edges, first, norm, histogramOnly, (VectorWidth)width, out double h2, out _, out _, moments: false);
        Assert.Equal(scalarCounts, histogramOnly);
        Assert.Equal(0, h2);
        var binOf = x.Select(v => NumpyHistogram.BinOf(v, edges, first, norm)).ToArray();
        for (int b = 0; b < NumpyHistogram.Bins; b++)
        {
            Assert.Equal(binOf.Count(i => i == b), vectorCounts[b]);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(s2), BitConverter.DoubleToInt64Bits(v2));
        Assert.Equal(BitConverter.DoubleToInt64Bits(s3), BitConverter.DoubleToInt64Bits(v3));
        Assert.Equal(BitConverter.DoubleToInt64Bits(s4), BitConverter.DoubleToInt64Bits(v4));
        (double l2, double l3, double l4) = LegacyAvx2Order.Moments(x, mean);
        Assert.Equal(BitConverter.DoubleToInt64Bits(l2 / n), BitConverter.DoubleToInt64Bits(v2));
        Assert.Equal(BitConverter.DoubleToInt64Bits(l3 / n), BitConverter.DoubleToInt64Bits(v3));
        Assert.Equal(BitConverter.DoubleToInt64Bits(l4 / n), BitConverter.DoubleToInt64Bits(v4));

        // Same float64 terms as the plain sequential sums, in another order: relative 1e-12 of the sum of absolute terms.
        double q2 = 0, q3 = 0, q4 = 0;
        foreach (float v in x)
        {
            double d = v - mean;
            double d2 = d * d;
            q2 += d2;
            q3 += d2 * d;
            q4 += d2 * d2;
        }

        double scale = x.Max(v => Math.Abs(v - mean));
        Assert.Equal(q2 / n, v2, 1e-12 * scale * scale);
        Assert.Equal(q3 / n, v3, 1e-12 * scale * scale * scale);
        Assert.Equal(q4 / n, v4, 1e-12 * scale * scale * scale * scale);
    }

    [Fact]
    public void MomentsAndHistogram_LongPlane_FlushesPackedCountsBeforeTheyOverflow()
    {
        // 10,000 values all in one bin: every packed 5-bit field fills up and must be unpacked in time at each width.
        var x = new float[10_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i == 0 ? 0f : i == 1 ? 1f : 0.95f;
        }

        var edges = new float[NumpyHistogram.EdgeBufferLength];
        NumpyHistogram.Setup(0f, 1f, edges, out float first, out float norm);
        foreach (int width in Widths)
        {
            var counts = new int[NumpyHistogram.Bins];
            PatchKernels.MomentsAndHistogram(x, 0.95, edges, first, norm, counts, (VectorWidth)width, out _, out _, out _);
            Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, x.Length - 1], counts);
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Median_EveryWidth_EqualsScalarAndSortedMiddle(int width, int n, int kind)
    {
        float[] x = Make(n, kind, seed: (n * 31) + kind);
        var sorted = (float[])x.Clone();
        Array.Sort(sorted);
        float min = sorted[0], max = sorted[^1];
        var scratch = new PatchScratch(n);
        float vector = PatchKernels.Median(x, min, max, scratch, (VectorWidth)width);
        float scalar = PatchKernels.MedianScalar(x, min, max, scratch);
        Assert.Equal(sorted[n / 2], scalar);
        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(vector));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void BucketIds_EveryWidth_EqualsScalarAndIsMonotone(int width, int n, int kind)
    {
        float[] x = Make(n, kind, seed: (n * 17) + kind);
        float lo = x.Min(), hi = x.Max();
        float scale = (float)(PatchScratch.Buckets / ((double)hi - lo));
        if (!float.IsFinite(scale))
        {
            scale = 1f;
        }

        var vector = new int[n];
        var scalar = new int[n];
        PatchKernels.BucketIds(x, lo, scale, vector, (VectorWidth)width);
        PatchKernels.BucketIdsScalar(x, lo, scale, scalar, 0);
        Assert.Equal(scalar, vector);
        var order = Enumerable.Range(0, n).OrderBy(i => x[i]).ToArray();
        for (int i = 1; i < n; i++)
        {
            Assert.True(vector[order[i - 1]] <= vector[order[i]]);
            Assert.InRange(vector[order[i]], 0, PatchScratch.Buckets - 1);
        }
    }

    /// <summary>Ties, negatives, constant runs, outliers, adjacent floats, huge ranges, signed zeros.</summary>
    private static float[] Make(int n, int kind, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        var edges = new float[NumpyHistogram.EdgeBufferLength];
        NumpyHistogram.Setup(0f, 1f, edges, out _, out _);
        for (int i = 0; i < n; i++)
        {
            x[i] = kind switch
            {
                0 => (float)rng.NextDouble(),
                1 => rng.Next(4) - 2, // many ties, negatives
                2 => (i / 5) % 3 == 0 ? 0.125f : (float)(rng.NextDouble() - 0.5), // constant runs
                3 => -(float)(1 + (rng.NextDouble() * 99)),
                4 => i == n / 3 ? 1e30f : (float)rng.NextDouble(), // outlier: survivors pile into one bucket
                5 => MathF.BitIncrement(1f) * (rng.Next(3) + 1), // adjacent floats
                6 => (rng.Next(2) == 0 ? -1 : 1) * MathF.Pow(10f, (float)((rng.NextDouble() * 60) - 30)),
                7 => rng.Next(50) == 0 ? (float)(rng.NextDouble() * 5) : (float)(0.05 + (rng.NextDouble() * 0.3)),
                8 => rng.Next(3) switch { 0 => -0f, 1 => 0f, _ => (float)(rng.NextDouble() - 0.5) * 1e-3f }, // signed zeros
                9 => float.Epsilon * rng.Next(3), // a subnormal range: the bin scale overflows to +inf, guesses are NaN or +inf
                10 => rng.Next(4) switch { 0 => -3e38f, 1 => 3e38f, _ => (float)rng.NextDouble() }, // x - min overflows, scale 0: NaN guesses
                _ => i < 2 ? i : Math.Clamp(rng.Next(3) switch { 0 => edges[rng.Next(11)], 1 => MathF.BitDecrement(edges[rng.Next(11)]), _ => MathF.BitIncrement(edges[rng.Next(11)]) }, 0f, 1f), // on and beside every numpy edge of [0, 1]
            };
        }

        return x;
    }
}
