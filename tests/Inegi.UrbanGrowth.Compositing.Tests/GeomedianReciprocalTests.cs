using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>
/// The Weiszfeld loop's weights without a division per observation (<see cref="Geomedian.Quotient"/>): their float32
/// rounding must be geomad's <c>(float)(d / sum)</c> in every lane, on random inputs and on inputs built to land on
/// float32 rounding boundaries, where the product by the reciprocal would round wrong (with no margin it does, in 5,286
/// lanes of these).
/// </summary>
public sealed class GeomedianReciprocalTests
{
    private static float[] QuotientLanes(double[] d, double[] sum)
    {
        Vector256<double> dLo = Vector256.Create(d[0], d[1], d[2], d[3]), dHi = Vector256.Create(d[4], d[5], d[6], d[7]);
        Vector256<double> sLo = Vector256.Create(sum[0], sum[1], sum[2], sum[3]), sHi = Vector256.Create(sum[4], sum[5], sum[6], sum[7]);
        Vector256<float> q = Geomedian.Quotient(dLo, dHi, sLo, sHi, Vector256<double>.One / sLo, Vector256<double>.One / sHi);
        return [.. Enumerable.Range(0, 8).Select(i => q[i])];
    }

    /// <summary>The float64 half-way between float32 <paramref name="f"/> and the next one up.</summary>
    private static double HalfWayAbove(float f) => ((double)f + MathF.BitIncrement(f)) / 2;

    [Fact]
    public void Quotient_RandomAndBoundaryWeights_RoundLikeGeomad()
    {
        var rng = new Random(13);
        var d = new double[8];
        var sum = new double[8];
        int mismatches = 0;
        for (int k = 0; k < 200_000; k++)
        {
            for (int i = 0; i < 8; i++)
            {
                d[i] = (float)Math.Pow(10, -1 + (5 * rng.NextDouble())); // a float32 1 / distance
                if (k % 2 == 0)
                {
                    sum[i] = d[i] * (1 + (400 * rng.NextDouble()));
                }
                else
                {
                    // sum = d / m for m half-way between two float32 values: d / sum is on the boundary.
                    double m = HalfWayAbove((float)(0.003 + (0.99 * rng.NextDouble())));
                    sum[i] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(d[i] / m) + rng.Next(-3, 4));
                }
            }

            d[3] = 0; // a masked observation adds nothing
            float[] got = QuotientLanes(d, sum);
            for (int i = 0; i < 8; i++)
            {
                mismatches += BitConverter.SingleToInt32Bits(got[i]) == BitConverter.SingleToInt32Bits((float)(d[i] / sum[i])) ? 0 : 1;
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void NearHalfWay_FlagsOnlyValuesCloseToAFloat32Boundary()
    {
        double m = HalfWayAbove(0.3f);
        Vector256<double> v = Vector256.Create(m, BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(m) + 40), 0.3f, 0.5);
        Vector256<double> near = Geomedian.NearHalfWay(v);
        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(i => near[i] != 0));
    }
}
