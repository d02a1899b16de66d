using System.Buffers.Binary;
using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Patches.Tests;

public sealed class LandsatPatchTests
{
    private static readonly string Scene = TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif");

    [Theory]
    [InlineData(0, 0)]
    [InlineData(120, 90)]
    [InlineData(200, 40)]
    [InlineData(285, 202)]
    public void Extract_RealLandsatWindow_MatchesNumpyAndScipy(int x, int y)
    {
        float[] planes = ReadWindow(x, y);
        var extractor = new PatchFeatureExtractor(StandardChannels.BandNames);
        var features = new float[extractor.Layout.FeatureCount];
        extractor.Extract(planes, features);

        int n = PatchGeometry.PixelCount;
        var bandPlanes = Enumerable.Range(0, StandardChannels.BandCount).Select(b => planes.AsSpan(b * n, n).ToArray()).ToArray();
        double[][] expected = PatchOracle.Compute(bandPlanes);
        for (int b = 0; b < StandardChannels.BandCount; b++)
        {
            int column = extractor.Layout.ColumnOf(b, PatchStatistic.Mean);
            FeatureAssert.Equal(bandPlanes[b], expected[b], features.AsSpan(column, PatchStatistics.Count), string.Create(CultureInfo.InvariantCulture, $"{StandardChannels.BandNames[b]} window ({x}, {y})"));
        }

        Assert.Equal("blue_mean", extractor.Schema.Names[0]);
        Assert.Equal("swir2_center", extractor.Schema.Names[^1]);
        // The window really is land-surface reflectance, not an empty read.
        Assert.InRange(features[extractor.Layout.ColumnOf("nir", PatchStatistic.Mean)], 0.01f, 1f);
    }

    /// <summary>Six 33 x 33 Int16 bands through gdal_translate to raw ENVI (band-sequential), times 0.0001 in float32.</summary>
    private static float[] ReadWindow(int x, int y)
    {
        using var dir = new TempDirectory();
        string output = dir.File("window.bin");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-srcwin", x.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture), "33", "33", Scene, output);
        string header = File.ReadAllText(dir.File("window.hdr"));
        Assert.Contains("data type = 2", header, StringComparison.Ordinal); // Int16
        Assert.Contains("byte order = 0", header, StringComparison.Ordinal); // little-endian
        Assert.Contains("bands   = 6", header, StringComparison.Ordinal);
        Assert.Contains("interleave = bsq", header, StringComparison.Ordinal);
        byte[] raw = File.ReadAllBytes(output);
        int count = StandardChannels.BandCount * PatchGeometry.PixelCount;
        Assert.Equal(count * 2, raw.Length);
        var planes = new float[count];
        for (int i = 0; i < count; i++)
        {
            short dn = BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2));
            Assert.NotEqual(-9999, dn); // the scene's nodata: these windows are complete
            planes[i] = dn * 0.0001f;
        }

        return planes;
    }
}
