using System.Diagnostics;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// A 30 x 30-cell synthetic series of three epochs (`urban synth`), a model trained on its 2010 census, and the
/// single-process `urban growth --model --zones` whose every output file the tiled growth must reproduce byte for byte.
/// </summary>
public sealed class GrowthWorkspace : IDisposable
{
    public static readonly int[] Years = [2000, 2010, 2020];

    public GrowthWorkspace()
    {
        Urban.Ok(Urban.Run("synth", "--out", Dir.File("scene"), "--cells-x", "30", "--cells-y", "30", "--years", "2000,2010,2020", "--seed", "7"));
        Urban.Ok(Urban.Run("sample", "--grid", Grid, "--per-class", "60", "--non-urban", "200", "--seed", "3", "--out", Dir.File("sample.csv"), "--mosaic", Mosaic(2010)));
        Urban.Ok(Urban.Run("features", "--mosaic", Mosaic(2010), "--grid", Grid, "--cells", Dir.File("sample.csv"), "--out", Dir.File("features.csv")));
        Urban.Ok(Urban.Run("train", "--features", Dir.File("features.csv"), "--out", Model, "--trees", "20", "--seed", "1", "--calibration-folds", "0"));
        Urban.Ok(Urban.Run([.. SingleArguments("growth"), "--out", SingleOutput, "--threads", "2"]));
    }

    public TempDirectory Dir { get; } = new();

    public string Grid => Dir.File(Path.Combine("scene", "labels_2010.tif"));

    public string Zones => Dir.File(Path.Combine("scene", "zones.tif"));

    public string Model => Dir.File("model.ugm");

    /// <summary>The single-process run's output folder.</summary>
    public string SingleOutput => Dir.File("single");

    public string Mosaic(int year) => Dir.File(Path.Combine("scene", $"mosaic_{year}.tif"));

    /// <summary>The command line of `urban growth` (or `urban plan growth`) on this series, without --out.</summary>
    public string[] SingleArguments(params string[] command) =>
        [.. command, "--mosaics", .. Years.Select(Mosaic), "--years", "2000,2010,2020", "--grid", Grid, "--model", Model, "--zones", Zones];

