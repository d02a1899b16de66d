using System.Globalization;
using Inegi.UrbanGrowth.Demo;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Vectors;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// <c>urban growth --model</c> as tiles. The stage has two parts (<see cref="GrowthStage"/>): classifying every year's
/// cells with the model (486 patch features and the trees: nearly all the time) splits into tiles, and each tile writes
/// <c>independent_&lt;year&gt;.tif</c> of its cells; the decision does not split (per-year normalisation offsets, the
/// count-matching threshold of the census year and the growth sweeps run over the whole grid), so the merge stitches
/// the yearly maps and runs <see cref="GrowthStage.DecideFromMaps"/> once, then the pictures and alerts
/// (<see cref="GrowthProducts"/>). <c>urban growth</c> runs the same two calls on the whole grid, so the merge writes
/// its files byte for byte. Without a model the stage fits one score on the whole census year first, which does not
/// split this way: the step requires <c>--model</c>.
/// </summary>
public sealed class GrowthStep : ITiledStep
{
    /// <inheritdoc/>
    public string Name => "growth";

    /// <inheritdoc/>
    public string Description => "Consistent yearly maps, first year urban, growth, areas and alerts from yearly mosaics and a model (as 'urban growth --model'), the years classified tile by tile.";

    /// <inheritdoc/>
    public IReadOnlyList<StepOption> Options { get; } =
    [
        new("mosaics", "One 6-band mosaic per year, oldest first.", StepOptionKind.InputFiles, Required: true),
        new("years", "Their years, comma-separated, increasing.", Required: true),
        new("grid", "The 1 km grid with the census labels of one of the years (0 non-urban, 1 urban, 255 unlabelled).", StepOptionKind.InputFile, Required: true),
        new("census-year", "The year of the grid's labels (default: the one year written in the grid file name, e.g. labels_2010.tif)."),
        new("model", "A model from 'urban train' (required here: the method without a model fits one score on the whole census year and runs only as 'urban growth').", StepOptionKind.InputFile, Required: true),
        new("zones", "Zones for areas and alerts per zone: a raster on the grid (integer ids), or a .shp / .gpkg polygon layer with --zone-field.", StepOptionKind.InputFile),
        new("zone-field", "The field of the vector zones that holds the integer zone id."),
        new("bands", "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 in the mosaics, e.g. 2,3,4,5,6,7."),
        new("scale", "Reflectance = DN * scale + offset: one value, or one per year comma-separated (as 'urban growth')."),
        new("offset", "Reflectance offset: one value, or one per year (as 'urban growth')."),
        new("margin", "As 'urban growth --margin' (used by the method without a model only)."),
    ];

    /// <inheritdoc/>
    /// <remarks>The names depend on the years: see <see cref="TileRastersFor"/>.</remarks>
    public IReadOnlyList<string> TileRasters { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRastersFor(StepOptions options) =>
        [.. Years(options).Select(GrowthStage.IndependentMapName)];

    /// <inheritdoc/>
    public GridSize Prepare(StepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GrowthOptions growth = ToGrowthOptions(options, Path.GetTempPath(), threads: 1);
        _ = GrowthStage.CheckOptions(growth);
        RasterInfo gridInfo = GeoTiffReader.ReadInfo(growth.Grid);
        foreach (Func<Mosaic> open in growth.Mosaics)
        {
            using Mosaic mosaic = open();
            using CellGrid grid = CellGrid.Open(growth.Grid, mosaic);
        }

        if (options.Get("zones") is { } zones)
        {
            using IZoneRowSource rows = ZoneSources.Open(zones, options.Get("zone-field"), gridInfo);
        }
        else if (options.Get("zone-field") is not null)
        {
            throw new ArgumentException("--zone-field needs --zones");
        }

        return new GridSize(gridInfo.Width, gridInfo.Height);
    }

    /// <inheritdoc/>
    public void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        GrowthStage.ClassifyYears(ToGrowthOptions(options, outputFolder, threads), tile.Cells, outputFolder, cancellationToken: cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        StepOptions options = plan.Options;
        GrowthOptions growth = ToGrowthOptions(options, outputFolder, threads: -1);
        string[] inputs = [.. plan.Inputs.Select(i => i.Path)];
        OutputPaths.Prepare(inputs, GrowthProducts.OutputFiles(growth.Years, outputFolder));
        RasterInfo gridInfo = GeoTiffReader.ReadInfo(growth.Grid);
        var maps = new List<string>();
        foreach (string name in TileRastersFor(options))
        {
            // The writer options of GridClassifier.Classify for the whole grid, as urban growth writes independent_<year>.tif.
            string path = Path.Combine(outputFolder, name);
            TileStitcher.Stitch<byte>(plan, name, GridClassifier.MapWriteOptions(gridInfo, new PixelWindow(0, 0, gridInfo.Width, gridInfo.Height)), path);
            maps.Add(path);
        }

        string? zones = options.Get("zones");
        if (zones is not null && ZoneSources.IsVector(zones))
        {
            zones = GrowthProducts.RasteriseZones(zones, options.Require("zone-field"), growth.Grid, outputFolder);
        }

        GrowthResult result = GrowthStage.DecideFromMaps(growth with { Zones = zones }, maps);
        GrowthProducts.Write(result, zones, inputs);
        return [.. GrowthProducts.OutputFiles(growth.Years, outputFolder).Where(File.Exists)];
    }

    /// <summary>The stage's options from the plan's, parsed as <c>urban growth</c> parses its command line.</summary>
    private static GrowthOptions ToGrowthOptions(StepOptions options, string outputFolder, int threads)
    {
        int[] years = Years(options);
        IReadOnlyList<string> mosaics = options.GetAll("mosaics");
        string? bands = options.Get("bands");
        IReadOnlyList<(float Scale, float Offset)> reflectance = GrowthOptions.ParseReflectance(options.Get("scale") ?? "0.0001", options.Get("offset") ?? "0", years.Length);
        double margin = AnchoredGrowthRule.DefaultMargin;
        if (options.Get("margin") is { } m && !(double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out margin) && double.IsFinite(margin)))
        {
            throw new ArgumentException($"--margin: '{m}' is not a number");
        }

        int? census = options.Get("census-year") is not { } c ? null
            : int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int cy) ? cy
            : throw new ArgumentException($"--census-year: '{c}' is not a year");
        return new GrowthOptions
        {
            Mosaics = [.. mosaics.Select(path => (Func<Mosaic>)(() => ClassifyStep.OpenMosaic([path], bands)))],
            Years = years,
            Grid = options.Require("grid"),
            CensusYear = census,
            OutputFolder = outputFolder,
            Zones = options.Get("zones"),
            Reflectance = reflectance,
            Margin = margin,
            Model = UrbanModel.Load(options.Require("model")),
            MaxDegreeOfParallelism = threads,
        };
    }

    private static int[] Years(StepOptions options)
    {
        int[] years = [.. options.Require("years").Split(',', StringSplitOptions.TrimEntries).Select(y =>
            int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"--years: '{y}' is not a year"))];
        int mosaics = options.GetAll("mosaics").Count;
        if (mosaics < 2 || years.Length != mosaics)
        {
            throw new ArgumentException($"--years lists {years.Length} years for {mosaics} mosaics (at least two)");
        }

        return years;
    }
}
