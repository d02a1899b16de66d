namespace Inegi.UrbanGrowth.Spectral.Tests;

public sealed class ChannelSetTests
{
    [Fact]
    public void Standard_HasTheSpecNamesInOrder()
    {
        Assert.Equal(StandardChannels.Names, ChannelSet.Standard.Names);
        Assert.True(ChannelSet.Standard.IsStandard);
        Assert.Equal(27, new SpectralTransform().ChannelCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    public void Select_Subset_WritesChosenPlanesInGivenOrder(int width)
    {
        const int n = 1089;
        float[] x = KernelTests.RandomReflectance(n, 11, 0.02);
        var all = new float[27 * n];
        new SpectralTransform().Compute(x, n, all);
        var subset = ChannelSet.Standard.Select("tc_wetness", "ndvi", "blue");
        Assert.False(subset.IsStandard);
        Assert.Equal(["tc_wetness", "ndvi", "blue"], subset.Names);
        var y = new float[3 * n];
        new SpectralTransform(subset) { Width = (VectorWidth)width }.Compute(x, n, y);
        Assert.Equal(all.AsSpan(23 * n, n).ToArray(), y.AsSpan(0, n).ToArray());
        Assert.Equal(all.AsSpan(13 * n, n).ToArray(), y.AsSpan(n, n).ToArray());
        Assert.Equal(all.AsSpan(0, n).ToArray(), y.AsSpan(2 * n, n).ToArray());
    }

    [Fact]
    public void Add_ExpressionAndDelegate_FollowDivisionRuleAndMatchStandardNdvi()
    {
        var set = ChannelSet.Standard
            .Add("my_ndvi", "(nir - red) / (nir + red)")
            .Add("savi", b => 1.5f * SpectralBands.SafeDivide(b.Nir - b.Red, b.Nir + b.Red + 0.5f))
            .Add("nested", "-(s1 / g) * 2 + 1e-1 - (b)")
            .Add("inf", b => b.Nir / 0f);
        Assert.Equal(31, set.Count);
        Assert.Equal("my_ndvi", set.Names[27]);
        Assert.Equal("(nir - red) / (nir + red)", set.ExpressionOf("my_ndvi"));
        const int n = 100;
        float[] x = KernelTests.RandomReflectance(n, 5, 0.1);
        // Make some pixels hit the zero rule: N + R = 0, G = 0.
        x[(3 * n) + 0] = 0; x[(2 * n) + 0] = 0;
        x[n + 1] = 0;
        var y = new float[31 * n];
        new SpectralTransform(set).Compute(x, n, y);
        for (int i = 0; i < n; i++)
        {
            float b = x[i], g = x[n + i], r = x[(2 * n) + i], nir = x[(3 * n) + i], s1 = x[(4 * n) + i];
            Assert.Equal(y[(13 * n) + i], y[(27 * n) + i]);
            double q = s1 / g;
            double nested = (g == 0 || !double.IsFinite(q) ? 0 : -q * 2) + 0.1 - b;
            if (!double.IsFinite(nested))
            {
                nested = 0;
            }

            Assert.True(Math.Abs(nested - y[(29 * n) + i]) <= 1e-5 * Math.Max(1, Math.Abs(nested)), $"nested at {i}: {nested} vs {y[(29 * n) + i]}");
            Assert.Equal(0f, y[(30 * n) + i]);
            float savi = 1.5f * SpectralBands.SafeDivide(nir - r, nir + r + 0.5f);
            Assert.Equal(float.IsFinite(savi) ? savi : 0f, y[(28 * n) + i]);
        }
    }

    [Fact]
    public void ComputeFromDigitalNumbers_CustomChannel_SeesScaledReflectance()
    {
        var set = ChannelSet.Standard.Select("nir").Add("nir_again", "n");
        const int n = 9;
        var dn = new ushort[6 * n];
        for (int i = 0; i < dn.Length; i++)
        {
            dn[i] = (ushort)(i * 100);
        }

        var y = new float[2 * n];
        new SpectralTransform(set, scale: SpectralTransform.Collection2Scale, offset: SpectralTransform.Collection2Offset).ComputeFromDigitalNumbers<ushort>(dn, n, y);
        Assert.Equal(y.AsSpan(0, n).ToArray(), y.AsSpan(n, n).ToArray());
        Assert.Equal((3 * n * 100 * 0.0000275) - 0.2, y[0], 6);
    }

    [Fact]
    public void OnlyCustomChannels_SkipsTheFusedKernel()
    {
        var set = ChannelSet.Standard.Select("blue").Add("two", "2").Select("two");
        Assert.Equal(["two"], set.Names);
        var y = new float[5];
        new SpectralTransform(set).Compute(new float[30], 5, y);
        Assert.All(y, v => Assert.Equal(2f, v));
    }

    [Theory]
    [InlineData("ndvi", "nir")]
    [InlineData("bad name", "nir")]
    [InlineData("x", "nir +")]
    [InlineData("x", "(nir")]
    [InlineData("x", "nir red")]
    [InlineData("x", "thermal")]
    [InlineData("x", "1.2.3")]
    public void Add_BadNameOrExpression_ThrowsArgumentException(string name, string expression)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ChannelSet.Standard.Add(name, expression));
        Assert.False(string.IsNullOrEmpty(e.ParamName));
    }

    [Fact]
    public void Select_UnknownOrRepeated_Throws()
    {
        Assert.Throws<ArgumentException>("names", () => ChannelSet.Standard.Select("ndvi", "ndvi"));
        Assert.Throws<ArgumentException>("names", () => ChannelSet.Standard.Select("nope"));
        Assert.Throws<ArgumentException>("names", () => ChannelSet.Standard.Select());
    }
}
