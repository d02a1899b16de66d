using MathNet.Numerics;

namespace Inegi.UrbanGrowth.Selection;

/// <summary>Upper tail of the F distribution, in linear and log space.</summary>
/// <remarks>
/// <para>P(F(d1, d2) &gt; f) = I_x(d2 / 2, d1 / 2) with x = d2 / (d2 + d1 f), the regularized incomplete beta
/// function (Abramowitz and Stegun 26.6.2; scipy's <c>fdtrc</c>, which sklearn's <c>f_classif</c> calls).
/// The linear value comes from MathNet.Numerics' <c>SpecialFunctions.BetaRegularized</c>.</para>
/// <para>Where that value underflows (below 1e-290), the logarithm is computed directly:
/// ln I_x(a, b) = a ln x + b ln(1 - x) - ln a - ln B(a, b) + ln cf(x), with cf the continued fraction of
/// Numerical Recipes 6.4 (modified Lentz), which converges fast because x &lt; (a + 1) / (a + b + 2) there.</para>
/// </remarks>
public static class FDistributionTail
{
    private const double UnderflowGuard = 1e-290;

    /// <summary>P(F(d1, d2) &gt; f); 1 for f &lt;= 0, 0 for f = +inf, NaN for NaN.</summary>
    /// <param name="f">The statistic.</param>
    /// <param name="d1">Numerator degrees of freedom (k - 1 for the ANOVA F).</param>
    /// <param name="d2">Denominator degrees of freedom (n - k).</param>
    public static double UpperTail(double f, double d1, double d2)
    {
        CheckDegrees(d1, d2);
        if (double.IsNaN(f))
        {
            return double.NaN;
        }

        if (f <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(f))
        {
            return 0;
        }

        double x = d2 / (d2 + d1 * f);
        return Math.Clamp(SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, x), 0, 1);
    }

    /// <summary>log10 P(F(d1, d2) &gt; f), finite where the linear p-value underflows double; -inf for f = +inf.</summary>
    /// <param name="f">The statistic.</param>
    /// <param name="d1">Numerator degrees of freedom.</param>
    /// <param name="d2">Denominator degrees of freedom.</param>
    public static double Log10UpperTail(double f, double d1, double d2)
    {
        double p = UpperTail(f, d1, d2);
        if (double.IsNaN(p) || p > UnderflowGuard)
        {
            return Math.Log10(p);
        }

        if (double.IsPositiveInfinity(f))
        {
            return double.NegativeInfinity;
        }

        return LogUpperTailSmall(f, d1, d2) / Math.Log(10);
    }

    /// <summary>Natural log of I_x(a, b) for small x via the continued fraction, never forming the tiny value.</summary>
    internal static double LogUpperTailSmall(double f, double d1, double d2)
    {
        double a = d2 / 2;
        double b = d1 / 2;
        double denominator = d2 + d1 * f;
        double lnX = Math.Log(d2) - Math.Log(denominator);
        double ln1mX = Math.Log(d1 * f) - Math.Log(denominator);
        double x = Math.Exp(lnX);
        double front = a * lnX + b * ln1mX - Math.Log(a) - SpecialFunctions.BetaLn(a, b);
        return front + Math.Log(ContinuedFraction(a, b, x));
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 1e-16;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.Abs(d) < Tiny)
        {
            d = Tiny;
        }

        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 100_000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }

    private static void CheckDegrees(double d1, double d2)
    {
        if (!(d1 > 0) || double.IsInfinity(d1))
        {
            throw new ArgumentOutOfRangeException(nameof(d1), d1, "Degrees of freedom must be positive and finite.");
        }

        if (!(d2 > 0) || double.IsInfinity(d2))
        {
            throw new ArgumentOutOfRangeException(nameof(d2), d2, "Degrees of freedom must be positive and finite.");
        }
    }
}
