using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose stream never changes with the runtime.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public static ulong Mix(ulong a, ulong b)
    {
        var g = new SplitMix64(a ^ (b * 0xD1B54A32D192ED03UL));
        return g.Next();
    }
}

internal static class Fmt
{
    /// <summary>Round-trip invariant text of a double ("R" precision).</summary>
    public static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string F(double v, int decimals) => v.ToString("F" + I(decimals), CultureInfo.InvariantCulture);
}
