namespace Inegi.UrbanGrowth;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): the one seeded generator of the libraries. Its stream is fixed by the
/// algorithm, never by the runtime (unlike <see cref="Random"/>), so seeded samples, forests, validation orders and
/// synthetic scenes come out the same on every machine and .NET version.
/// </summary>
/// <remarks>A mutable struct: copy it and the copy continues the same stream independently.</remarks>
/// <param name="seed">The state before the first output.</param>
public struct SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        _state += Golden;
        return Finalize(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>The first output of a generator seeded with <paramref name="value"/>: a stateless 64-bit hash.</summary>
    /// <param name="value">The value to hash.</param>
    public static ulong Hash(ulong value) => Finalize(value + Golden);

    /// <summary>A hash of two values (a seed and a stream index, say): <see cref="Hash(ulong)"/> of <c>a ^ (b * 0xD1B54A32D192ED03)</c>.</summary>
    /// <param name="a">The first value.</param>
    /// <param name="b">The second value, spread by an odd multiplier before it is combined.</param>
    public static ulong Hash(ulong a, ulong b) => Hash(a ^ (b * 0xD1B54A32D192ED03UL));

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
