#!/usr/bin/env dotnet
// Consumer check as a file-based C# program: uses the published Inegi.UrbanGrowth packages by version,
// the way a user's script would. The version defaults to the one below; the consumer check passes the
// one it has just packed:
//   dotnet run samples/scripts/consumer-check.cs -p:UrbanGrowthVersion=0.1.0-ci.123 [-- <output folder>]
// The folder's own Directory.Build.props / Directory.Packages.props keep the repository's build settings
// out, and its nuget.config adds the repository's feed/ folder. Prints one line; exit code 1 on failure.
#:property UrbanGrowthVersion=0.1.0
#:property TreatWarningsAsErrors=true
#:property InvariantGlobalization=true
#:package Inegi.UrbanGrowth.Patches@$(UrbanGrowthVersion)
#:package Inegi.UrbanGrowth.Growth@$(UrbanGrowthVersion)
#:package Inegi.UrbanGrowth.Accuracy@$(UrbanGrowthVersion)
#:package Inegi.UrbanGrowth.Rendering@$(UrbanGrowthVersion)

using System.Reflection;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Rendering;

var failures = new List<string>();
void Check(bool ok, string what)
{
    if (!ok)
    {
        failures.Add(what);
    }
}

string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), $"urbangrowth-script-{Environment.ProcessId}");
Directory.CreateDirectory(outDir);
try
{
    // Patch features: channel c of the 33 x 33 patch is the ramp c .. c + 1088, so mean = centre = c + 544
    // and variance = (1089^2 - 1) / 12 = 98826.67.
    var extractor = new PatchFeatureExtractor();
    PatchFeatureLayout layout = extractor.Layout;
    int n = layout.PixelCount;
    var planes = new float[layout.ValuesPerCell];
    for (int i = 0; i < planes.Length; i++)
    {
        planes[i] = (i / n) + (i % n);
    }

    var features = new float[layout.FeatureCount];
    extractor.Extract(planes, features);
    Check(features.Length == 486, "Patches: 486 features");
    for (int c = 0; c < layout.ChannelCount; c++)
    {
        Check(features[layout.ColumnOf(c, PatchStatistic.Mean)] == c + 544 && features[layout.ColumnOf(c, PatchStatistic.Center)] == c + 544,
            $"Patches: mean and centre of channel {c}");
        Check(Math.Abs(features[layout.ColumnOf(c, PatchStatistic.Variance)] - (((double)n * n) - 1) / 12) < 0.05, $"Patches: variance of channel {c}");
    }

    // Change statistics: each (from, to) pair once.
    byte[] from = [0, 0, 1, 1, 255], to = [0, 1, 1, 0, 0];
    var growth = new byte[from.Length];
    var statistics = new ChangeStatisticsAccumulator();
    statistics.AddRows(from, to, growth);
    ChangeStatistics s = statistics.National;
    Check((s.StableNonUrban, s.NewUrban, s.StableUrban, s.UrbanLost, s.NoData) == (1, 1, 1, 1, 1), $"Growth: counts {s}");

    // Prior shift (Saerens et al. 2002): 0.5 from a balanced sample -> the population prior.
    Check(Math.Abs(PriorShift.AdjustBinary(0.5, 0.5, 0.05) - 0.05) < 1e-12, "Accuracy: prior shift");

    // Quick-look PNG of a 32 x 32 class map with an urban half.
    var classes = new byte[32 * 32];
    classes.AsSpan(0, 16 * 32).Fill(UrbanClass.Urban);
    byte[] png = QuickLook.ClassMap(classes, 32, 32, "Script consumer check");
    PngFile.Write(Path.Combine(outDir, "class-map.png"), png);
    Check(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "Rendering: PNG signature");
}
catch (Exception ex)
{
    failures.Add("exception: " + ex.Message);
    Console.Error.WriteLine(ex);
}

string version = typeof(PatchFeatureExtractor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
Console.WriteLine(failures.Count == 0
    ? $"Script consumer check: passed with Inegi.UrbanGrowth {version}"
    : $"Script consumer check: FAILED with Inegi.UrbanGrowth {version}: {string.Join("; ", failures)}");
return failures.Count == 0 ? 0 : 1;
