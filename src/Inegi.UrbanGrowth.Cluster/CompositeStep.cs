using System.Globalization;
using Inegi.UrbanGrowth.Compositing;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// <c>urban composite</c> as tiles: the plan's cells are the target grid's pixels; each tile composites its window
/// (geomedian, MADs, COUNT) block by block; the merge writes <c>mosaic.tif</c>, <c>mads.tif</c>, <c>count.tif</c> and
/// <c>mosaic.provenance.json</c>, byte for byte as
/// <c>urban composite ... --out mosaic.tif --mads mads.tif --count count.tif</c> does with the same options.
/// </summary>
/// <remarks>
/// Tile edges fall on multiples of the processing block (<c>--tile</c>, 256 pixels by default): a tile's blocks are
/// then the single-process run's blocks, so each pixel is reprojected from the same coordinate lattice and comes out
/// the same. A task opens only the scenes whose extent reaches its tile (judged from their headers; listed in the
/// tile's <c>images.txt</c>), so its memory and open files follow the tile: one block's observation stack, one row of
/// blocks of the tile, and the readers of the scenes over it, whatever the number of scenes of the year.
/// </remarks>
public sealed class CompositeStep : ITiledStep
{
    private const string Mosaic = "mosaic.tif", Mads = "mads.tif", Count = "count.tif";

    /// <summary>The images a tile read, one path a line (the scenes over it).</summary>
    public const string ImageList = "images.txt";

    /// <inheritdoc/>
    public string Name => "composite";

    /// <inheritdoc/>
    public string Description => "Geomedian mosaic with MADs and COUNT from per-date images (as 'urban composite'), tile by tile; tile edges on multiples of --tile pixels.";

    /// <inheritdoc/>
    public IReadOnlyList<StepOption> Options { get; } =
    [
        new("images", "Per-date multi-band GeoTIFFs (reflectance DN; --bands picks blue, green, red, nir, swir1, swir2); or --scenes.", StepOptionKind.InputFiles),
        new("scenes", "A folder of Landsat scenes (absolute path), scanned as 'urban composite --scenes' does; instead of --images."),
        new("stac", "A STAC ItemCollection of local scenes (absolute path), as 'urban composite --stac'; instead of --images or --scenes."),
        new("min-observations", "Clear observations a pixel needs before its window widens by the period's length on both sides (default 0: never); the tiles and the merge then write window.tif, the step each pixel used."),
        new("max-widening", "Most widening steps with --min-observations (default 2)."),
        new("from", "First acquisition date kept from --scenes, yyyy-MM-dd."),
        new("to", "Last acquisition date kept from --scenes, yyyy-MM-dd (inclusive)."),
        new("period", "The scenes of a period (instead of --from/--to): YYYY, YYYY-H1|H2, YYYY-Q1..Q4 or yyyy-MM-dd..yyyy-MM-dd."),
        new("cloud-opening", "Radius in source pixels of the opening of the cloud and shadow mask (default 0: none)."),
        new("cloud-dilation", "Radius in source pixels of the dilation of the cloud and shadow mask (default 0: none)."),
        new("qa", "One quality band per image, in the same order, on its image's grid.", StepOptionKind.InputFiles),
        new("qa-format", "Quality encoding: c2 (Collection 2 QA_PIXEL, default), c1 (Collection 1 BQA) or fmask."),
        new("mask", "What the quality band removes: 'default' (all) or a comma list of fill,cloud,dilated-cloud,cirrus,shadow,snow,saturation."),
        new("nodata", "Nodata value of the images (default: each file's GDAL_NODATA)."),
        new("scale", "Reflectance = DN * scale + offset (default 0.0001)."),
        new("offset", "Reflectance offset (default 0)."),
        new("bands", "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 (default 1,2,3,4,5,6)."),
        new("like", "Target grid from this GeoTIFF: its CRS and extent, at --resolution.", StepOptionKind.InputFile),
        new("crs", "Target CRS, EPSG:N (with --bounds)."),
        new("bounds", "Target extent minx,miny,maxx,maxy in --crs units."),
        new("resolution", "Target pixel size (default 30)."),
        new("resampling", "nearest (default) or bilinear."),
        new("eps", "Geomedian tolerance (geomad's default 1e-4)."),
        new("max-iterations", "Geomedian iteration cap (geomad's default 10000)."),
        new("tile", "Processing block side in pixels, as 'urban composite --tile' (default 256); tile edges fall on its multiples."),
    ];

    /// <summary>The per-pixel widening step raster, written with <c>--min-observations</c>.</summary>
    public const string Window = "window.tif";

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRasters { get; } = [Mosaic, Mads, Count];

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRastersFor(StepOptions options) =>
        Settings(options).MinObservations > 0 ? [Mosaic, Mads, Count, Window] : TileRasters;

    /// <inheritdoc/>
    public GridSize Prepare(StepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CompositeSettings settings = Settings(options);
        CompositeOptions composite = settings.ToCompositeOptions(threads: 1);
        using ObservationReader reader = settings.OpenReader();
        _ = new GeomedianCompositor(reader, composite);
        return new GridSize(reader.Grid.Width, reader.Grid.Height, composite.TileSize);
    }

