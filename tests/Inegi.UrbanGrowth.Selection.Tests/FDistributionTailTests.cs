namespace Inegi.UrbanGrowth.Selection.Tests;

public sealed class FDistributionTailTests
{
    [Theory]
    [InlineData(1, 39998)]
    [InlineData(2, 597)]
    [InlineData(4, 245)]
    [InlineData(1, 7)]
    public void Log10UpperTail_WhereLinearStillRepresentable_AgreesWithLinear(double d1, double d2)
    {
        // Find F values with p between 1e-280 and 1e-20: both forms are available there.
        for (double f = 10; f < 1e12; f *= 1.7)
        {
            double p = FDistributionTail.UpperTail(f, d1, d2);
            if (p < 1e-280)
            {
                break;
            }

            if (p > 1e-20)
            {
                continue;
            }

            double viaFraction = FDistributionTail.LogUpperTailSmall(f, d1, d2) / Math.Log(10);
            Assert.True(Math.Abs(viaFraction - Math.Log10(p)) < 1e-9 * Math.Abs(Math.Log10(p)), $"F={f}: {viaFraction} vs {Math.Log10(p)}");
        }
    }

    [Fact]
    public void Log10UpperTail_Underflow_IsFiniteAndDecreasing()
    {
        double previous = 0;
        for (double f = 1e3; f < 1e9; f *= 3)
        {
            double log10P = FDistributionTail.Log10UpperTail(f, 1, 39998);
            Assert.True(double.IsFinite(log10P));
            Assert.True(log10P < previous);
            previous = log10P;
        }

        Assert.True(previous < -400, "F = 1e9 on (1, 39998) is far below double's range");
        Assert.Equal(0, FDistributionTail.UpperTail(1e9, 1, 39998));
    }

    [Fact]
    public void UpperTail_SpecialValues_FollowSklearn()
    {
        Assert.Equal(1, FDistributionTail.UpperTail(0, 1, 10));
        Assert.Equal(0, FDistributionTail.UpperTail(double.PositiveInfinity, 1, 10));
        Assert.True(double.IsNaN(FDistributionTail.UpperTail(double.NaN, 1, 10)));
        Assert.Equal(double.NegativeInfinity, FDistributionTail.Log10UpperTail(double.PositiveInfinity, 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FDistributionTail.UpperTail(1, 0, 10));
    }
}
