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
}