    /// <inheritdoc/>
    public void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        CompositeSettings settings = Settings(options);
        PixelWindow window = tile.Cells;
        if (window.X % settings.TileSize != 0 || window.Y % settings.TileSize != 0)
        {
            // Only a plan edited by hand gets here: blocks off the single-process run's lattice could change pixels.
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"tile {tile.Index} starts at pixel ({window.X}, {window.Y}), not on a multiple of --tile {settings.TileSize}"));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Only the scenes over the tile are opened (from their headers): a national year has thousands, a tile tens.
        using ObservationReader reader = settings.OpenReader(reaching: window);
        var compositor = new GeomedianCompositor(reader, settings.ToCompositeOptions(threads));
        compositor.WriteWindow(window, Path.Combine(outputFolder, Mosaic), Path.Combine(outputFolder, Mads), Path.Combine(outputFolder, Count),
            settings.MinObservations > 0 ? Path.Combine(outputFolder, Window) : null);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, ImageList), string.Concat(reader.Images.Select(i => i.Path + "\n")));
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CompositeSettings settings = Settings(plan.Options);
        using ObservationReader reader = settings.OpenReader();
        var compositor = new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: -1));
        string mosaic = Path.Combine(outputFolder, Mosaic), mads = Path.Combine(outputFolder, Mads), count = Path.Combine(outputFolder, Count);
        TileStitcher.Stitch<ushort>(plan, Mosaic, compositor.OutputOptions(CompositeOutput.Mosaic), mosaic);
        TileStitcher.Stitch<float>(plan, Mads, compositor.OutputOptions(CompositeOutput.Deviations), mads);

        // Pixels with data are recounted from COUNT as the single-process run counts them.
        long withData = 0;
        TileStitcher.Stitch<ushort>(plan, Count, compositor.OutputOptions(CompositeOutput.Count), count, (rows, _) =>
        {
            foreach (ushort c in rows.Span)
            {
                withData += c > 0 ? 1 : 0;
            }
        });
        string? widening = null;
        if (settings.MinObservations > 0)
        {
            widening = Path.Combine(outputFolder, Window);
            TileStitcher.Stitch<ushort>(plan, Window, compositor.OutputOptions(CompositeOutput.Widening), widening);
        }

        var summary = new CompositeSummary(compositor.Grid.PixelCount, withData, reader.ObservationCount);
        compositor.WriteProvenance(mosaic, mads, count, summary, settings.Provenance(), widening);
        return widening is null
            ? [mosaic, mads, count, GeomedianCompositor.ProvenancePath(mosaic)]
            : [mosaic, mads, count, widening, GeomedianCompositor.ProvenancePath(mosaic)];
    }

    /// <summary>The options as <c>urban composite</c> reads them (the same defaults and spellings).</summary>
    private static CompositeSettings Settings(StepOptions o)
    {
        var defaults = new CompositeSettings { Images = [] };
        string? scenes = o.Get("scenes");
        if (scenes is not null && !Path.IsPathRooted(scenes))
        {
            // A plan runs on other nodes from other folders: a relative scene folder would name another place there.
            throw new ArgumentException($"--scenes must be an absolute path in a plan, not '{scenes}'");
        }

        string? stac = o.Get("stac");
        if (stac is not null && !Path.IsPathRooted(stac))
        {
            throw new ArgumentException($"--stac must be an absolute path in a plan, not '{stac}'");
        }

        return new CompositeSettings
        {
            Images = o.GetAll("images"),
            Scenes = scenes,
            Stac = stac,
            MinObservations = Integer(o, "min-observations") ?? defaults.MinObservations,
            MaxWidening = Integer(o, "max-widening") ?? defaults.MaxWidening,
            From = o.Get("from"),
            To = o.Get("to"),
            Period = o.Get("period"),
            CloudOpening = Integer(o, "cloud-opening") ?? 0,
            CloudDilation = Integer(o, "cloud-dilation") ?? 0,
            QualityBands = o.GetAll("qa"),
            QaFormat = o.Get("qa-format") ?? defaults.QaFormat,
            Mask = o.Get("mask") ?? defaults.Mask,
            NoData = Number(o, "nodata"),
            Scale = Number(o, "scale") ?? defaults.Scale,
            Offset = Number(o, "offset") ?? defaults.Offset,
            Bands = o.Get("bands") ?? defaults.Bands,
            Like = o.Get("like"),
            Crs = o.Get("crs"),
            Bounds = o.Get("bounds"),
            Resolution = Number(o, "resolution") ?? defaults.Resolution,
            ResamplingMethod = o.Get("resampling") ?? defaults.ResamplingMethod,
            Epsilon = o.GetFloat("eps") ?? defaults.Epsilon,
            MaxIterations = Integer(o, "max-iterations") ?? defaults.MaxIterations,
            TileSize = Integer(o, "tile") ?? defaults.TileSize,
        };
    }

    private static double? Number(StepOptions o, string name) => o.Get(name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
        : throw new ArgumentException($"--{name}: '{text}' is not a number");

    private static int? Integer(StepOptions o, string name) => o.Get(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
        : throw new ArgumentException($"--{name}: '{text}' is not a whole number");
}
