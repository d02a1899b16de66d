using System.Diagnostics;
using System.Globalization;

namespace Inegi.UrbanGrowth.Synthetic.Tests;

public sealed class ExploreTests
{
    [Fact]
    public void Explore()
    {
        var log = TestContext.Current.TestOutputHelper!;
        var sw = Stopwatch.StartNew();
        var scene = Scenes.Medium;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build {sw.ElapsedMilliseconds} ms, mosaic {scene.MosaicWidth}x{scene.MosaicHeight}, cities {scene.Cities.Count}, roads {scene.RoadCount}"));
        sw.Restart();
        foreach (int y in scene.Years)
        {
            int u = scene.UrbanCellCount(y);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{y}: urban {u} ({u * 100.0 / (scene.GridWidth * scene.GridHeight):F2}%), {sw.ElapsedMilliseconds} ms"));
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"undefined {scene.UndefinedCellCount}"));
        sw.Restart();
        var m = Scenes.Medium2010;
        double secs = sw.Elapsed.TotalSeconds;
        long n = (long)scene.MosaicWidth * scene.MosaicHeight;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render {n / secs / 1e6:F1} Mpx/s"));
        var w = new PixelWindow(0, 0, scene.MosaicWidth, scene.MosaicHeight);
        var cover = new float[8 * n];
        scene.RenderCover(2010, w, cover);
        for (int k = 0; k < 8; k++)
        {
            double s = 0;
            for (long i = 0; i < n; i++)
            {
                s += cover[k * n + i];
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cover {(SyntheticCover)k}: {s / n:F4}"));
        }

        long cloudy = 0, nodata = 0;
        for (long i = 0; i < n; i++)
        {
            if (m[i] > 3300 && cover[6 * n + i] + cover[7 * n + i] < 0.01)
            {
                cloudy++;
            }

            if (m[i] == 0)
            {
                nodata++;
            }
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cloudy {cloudy * 1.0 / n:F4} nodata {nodata * 1.0 / n:F4}"));
        var radii = scene.Cities.Select(c => c.BaseRadiusMeters).ToArray();
        log.WriteLine(string.Join(" ", radii.Take(15).Select(r => r.ToString("F0", CultureInfo.InvariantCulture))) + " median " + radii[radii.Length / 2].ToString("F0", CultureInfo.InvariantCulture));
    }
}
