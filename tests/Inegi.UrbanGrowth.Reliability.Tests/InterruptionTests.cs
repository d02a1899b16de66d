using System.Diagnostics;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>
/// Runs killed with SIGKILL at random moments, and runs that race for the same output: the final files are either
/// absent or complete and byte-identical to an uninterrupted run's, and the next run cleans up after the killed ones.
/// </summary>
public sealed class InterruptionTests : IClassFixture<Workspace>
{
    private const int KillsPerCommand = 5;
    private readonly Workspace _w;

    public InterruptionTests(Workspace workspace) => _w = workspace;

    [Fact]
    public void Classify_KilledAtRandomMoments_LeavesNoMapOrTheCompleteOne()
    {
        string folder = _w.NewFolder("kill-classify");
        string map = Path.Combine(folder, "map.tif");
        string[] args = ["classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", map, "--threads", "1"];
        KillAtRandomMoments(args, seed: 18, () =>
        {
            if (File.Exists(map))
            {
                Assert.Equal(Workspace.Hash(_w.Map), Workspace.Hash(map));
            }
        });

        Urban.Ok(Urban.Run(args));
        Assert.Equal(Workspace.Hash(_w.Map), Workspace.Hash(map));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void Features_KilledAtRandomMoments_LeavesNoCsvOrTheCompletePair()
    {
        string folder = _w.NewFolder("kill-features");
        string csv = Path.Combine(folder, "f.csv");
        string[] args = ["features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", csv, "--threads", "1"];
        KillAtRandomMoments(args, seed: 1918, () =>
        {
            if (File.Exists(csv))
            {
                // The sidecar is committed before the CSV: a CSV on disk always has its own sidecar beside it.
                Assert.Equal(Workspace.Hash(_w.Features), Workspace.Hash(csv));
                Assert.Equal(Workspace.Hash(_w.Features + ".settings.json"), Workspace.Hash(csv + ".settings.json"));
            }
        });

        Urban.Ok(Urban.Run(args));
        Assert.Equal(Workspace.Hash(_w.Features), Workspace.Hash(csv));
        Assert.Equal(Workspace.Hash(_w.Features + ".settings.json"), Workspace.Hash(csv + ".settings.json"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task TwoRunsWritingTheSameOutput_BothSucceedAndLeaveOneCompleteFile()
    {
        string folder = _w.NewFolder("concurrent");
        string map = Path.Combine(folder, "map.tif"), csv = Path.Combine(folder, "f.csv");
        string[] classify = ["classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", map];
        string[] features = ["features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", csv];
        foreach (string[] args in new[] { classify, features })
        {
            UrbanTool.Result[] both = await Task.WhenAll(Task.Run(() => Urban.Run(args)), Task.Run(() => Urban.Run(args)));
            Urban.Ok(both[0]);
            Urban.Ok(both[1]);
        }

        Assert.Equal(Workspace.Hash(_w.Map), Workspace.Hash(map));
        Assert.Equal(Workspace.Hash(_w.Features), Workspace.Hash(csv));
        Assert.Equal(Workspace.Hash(_w.Features + ".settings.json"), Workspace.Hash(csv + ".settings.json"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    /// <summary>Starts the command, kills it with SIGKILL after a seeded random delay within one uninterrupted run's time, and checks the folder.</summary>
    private static void KillAtRandomMoments(string[] args, int seed, Action check)
    {
        var clock = Stopwatch.StartNew();
        string[] timing = [.. args];
        timing[Array.IndexOf(args, "--out") + 1] = ScratchOutput(args);
        UrbanTool.Result probe = Urban.Run(timing);
        Urban.Ok(probe);
        int full = (int)clock.ElapsedMilliseconds;
        var random = new Random(seed);
        for (int i = 0; i < KillsPerCommand; i++)
        {
            using Process p = Process.Start(Urban.StartInfo(args))!;
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            Thread.Sleep(random.Next(full));
            try
            {
                p.Kill(); // SIGKILL on Unix: no handler, no cleanup.
            }
            catch (InvalidOperationException)
            {
            }

            p.WaitForExit();
            check();
        }
    }

    /// <summary>Where the timing run writes: beside the real output, so that it measures the same work.</summary>
    private static string ScratchOutput(string[] args)
    {
        int at = Array.IndexOf(args, "--out") + 1;
        string output = args[at];
        return Path.Combine(Path.GetDirectoryName(output)!, "timing-" + Path.GetFileName(output));
    }
}
