using System.Globalization;

namespace Inegi.UrbanGrowth.Patches.Tests;

public sealed class NumpyCrossCheckTests(NumpyCrossCheckOracle oracle) : IClassFixture<NumpyCrossCheckOracle>
{
    [Fact]
    public void Extract_EdgeCasesAndRandomPatches_MatchNumpyAndScipy()
    {
        var cases = oracle.Cases(NumpyCrossCheckOracle.MainGroup);
        Assert.True(cases.Count >= 230);
        CheckAgainstNumpy(cases, PatchGeometry.Size, oracle.Expected(NumpyCrossCheckOracle.MainGroup));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(65)]
    public void Extract_OtherPatchSizes_MatchNumpyAndScipy(int size)
    {
        string group = NumpyCrossCheckOracle.SizeGroup(size);
        CheckAgainstNumpy(oracle.Cases(group), size, oracle.Expected(group));
    }

    [Fact]
    public void Extract_PatchesWithAnExactEdgeTie_CountLikeNumpyNotLikeTheIdealEdges()
    {
        // 0.3 is not a float32: numpy's third edge of [0, 1] is float32(3 * 0.1) = 0.3 rounded; a value at that
        // float goes into bin 3, its predecessor into bin 2. Checked against numpy, not against a formula.
        var cases = oracle.Cases(NumpyCrossCheckOracle.TieGroup);
        Assert.Equal((float)(3 * 0.1), cases[0].Plane[2]);
        CheckAgainstNumpy(cases, PatchGeometry.Size, oracle.Expected(NumpyCrossCheckOracle.TieGroup));
    }

    internal static void CheckAgainstNumpy(List<(string Name, float[] Plane)> cases, int size, double[][] expected)
    {
        int n = size * size;
        Assert.Equal(cases.Count, expected.Length);
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
        for (int c = 0; c < cases.Count; c++)
        {
            var block = fast.AsSpan(c * PatchStatistics.Count, PatchStatistics.Count);
            FeatureAssert.Equal(cases[c].Plane, expected[c], block, $"{cases[c].Name} ({size}x{size}, fast)");
            FeatureAssert.Equal(cases[c].Plane, expected[c], reference.AsSpan(c * PatchStatistics.Count, PatchStatistics.Count), $"{cases[c].Name} ({size}x{size}, reference)");
        }
    }
}
