using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// Exit codes of a task, for the engine's retry policy: retry on <see cref="TryAgain"/>, never on
/// <see cref="BadData"/> or <see cref="BadArgument"/> (the same input fails the same way).
/// </summary>
public static class TaskExitCodes
{
    /// <summary>The tile is complete (now, or already before: then it was skipped).</summary>
    public const int Success = 0;

    /// <summary>Bad input data (a file unreadable, not what the step needs, or changed since the plan): do not retry.</summary>
    public const int BadData = 1;

    /// <summary>Bad argument (no such task index, no plan, a bad option): do not retry.</summary>
    public const int BadArgument = 2;

    /// <summary>Failed for a reason that may pass (I/O error, disk full, out of memory, killed, anything unexpected): retry. EX_TEMPFAIL of sysexits.h.</summary>
    public const int TryAgain = 75;

    /// <summary>The exit code an exception of a task maps to.</summary>
    /// <param name="error">What the task threw.</param>
    public static int For(Exception error) => error switch
    {
        DataFileException => BadData,
        ArgumentException => BadArgument,
        _ => TryAgain,
    };
}

/// <summary>What a task did.</summary>
/// <param name="Index">Task index.</param>
/// <param name="ExitCode">A <see cref="TaskExitCodes"/> value.</param>
/// <param name="Skipped">The tile was already complete.</param>
/// <param name="Message">One line: what was done, or the error.</param>
public sealed record TaskOutcome(int Index, int ExitCode, bool Skipped, string Message);

/// <summary>
/// Runs one tile task idempotently. The tile is written into a temporary folder, whose <c>done.json</c> is written
/// last; the folder is then renamed to its final name in one step, so a tile folder with its final name is always
/// complete and an interrupted task leaves only a temporary folder (removed by the next try). A failure writes
/// <c>NNNNN.failed</c> (one line) beside it for <c>urban plan status</c>.
/// </summary>
public static class TileTask
{
    /// <summary>The done record in each complete tile folder.</summary>
    public const string DoneRecord = "done.json";

