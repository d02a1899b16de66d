using System.Numerics;
using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>xoshiro256** generator, seeded per tree by Core's <see cref="SplitMix64"/> from (master seed, tree index).</summary>
/// <remarks>Blackman and Vigna, "Scrambled linear pseudorandom number generators" (2021); SplitMix64 from Steele et al. 2014.</remarks>
internal struct TreeRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public TreeRandom(int seed, int treeIndex)
    {
        // The first output of the (seed, tree) stream, scrambled, seeds the stream that fills the state.
        var first = new SplitMix64(((ulong)(uint)seed << 32) ^ (ulong)(uint)treeIndex);
        var sm = new SplitMix64(first.Next() ^ 0x5DEECE66DUL);
        _s0 = sm.Next();
        _s1 = sm.Next();
        _s2 = sm.Next();
        _s3 = sm.Next();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>An integer in [low, high) (Lemire's multiply-shift; bias below 2^-32 for our ranges).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt(int low, int high) => low + (int)(((NextUInt64() >> 32) * (ulong)(uint)(high - low)) >> 32);

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
