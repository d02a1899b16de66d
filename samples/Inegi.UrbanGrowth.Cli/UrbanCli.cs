using System.CommandLine;
using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>Command definitions and the error policy of the <c>urban</c> tool.</summary>
internal static class UrbanCli
{
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    public static int Run(string[] args)
    {
        Cnn.LeNetModelKind.Register(); // the tool ships the LeNet kind; the pipeline registers the tree kinds itself
        RootCommand root = Build();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine("urban: " + parsed.Errors[0].Message + " (see 'urban --help')");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ErrorBoundary.Report(e, Console.Error);
        }
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static RootCommand Build()
    {
        var root = new RootCommand("urban: map urban areas of a whole country from Landsat mosaics, year after year (Inegi.UrbanGrowth).");
        root.Subcommands.Add(SynthCommand());
        root.Subcommands.Add(SampleCommand());
        root.Subcommands.Add(FeaturesCommand());
        root.Subcommands.Add(PatchesCommand());
        root.Subcommands.Add(TrainCommand());
        root.Subcommands.Add(InspectCommand());
        root.Subcommands.Add(EvaluateCommand());
        root.Subcommands.Add(ClassifyCommand());
        root.Subcommands.Add(ContextCommand());
        root.Subcommands.Add(RefineCommand());
        root.Subcommands.Add(ChangeCommand());
        root.Subcommands.Add(SeriesCommand());
        root.Subcommands.Add(ValidationSampleCommand());
        root.Subcommands.Add(ValidationAssessCommand());
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(ValidateCommands.Build());
        ClusterCommands.AddTo(root);
        root.Subcommands.Add(CompositeCommand.Build());
        VectorCommands.AddTo(root);
        root.Subcommands.Add(GrowthStageCommand.Create());
        return root;
    }

