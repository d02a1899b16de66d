using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// <c>urban classify</c> as tiles: each tile classifies its cells (patches read the mosaic beyond the tile, so no
/// cell changes) and counts its confusion; the merge writes <c>map.tif</c> and, when the grid holds labels,
/// <c>national.json</c>, byte for byte as <c>urban classify --out map.tif --json national.json</c> does.
/// </summary>
public sealed class ClassifyStep : ITiledStep
{
    private const string ConfusionFile = "confusion.json";

    /// <inheritdoc/>
    public string Name => "classify";

    /// <inheritdoc/>
    public string Description => "Classify every cell of a grid (as 'urban classify'), tile by tile.";

    /// <inheritdoc/>
    public IReadOnlyList<StepOption> Options { get; } =
    [
        new("mosaic", "The mosaic: one 6-band GeoTIFF, or six single-band GeoTIFFs (blue..swir2).", StepOptionKind.InputFiles, Required: true),
        new("bands", "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 in a multi-band mosaic."),
        new("grid", "The 1 km grid (labels, when present, give the national table).", StepOptionKind.InputFile, Required: true),
        new("model", "The model file.", StepOptionKind.InputFile, Required: true),
        new("threshold", "Decision threshold on p(urban) (the model's when omitted)."),
        new("scale", "This mosaic's reflectance scale, when its sensor differs from the training mosaic's."),
        new("offset", "This mosaic's reflectance offset (with --scale)."),
        new("tasseled-cap", "This mosaic's tasseled-cap set: tm, etm or oli (with --scale)."),
        new("exclude", "A cells CSV whose cells are mapped but left out of the national table.", StepOptionKind.InputFile),
    ];

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRasters { get; } = ["map.tif"];

    /// <inheritdoc/>
    public GridSize Prepare(StepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.GetFloat("threshold") is { } t && !(t >= 0 && t <= 1))
        {
            throw new ArgumentException("--threshold must lie between 0 and 1");
        }

        using Mosaic mosaic = OpenMosaic(options);
        using CellGrid grid = CellGrid.Open(options.Require("grid"), mosaic);
        UrbanModel model = UrbanModel.Load(options.Require("model"));
        _ = Sensor(options, model);
        _ = Excluded(options, grid);
        return new GridSize(grid.Width, grid.Height);
    }

    /// <inheritdoc/>
    public void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        UrbanModel model = UrbanModel.Load(options.Require("model"));
        using Mosaic mosaic = OpenMosaic(options);
        using CellGrid grid = CellGrid.Open(options.Require("grid"), mosaic);
        ClassificationSummary summary = GridClassifier.Classify(mosaic, grid, model, Path.Combine(outputFolder, TileRasters[0]), new ClassificationOptions
        {
            Threshold = options.GetFloat("threshold"),
            MaxDegreeOfParallelism = threads,
            Sensor = Sensor(options, model),
            ExcludedFromConfusion = Excluded(options, grid),
            Cells = tile.Cells,
        }, cancellationToken: cancellationToken);
        ConfusionMatrix? c = summary.Confusion;

        // One compact line, {"labelled":true,"counts":[tn,fp,fn,tp]}: the counts of the tile, merged by Merge.
        string record = JsonText.Format(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("labelled", c is not null);
            writer.WriteStartArray("counts");
            for (int k = 0; c is not null && k < 4; k++)
            {
                writer.WriteNumberValue((long)c[k / 2, k % 2]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, indented: false);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, ConfusionFile), record + "\n");
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        RasterInfo gridInfo = GeoTiffReader.ReadInfo(plan.Options.Require("grid"));
        string map = Path.Combine(outputFolder, TileRasters[0]);
        // The writer options of GridClassifier.Classify for the whole grid.
        TileStitcher.Stitch<byte>(plan, TileRasters[0], GridClassifier.MapWriteOptions(gridInfo, new PixelWindow(0, 0, gridInfo.Width, gridInfo.Height)), map);

        var confusion = new ConfusionMatrix(2);
        bool labelled = false;
        foreach (TileWindow tile in plan.Tiles)
        {
            string path = Path.Combine(plan.TileFolder(tile.Index), ConfusionFile);
            JsonNode record = JsonNode.Parse(File.ReadAllText(path)) ?? throw new DataFileException(path, "empty confusion record");
            if ((bool)record["labelled"]!)
            {
                labelled = true;
                JsonArray counts = record["counts"]!.AsArray();
                for (int k = 0; k < 4; k++)
                {
                    confusion.Add(k / 2, k % 2, (long)counts[k]!);
                }
            }
        }

        if (!labelled)
        {
            return [map];
        }

        // As 'urban classify --json' writes it.
        string json = Path.Combine(outputFolder, "national.json");
        new NationalAccuracyTable(confusion).Save(json);
        return [map, json];
    }

    private static Mosaic OpenMosaic(StepOptions options) => OpenMosaic(options.GetAll("mosaic"), options.Get("bands"));

    /// <summary>Opens a mosaic as the CLI's <c>--mosaic</c> and <c>--bands</c> do (also for <see cref="GrowthStep"/>).</summary>
    internal static Mosaic OpenMosaic(IReadOnlyList<string> paths, string? bands)
    {
        if (paths.Count != 1 && paths.Count != StandardChannels.BandCount)
        {
            throw new ArgumentException($"--mosaic takes one 6-band file or six single-band files, not {paths.Count}");
        }

        var mosaicOptions = new MosaicOptions();
        if (bands is not null)
        {
            int[] numbers = [.. bands.Split(',').Select(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v - 1 : throw new ArgumentException($"--bands: '{b}' is not a band number"))];
            if (numbers.Length != StandardChannels.BandCount)
            {
                throw new ArgumentException("--bands needs six band numbers: blue,green,red,nir,swir1,swir2");
            }

            mosaicOptions = mosaicOptions with { BandOrder = new BandOrder(numbers) };
        }

        return Mosaic.Open(paths, mosaicOptions);
    }

    private static SensorSettings? Sensor(StepOptions options, UrbanModel model)
    {
        float? scale = options.GetFloat("scale"), offset = options.GetFloat("offset");
        string? tc = options.Get("tasseled-cap");
        if (scale is null && offset is null && tc is null)
        {
            return null;
        }

        var sensor = new SensorSettings(scale ?? model.Settings.Scale, offset ?? model.Settings.Offset, tc ?? model.Settings.TasseledCap);
        _ = Spectral.TasseledCapCoefficients.FromName(sensor.TasseledCap);
        return sensor;
    }

    private static (int Row, int Column)[]? Excluded(StepOptions options, CellGrid grid)
    {
        if (options.Get("exclude") is not { } path)
        {
            return null;
        }

        var cells = new List<(int Row, int Column)>();
        foreach (SampledCell cell in TrainingSample.ReadCsv(path, grid.Width))
        {
            if (cell.Row < 0 || cell.Row >= grid.Height || cell.Column < 0 || cell.Column >= grid.Width)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                    $"cell {cell.CellId} (row {cell.Row}, column {cell.Column}) lies outside the {grid.Width} x {grid.Height} grid"));
            }

            cells.Add((cell.Row, cell.Column));
        }

        return [.. cells];
    }
}
