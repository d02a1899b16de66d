namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>`urban plan series`: first year urban from tiles, urban area per year and zone summed from the tiles' counts.</summary>
[Collection(WorkspaceCollection.Name)]
public sealed class SeriesStepTests(Workspace w)
{
    [Fact]
    public void Series_tiles_merge_to_the_single_process_first_year_map_and_zone_table_byte_for_byte()
    {
        string single = w.Dir.File("single-series-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(single);
        Urban.Ok(Urban.Run("series", "--maps", w.SingleMap(2010), w.SingleMap(2020), "--years", "2010,2020", "--zones", w.Zones,
            "--out", Path.Combine(single, "first_year.tif"), "--stats", Path.Combine(single, "statistics.csv")));

        var options = new StepOptions([new("maps", [w.SingleMap(2010), w.SingleMap(2020)]), new("years", ["2010,2020"]), new("zones", [w.Zones])]);
        TilePlan plan = TilePlan.Create(TiledSteps.Find("series"), options, 4, 3, w.NewPlanFolder("series"), Urban.Launcher);
        foreach (TileWindow tile in plan.Tiles)
        {
            TaskOutcome outcome = TileTask.Run(plan, tile.Index);
            Assert.True(outcome.ExitCode == 0, outcome.Message);
        }

        string merged = w.Dir.File("merged-series-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(["first_year.tif", "statistics.csv"], PlanMerger.Merge(plan, merged).Select(Path.GetFileName));
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, "first_year.tif")), File.ReadAllBytes(Path.Combine(merged, "first_year.tif")));
        string table = File.ReadAllText(Path.Combine(single, "statistics.csv"));
        Assert.Equal(table, File.ReadAllText(Path.Combine(merged, "statistics.csv")));
        Assert.Contains("\nall,2020,", table, StringComparison.Ordinal);
        Assert.True(table.Split('\n').Length > 6, table);       // national rows and several zones: the sums are not trivial
    }

    [Fact]
    public void Series_plan_by_the_cli_without_zones_and_its_refusals()
    {
        string folder = w.NewPlanFolder("series-cli");
        Urban.Result bad = Urban.Run("plan", "series", "--maps", w.SingleMap(2010), w.SingleMap(2020), "--years", "2010", "--out", folder);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--years lists 1 years for 2 maps", bad.Stderr, StringComparison.Ordinal);
        Urban.Result backwards = Urban.Run("plan", "series", "--maps", w.SingleMap(2010), w.SingleMap(2020), "--years", "2020,2010", "--out", folder);
        Assert.Equal(2, backwards.ExitCode);
        Assert.False(File.Exists(Path.Combine(folder, "plan.json")));

        Urban.Ok(Urban.Run("plan", "series", "--maps", w.SingleMap(2010), w.SingleMap(2020), "--years", "2010,2020", "--tiles-x", "3", "--tiles-y", "1", "--out", folder));
        Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));
        string merged = w.Dir.File("merged-series-cli-" + Guid.NewGuid().ToString("N")[..6]);
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        string single = w.Dir.File("single-series-cli-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(single);
        Urban.Ok(Urban.Run("series", "--maps", w.SingleMap(2010), w.SingleMap(2020), "--years", "2010,2020",
            "--out", Path.Combine(single, "first_year.tif"), "--stats", Path.Combine(single, "statistics.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, "first_year.tif")), File.ReadAllBytes(Path.Combine(merged, "first_year.tif")));
        Assert.Equal(File.ReadAllText(Path.Combine(single, "statistics.csv")), File.ReadAllText(Path.Combine(merged, "statistics.csv")));
    }
}
