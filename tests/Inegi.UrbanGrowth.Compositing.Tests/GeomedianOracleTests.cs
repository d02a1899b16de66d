namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>The geomedian and its MADs against geomad itself on real and synthetic stacks.</summary>
public sealed class GeomedianOracleTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> StackNames() =>
    [
        "harvard_all", "harvard_1995", "harvard_2000", "harvard_2010", "harvard_unmasked_2000",
        "pyccd_clear", "pyccd_all", "synthetic_mixed", "synthetic_ties",
    ];

    [Theory]
    [MemberData(nameof(StackNames))]
    public void Compute_MatchesGeomad(string name)
    {
        OracleStack o = GeomadOracle.Stacks[name];
        var stack = new ObservationBlock(o.Stack, o.N, o.Bands, o.Pixels);
        var median = new float[o.Bands * o.Pixels];
        Geomedian.Compute(stack, median);

        double worst = 0;
        int compared = 0;
        for (int i = 0; i < median.Length; i++)
        {
            Assert.Equal(float.IsNaN(o.Median[i]), float.IsNaN(median[i]));
            if (!float.IsNaN(median[i]))
            {
                worst = Math.Max(worst, Math.Abs(median[i] - o.Median[i]));
                compared++;
            }
        }

        Assert.True(compared > 0, "nothing to compare");
        Assert.True(worst <= Tolerance, $"{name}: largest difference from geomad {worst:G3} over {compared} values");
    }

    [Theory]
    [MemberData(nameof(StackNames))]
    public void Compute_OnRealStacks_IsBitIdenticalToTheScalarReference(string name)
    {
        // The kernel refills a lane as soon as its pixel converges and packs each pixel's usable observations; per
        // pixel the arithmetic must stay the reference's, bit for bit, on real stacks whose iteration counts and
        // cloud gaps differ from pixel to pixel (and with the iteration cap cutting pixels off mid-way).
        OracleStack o = GeomadOracle.Stacks[name];
        var stack = new ObservationBlock(o.Stack, o.N, o.Bands, o.Pixels);
        foreach (GeomedianOptions options in new[] { GeomedianOptions.Default, new GeomedianOptions { MaxIterations = 3 } })
        {
            var vector = new float[o.Bands * o.Pixels];
            var scalar = new float[o.Bands * o.Pixels];
            Geomedian.Compute(stack, vector, options);
            GeomedianReference.Compute(stack, scalar, options);
            for (int i = 0; i < vector.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(scalar[i]) == BitConverter.SingleToInt32Bits(vector[i]),
                    $"{name}, max {options.MaxIterations} iterations: value {i} is {vector[i]:R}, the reference {scalar[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(StackNames))]
    public void ComputeDeviations_MatchGeomad(string name)
    {
        OracleStack o = GeomadOracle.Stacks[name];
        var stack = new ObservationBlock(o.Stack, o.N, o.Bands, o.Pixels);
        var median = new float[o.Bands * o.Pixels];
        Geomedian.Compute(stack, median);
        var deviations = new float[3 * o.Pixels];
        var count = new ushort[o.Pixels];
        Geomedian.ComputeDeviations(stack, median, deviations, count);

        float[][] expected = [o.Emad, o.Smad, o.Bcmad];
        for (int kind = 0; kind < 3; kind++)
        {
            double worst = 0;
            for (int p = 0; p < o.Pixels; p++)
            {
                float e = expected[kind][p], a = deviations[(kind * o.Pixels) + p];
                Assert.Equal(float.IsNaN(e), float.IsNaN(a));
                if (!float.IsNaN(e))
                {
                    worst = Math.Max(worst, Math.Abs(e - a));
                }
            }

            Assert.True(worst <= Tolerance, $"{name}: {(new[] { "EMAD", "SMAD", "BCMAD" })[kind]} differs from geomad by {worst:G3}");
        }

        // COUNT: observations with every band finite, counted independently of the kernel.
        for (int p = 0; p < o.Pixels; p++)
        {
            int expectedCount = 0;
            for (int obs = 0; obs < o.N; obs++)
            {
                bool ok = true;
                for (int b = 0; b < o.Bands; b++)
                {
                    ok &= !float.IsNaN(o.Stack[((obs * o.Bands) + b) * o.Pixels + p]);
                }

                expectedCount += ok ? 1 : 0;
            }

            Assert.Equal(expectedCount, count[p]);
        }
    }
}
