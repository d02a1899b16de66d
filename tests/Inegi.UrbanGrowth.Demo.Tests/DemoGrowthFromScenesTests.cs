using System.Globalization;
using System.Text.RegularExpressions;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Demo.Tests;

/// <summary>
/// The whole demo from scenes (archive, geomedian composite, sample, train, classify, growth) on a 40 x 30-cell scene:
/// the growth its report prints has the sign of the synthetic truth it prints beside it, and roughly its size
/// (issue 19 point 6, issue 20 point 8).
/// </summary>
public sealed partial class DemoGrowthFromScenesTests
{
    // `urban demo --from-scenes --cells-x 40 --cells-y 30 --seed S` (these options), 2026-12-07: relative growth
    // 2010 -> 2020 mapped / true, and its share of the truth: seed 1 +17.2% / +34.5% (0.50), seed 2 +6.3% / +25.8%
    // (0.24), seed 3 +34.4% / +14.3% (2.4). A scene this small gains 4-10 urban cells in ten years, so a few cells
    // more or less move the share by a factor of two; the sign held on every seed. The run is deterministic (seed 1
    // here); the bounds are the spread measured, with room, so that the test fails when the growth from scenes
    // loses its sign or its order of magnitude, not when a few edge cells change.
    private const double MinShareOfTrueGrowth = 0.2;
    private const double MaxShareOfTrueGrowth = 3.0;

    [Fact]
    public void Demo_FromScenes_ReportsGrowthOfTheTruthsSignAndRoughlyItsSize()
    {
        using var dir = new TempDirectory();
        var options = new DemoOptions { CellsX = 40, CellsY = 30, Seed = 1, FromScenes = true, RealDataFolder = dir.File("no-real-data") };
        string report = File.ReadAllText(DemoRunner.Run(dir.File("demo"), options));

        Assert.Contains("From scenes to mosaics", report, StringComparison.Ordinal);
        foreach (int year in options.Years)
        {
            Assert.Contains($"| {year} | {2 * options.AcquisitionsPerFrame} |", report, StringComparison.Ordinal); // 2 frames x the demo's acquisitions composited
        }

        Match m = GrowthLine().Match(report);
        Assert.True(m.Success, "the report's growth line");
        double Number(int group) => double.Parse(m.Groups[group].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        double mappedFrom = Number(1), mappedTo = Number(2), trueFrom = Number(3), trueTo = Number(4);
        Assert.True(trueTo > trueFrom, m.Value); // the synthetic cities grow
        Assert.True(mappedFrom > 0.5 * trueFrom && mappedFrom < 2 * trueFrom, m.Value); // the census year is anchored on its labels
        double mappedGrowth = (mappedTo / mappedFrom) - 1, trueGrowth = (trueTo / trueFrom) - 1;
        Assert.True(mappedGrowth > 0, $"mapped growth {mappedGrowth:P1} against true {trueGrowth:P1}: {m.Value}");
        double share = mappedGrowth / trueGrowth;
        Assert.True(share >= MinShareOfTrueGrowth && share <= MaxShareOfTrueGrowth, $"mapped growth {mappedGrowth:P1} is {share:0.00} of the true {trueGrowth:P1}: {m.Value}");
    }

    [GeneratedRegex(@"urban ([\d,]+) km2 -> ([\d,]+) km2 \([^)]*\), [\d,]+ new urban cells, [\d,]+ lost\. Truth: ([\d,]+) -> ([\d,]+) urban cells")]
    private static partial Regex GrowthLine();
}