    /// <summary>The environment variables engines set to a task's index: Slurm job arrays and Kubernetes Indexed Jobs.</summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>The task index from the engine's environment.</summary>
    /// <exception cref="ArgumentException">Neither variable is set to a number.</exception>
    public static int IndexFromEnvironment()
    {
        foreach (string name in IndexVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } text)
            {
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index
                    : throw new ArgumentException($"{name}='{text}' is not a task index");
            }
        }

        throw new ArgumentException($"no --index given and neither {string.Join(" nor ", IndexVariables)} is set");
    }

    /// <summary>Whether a tile's output is complete (its final folder holds a done record).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="index">Task index.</param>
    public static bool IsComplete(TilePlan plan, int index)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return File.Exists(Path.Combine(plan.TileFolder(index), DoneRecord));
    }

    /// <summary>The failure line of a task's last failed try, or null.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="index">Task index.</param>
    public static string? FailureOf(TilePlan plan, int index)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string path = FailurePath(plan, index);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Runs a task; never throws for a failure of the tile (the outcome carries the exit code and the line).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="index">Task index.</param>
    /// <param name="threads">Worker threads (-1: all cores).</param>
    /// <param name="cancellationToken">Stops the task (no final-named output is left).</param>
    public static TaskOutcome Run(TilePlan plan, int index, int threads = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        TileWindow tile;
        try
        {
            tile = plan.Tile(index);
        }
        catch (ArgumentException e)
        {
            return new TaskOutcome(index, TaskExitCodes.BadArgument, false, e.Message);
        }

        string final = plan.TileFolder(index);
        if (IsComplete(plan, index))
        {
            return new TaskOutcome(index, TaskExitCodes.Success, true, $"task {index}: already complete ({final}), skipped");
        }

        string temp = Path.Combine(plan.TilesFolder, string.Create(CultureInfo.InvariantCulture,
            $".{index:D5}.{Environment.MachineName}.{Environment.ProcessId}.tmp"));
        try
        {
            RemoveLeftovers(plan, index);
            plan.VerifyInputs();
            Directory.CreateDirectory(temp);
            var stopwatch = Stopwatch.StartNew();
            plan.Step.RunTile(plan.Options, tile, temp, threads, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            WriteDoneRecord(temp, tile, stopwatch.Elapsed);
            try
            {
                Directory.Move(temp, final);
            }
            catch (IOException) when (IsComplete(plan, index))
            {
                // Another try of the same task (an engine may start two) finished first: its output is as good as ours.
                Directory.Delete(temp, recursive: true);
            }

            AtomicFile.TryDelete(FailurePath(plan, index));
            return new TaskOutcome(index, TaskExitCodes.Success, false, string.Create(CultureInfo.InvariantCulture,
                $"task {index}: tile of {tile.Cells.Width} x {tile.Cells.Height} cells at column {tile.Cells.X}, row {tile.Cells.Y} done in {stopwatch.Elapsed.TotalSeconds:F1} s ({final})"));
        }
        catch (Exception e)
        {
            TryDeleteFolder(temp);
            int code = e is OperationCanceledException ? TaskExitCodes.TryAgain : TaskExitCodes.For(e);
            string line = string.Create(CultureInfo.InvariantCulture, $"task {index}: {(code == TaskExitCodes.TryAgain ? "failed, retry" : "bad input, do not retry")} (exit {code}): {e.Message.ReplaceLineEndings(" ").Trim()}");
            try
            {
                AtomicFile.WriteAllText(FailurePath(plan, index), line + "\n");
            }
            catch (IOException)
            {
                // The record is a courtesy for status; the exit code already tells the engine.
            }

            return new TaskOutcome(index, code, false, line);
        }
    }

    /// <summary>Reads the measurements of a complete tile's done record (seconds, peak memory, bytes written).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="index">Task index.</param>
    public static JsonObject? ReadDoneRecord(TilePlan plan, int index)
    {
        ArgumentNullException.ThrowIfNull(plan);
        string path = Path.Combine(plan.TileFolder(index), DoneRecord);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?.AsObject() : null;
    }

    private static string FailurePath(TilePlan plan, int index) => plan.TileFolder(index) + ".failed";

    private static void WriteDoneRecord(string folder, TileWindow tile, TimeSpan elapsed)
    {
        var files = new List<(string Name, long Length)>();
        foreach (string f in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            files.Add((Path.GetFileName(f), new FileInfo(f).Length));
        }

        using var self = Process.GetCurrentProcess();
        JsonText.Save(Path.Combine(folder, DoneRecord), writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", tile.Index);
            writer.WriteStartObject("cells");
            writer.WriteNumber("x", tile.Cells.X);
            writer.WriteNumber("y", tile.Cells.Y);
            writer.WriteNumber("width", tile.Cells.Width);
            writer.WriteNumber("height", tile.Cells.Height);
            writer.WriteEndObject();
            writer.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            writer.WriteNumber("peakWorkingSetBytes", self.PeakWorkingSet64);
            writer.WriteNumber("outputBytes", files.Sum(f => f.Length));
            writer.WriteStartObject("files");
            foreach ((string name, long length) in files)
            {
                writer.WriteNumber(name, length);
            }

            writer.WriteEndObject();
            writer.WriteString("host", Environment.MachineName);
            writer.WriteString("finishedUtc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        });
    }

    /// <summary>Removes temporary folders of earlier, interrupted tries of this task (and a final folder without a done record).</summary>
    private static void RemoveLeftovers(TilePlan plan, int index)
    {
        string prefix = string.Create(CultureInfo.InvariantCulture, $".{index:D5}.");
        foreach (string dir in Directory.GetDirectories(plan.TilesFolder, prefix + "*.tmp"))
        {
            TryDeleteFolder(dir);
        }

        string final = plan.TileFolder(index);
        if (Directory.Exists(final) && !IsComplete(plan, index))
        {
            TryDeleteFolder(final);
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
