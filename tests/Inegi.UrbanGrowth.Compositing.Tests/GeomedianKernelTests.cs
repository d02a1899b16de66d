namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>The vectorised kernel against the one-pixel-at-a-time reference, and its contracts.</summary>
public sealed class GeomedianKernelTests
{
    private static float[] RandomStack(int n, int bands, int pixels, int seed, double maskShare)
    {
        var rng = new Random(seed);
        var v = new float[n * bands * pixels];
        for (int p = 0; p < pixels; p++)
        {
            double centre = 0.05 + (0.4 * rng.NextDouble());
            for (int o = 0; o < n; o++)
            {
                bool masked = rng.NextDouble() < maskShare;
                bool cloud = rng.NextDouble() < 0.15;
                for (int b = 0; b < bands; b++)
                {
                    double x = centre + (0.03 * (rng.NextDouble() - 0.5)) + (cloud ? 0.4 : 0);
                    v[((o * bands) + b) * pixels + p] = masked ? float.NaN : MathF.Round((float)x * 1000) / 1000;
                }
            }
        }

        return v;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(1089)]
    public void Compute_IsBitIdenticalToScalarReference(int pixels)
    {
        const int n = 23, bands = 6;
        float[] values = RandomStack(n, bands, pixels, pixels, 0.25);
        var block = new ObservationBlock(values, n, bands, pixels);
        var vector = new float[bands * pixels];
        var scalar = new float[bands * pixels];
        Geomedian.Compute(block, vector);
        GeomedianReference.Compute(block, scalar, GeomedianOptions.Default);
        for (int i = 0; i < vector.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(scalar[i]), BitConverter.SingleToInt32Bits(vector[i]));
        }
    }

    [Fact]
    public void Compute_DoesNotDependOnHowPixelsAreGrouped()
    {
        // A pixel's value must not depend on its neighbours (geomad's zero-vector start would make it so).
        const int n = 15, bands = 6, pixels = 101;
        float[] values = RandomStack(n, bands, pixels, 7, 0.2);
        var whole = new float[bands * pixels];
        Geomedian.Compute(new ObservationBlock(values, n, bands, pixels), whole);

        const int first = 37, width = 9;
        var part = new float[n * bands * width];
        for (int o = 0; o < n; o++)
        {
            for (int b = 0; b < bands; b++)
            {
                values.AsSpan((((o * bands) + b) * pixels) + first, width).CopyTo(part.AsSpan(((o * bands) + b) * width));
            }
        }

        var median = new float[bands * width];
        Geomedian.Compute(new ObservationBlock(part, n, bands, width), median);
        for (int b = 0; b < bands; b++)
        {
            Assert.Equal(whole.AsSpan((b * pixels) + first, width).ToArray(), median.AsSpan(b * width, width).ToArray());
        }
    }

    [Fact]
    public void Compute_OneObservation_IsThatObservation_AndNoneIsNaN()
    {
        float[] values = [0.1f, float.NaN, 0.2f, float.NaN, 0.3f, float.NaN];
        var median = new float[6];
        Geomedian.Compute(new ObservationBlock(values, 1, 3, 2), median);
        Assert.Equal([0.1f, 0.2f, 0.3f], [median[0], median[2], median[4]]);
        Assert.True(float.IsNaN(median[1]) && float.IsNaN(median[3]) && float.IsNaN(median[5]));
    }

    [Fact]
    public void Compute_ResistsOutliers_WhereTheMeanDoesNot()
    {
        // Four clear looks near 0.1 and two clouds at 0.9: the geomedian stays with the ground.
        float[] looks = [0.10f, 0.11f, 0.09f, 0.10f, 0.90f, 0.92f];
        var values = new float[looks.Length * 2];
        for (int o = 0; o < looks.Length; o++)
        {
            values[(o * 2) + 0] = looks[o];
            values[(o * 2) + 1] = looks[o];
        }

        var median = new float[2];
        Geomedian.Compute(new ObservationBlock(values, looks.Length, 2, 1), median);
        Assert.InRange(median[0], 0.095f, 0.12f);
    }

    [Fact]
    public void Options_AreValidated()
    {
        var median = new float[1];
        float[] values = [0.1f];
        Assert.Throws<ArgumentOutOfRangeException>(() => Geomedian.Compute(new ObservationBlock(values, 1, 1, 1), median, new GeomedianOptions { Epsilon = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Geomedian.Compute(new ObservationBlock(values, 1, 1, 1), median, new GeomedianOptions { MaxIterations = 0 }));
        Assert.Throws<ArgumentException>(() => new ObservationBlock(values, 2, 1, 1));
    }

    [Fact]
    public void Compute_MaxIterations_StopsEarly()
    {
        float[] values = RandomStack(20, 6, 16, 3, 0);
        var one = new float[6 * 16];
        var many = new float[6 * 16];
        var block = new ObservationBlock(values, 20, 6, 16);
        Geomedian.Compute(block, one, new GeomedianOptions { MaxIterations = 1 });
        Geomedian.Compute(block, many);
        var reference = new float[6 * 16];
        GeomedianReference.Compute(block, reference, new GeomedianOptions { MaxIterations = 1 });
        Assert.Equal(reference, one);
        Assert.NotEqual(many, one);
    }
}
