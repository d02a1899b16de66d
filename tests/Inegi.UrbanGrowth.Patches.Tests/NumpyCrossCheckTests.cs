using System.Globalization;

namespace Inegi.UrbanGrowth.Patches.Tests;

public sealed class NumpyCrossCheckTests
{
    [Fact]
    public void Extract_EdgeCasesAndRandomPatches_MatchNumpyAndScipy()
    {
        var cases = TestPatches.EdgeCases();
        cases.AddRange(TestPatches.Random(210, seed: 33));
        Assert.True(cases.Count >= 230);
        CheckAgainstNumpy(cases, PatchGeometry.Size);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(65)]
    public void Extract_OtherPatchSizes_MatchNumpyAndScipy(int size)
    {
        int n = size * size;
        var cases = TestPatches.Random(14, seed: 100 + size, n);
        cases.Add(("constant", Enumerable.Repeat(0.25f, n).ToArray()));
        if (size >= 3)
        {
            cases.AddRange(TestPatches.EdgeCases(n));
        }

        CheckAgainstNumpy(cases, size);
    }

    [Fact]
    public void Extract_PatchesWithAnExactEdgeTie_CountLikeNumpyNotLikeTheIdealEdges()
    {
        // 0.3 is not a float32: numpy's third edge of [0, 1] is float32(3 * 0.1) = 0.3 rounded; a value at that
        // float goes into bin 3, its predecessor into bin 2. Checked against numpy, not against a formula.
        float edge3 = (float)(3 * 0.1);
        var plane = new float[PatchGeometry.PixelCount];
        plane[1] = 1f;
        for (int i = 2; i < plane.Length; i++)
        {
            plane[i] = i % 2 == 0 ? edge3 : MathF.BitDecrement(edge3);
        }

        CheckAgainstNumpy([("edge tie", plane)], PatchGeometry.Size);
    }

    internal static void CheckAgainstNumpy(List<(string Name, float[] Plane)> cases, int size)
    {
        int n = size * size;
        var names = Enumerable.Range(0, cases.Count).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var extractor = new PatchFeatureExtractor(names, size);
        var planes = new float[cases.Count * n];
        for (int c = 0; c < cases.Count; c++)
        {
            cases[c].Plane.CopyTo(planes, c * n);
        }

        var fast = new float[extractor.Layout.FeatureCount];
        extractor.Extract(planes, fast);
        var reference = new float[extractor.Layout.FeatureCount];
        ReferencePatchFeatures.Extract(extractor.Layout, planes, reference);
        double[][] expected = PatchOracle.Compute([.. cases.Select(c => c.Plane)]);
        for (int c = 0; c < cases.Count; c++)
        {
            var block = fast.AsSpan(c * PatchStatistics.Count, PatchStatistics.Count);
            FeatureAssert.Equal(cases[c].Plane, expected[c], block, $"{cases[c].Name} ({size}x{size}, fast)");
            FeatureAssert.Equal(cases[c].Plane, expected[c], reference.AsSpan(c * PatchStatistics.Count, PatchStatistics.Count), $"{cases[c].Name} ({size}x{size}, reference)");
        }
    }
}
