using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>Plans, tasks and merges in process: byte-identical to the single-process steps, idempotent, restartable.</summary>
[Collection(WorkspaceCollection.Name)]
public sealed class TiledRunTests(Workspace w)
{
    [Fact]
    public void Tiles_cover_the_grid_once_in_whole_cells()
    {
        var grid = new GridSize(45, 32);
        foreach ((int tx, int ty) in new[] { (1, 1), (3, 2), (7, 5), (45, 32) })
        {
            int[] covered = new int[grid.Width * grid.Height];
            TileWindow[] tiles = [.. TilePlan.Split(grid, tx, ty)];
            Assert.Equal(tx * ty, tiles.Length);
            for (int i = 0; i < tiles.Length; i++)
            {
                Assert.Equal(i, tiles[i].Index);
                PixelWindow c = tiles[i].Cells;
                Assert.True(c.Width >= grid.Width / tx && c.Width <= (grid.Width / tx) + 1);
                for (int y = c.Y; y < c.Y + c.Height; y++)
                {
                    for (int x = c.X; x < c.X + c.Width; x++)
                    {
                        covered[(y * grid.Width) + x]++;
                    }
                }
            }

            Assert.All(covered, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void Classify_tiles_merge_to_the_single_process_map_and_table_byte_for_byte_and_the_vrt_reads_the_same_in_gdal()
    {
        TilePlan plan = TilePlan.Create(TiledSteps.Find("classify"), w.ClassifyOptions(2020), 3, 2, w.NewPlanFolder("classify"), Urban.Launcher);
        Assert.Equal(6, plan.Tiles.Count);
        Assert.Equal(4, plan.Inputs.Count);
        foreach (TileWindow tile in plan.Tiles)
        {
            TaskOutcome outcome = TileTask.Run(plan, tile.Index, threads: 2);
            Assert.True(outcome.ExitCode == 0, outcome.Message);
            Assert.False(outcome.Skipped);
        }

        string merged = w.Dir.File("merged-classify-" + Guid.NewGuid().ToString("N")[..6]);
        IReadOnlyList<string> files = PlanMerger.Merge(plan, merged);
        Assert.Equal(["map.tif", "national.json"], files.Select(Path.GetFileName));
        Assert.Equal(File.ReadAllBytes(w.SingleMap(2020)), File.ReadAllBytes(Path.Combine(merged, "map.tif")));
        Assert.Equal(File.ReadAllBytes(w.SingleTable(2020)), File.ReadAllBytes(Path.Combine(merged, "national.json")));

        // GDAL reads the VRT of the tiles as the single-process map: same size, origin and band checksums.
        string vrt = Path.Combine(plan.Folder, "map.vrt");
        Assert.Equal(GdalSummary(w.SingleMap(2020)), GdalSummary(vrt));

        // And our own reader reads it as the single-process map, value for value.
        using var tiles = Inegi.UrbanGrowth.Raster.VrtRaster.Open(vrt);
        using var single = Inegi.UrbanGrowth.Raster.GeoTiffReader.Open(w.SingleMap(2020));
        Assert.Equal(single.Info.GeoTransform, tiles.Info.GeoTransform);
        Assert.Equal(single.Info.Epsg, tiles.Info.Epsg);
        var all = new PixelWindow(0, 0, single.Info.Width, single.Info.Height);
        byte[] expected = new byte[all.PixelCount * 2], actual = new byte[all.PixelCount * 2];
        single.Read<byte>(all, [0, 1], expected);
        tiles.Read<byte>(all, [0, 1], actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Change_tiles_merge_to_the_single_process_growth_map_and_zone_statistics_byte_for_byte()
    {
        var options = new StepOptions([new("from", [w.SingleMap(2010)]), new("to", [w.SingleMap(2020)]), new("zones", [w.Zones])]);
        TilePlan plan = TilePlan.Create(TiledSteps.Find("change"), options, 4, 3, w.NewPlanFolder("change"), Urban.Launcher);
        foreach (TileWindow tile in plan.Tiles)
        {
            Assert.Equal(0, TileTask.Run(plan, tile.Index).ExitCode);
        }

        string merged = w.Dir.File("merged-change-" + Guid.NewGuid().ToString("N")[..6]);
        PlanMerger.Merge(plan, merged);
        Assert.Equal(File.ReadAllBytes(w.Dir.File("single_growth.tif")), File.ReadAllBytes(Path.Combine(merged, "growth.tif")));
        Assert.Equal(File.ReadAllText(w.Dir.File("single_growth.csv")), File.ReadAllText(Path.Combine(merged, "statistics.csv")));
    }

    [Fact]
    public void A_complete_task_is_skipped_and_an_interrupted_one_leaves_no_final_output_and_is_redone()
    {
        TilePlan plan = TilePlan.Create(TiledSteps.Find("classify"), w.ClassifyOptions(2010), 2, 2, w.NewPlanFolder("idempotent"), Urban.Launcher);
        Assert.Equal(0, TileTask.Run(plan, 0).ExitCode);
        byte[] first = File.ReadAllBytes(Path.Combine(plan.TileFolder(0), "map.tif"));
        TaskOutcome again = TileTask.Run(plan, 0);
        Assert.Equal(0, again.ExitCode);
        Assert.True(again.Skipped, again.Message);

        // A task cancelled mid-run (as a killed job): no folder with the final name, exit 75, status "missing".
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        TaskOutcome cancelled = TileTask.Run(plan, 1, cancellationToken: cancel.Token);
        Assert.Equal(TaskExitCodes.TryAgain, cancelled.ExitCode);
        Assert.False(Directory.Exists(plan.TileFolder(1)));

        // Debris of a killed try: a temporary folder, and a final-named folder without its done record.
        string debris = Path.Combine(plan.TilesFolder, ".00002.somehost.4242.tmp");
        Directory.CreateDirectory(debris);
        File.WriteAllText(Path.Combine(debris, "map.tif"), "half a file");
        Directory.CreateDirectory(plan.TileFolder(3));
        File.WriteAllText(Path.Combine(plan.TileFolder(3), "map.tif"), "half a file");
        PlanStatus status = PlanStatus.Of(plan);
        Assert.Equal([TaskState.Done, TaskState.Failed, TaskState.Missing, TaskState.Missing], status.Tasks.Select(t => t.State));
        Assert.Contains("failed, retry (exit 75)", status.Tasks[1].Error, StringComparison.Ordinal);
        Assert.Equal("1-3", PlanStatus.ArraySpec(status.NotDone));
        Assert.Throws<InvalidOperationException>(() => PlanMerger.Merge(plan, w.Dir.File("never")));
        Assert.False(Directory.Exists(w.Dir.File("never")));

        foreach (int i in new[] { 1, 2, 3 })
        {
            Assert.Equal(0, TileTask.Run(plan, i).ExitCode);
        }

        Assert.False(Directory.Exists(debris));
        Assert.Empty(Directory.GetDirectories(plan.TilesFolder, ".*"));
        Assert.True(PlanStatus.Of(plan).IsComplete);
        Assert.Null(TileTask.FailureOf(plan, 1));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(plan.TileFolder(0), "map.tif")));
        string merged = w.Dir.File("merged-restart-" + Guid.NewGuid().ToString("N")[..6]);
        PlanMerger.Merge(plan, merged);
        Assert.Equal(File.ReadAllBytes(w.SingleMap(2010)), File.ReadAllBytes(Path.Combine(merged, "map.tif")));
        JsonObject done = TileTask.ReadDoneRecord(plan, 2)!;
        Assert.True((long)done["peakWorkingSetBytes"]! > 0);
        Assert.True((double)done["seconds"]! > 0);
    }

    [Fact]
    public void A_task_refuses_to_run_when_an_input_changed_and_says_not_to_retry()
    {
        string copy = w.Dir.File("model-copy-" + Guid.NewGuid().ToString("N")[..6] + ".ugm");
        File.Copy(w.Model, copy);
        var options = new StepOptions([new("mosaic", [w.Mosaic(2010)]), new("grid", [w.Grid(2010)]), new("model", [copy])]);
        TilePlan plan = TilePlan.Create(TiledSteps.Find("classify"), options, 2, 1, w.NewPlanFolder("changed"), Urban.Launcher);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(copy).AddMinutes(1));
        TaskOutcome outcome = TileTask.Run(TilePlan.Load(plan.Folder), 0);
        Assert.Equal(TaskExitCodes.BadData, outcome.ExitCode);
        Assert.Contains(copy, outcome.Message, StringComparison.Ordinal);
        Assert.Contains("changed since the plan was made", outcome.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(plan.TileFolder(0)));
        Assert.Contains("do not retry", TileTask.FailureOf(plan, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void The_cli_runs_tasks_by_index_or_engine_variable_with_documented_exit_codes()
    {
        string folder = w.NewPlanFolder("cli");
        Urban.Ok(Urban.Run("plan", "change", "--from", w.SingleMap(2010), "--to", w.SingleMap(2020), "--tiles-x", "2", "--tiles-y", "2", "--out", folder));
        Urban.Result again = Urban.Run("plan", "change", "--from", w.SingleMap(2010), "--to", w.SingleMap(2020), "--out", folder);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a plan", again.Stderr, StringComparison.Ordinal);

        Assert.Equal(2, Urban.Run("task", folder, "--index", "4").ExitCode);
        Urban.Result noIndex = Urban.Run("task", folder);
        Assert.Equal(2, noIndex.ExitCode);
        Assert.Contains("SLURM_ARRAY_TASK_ID", noIndex.Stderr, StringComparison.Ordinal);
        Assert.Single(noIndex.Stderr.Trim().Split('\n'));

        Urban.Ok(Urban.RunProcess(Urban.Launcher[0], [Urban.Dll, "task", folder], new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "0" }));
        Urban.Ok(Urban.RunProcess(Urban.Launcher[0], [Urban.Dll, "task", folder], new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3" }));
        Urban.Result status = Urban.Run("plan", "status", folder);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("2 done, 2 missing, 0 failed", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("not done: 1-2", status.Stdout, StringComparison.Ordinal);

        Urban.Result run = Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));
        Assert.Contains("4 done, 0 missing, 0 failed", run.Stdout, StringComparison.Ordinal);
        string merged = w.Dir.File("merged-cli-" + Guid.NewGuid().ToString("N")[..6]);
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        Assert.Equal(File.ReadAllBytes(w.Dir.File("single_growth.tif")), File.ReadAllBytes(Path.Combine(merged, "growth.tif")));
    }

    [Fact]
    public void Engine_files_name_the_array_throttle_dependency_and_the_indexed_job_settings()
    {
        TilePlan plan = TilePlan.Create(TiledSteps.Find("classify"), w.ClassifyOptions(2010), 4, 3, w.NewPlanFolder("engines"), Urban.Launcher);
        (string tasks, string merge, string submit) = EngineScripts.WriteSlurm(plan, new SlurmOptions { Throttle = 5, CpusPerTask = 2, Memory = "3G", Time = "00:30:00" });
        string script = File.ReadAllText(tasks);
        Assert.Contains("#SBATCH --array=0-11%5\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --mem=3G\n", script, StringComparison.Ordinal);
        Assert.Contains($"exec '{Urban.Launcher[0]}' '{Urban.Dll}' 'task' '{plan.Folder}' '--threads' '2'", script, StringComparison.Ordinal);
        Assert.Contains("'merge'", File.ReadAllText(merge), StringComparison.Ordinal);
        Assert.Contains("--dependency=afterok:", File.ReadAllText(submit), StringComparison.Ordinal);
        Assert.Equal(0, Urban.RunProcess("bash", ["-n", tasks]).ExitCode);
        Assert.Equal(0, Urban.RunProcess("bash", ["-n", submit]).ExitCode);

        (string job, string mergeJob) = EngineScripts.WriteKubernetes(plan, new KubernetesOptions { Parallelism = 6, BackoffLimitPerIndex = 2, VolumeClaim = "inegi-data" });
        string yaml = File.ReadAllText(job);
        foreach (string line in new[] { "completionMode: Indexed", "completions: 12", "parallelism: 6", "backoffLimitPerIndex: 2", "action: FailIndex", "values: [1, 2]", "restartPolicy: Never", "claimName: \"inegi-data\"", $"mountPath: \"{w.Dir.Path}\"" })
        {
            Assert.Contains(line, yaml, StringComparison.Ordinal);
        }

        Assert.Contains("\"merge\"", File.ReadAllText(mergeJob), StringComparison.Ordinal);
    }

    private static string GdalSummary(string path)
    {
        string info = Oracles.RunGdal("gdalinfo", "-checksum", path);
        return string.Join('\n', info.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("Size is", StringComparison.Ordinal) || l.StartsWith("Origin", StringComparison.Ordinal)
                || l.StartsWith("Pixel Size", StringComparison.Ordinal) || l.StartsWith("Checksum", StringComparison.Ordinal)
                || l.StartsWith("NoData", StringComparison.Ordinal)));
    }
}
