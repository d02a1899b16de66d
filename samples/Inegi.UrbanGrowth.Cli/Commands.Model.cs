using System.Globalization;
using Inegi.UrbanGrowth.Cnn;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Synth(string outDir, int cellsX, int cellsY, int[] years, int seed, SynthArchiveRequest? archive = null)
    {
        archive?.Validate();
        // The synthetic scene needs 4 cells a side (SyntheticSceneOptions); refuse here with the option's name.
        if (cellsX < 4 || cellsY < 4)
        {
            throw new ArgumentException("--cells-x and --cells-y must be at least 4");
        }

        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = cellsX, CellsY = cellsY, Years = years, Seed = seed });
        if (archive?.Folder is not null)
        {
            foreach (int year in years)
            {
                SyntheticArchiveWriter.Plan(scene, year); // refuses a year without Landsat before any file is written
            }
        }

        SyntheticSceneFiles files = archive?.WithoutMosaics == true
            ? SyntheticSceneWriter.WriteGridFiles(scene, outDir)
            : SyntheticSceneWriter.Write(scene, outDir, new ConsoleProgress());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scene.GridWidth} x {scene.GridHeight} cells, mosaic {scene.MosaicWidth} x {scene.MosaicHeight} px, EPSG:{scene.Epsg}; urban cells per year: {string.Join(", ", years.Select(y => $"{y} {scene.UrbanCellCount(y)}"))}; undefined {scene.UndefinedCellCount}; files in {files.Folder}"));
        if (archive?.Folder is not null)
        {
            WriteArchive(scene, archive, outDir);
        }

        return UrbanCli.Success;
    }

    public static int Train(string featuresPath, string output, string kind, LeNetOptions lenet, int trees, int seed, int threads, string? prevalenceText, int calibrationFolds, double? maxRecallLoss, int iterations = 300)
    {
        if (iterations < 1)
        {
            throw new ArgumentException("--iterations must be at least 1");
        }

        if (maxRecallLoss is { } loss && !(loss >= 0 && loss < 1))
        {
            throw new ArgumentException("--max-recall-loss must lie between 0 and 1");
        }

        if (trees < 1)
        {
            throw new ArgumentException("--trees must be at least 1");
        }

        OutputPaths.Prepare([featuresPath, FeatureExtractionSettings.SidecarPath(featuresPath), prevalenceText is not null && File.Exists(prevalenceText) ? prevalenceText : null], [output]);
        double? prevalence = ParsePrevalence(prevalenceText);
        TrainingOptions options = ModelOptions(kind, lenet, trees, seed, threads, iterations) with
        {
            PopulationPrevalence = prevalence,
            CalibrationFolds = calibrationFolds,
            MaxRecallLoss = maxRecallLoss,
        };
        (FeatureTable table, FeatureExtractionSettings settings) = ReadTable(featuresPath, options);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        TrainingResult result = AsDataError(featuresPath, () => ModelTrainer.Train(table, settings, options));
        result.Model.Save(output);
        string decision = prevalence is { } p
            ? string.Create(CultureInfo.InvariantCulture, $" (urban prevalence {p:0.####}, chosen on out-of-fold cells: {(maxRecallLoss is null ? "urban F1" : "urban precision")} {result.Calibration?.Score:0.###}{(result.PilotRecall is { } pilot ? $", urban recall {result.Calibration?.Confusion.Recall:0.###} against the pilot's {pilot:0.###}" : "")})")
            : " (pilot recipe: sample balance, 0.5)";
        string what = result.Model.Classifier is LeNetModel network
            ? string.Create(CultureInfo.InvariantCulture, $"LeNet on {network.Layout}, {network.Training.EpochsRun} epochs run, epoch {network.Training.BestEpoch} kept")
            : result.Model.Classifier is GradientBoostingModel boosted
            ? string.Create(CultureInfo.InvariantCulture, $"{result.Model.Selection.OutputSchema.Count} of {result.Model.InputSchema.Count} features kept, gradient boosting, {boosted.IterationCount} iterations")
            : string.Create(CultureInfo.InvariantCulture, $"{result.Model.Selection.OutputSchema.Count} of {result.Model.InputSchema.Count} features kept, {trees} trees");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained on {result.Model.TrainingRows:N0} rows: {what}, threshold {result.Model.Threshold:0.###}{decision}; {stopwatch.Elapsed.TotalSeconds:F1} s; model {output}"));
        return UrbanCli.Success;
    }

    /// <summary>The training options of a registered kind, with the command-line options of that kind.</summary>
    private static TrainingOptions ModelOptions(string kind, LeNetOptions lenet, int trees, int seed, int threads, int iterations = 300)
    {
        TreeModelKinds.Register();
        if (ModelKinds.Find(kind) is null)
        {
            throw new ArgumentException($"--model: '{kind}' is not {string.Join(", ", ModelKinds.All.Select(k => k.Name))}");
        }

        if (kind == LeNetModelKind.KindName)
        {
            lenet.Validate();
        }

        // The command line has flags for the kinds it ships; a kind without flags gets its defaults.
        object? kindOptions = kind switch
        {
            LeNetModelKind.KindName => lenet,
            GradientBoostingModelKind.KindName => new GradientBoostingOptions { MaxIterations = iterations },
            _ => null,
        };
        return new TrainingOptions { Classifier = kind, ClassifierOptions = kindOptions, Trees = trees, Seed = seed, MaxDegreeOfParallelism = threads };
    }

    /// <summary>A features CSV for Extra-Trees, a patch table for LeNet, with a clear error for the other pairs.</summary>
    private static (FeatureTable Table, FeatureExtractionSettings Settings) ReadTable(string path, TrainingOptions options)
    {
        RequireFile(path);
        bool patches = PatchTable.IsPatchTable(path);
        bool lenet = ModelKinds.Get(options.Classifier).Input == CellFeatureKind.PatchPixels;
        if (patches != lenet)
        {
            throw new DataFileException(path, lenet
                ? "--model lenet needs a patch table written by 'urban patches', not a features CSV"
                : "this is a patch table (for --model lenet); Extra-Trees and gradient boosting need the features CSV of 'urban features'");
        }

        if (patches)
        {
            PatchTableContent content = PatchTable.Read(path);
            return (content.Table, content.Settings);
        }

        FeatureTable table = FeatureCsv.Read(path, options.MaxDegreeOfParallelism);
        return (table, FeatureExtractionSettings.ReadSidecarFor(path, table.Features.Schema));
    }

    /// <summary>
    /// Runs a step on a table read from <paramref name="path"/>, reporting the library's complaints about the table's
    /// content (labels other than 0 and 1, a single class, no feature that separates the classes) as problems of that file: they are data errors (exit 1),
    /// not argument errors. The options were checked before, so an argument error here can only come from the data.
    /// </summary>
    private static T AsDataError<T>(string path, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (ArgumentException e) when (e.ParamName is "labels" or "table" or "features" or "x" or "schema")
        {
            throw new DataFileException(path, ErrorBoundary.WithoutParameterName(e), e);
        }
        catch (InvalidOperationException e)
        {
            // E.g. "feature selection kept no feature": a property of this table, so it names the table.
            throw new DataFileException(path, e.Message, e);
        }
    }

    private static double? ParsePrevalence(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value > 0 && value < 1 ? value : throw new ArgumentException("--prevalence must lie strictly between 0 and 1");
        }

        RequireFile(text);
        byte[] labels = GeoTiffReader.ReadBand<byte>(text, 0);
        double prevalence = Accuracy.PriorShift.PrevalenceFromLabels(labels);
        if (!(prevalence > 0 && prevalence < 1))
        {
            throw new DataFileException(text, "the grid needs both urban and non-urban labels to give a prevalence");
        }

        return prevalence;
    }

    public static int Evaluate(string featuresPath, string kind, LeNetOptions lenet, int folds, int seed, string? json, int trees, int blockCells, int threads)
    {
        if (folds < 2)
        {
            throw new ArgumentException("--folds must be at least 2");
        }

        TrainingOptions options = ModelOptions(kind, lenet, trees, seed, threads);
        OutputPaths.Prepare([featuresPath, FeatureExtractionSettings.SidecarPath(featuresPath)], [json]);
        FeatureTable table = ReadTable(featuresPath, options).Table;
        EvaluationResult result = AsDataError(featuresPath, () => ModelEvaluator.CrossValidate(table, folds, options, blockCells));
        Console.WriteLine(result.ToText());
        if (json is not null)
        {
            result.Save(json);
        }

        return UrbanCli.Success;
    }
}
