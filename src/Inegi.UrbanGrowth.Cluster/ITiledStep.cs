namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// A national step that runs as independent tile tasks: its options, how to check them, how to run one tile and how
/// to merge the tiles into the outputs a single-process run writes. A new step is one class and one line in
/// <see cref="TiledSteps.All"/>; the <c>urban plan</c> command line is built from <see cref="Options"/>.
/// </summary>
public interface ITiledStep
{
    /// <summary>The step's name on the command line (<c>urban plan NAME</c>) and in plan.json.</summary>
    string Name { get; }

    /// <summary>One line for <c>urban plan --help</c>.</summary>
    string Description { get; }

    /// <summary>The step's own options; those of kind <see cref="StepOptionKind.InputFile"/> or
    /// <see cref="StepOptionKind.InputFiles"/> are recorded in the plan with their sizes and times.</summary>
    IReadOnlyList<StepOption> Options { get; }

    /// <summary>The rasters each tile writes and the merge stitches (one VRT of the tiles each), e.g. <c>map.tif</c>.</summary>
    IReadOnlyList<string> TileRasters { get; }

    /// <summary>
    /// The rasters each tile of a plan with these options writes (one VRT of the tiles each): <see cref="TileRasters"/>
    /// unless the names depend on the options, as <c>growth</c>'s <c>independent_&lt;year&gt;.tif</c> do.
    /// </summary>
    /// <param name="options">The plan's options.</param>
    IReadOnlyList<string> TileRastersFor(StepOptions options) => TileRasters;

    /// <summary>Checks the options and inputs (opens the files) and returns the size of the grid the tiles split.</summary>
    /// <param name="options">The options as given.</param>
    /// <exception cref="DataFileException">An input cannot be used; the message names it.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    GridSize Prepare(StepOptions options);

    /// <summary>Runs one tile, writing its outputs (<see cref="TileRasters"/> and any small statistics files) into a folder.</summary>
    /// <param name="options">The plan's options.</param>
    /// <param name="tile">The tile's cells.</param>
    /// <param name="outputFolder">An empty folder that becomes the tile's output once the task succeeds.</param>
    /// <param name="threads">Worker threads (-1: all cores); outputs never depend on it.</param>
    /// <param name="cancellationToken">Stops the tile.</param>
    void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken);

    /// <summary>Writes the national outputs from the complete tiles (identical to a single-process run's).</summary>
    /// <param name="plan">The plan; every tile is complete.</param>
    /// <param name="outputFolder">The folder to write into (created).</param>
    /// <returns>The files written.</returns>
    IReadOnlyList<string> Merge(TilePlan plan, string outputFolder);
}

/// <summary>What an option holds.</summary>
public enum StepOptionKind
{
    /// <summary>A value (number, name, flag text).</summary>
    Value,

    /// <summary>One input file, recorded in the plan with its size and modification time.</summary>
    InputFile,

    /// <summary>One or more input files (e.g. a six-file mosaic), each recorded.</summary>
    InputFiles,
}

/// <summary>One option of a step, as <c>--name</c> on the command line and <c>"name"</c> in plan.json.</summary>
/// <param name="Name">Name without dashes, e.g. <c>mosaic</c>.</param>
/// <param name="Description">Help text.</param>
/// <param name="Kind">Value or input file(s).</param>
/// <param name="Required">Whether the step needs it.</param>
public sealed record StepOption(string Name, string Description, StepOptionKind Kind = StepOptionKind.Value, bool Required = false);

/// <summary>The size of the grid a step splits into tiles, in cells, and the granularity of the tile edges.</summary>
/// <param name="Width">Cells per row.</param>
/// <param name="Height">Rows of cells.</param>
/// <param name="Alignment">
/// Tile edges fall on multiples of this many cells (the grid's last row and column excepted). 1 for the cell steps;
/// <c>composite</c>, whose cells are pixels, gives its processing block, so a tile's blocks are the single-process
/// run's blocks and every pixel is computed the same way. 0 reads as 1.
/// </param>
public readonly record struct GridSize(int Width, int Height, int Alignment = 1)
{
    /// <summary>Whole alignment units across (the last one may be partial): the most tiles across.</summary>
    public int UnitsAcross => (Width + Step - 1) / Step;

    /// <summary>Whole alignment units down: the most tiles down.</summary>
    public int UnitsDown => (Height + Step - 1) / Step;

    /// <summary>The alignment, at least 1.</summary>
    internal int Step => Math.Max(1, Alignment);
}

/// <summary>One tile: its task index and its window of cells (X column, Y row of the top-left cell).</summary>
/// <param name="Index">Task index (row-major over tiles).</param>
/// <param name="Cells">The tile's cells.</param>
public readonly record struct TileWindow(int Index, PixelWindow Cells);

/// <summary>The steps <c>urban plan</c> knows.</summary>
public static class TiledSteps
{
    /// <summary>
    /// Every registered step. To add one, implement <see cref="ITiledStep"/>
    /// and add an instance here: the plan command, the task runner, status and merge pick it up.
    /// </summary>
    public static IReadOnlyList<ITiledStep> All { get; } =
    [
        new ClassifyStep(),
        new ChangeStep(),
        new CompositeStep(),
        new SeriesStep(),
        new GrowthStep(),
    ];

    /// <summary>The step of that name.</summary>
    /// <param name="name">Its name.</param>
    /// <exception cref="ArgumentException">No step has that name.</exception>
    public static ITiledStep Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown step '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
}
