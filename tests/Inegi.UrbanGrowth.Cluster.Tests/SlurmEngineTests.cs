using System.Diagnostics;
using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// The plan on a real Slurm: the one-node test cluster of .ci/slurm-setup.sh (eng/slurm/slurm.conf). Submits the
/// plan's array with its merge job, and the same with one array element cancelled; every wait is bounded.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class SlurmEngineTests(Workspace w)
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public void The_array_and_its_dependent_merge_give_the_single_process_outputs_byte_for_byte()
    {
        Slurm slurm = Slurm.Require();
        string folder = w.NewPlanFolder("slurm");
        Urban.Ok(Urban.Run("plan", "classify", "--mosaic", w.Mosaic(2020), "--grid", w.Grid(2020), "--model", w.Model, "--exclude", w.Sample,
            "--tiles-x", "3", "--tiles-y", "2", "--out", folder));
        string merged = Path.Combine(folder, "national");
        string[] files = Urban.Ok(Urban.Run("plan", "slurm", folder, "--throttle", "2", "--cpus", "1", "--mem", "500M", "--merge-out", merged)).Stdout.Trim().Split('\n');
        Urban.Result submitted = slurm.Run("bash", files[2]);
        Assert.Contains("merge job", submitted.Stdout, StringComparison.Ordinal);

        slurm.WaitUntilIdle(JobLimit);
        Assert.True(File.Exists(Path.Combine(merged, "map.tif")), "the merge job wrote nothing; logs: " + Logs(folder));
        Assert.Equal(File.ReadAllBytes(w.SingleMap(2020)), File.ReadAllBytes(Path.Combine(merged, "map.tif")));
        Assert.Equal(File.ReadAllBytes(w.SingleTable(2020)), File.ReadAllBytes(Path.Combine(merged, "national.json")));
    }

    [Fact]
    public void A_cancelled_array_element_shows_missing_and_resubmitting_only_the_missing_tasks_completes_the_plan()
    {
        Slurm slurm = Slurm.Require();
        string folder = w.NewPlanFolder("slurm-cancel");
        Urban.Ok(Urban.Run("plan", "classify", "--mosaic", w.Mosaic(2010), "--grid", w.Grid(2010), "--model", w.Model, "--exclude", w.Sample,
            "--tiles-x", "2", "--tiles-y", "2", "--out", folder));
        string tasks = Urban.Ok(Urban.Run("plan", "slurm", folder, "--throttle", "1", "--cpus", "1", "--mem", "500M")).Stdout.Trim().Split('\n')[0];
        // Submitted held, element 1 cancelled before the array is released: on a fast machine a tile takes less than
        // the time to see it running and cancel it (cancelling "as soon as squeue says RUNNING" raced the task and
        // failed a CI run once it finished first), so the element is cancelled while it cannot start yet.
        string job = slurm.Run("sbatch", "--parsable", "--hold", tasks).Stdout.Trim().Split(';')[0];
        slurm.Run("scancel", job + "_1"); // returns once the controller has cancelled it
        slurm.Run("scontrol", "release", job);
        slurm.WaitUntilIdle(JobLimit);

        TilePlan plan = TilePlan.Load(folder);
        PlanStatus status = PlanStatus.Of(plan);
        Assert.Equal([TaskState.Done, TaskState.Missing, TaskState.Done, TaskState.Done], status.Tasks.Select(t => t.State));
        Assert.False(Directory.Exists(plan.TileFolder(1)));
        Urban.Result printed = Urban.Run("plan", "status", folder);
        Assert.Equal(1, printed.ExitCode);
        Assert.Contains("task 1: missing", printed.Stdout, StringComparison.Ordinal);

        string[] again = Urban.Ok(Urban.Run("plan", "slurm", folder, "--not-done", "--throttle", "1", "--cpus", "1", "--mem", "500M")).Stdout.Trim().Split('\n');
        Assert.Contains("#SBATCH --array=1%1\n", File.ReadAllText(again[0]), StringComparison.Ordinal);
        slurm.Run("bash", again[2]);
        slurm.WaitUntilIdle(JobLimit);

        Assert.True(PlanStatus.Of(plan).IsComplete, Logs(folder));
        string merged = Path.Combine(folder, "merged");
        Assert.Equal(File.ReadAllBytes(w.SingleMap(2010)), File.ReadAllBytes(Path.Combine(merged, "map.tif")));
        Assert.Equal(File.ReadAllBytes(w.SingleTable(2010)), File.ReadAllBytes(Path.Combine(merged, "national.json")));
    }

    internal static string Logs(string folder) =>
        string.Join("\n", Directory.Exists(Path.Combine(folder, "logs")) ? Directory.GetFiles(Path.Combine(folder, "logs")).Order(StringComparer.Ordinal).Select(f => f + ": " + File.ReadAllText(f).Trim()) : []);
}

/// <summary>The test cluster's client commands, with SLURM_CONF pointing at eng/slurm/slurm.conf.</summary>
internal sealed class Slurm
{
    private readonly Dictionary<string, string> _environment;

    private Slurm(string conf) => _environment = new() { ["SLURM_CONF"] = conf };

    public static Slurm Require()
    {
        string conf = Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 } c ? c : Path.Combine(TestData.RepositoryRoot, "eng", "slurm", "slurm.conf");
        string hint = "; start the one-node test cluster with 'sudo bash .ci/slurm-setup.sh' (CI does) and stop it with .ci/slurm-stop.sh";
        Assert.True(File.Exists("/usr/bin/sbatch"), "Slurm is not installed (no /usr/bin/sbatch)" + hint);
        var slurm = new Slurm(conf);
        Urban.Result info = Urban.RunProcess("sinfo", ["-h", "-N", "-o", "%T"], slurm._environment, 30);
        Assert.True(info.ExitCode == 0 && info.Stdout.Trim().Length > 0 && !info.Stdout.Contains("down", StringComparison.Ordinal),
            $"the Slurm test cluster is not up (sinfo: exit {info.ExitCode} {info.Stdout.Trim()} {info.Stderr.Trim()})" + hint);
        return slurm;
    }

    public Urban.Result Run(string program, params string[] args) => Urban.Ok(Urban.RunProcess(program, args, _environment, 60));

    /// <summary>Waits until no job of ours is pending or running; fails after the limit (cancelling what is left).</summary>
    public void WaitUntilIdle(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (Run("squeue", "-h", "-o", "%i %T %r").Stdout.Trim() is { Length: > 0 } queue)
        {
            if (clock.Elapsed > limit || queue.Contains("DependencyNeverSatisfied", StringComparison.Ordinal))
            {
                Run("scancel", "--user", Environment.UserName);
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"Slurm jobs still queued after {clock.Elapsed.TotalSeconds:F0} s: {queue}"));
            }

            Thread.Sleep(250);
        }
    }
}
