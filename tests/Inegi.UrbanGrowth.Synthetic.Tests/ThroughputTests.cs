using System.Diagnostics;
using System.Globalization;

namespace Inegi.UrbanGrowth.Synthetic.Tests;

public sealed class ThroughputTests
{
    [Fact]
    public void RenderMosaic_DefaultScene_ValidPixelsAndThroughputReported()
    {
        var sw = Stopwatch.StartNew();
        var scene = new SyntheticScene(new SyntheticSceneOptions { Seed = 3 });
        double build = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        int urban = scene.UrbanCellCount(2020);
        double labels = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        ushort[] m = Scenes.RenderAll(scene, 2020);
        double seconds = sw.Elapsed.TotalSeconds;
        long n = (long)scene.MosaicWidth * scene.MosaicHeight, valid = 0;
        for (long p = 0; p < n; p++)
        {
            valid += m[p] != 0 ? 1 : 0;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scene.MosaicWidth} x {scene.MosaicHeight} px: build {build:F0} ms, labels {labels:F0} ms, mosaic {seconds * 1000:F0} ms = {n / seconds / 1e6:F1} Mpx/s on {Environment.ProcessorCount} cores"));
        Assert.True(valid > 0.9 * n);
        Assert.True(urban > 0);
    }
}
