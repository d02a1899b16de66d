using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>An input file as the plan saw it: a task refuses to run when its size or modification time changed.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="ModifiedUtc">Last write time (UTC).</param>
public sealed record PlanInput(string Path, long Bytes, DateTime ModifiedUtc);

/// <summary>
/// A national step split into tile tasks, saved as <c>PLAN/plan.json</c>: the step, its options, its inputs with
/// sizes and times, the command that runs tasks (the same <c>urban</c> that made the plan) and one task per tile.
/// Tile outputs live in <c>PLAN/tiles/NNNNN/</c>, each with a <c>done.json</c> record.
/// </summary>
public sealed class TilePlan
{
    /// <summary>The format tag in plan.json.</summary>
    public const string Format = "inegi-urbangrowth-plan/1";

    private TilePlan(string folder, ITiledStep step, StepOptions options, GridSize grid, int tilesX, int tilesY,
        IReadOnlyList<PlanInput> inputs, IReadOnlyList<string> launcher)
    {
        Folder = folder;
        Step = step;
        Options = options;
        Grid = grid;
        TilesX = tilesX;
        TilesY = tilesY;
        Inputs = inputs;
        Launcher = launcher;
        Tiles = [.. Split(grid, tilesX, tilesY)];
    }

    /// <summary>The plan folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>The step.</summary>
    public ITiledStep Step { get; }

    /// <summary>The step's options (input paths absolute).</summary>
    public StepOptions Options { get; }

    /// <summary>The grid the tiles split, in cells.</summary>
    public GridSize Grid { get; }

    /// <summary>Tiles across.</summary>
    public int TilesX { get; }

    /// <summary>Tiles down.</summary>
    public int TilesY { get; }

    /// <summary>The inputs with their sizes and times when the plan was made.</summary>
    public IReadOnlyList<PlanInput> Inputs { get; }

    /// <summary>The command line that runs <c>urban</c> (e.g. <c>/opt/urban/urban</c>, or <c>dotnet /opt/urban/urban.dll</c>).</summary>
    public IReadOnlyList<string> Launcher { get; }

    /// <summary>One task per tile, row-major.</summary>
    public IReadOnlyList<TileWindow> Tiles { get; }

    /// <summary>Where plan.json lives.</summary>
    public string PlanFile => Path.Combine(Folder, "plan.json");

    /// <summary>The folder of the tile outputs.</summary>
    public string TilesFolder => Path.Combine(Folder, "tiles");

    /// <summary>The final folder of a tile's outputs (exists only once the task is complete).</summary>
    /// <param name="index">Task index.</param>
    public string TileFolder(int index) => Path.Combine(TilesFolder, index.ToString("D5", CultureInfo.InvariantCulture));

    /// <summary>
    /// Makes a plan: checks the step's options and inputs, splits the grid into tiles aligned to whole cells and
    /// writes <c>plan.json</c> into a new (or empty) folder.
    /// </summary>
    /// <param name="step">The step.</param>
    /// <param name="options">Its options.</param>
    /// <param name="tilesX">Tiles across (1 to the grid's width).</param>
    /// <param name="tilesY">Tiles down (1 to the grid's height).</param>
    /// <param name="folder">The plan folder.</param>
    /// <param name="launcher">The command that runs <c>urban</c> on the nodes (recorded; engines use it).</param>
    /// <exception cref="ArgumentException">Bad tiling, or the folder already holds a plan.</exception>
    public static TilePlan Create(ITiledStep step, StepOptions options, int tilesX, int tilesY, string folder, IReadOnlyList<string> launcher)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        foreach (StepOption o in step.Options.Where(o => o.Required))
        {
            if (options.GetAll(o.Name).Count == 0)
            {
                throw new ArgumentException($"--{o.Name} is required for 'urban plan {step.Name}'");
            }
        }

        foreach (string name in options.Values.Keys)
        {
            if (!step.Options.Any(o => string.Equals(o.Name, name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"'urban plan {step.Name}' has no option --{name}");
            }
        }

        options = options.WithAbsolutePaths(step);
        foreach (string input in options.InputFiles(step))
        {
            if (!File.Exists(input))
            {
                throw new DataFileException(input, "file not found");
            }
        }

        GridSize grid = step.Prepare(options);
        if (tilesX < 1 || tilesX > grid.UnitsAcross || tilesY < 1 || tilesY > grid.UnitsDown)
        {
            string blocks = grid.Step == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" (tile edges on multiples of {grid.Step})");
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--tiles-x {tilesX} --tiles-y {tilesY}: a {grid.Width} x {grid.Height} grid takes 1..{grid.UnitsAcross} tiles across and 1..{grid.UnitsDown} down{blocks}"));
        }

