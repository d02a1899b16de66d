using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// The float64 sums of the AVX2 patch kernel as it was before the kernels became width-generic (commit 9bcfde5,
/// <c>PatchKernels.MinMaxSum</c> and <c>MomentsAndHistogramAvx2</c>), copied with their loops and reductions and
/// nothing else: the order every feature table so far was computed in. Written with the portable
/// <see cref="Vector256"/> API, so it runs (emulated where needed) on any machine. Every width of the new kernels
/// must give exactly these bits.
/// </summary>
internal static class LegacyAvx2Order
{
    /// <summary>Sum of <paramref name="x"/> as the old pass 1 added it.</summary>
    public static double Sum(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        int i = 0;
        double s = 0;
        if (n >= Vector256<float>.Count)
        {
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                s0 += Vector256.WidenLower(v);
                s1 += Vector256.WidenUpper(v);
            }

            s = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            s += x[i];
        }

        return s;
    }

    /// <summary>The sums of (x - mean)^2, ^3 and ^4 as the old pass 2 added them (before the division by n).</summary>
    public static (double S2, double S3, double S4) Moments(ReadOnlySpan<float> x, double mean)
    {
        int n = x.Length;
        int i = 0;
        double s2 = 0, s3 = 0, s4 = 0;
        if (n >= Vector256<float>.Count)
        {
            var meanV = Vector256.Create(mean);
            Vector256<double> a2 = default, a3 = default, a4 = default, b2 = default, b3 = default, b4 = default;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
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
            }

            s2 = Vector256.Sum(a2 + b2);
            s3 = Vector256.Sum(a3 + b3);
            s4 = Vector256.Sum(a4 + b4);
        }

        for (; i < n; i++)
        {
            double d = x[i] - mean;
            double d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }

        return (s2, s3, s4);
    }
}
