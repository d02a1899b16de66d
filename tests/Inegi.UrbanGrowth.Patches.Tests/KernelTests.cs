using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>Each vectorised kernel against its scalar reference, on lengths around the vector width and awkward values.</summary>
public sealed class KernelTests
{
    private static readonly int[] Lengths = [1, 7, 8, 15, 16, 17, 1089, 4097];

    public static TheoryData<int, int> Inputs()
    {
        var data = new TheoryData<int, int>();
        foreach (int n in Lengths)
        {
            for (int kind = 0; kind < Kinds; kind++)
            {
                data.Add(n, kind);
            }
        }

        return data;
    }

    private const int Kinds = 8;

    [Theory]
    [MemberData(nameof(Inputs))]
    public void MedianAvx2_AnyInput_EqualsScalarAndSortedMiddle(int n, int kind)
    {
        Assert.SkipUnless(Avx2.IsSupported, "AVX2 is not available on this machine.");
        float[] x = Make(n, kind, seed: (n * 31) + kind);
        var sorted = (float[])x.Clone();
        Array.Sort(sorted);
        float min = sorted[0], max = sorted[^1];
        var scratch = new PatchScratch(n);
        float vector = PatchKernels.MedianAvx2(x, min, max, scratch);
        float scalar = PatchKernels.MedianScalar(x, min, max, scratch);
        Assert.Equal(sorted[n / 2], scalar);
        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(vector));
        Assert.Equal(sorted[n / 2], PatchKernels.Median(x, min, max, scratch));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void BucketIds_Vector_EqualsScalarAndIsMonotone(int n, int kind)
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
        PatchKernels.BucketIds(x, lo, scale, vector, vector: true);
        PatchKernels.BucketIds(x, lo, scale, scalar, vector: false);
        Assert.Equal(scalar, vector);
        var order = Enumerable.Range(0, n).OrderBy(i => x[i]).ToArray();
        for (int i = 1; i < n; i++)
        {
            Assert.True(vector[order[i - 1]] <= vector[order[i]]);
            Assert.InRange(vector[order[i]], 0, PatchScratch.Buckets - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void MomentsAndHistogram_Avx2_EqualsScalarCountsAndMoments(int n, int kind)
    {
        Assert.SkipUnless(Avx2.IsSupported, "AVX2 is not available on this machine.");
        float[] x = Make(n, kind, seed: (n * 13) + kind);
        PatchKernels.MinMaxSum(x, out float min, out float max, out double sum);
        var edges = new float[NumpyHistogram.EdgeBufferLength];
        NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
        var vectorCounts = new int[NumpyHistogram.Bins];
        var scalarCounts = new int[NumpyHistogram.Bins];
        PatchKernels.MomentsAndHistogram(x, sum / n, edges, first, norm, vectorCounts, vector: true, out double v2, out double v3, out double v4);
        PatchKernels.MomentsAndHistogram(x, sum / n, edges, first, norm, scalarCounts, vector: false, out double s2, out double s3, out double s4);
        Assert.Equal(scalarCounts, vectorCounts);
        Assert.Equal(n, vectorCounts.Sum());
        var binOf = x.Select(v => NumpyHistogram.BinOf(v, edges, first, norm)).ToArray();
        for (int b = 0; b < NumpyHistogram.Bins; b++)
        {
            Assert.Equal(binOf.Count(i => i == b), vectorCounts[b]);
        }

        // Same float64 terms summed in another order: relative 1e-12 of the sum of absolute terms.
        double scale = x.Max(v => Math.Abs(v - (sum / n)));
        Assert.Equal(s2, v2, 1e-12 * scale * scale);
        Assert.Equal(s3, v3, 1e-12 * scale * scale * scale);
        Assert.Equal(s4, v4, 1e-12 * scale * scale * scale * scale);
    }

    /// <summary>Ties, negatives, constant runs, outliers, adjacent floats, huge ranges.</summary>
    private static float[] Make(int n, int kind, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
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
                _ => rng.Next(50) == 0 ? (float)(rng.NextDouble() * 5) : (float)(0.05 + (rng.NextDouble() * 0.3)),
            };
        }

        return x;
    }
}