        string full = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(full, "plan.json")))
        {
            throw new ArgumentException($"--out {folder} already holds a plan; give a new folder (a plan never changes once made)");
        }

        var inputs = options.InputFiles(step).Distinct(StringComparer.Ordinal).Select(Describe).ToList();
        var plan = new TilePlan(full, step, options, grid, tilesX, tilesY, inputs, [.. launcher]);
        Directory.CreateDirectory(plan.TilesFolder);
        JsonText.Save(plan.PlanFile, plan.WriteJson);
        return plan;
    }

    /// <summary>Loads a plan folder (or its plan.json).</summary>
    /// <param name="folder">The plan folder.</param>
    /// <exception cref="DataFileException">No plan there, or it cannot be read.</exception>
    public static TilePlan Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        string file = Directory.Exists(full) ? Path.Combine(full, "plan.json") : full;
        if (!File.Exists(file))
        {
            throw new DataFileException(file, "no plan here (make one with 'urban plan STEP ... --out PLAN')");
        }

        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(file)) ?? throw new DataFileException(file, "empty plan");
            if ((string?)root["format"] != Format)
            {
                throw new DataFileException(file, $"not a plan of format {Format}");
            }

            ITiledStep step = TiledSteps.Find((string?)root["step"] ?? "");
            var options = new StepOptions(root["options"]!.AsObject().Select(kv =>
                new KeyValuePair<string, string[]>(kv.Key, [.. kv.Value!.AsArray().Select(v => (string)v!)])));
            var grid = new GridSize((int)root["grid"]!["width"]!, (int)root["grid"]!["height"]!, (int?)root["grid"]!["alignment"] ?? 1);
            var inputs = root["inputs"]!.AsArray().Select(i => new PlanInput((string)i!["path"]!, (long)i["bytes"]!,
                new DateTime((long)i["modifiedUtcTicks"]!, DateTimeKind.Utc))).ToList();
            string[] launcher = [.. root["launcher"]!.AsArray().Select(v => (string)v!)];
            var plan = new TilePlan(Path.GetDirectoryName(file)!, step, options, grid, (int)root["tiles"]!["x"]!, (int)root["tiles"]!["y"]!, inputs, launcher);
            if (root["tasks"]!.AsArray().Count != plan.Tiles.Count)
            {
                throw new DataFileException(file, "the task list does not match the tiling");
            }

            return plan;
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new DataFileException(file, "not a valid plan: " + e.Message, e);
        }
    }

    /// <summary>Throws unless every input still has the size and modification time the plan recorded.</summary>
    /// <exception cref="DataFileException">An input is gone or changed (do not retry: make a new plan).</exception>
    public void VerifyInputs()
    {
        foreach (PlanInput input in Inputs)
        {
            var info = new FileInfo(input.Path);
            if (!info.Exists)
            {
                throw new DataFileException(input.Path, "input of the plan is gone");
            }

            if (info.Length != input.Bytes || info.LastWriteTimeUtc != input.ModifiedUtc)
            {
                throw new DataFileException(input.Path, string.Create(CultureInfo.InvariantCulture,
                    $"input changed since the plan was made ({info.Length} bytes, modified {info.LastWriteTimeUtc:O}; the plan recorded {input.Bytes} bytes, {input.ModifiedUtc:O}); make a new plan"));
            }
        }
    }

    /// <summary>The tile of a task index.</summary>
    /// <param name="index">0 to <see cref="Tiles"/>.Count - 1.</param>
    /// <exception cref="ArgumentException">No such task.</exception>
    public TileWindow Tile(int index) => index >= 0 && index < Tiles.Count ? Tiles[index]
        : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"task index {index} is not in 0..{Tiles.Count - 1} of {PlanFile}"));

    /// <summary>
    /// Splits a grid into tiles whose edges fall on whole cells, on multiples of <see cref="GridSize.Alignment"/>
    /// (but for the grid's own end), as even as the division allows.
    /// </summary>
    /// <param name="grid">The grid.</param>
    /// <param name="tilesX">Tiles across (1 to <see cref="GridSize.UnitsAcross"/>).</param>
    /// <param name="tilesY">Tiles down (1 to <see cref="GridSize.UnitsDown"/>).</param>
    public static IEnumerable<TileWindow> Split(GridSize grid, int tilesX, int tilesY)
    {
        int step = grid.Step;
        int Edge(int tile, int tiles, int units, int size) => (int)Math.Min(size, (long)tile * units / tiles * step);
        for (int ty = 0; ty < tilesY; ty++)
        {
            int y0 = Edge(ty, tilesY, grid.UnitsDown, grid.Height), y1 = Edge(ty + 1, tilesY, grid.UnitsDown, grid.Height);
            for (int tx = 0; tx < tilesX; tx++)
            {
                int x0 = Edge(tx, tilesX, grid.UnitsAcross, grid.Width), x1 = Edge(tx + 1, tilesX, grid.UnitsAcross, grid.Width);
                yield return new TileWindow((ty * tilesX) + tx, new PixelWindow(x0, y0, x1 - x0, y1 - y0));
            }
        }
    }

    private static PlanInput Describe(string path)
    {
        var info = new FileInfo(path);
        return new PlanInput(info.FullName, info.Length, info.LastWriteTimeUtc);
    }

    private void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteString("step", Step.Name);
        writer.WriteStartArray("launcher");
        foreach (string v in Launcher)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("options");
        foreach ((string name, string[] values) in Options.Values)
        {
            writer.WriteStartArray(name);
            foreach (string v in values)
            {
                writer.WriteStringValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("inputs");
        foreach (PlanInput i in Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("path", i.Path);
            writer.WriteNumber("bytes", i.Bytes);
            writer.WriteNumber("modifiedUtcTicks", i.ModifiedUtc.Ticks);
            writer.WriteString("modifiedUtc", i.ModifiedUtc.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("grid");
        writer.WriteNumber("width", Grid.Width);
        writer.WriteNumber("height", Grid.Height);
        writer.WriteNumber("alignment", Grid.Step);
        writer.WriteEndObject();
        writer.WriteStartObject("tiles");
        writer.WriteNumber("x", TilesX);
        writer.WriteNumber("y", TilesY);
        writer.WriteEndObject();
        writer.WriteStartArray("tasks");
        foreach (TileWindow t in Tiles)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", t.Index);
            writer.WriteNumber("x", t.Cells.X);
            writer.WriteNumber("y", t.Cells.Y);
            writer.WriteNumber("width", t.Cells.Width);
            writer.WriteNumber("height", t.Cells.Height);
            writer.WriteString("output", Path.GetRelativePath(Folder, TileFolder(t.Index)));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
