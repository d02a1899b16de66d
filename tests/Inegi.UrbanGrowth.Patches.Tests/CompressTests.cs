using System.Runtime.Intrinsics;
using Inegi.UrbanGrowth.Patches.Kernels;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// The median's compaction step at 512 bits: one VCOMPRESSPS where the CPU has AVX-512, two 8-lane table lookups
/// elsewhere; either way the kept lanes, in lane order, then whatever (the caller overwrites past the count).
/// </summary>
public sealed class CompressTests
{
    [Fact]
    public void CompressStore512_KeepsTheSelectedLanesInOrder_ForEveryKindOfMask()
    {
        var rng = new Random(512);
        var destination = new float[16];
        float[] values = new float[16];
        int[] keep = new int[16];
        for (int round = 0; round < 4000; round++)
        {
            // Masks from empty to full, including runs, single lanes and random ones.
            uint bits = round switch
            {
                0 => 0u,
                1 => 0xFFFFu,
                < 18 => 1u << (round - 2),
                _ => (uint)rng.Next(0, 1 << 16),
            };
            for (int lane = 0; lane < 16; lane++)
            {
                values[lane] = (float)rng.NextDouble() * 100f;
                keep[lane] = ((bits >> lane) & 1) != 0 ? -1 : 0;
            }

            int count = PatchOps512.CompressStore(Vector512.Create(values), Vector512.Create(keep), ref destination[0]);
            float[] expected = [.. values.Where((_, lane) => keep[lane] != 0)];
            Assert.Equal(expected.Length, count);
            Assert.Equal(expected, destination.AsSpan(0, count).ToArray());
        }
    }
}