    public string NewFolder(string name) => Dir.File(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Asserts that a folder holds exactly the single-process run's files, byte for byte.</summary>
    public void AssertSameAsSingle(string merged)
    {
        string[] Names(string folder) => [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        string[] expected = Names(SingleOutput);
        Assert.Contains("alerts.gpkg", expected);
        Assert.Contains("urban_area.png", expected);
        Assert.Contains("independent_2020.tif", expected);
        Assert.Equal(expected, Names(merged));
        foreach (string name in expected)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(SingleOutput, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, name))), name + " differs from the single-process run's");
        }
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>
/// `urban plan growth`: tile tasks classify the years, the merge decides them once; the same bytes as `urban growth`.
/// In the cluster workspace's collection so that its Slurm test never shares the one-node test cluster with the others.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class GrowthStepTests(GrowthWorkspace w) : IClassFixture<GrowthWorkspace>
{
    [Fact]
    public void Growth_plan_on_the_slurm_test_cluster_merges_to_every_single_process_file_byte_for_byte()
    {
        Slurm slurm = Slurm.Require();
        string folder = w.NewFolder("plan-growth-slurm");
        Urban.Ok(Urban.Run([.. w.SingleArguments("plan", "growth"), "--tiles-x", "2", "--tiles-y", "2", "--out", folder]));
        string merged = Path.Combine(folder, "national");
        string[] files = Urban.Ok(Urban.Run("plan", "slurm", folder, "--throttle", "2", "--cpus", "1", "--mem", "500M", "--merge-out", merged)).Stdout.Trim().Split('\n');
        Assert.Contains("merge job", slurm.Run("bash", files[2]).Stdout, StringComparison.Ordinal);
        slurm.WaitUntilIdle(TimeSpan.FromMinutes(4));
        Assert.True(File.Exists(Path.Combine(merged, "report.md")), "the merge job wrote nothing; logs: " + SlurmEngineTests.Logs(folder));
        w.AssertSameAsSingle(merged);
    }

    [Fact]
    public void Growth_in_2x2_tiles_run_locally_merges_to_every_single_process_file_byte_for_byte()
    {
        string plan = w.NewFolder("plan-growth");
        Urban.Result made = Urban.Ok(Urban.Run([.. w.SingleArguments("plan", "growth"), "--tiles-x", "2", "--tiles-y", "2", "--out", plan]));
        Assert.Contains("4 tasks", made.Stdout, StringComparison.Ordinal);
        Urban.Result run = Urban.Ok(Urban.Run("plan", "run", plan, "--parallel", "2", "--threads", "1"));
        Assert.Contains("4 done, 0 missing, 0 failed", run.Stdout, StringComparison.Ordinal);

        // Each tile holds the three yearly maps of its own cells only.
        TilePlan loaded = TilePlan.Load(plan);
        foreach (TileWindow tile in loaded.Tiles)
        {
            foreach (int year in GrowthWorkspace.Years)
            {
                var info = Inegi.UrbanGrowth.Raster.GeoTiffReader.ReadInfo(Path.Combine(loaded.TileFolder(tile.Index), $"independent_{year}.tif"));
                Assert.Equal((tile.Cells.Width, tile.Cells.Height), (info.Width, info.Height));
            }
        }

        string merged = w.NewFolder("merged-growth");
        Urban.Ok(Urban.Run("merge", plan, "--out", merged));
        w.AssertSameAsSingle(merged);
        Assert.True(File.Exists(Path.Combine(plan, "independent_2010.vrt")));
    }

    [Fact]
    public void A_killed_growth_task_shows_missing_and_a_rerun_completes_the_plan_with_the_same_bytes()
    {
        string folder = w.NewFolder("plan-growth-kill");
        Urban.Ok(Urban.Run([.. w.SingleArguments("plan", "growth"), "--tiles-x", "2", "--tiles-y", "2", "--out", folder]));
        TilePlan plan = TilePlan.Load(folder);

        // Task 1 killed (SIGKILL, as an engine's cancel or a lost node) once it has started writing its tile.
        var psi = new ProcessStartInfo(Urban.Launcher[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Urban.Dll, "task", folder, "--index", "1", "--threads", "1" })
        {
            psi.ArgumentList.Add(a);
        }

        using (Process task = Process.Start(psi)!)
        {
            var clock = Stopwatch.StartNew();
            while (Directory.GetDirectories(plan.TilesFolder, ".00001.*.tmp").Length == 0)
            {
                if (task.HasExited)
                {
                    Assert.Fail($"task 1 ended (exit {task.ExitCode}) before it could be killed: {task.StandardOutput.ReadToEnd()} {task.StandardError.ReadToEnd()}");
                }

                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "task 1 never started its tile");
                Thread.Sleep(10);
            }

            task.Kill(entireProcessTree: true);
            task.WaitForExit();
        }

        foreach (int i in new[] { 0, 2, 3 })
        {
            Urban.Ok(Urban.Run("task", folder, "--index", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1"));
        }

        Assert.False(Directory.Exists(plan.TileFolder(1)));
        Urban.Result status = Urban.Run("plan", "status", folder);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("3 done, 1 missing, 0 failed", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("task 1: missing", status.Stdout, StringComparison.Ordinal);
        string refused = w.NewFolder("merged-too-early");
        Urban.Result early = Urban.Run("merge", folder, "--out", refused);
        Assert.NotEqual(0, early.ExitCode);
        Assert.False(File.Exists(Path.Combine(refused, "report.md")));

        Urban.Result rerun = Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));
        Assert.Contains("4 done, 0 missing, 0 failed", rerun.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(plan.TilesFolder, ".*"));
        string merged = w.NewFolder("merged-growth-rerun");
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        w.AssertSameAsSingle(merged);
    }

    [Fact]
    public void Plan_growth_without_a_model_or_with_years_not_matching_is_exit_2_and_makes_no_plan()
    {
        string noModel = w.NewFolder("plan-growth-nomodel");
        Urban.Result r = Urban.Run("plan", "growth", "--mosaics", w.Mosaic(2000), w.Mosaic(2010), w.Mosaic(2020), "--years", "2000,2010,2020", "--grid", w.Grid,
            "--out", noModel);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--model", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(noModel, "plan.json")));

        string badYears = w.NewFolder("plan-growth-years");
        Urban.Result y = Urban.Run([.. w.SingleArguments("plan", "growth").Select(a => a == "2000,2010,2020" ? "2000,2010" : a), "--out", badYears]);
        Assert.Equal(2, y.ExitCode);
        Assert.Contains("--years", y.Stderr, StringComparison.Ordinal);
        Assert.Single(y.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(badYears, "plan.json")));
    }
}
