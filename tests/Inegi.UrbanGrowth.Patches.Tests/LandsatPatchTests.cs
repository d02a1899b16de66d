using System.Globalization;

namespace Inegi.UrbanGrowth.Patches.Tests;

public sealed class LandsatPatchTests(LandsatWindowsOracle oracle) : IClassFixture<LandsatWindowsOracle>
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(120, 90)]
    [InlineData(200, 40)]
    [InlineData(285, 202)]
    public void Extract_RealLandsatWindow_MatchesNumpyAndScipy(int x, int y)
    {
        (float[] planes, double[][] expected) = oracle.Window(x, y);
        var extractor = new PatchFeatureExtractor(StandardChannels.BandNames);
        var features = new float[extractor.Layout.FeatureCount];
        extractor.Extract(planes, features);

        int n = PatchGeometry.PixelCount;
        for (int b = 0; b < StandardChannels.BandCount; b++)
        {
            int column = extractor.Layout.ColumnOf(b, PatchStatistic.Mean);
            FeatureAssert.Equal(planes.AsSpan(b * n, n), expected[b], features.AsSpan(column, PatchStatistics.Count), string.Create(CultureInfo.InvariantCulture, $"{StandardChannels.BandNames[b]} window ({x}, {y})"));
        }

        Assert.Equal("blue_mean", extractor.Schema.Names[0]);
        Assert.Equal("swir2_center", extractor.Schema.Names[^1]);
        // The window really is land-surface reflectance, not an empty read.
        Assert.InRange(features[extractor.Layout.ColumnOf("nir", PatchStatistic.Mean)], 0.01f, 1f);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(285, 202)]
    public void Extract_RealLandsatWindow_EveryWidthGivesTheSameBits(int x, int y)
    {
        // The six bands and 21 channel-like planes derived from them (ratios, differences, products), so that
        // negative, near-zero and wide-ranged real values go through every width.
        (float[] bands, _) = oracle.Window(x, y);
        int n = PatchGeometry.PixelCount;
        var planes = new List<float[]>();
        for (int b = 0; b < StandardChannels.BandCount; b++)
        {
            planes.Add(bands.AsSpan(b * n, n).ToArray());
        }

        for (int a = 0; a < StandardChannels.BandCount; a++)
        {
            for (int b = a + 1; b < StandardChannels.BandCount; b++)
            {
                planes.Add([.. Enumerable.Range(0, n).Select(i => (planes[a][i] - planes[b][i]) / (planes[a][i] + planes[b][i]))]);
            }
        }

        string[] names = [.. planes.Select((_, i) => "p" + i.ToString(CultureInfo.InvariantCulture))];
        float[] flat = [.. planes.SelectMany(p => p)];
        uint[]? reference = null;
        foreach (var width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
        {
            var extractor = new PatchFeatureExtractor(names) { Width = width };
            var features = new float[extractor.Layout.FeatureCount];
            extractor.Extract(flat, features);
            uint[] bits = [.. features.Select(BitConverter.SingleToUInt32Bits)];
            reference ??= bits;
            Assert.Equal(reference, bits);
        }
    }
}
