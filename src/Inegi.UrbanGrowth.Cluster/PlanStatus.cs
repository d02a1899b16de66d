using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>The state of one task.</summary>
public enum TaskState
{
    /// <summary>Its tile is complete.</summary>
    Done,

    /// <summary>Not complete and no failure recorded: never run, running, or killed (a killed task records nothing).</summary>
    Missing,

    /// <summary>Not complete and its last try failed (the line says why and whether to retry).</summary>
    Failed,
}

/// <summary>Where a plan stands: done, missing and failed tasks (with the error line).</summary>
public sealed class PlanStatus
{
    private PlanStatus(TilePlan plan, IReadOnlyList<(int Index, TaskState State, string? Error)> tasks)
    {
        Plan = plan;
        Tasks = tasks;
    }

    /// <summary>The plan.</summary>
    public TilePlan Plan { get; }

    /// <summary>Each task's state and, when failed, its error line.</summary>
    public IReadOnlyList<(int Index, TaskState State, string? Error)> Tasks { get; }

    /// <summary>Indices of the tasks that are not done (missing or failed), ascending.</summary>
    public IReadOnlyList<int> NotDone => [.. Tasks.Where(t => t.State != TaskState.Done).Select(t => t.Index)];

    /// <summary>Whether every tile is complete.</summary>
    public bool IsComplete => Tasks.All(t => t.State == TaskState.Done);

    /// <summary>Reads the state of every task of a plan.</summary>
    /// <param name="plan">The plan.</param>
    public static PlanStatus Of(TilePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanStatus(plan, [.. plan.Tiles.Select(t =>
        {
            if (TileTask.IsComplete(plan, t.Index))
            {
                return (t.Index, TaskState.Done, (string?)null);
            }

            string? failure = TileTask.FailureOf(plan, t.Index);
            return (t.Index, failure is null ? TaskState.Missing : TaskState.Failed, failure);
        })]);
    }

    /// <summary>Task indices as a Slurm array spec with ranges, e.g. <c>0-3,7,9-11</c>.</summary>
    /// <param name="indices">Ascending indices.</param>
    public static string ArraySpec(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var parts = new List<string>();
        for (int i = 0; i < indices.Count;)
        {
            int j = i;
            while (j + 1 < indices.Count && indices[j + 1] == indices[j] + 1)
            {
                j++;
            }

            parts.Add(j == i ? indices[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{indices[i]}-{indices[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        int done = Tasks.Count(t => t.State == TaskState.Done), failed = Tasks.Count(t => t.State == TaskState.Failed);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"plan {Plan.Folder}: step {Plan.Step.Name}, {Tasks.Count} tasks ({Plan.TilesX} x {Plan.TilesY} tiles of a {Plan.Grid.Width} x {Plan.Grid.Height} grid): {done} done, {Tasks.Count - done - failed} missing, {failed} failed\n");
        foreach ((int index, TaskState state, string? error) in Tasks.Where(t => t.State != TaskState.Done))
        {
            text.Append(CultureInfo.InvariantCulture, $"  task {index}: {(state == TaskState.Failed ? error : "missing")}\n");
        }

        if (!IsComplete)
        {
            text.Append("not done: ").Append(ArraySpec(NotDone)).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>Merges a complete plan into the national outputs, and keeps the VRT mosaics of the tiles current.</summary>
public static class PlanMerger
{
    /// <summary>Writes one VRT of the complete tiles per tile raster into the plan folder (e.g. <c>PLAN/map.vrt</c>).</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The VRTs written (none before the first tile is done).</returns>
    public static IReadOnlyList<string> WriteVrts(TilePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var written = new List<string>();
        foreach (string raster in plan.Step.TileRastersFor(plan.Options))
        {
            string vrt = Path.Combine(plan.Folder, Path.ChangeExtension(raster, ".vrt"));
            if (TileStitcher.WriteVrt(plan, raster, vrt) > 0)
            {
                written.Add(vrt);
            }
        }

        return written;
    }

    /// <summary>
    /// Writes the national outputs of a complete plan into a folder: the same bytes a single-process run of the step
    /// writes. Also refreshes the VRTs of the tiles in the plan folder.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="outputFolder">Where the outputs go (created; never the plan's inputs).</param>
    /// <returns>The files written.</returns>
    /// <exception cref="InvalidOperationException">Some tasks are not done (the message lists them).</exception>
    public static IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        PlanStatus status = PlanStatus.Of(plan);
        if (!status.IsComplete)
        {
            throw new InvalidOperationException($"{plan.PlanFile}: cannot merge, tasks not done: {PlanStatus.ArraySpec(status.NotDone)} (see 'urban plan status')");
        }

        string full = Path.GetFullPath(outputFolder);
        foreach (PlanInput input in plan.Inputs)
        {
            if (string.Equals(Path.GetDirectoryName(input.Path), full, StringComparison.Ordinal)
                && plan.Step.TileRastersFor(plan.Options).Any(r => string.Equals(Path.GetFileName(input.Path), r, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"--out {outputFolder} would overwrite the input {input.Path}");
            }
        }

        Directory.CreateDirectory(full);
        WriteVrts(plan);
        return plan.Step.Merge(plan, full);
    }
}