    private static Option<T> Opt<T>(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<int> ThreadsOpt(string description)
    {
        Option<int> option = Opt("--threads", description, -1);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is 0 or < -1)
            {
                result.AddError("--threads must be -1 (all cores) or a positive number of threads");
            }
        });
        return option;
    }

    private static Command SynthCommand()
    {
        var outDir = Opt<string>("--out", "Output folder (mosaic_Y.tif, labels_Y.tif, zones.tif per SPEC 8).", required: true);
        var cellsX = Opt("--cells-x", "Grid width in 1 km cells.", 60);
        var cellsY = Opt("--cells-y", "Grid height in 1 km cells.", 40);
        var years = Opt("--years", "Comma-separated years.", "2010,2015,2020");
        var seed = Opt("--seed", "Random seed.", 42);
        var cmd = new Command("synth", "Synthesize a multi-year 6-band UInt16 scene in EPSG:6372 with its 1 km label grids and zones (and, with --scenes, a Landsat Collection 2 Level 2 archive over it).") { outDir, cellsX, cellsY, years, seed };
        SynthSceneOptions archive = SynthSceneOptions.AddTo(cmd);
        cmd.SetAction(p => Commands.Synth(p.GetValue(outDir)!, p.GetValue(cellsX), p.GetValue(cellsY), ParseYears(p.GetValue(years)!), p.GetValue(seed), archive.Read(p)));
        return cmd;
    }

    private static Command SampleCommand()
    {
        var grid = Opt<string>("--grid", "The labelled 1 km grid (Byte: 0 non-urban, 1 urban, 255 undefined).", required: true);
        var perClass = Opt("--per-class", "Cells per class.", 20000);
        var seed = Opt("--seed", "Random seed.", 42);
        var output = Opt<string>("--out", "The sample CSV (cell_id,row,col,label).", required: true);
        var mosaic = MosaicOption(required: false, "When given, only complete cells (patch inside the mosaic, no nodata) are drawn.");
        var nonUrban = Opt<int?>("--non-urban", "Non-urban cells to draw instead of --per-class (e.g. 5000 beside 900 urban: more of the look-alikes the 2% prevalence hides); the urban cells drawn stay the same.");
        var cmd = new Command("sample", "Draw a stratified random sample of labelled cells, N per class.") { grid, perClass, nonUrban, seed, output, mosaic };
        cmd.SetAction(p => Commands.Sample(p.GetValue(grid)!, p.GetValue(perClass), p.GetValue(seed), p.GetValue(output)!, p.GetValue(mosaic), p.GetValue(nonUrban)));
        return cmd;
    }

    private static Option<string[]> MosaicOption(bool required, string extra = "") =>
        new("--mosaic")
        {
            Description = "The mosaic: one 6-band GeoTIFF, or six single-band GeoTIFFs (blue, green, red, nir, swir1, swir2). " + extra,
            Required = required,
            AllowMultipleArgumentsPerToken = true,
            Arity = required ? new ArgumentArity(1, 6) : new ArgumentArity(0, 6),
        };

    private static Option<string?> BandsOption() =>
        new("--bands") { Description = "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 in a multi-band mosaic, e.g. 2,3,4,5,6,7 for a Landsat 8 B1..B7 stack." };

    private static Command FeaturesCommand()
    {
        var mosaic = MosaicOption(required: true);
        var bands = BandsOption();
        var grid = Opt<string>("--grid", "The 1 km grid.", required: true);
        var cells = Opt<string?>("--cells", "A sample CSV (cell_id,row,col[,label]); all cells when omitted.");
        var output = Opt<string>("--out", "The features CSV (cell_id,row,col,label,<486 features>).", required: true);
        var scale = Opt("--scale", "Reflectance = DN * scale + offset.", 0.0001f);
        var offset = Opt("--offset", "Reflectance offset.", 0f);
        var tc = Opt("--tasseled-cap", "Tasseled-cap coefficients: tm (Crist 1985), etm (Huang 2002) or oli (Baig 2014).", "tm");
        var threads = ThreadsOpt("Worker threads (-1: all cores).");
        var cmd = new Command("features", "Compute the 486 patch features of cells and write them as CSV.") { mosaic, bands, grid, cells, output, scale, offset, tc, threads };
        cmd.SetAction(p => Commands.Features(p.GetValue(mosaic)!, p.GetValue(bands), p.GetValue(grid)!, p.GetValue(cells), p.GetValue(output)!,
            p.GetValue(scale), p.GetValue(offset), p.GetValue(tc)!, p.GetValue(threads)));
        return cmd;
    }

    private static Command PatchesCommand()
    {
        var mosaic = MosaicOption(required: true);
        var bands = BandsOption();
        var grid = Opt<string>("--grid", "The 1 km grid.", required: true);
        var cells = Opt<string>("--cells", "A sample CSV (cell_id,row,col[,label]), e.g. from 'urban sample'.", required: true);
        var output = Opt<string>("--out", "The patch table (binary: cell ids, labels and 27 x 33 x 33 float32 pixels per cell, 117.6 kB a cell).", required: true);
        var scale = Opt("--scale", "Reflectance = DN * scale + offset.", 0.0001f);
        var offset = Opt("--offset", "Reflectance offset.", 0f);
        var tc = Opt("--tasseled-cap", "Tasseled-cap coefficients: tm (Crist 1985), etm (Huang 2002) or oli (Baig 2014).", "tm");
        var threads = ThreadsOpt("Worker threads (-1: all cores).");
        var cmd = new Command("patches", "Compute the patch pixels of sampled cells (27 channel planes of 33 x 33) for 'train/evaluate --model lenet'.") { mosaic, bands, grid, cells, output, scale, offset, tc, threads };
        cmd.SetAction(p => Commands.Patches(p.GetValue(mosaic)!, p.GetValue(bands), p.GetValue(grid)!, p.GetValue(cells)!, p.GetValue(output)!,
            p.GetValue(scale), p.GetValue(offset), p.GetValue(tc)!, p.GetValue(threads)));
        return cmd;
    }

    private static Option<string> ModelKindOption() =>
        new("--model")
        {
            Description = "The classifier: extra-trees (selection + Extra-Trees on the features CSV of 'urban features'), gradient-boosting (the same selection, then histogram gradient boosting: 300 iterations of 31-leaf trees) or lenet (the LeNet CNN on the patch table of 'urban patches').",
            DefaultValueFactory = _ => "extra-trees",
        };

    private static LeNetArguments LeNetOptions() => new(
        Opt("--epochs", "LeNet: most passes over the training cells.", 30),
        Opt("--batch-size", "LeNet: mini-batch size.", 128),
        Opt("--learning-rate", "LeNet: Adam step.", 1e-3),
        Opt("--patience", "LeNet: epochs without a lower validation loss before stopping early.", 5),
        Opt("--dropout", "LeNet: dropout after each hidden dense layer.", 0.0));

    private sealed record LeNetArguments(Option<int> Epochs, Option<int> BatchSize, Option<double> LearningRate, Option<int> Patience, Option<double> Dropout)
    {
        public void AddTo(Command command)
        {
            command.Options.Add(Epochs);
            command.Options.Add(BatchSize);
            command.Options.Add(LearningRate);
            command.Options.Add(Patience);
            command.Options.Add(Dropout);
        }

        public Cnn.LeNetOptions Read(ParseResult p) => new()
        {
            Epochs = p.GetValue(Epochs),
            BatchSize = p.GetValue(BatchSize),
            LearningRate = p.GetValue(LearningRate),
            Patience = p.GetValue(Patience),
            Dropout = p.GetValue(Dropout),
        };
    }

    private static Command TrainCommand()
    {
        var features = Opt<string>("--features", "The features CSV of labelled cells ('urban features'), or with --model lenet their patch table ('urban patches').", required: true);
        var output = Opt<string>("--out", "The model file.", required: true);
        var trees = Opt("--trees", "Number of trees.", 100);
        var seed = Opt("--seed", "Random seed.", 42);
        var threads = ThreadsOpt("Worker threads (-1: all cores; the model does not depend on it).");
        var prevalence = Opt<string?>("--prevalence", "Population share of urban cells for prior correction: a number, or a labelled grid GeoTIFF to count it from. Omit to keep the sample's balance (the pilot's recipe).");
        var calibrationFolds = Opt("--calibration-folds", "Folds of the out-of-fold run that picks the decision threshold (urban F1 at the population prevalence); 0 keeps 0.5.", 5);
        var maxRecallLoss = Opt<double?>("--max-recall-loss", "With --prevalence: maximise urban precision while keeping urban recall at most this far below the pilot recipe's (e.g. 0.05); default: maximise urban F1.");
        var kind = ModelKindOption();
        var iterations = Opt("--iterations", "Gradient boosting: boosting iterations (one 31-leaf tree each).", 300);
        var lenet = LeNetOptions();
        var cmd = new Command("train", "Fit SelectFwe + VarianceThreshold + Extra-Trees (or gradient boosting) on a features CSV, or a LeNet on a patch table, and save one model file.") { features, output, kind, trees, iterations, seed, threads, prevalence, calibrationFolds, maxRecallLoss };
        lenet.AddTo(cmd);
        cmd.SetAction(p => Commands.Train(p.GetValue(features)!, p.GetValue(output)!, p.GetValue(kind)!, lenet.Read(p), p.GetValue(trees), p.GetValue(seed), p.GetValue(threads), p.GetValue(prevalence), p.GetValue(calibrationFolds), p.GetValue(maxRecallLoss), p.GetValue(iterations)));
        return cmd;
    }

    private static Command InspectCommand()
    {
        var model = new Argument<string>("MODEL") { Description = "A model file." };
        var cmd = new Command("inspect", "Print a model as JSON: schema, selected features, trees, threshold.") { model };
        cmd.SetAction(p => Commands.Inspect(p.GetValue(model)!));
        return cmd;
    }

    private static Command EvaluateCommand()
    {
        var features = Opt<string>("--features", "The features CSV of labelled cells ('urban features'), or with --model lenet their patch table ('urban patches').", required: true);
        var folds = Opt("--folds", "Number of folds.", 10);
        var seed = Opt("--seed", "Random seed.", 42);
        var json = Opt<string?>("--json", "Write the report as JSON here.");
        var trees = Opt("--trees", "Number of trees.", 100);
        var block = Opt("--block-cells", "Also run spatial cross-validation with square blocks of this many cells (50 = 50 km); 0 to skip.", 50);
        var threads = ThreadsOpt("Worker threads (-1: all cores).");
        var kind = ModelKindOption();
        var lenet = LeNetOptions();
        var cmd = new Command("evaluate", "Stratified k-fold cross-validation (and spatial block folds), printed like the pilot's table.") { features, kind, folds, seed, json, trees, block, threads };
        lenet.AddTo(cmd);
        cmd.SetAction(p => Commands.Evaluate(p.GetValue(features)!, p.GetValue(kind)!, lenet.Read(p), p.GetValue(folds), p.GetValue(seed), p.GetValue(json), p.GetValue(trees), p.GetValue(block), p.GetValue(threads)));
        return cmd;
    }

    private static Command ClassifyCommand()
    {
        var mosaic = MosaicOption(required: true);
        var bands = BandsOption();
        var grid = Opt<string>("--grid", "The 1 km grid (labels, when present, give the national confusion table).", required: true);
        var model = Opt<string>("--model", "The model file.", required: true);
        var output = Opt<string>("--out", "The map GeoTIFF (band 1 class, band 2 p(urban) %).", required: true);
        var threshold = Opt<float?>("--threshold", "Decision threshold on p(urban) (the model's when omitted).");
        var json = Opt<string?>("--json", "Write the national evaluation as JSON here (needs labels in the grid).");
        var threads = ThreadsOpt("Worker threads (-1: all cores).");
        var scale = Opt<float?>("--scale", "This mosaic's reflectance scale, when its sensor differs from the training mosaic's (docs/growth.md: mixing sensors).");
        var offset = Opt<float?>("--offset", "This mosaic's reflectance offset (with --scale).");
        var tc = Opt<string?>("--tasseled-cap", "This mosaic's tasseled-cap set: tm, etm or oli (with --scale).");
        var exclude = Opt<string?>("--exclude", "A cells CSV ('urban sample', e.g. the training sample): its cells are mapped but left out of the national table.");
        var cmd = new Command("classify", "Classify every cell of a grid, streaming the mosaic in rows of cells.") { mosaic, bands, grid, model, output, threshold, json, threads, scale, offset, tc, exclude };
        cmd.SetAction(p => Commands.Classify(p.GetValue(mosaic)!, p.GetValue(bands), p.GetValue(grid)!, p.GetValue(model)!, p.GetValue(output)!, p.GetValue(threshold), p.GetValue(json), p.GetValue(threads), p.GetValue(scale), p.GetValue(offset), p.GetValue(tc), p.GetValue(exclude)));
        return cmd;
    }

    private static Command ChangeCommand()
    {
        var from = Opt<string>("--from", "The earlier map.", required: true);
        var to = Opt<string>("--to", "The later map (same grid).", required: true);
        var output = Opt<string>("--out", "The growth GeoTIFF (0 stable non-urban, 1 stable urban, 2 new urban, 3 lost, 255 nodata).", required: true);
        var zones = Opt<string?>("--zones", "A zone raster on the same grid (integer ids) for statistics per zone.");
        var stats = Opt<string?>("--stats", "Write the statistics CSV here.");
        var png = Opt<string?>("--png", "Write a quick-look PNG of the growth here.");
        var cmd = new Command("change", "Growth between two maps, with statistics per zone.") { from, to, output, zones, stats, png };
        cmd.SetAction(p => Commands.Change(p.GetValue(from)!, p.GetValue(to)!, p.GetValue(output)!, p.GetValue(zones), p.GetValue(stats), p.GetValue(png)));
        return cmd;
    }

    private static Command SeriesCommand()
    {
        var maps = new Option<string[]>("--maps") { Description = "Yearly maps of one grid, oldest first.", Required = true, AllowMultipleArgumentsPerToken = true, Arity = new ArgumentArity(2, 64) };
        var years = Opt<string>("--years", "Their years, comma-separated.", required: true);
        var output = Opt<string>("--out", "The 'first year urban' GeoTIFF (UInt16).", required: true);
        var zones = Opt<string?>("--zones", "A zone raster on the same grid.");
        var stats = Opt<string?>("--stats", "Write the urban area per year and zone as CSV here.");
        var consistent = Opt("--temporal-consistency", "Apply the temporal consistency rule (docs/growth.md).", false);
        var png = Opt<string?>("--png", "Write quick-looks (first year urban, and the area chart next to it) here.");
        var cmd = new Command("series", "Urban time series: first year urban and urban area per year and zone.") { maps, years, output, zones, stats, consistent, png };
        cmd.SetAction(p => Commands.Series(p.GetValue(maps)!, ParseYears(p.GetValue(years)!), p.GetValue(output)!, p.GetValue(zones), p.GetValue(stats), p.GetValue(consistent), p.GetValue(png)));
        return cmd;
    }

    private static Command ContextCommand()
    {
        var map = Opt<string>("--map", "The first-stage map ('urban classify') of the year the labels describe.", required: true);
        var grid = Opt<string>("--grid", "The label grid of that year (0 non-urban, 1 urban, 255 unlabelled).", required: true);
        var exclude = Opt<string?>("--exclude", "The training sample CSV ('urban sample'): its cells are left out of the fit.");
        var maxRecallLoss = Opt<double?>("--max-recall-loss", "Maximise urban precision while keeping urban recall at most this far below the input map's (e.g. 0.05); default: maximise urban F1.");
        var output = Opt<string>("--out", "The context model (JSON).", required: true);
        var cmd = new Command("context", "Fit the spatial-context second stage (neighbourhood of each cell's probability) on a map and its labels.") { map, grid, exclude, maxRecallLoss, output };
        cmd.SetAction(p => Commands.Context(p.GetValue(map)!, p.GetValue(grid)!, p.GetValue(exclude), p.GetValue(maxRecallLoss), p.GetValue(output)!));
        return cmd;
    }

    private static Command RefineCommand()
    {
        var map = Opt<string>("--map", "A first-stage map of the same model ('urban classify'), any year.", required: true);
        var context = Opt<string>("--context", "The context model of 'urban context'.", required: true);
        var output = Opt<string>("--out", "The refined map (band 1 class, band 2 p(urban) in percent).", required: true);
        var grid = Opt<string?>("--grid", "A label grid of the map's year: print the national table of the input and refined maps.");
        var json = Opt<string?>("--json", "With --grid: write the refined map's national table as JSON here.");
        var exclude = Opt<string?>("--exclude", "With --grid: a cells CSV (e.g. the first stage's training sample) whose cells are refined but left out of the national table.");
        var cmd = new Command("refine", "Rewrite a map with the spatial-context model: refined probabilities and classes.") { map, context, output, grid, json, exclude };
        cmd.SetAction(p => Commands.Refine(p.GetValue(map)!, p.GetValue(context)!, p.GetValue(output)!, p.GetValue(grid), p.GetValue(json), p.GetValue(exclude)));
        return cmd;
    }

    private static Command ValidationSampleCommand()
    {
        var map = Opt<string>("--map", "The map (or growth map) whose classes are the strata.", required: true);
        var output = Opt<string>("--out", "The sample CSV (a GeoJSON of cell polygons is written beside it).", required: true);
        var se = Opt("--target-se", "Target standard error of overall accuracy.", 0.01);
        var ua = Opt<string?>("--expected-ua", "Conjectured user's accuracy per stratum, e.g. 0:0.95,1:0.7.");
        var min = Opt("--min-per-stratum", "Smallest sample in any stratum.", 50);
        var seed = Opt("--seed", "Random seed.", 42);
        var cmd = new Command("validation-sample", "Stratified random sample of cells for photo-interpretation (Olofsson et al. 2014).") { map, output, se, ua, min, seed };
        cmd.SetAction(p => Commands.ValidationSample(p.GetValue(map)!, p.GetValue(output)!, p.GetValue(se), p.GetValue(ua), p.GetValue(min), p.GetValue(seed)));
        return cmd;
    }

    private static Command ValidationAssessCommand()
    {
        var map = Opt<string>("--map", "The map the sample was drawn from.", required: true);
        var sample = Opt<string>("--sample", "The sample CSV with the reference column filled in.", required: true);
        var json = Opt<string?>("--json", "Write the assessment as JSON here.");
        var csv = Opt<string?>("--csv", "Write the area estimates as CSV here.");
        var cmd = new Command("validation-assess", "Error matrix in area proportions, accuracies with 95% intervals and error-adjusted areas.") { map, sample, json, csv };
        cmd.SetAction(p => Commands.ValidationAssess(p.GetValue(map)!, p.GetValue(sample)!, p.GetValue(json), p.GetValue(csv)));
        return cmd;
    }

    private static Command DemoCommand()
    {
        var outDir = Opt("--out", "Output folder.", "demo-output");
        var cellsX = Opt("--cells-x", "Synthetic grid width.", new DemoOptions().CellsX);
        var cellsY = Opt("--cells-y", "Synthetic grid height.", new DemoOptions().CellsY);
        var seed = Opt("--seed", "Random seed.", 42);
        var acquisitions = Opt("--acquisitions", "Acquisitions per frame and year of the synthetic scene archive the mosaics are composited from.", new DemoOptions().AcquisitionsPerFrame);
        var fromScenes = Opt<bool>("--from-scenes", "Start from a synthetic Landsat scene archive of each year, composited by the geomedian (the default).");
        var fromMosaics = Opt<bool>("--from-mosaics", "Render the yearly mosaics directly, skipping the scene archive and the compositing stage (about a sixth of the CPU: a quick look at the rest of the loop).");
        var keepScenes = Opt<bool>("--keep-scenes", "Keep every year's scene archive in OUT/scenes (about 0.8 GB a year at 120 x 80 cells); by default a year's scenes are deleted once composited.");
        var cmd = new Command("demo", "The whole loop end to end on a synthetic scene (a synthetic Landsat scene archive per year, geomedian composites, sample, train, yearly maps, growth, alerts) and the real Landsat scenes in shared/data; --from-mosaics renders the mosaics instead of compositing them.") { outDir, cellsX, cellsY, seed, fromScenes, fromMosaics, keepScenes, acquisitions };
        cmd.SetAction(p => Commands.Demo(p.GetValue(outDir)!, p.GetValue(cellsX), p.GetValue(cellsY), p.GetValue(seed), p.GetValue(acquisitions), p.GetValue(fromScenes), p.GetValue(fromMosaics), p.GetValue(keepScenes)));
        return cmd;
    }

    internal static int[] ParseYears(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] years = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out years[i]) || years[i] < 1900 || years[i] > 2200)
            {
                throw new ArgumentException($"--years: '{parts[i]}' is not a year");
            }
        }

        if (years.Length == 0)
        {
            throw new ArgumentException("--years: no year given");
        }

        return years;
    }
}
