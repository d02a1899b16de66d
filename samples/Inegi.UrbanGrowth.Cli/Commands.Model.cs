using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Synth(string outDir, int cellsX, int cellsY, int[] years, int seed)
    {
        if (cellsX < 3 || cellsY < 3)
        {
            throw new ArgumentException("--cells-x and --cells-y must be at least 3");
        }

        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = cellsX, CellsY = cellsY, Years = years, Seed = seed });
        SyntheticSceneFiles files = SyntheticSceneWriter.Write(scene, outDir, new ConsoleProgress());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scene.GridWidth} x {scene.GridHeight} cells, mosaic {scene.MosaicWidth} x {scene.MosaicHeight} px, EPSG:{scene.Epsg}; urban cells per year: {string.Join(", ", years.Select(y => $"{y} {scene.UrbanCellCount(y)}"))}; undefined {scene.UndefinedCellCount}; files in {files.Folder}"));
        return UrbanCli.Success;
    }

    public static int Train(string featuresPath, string output, int trees, int seed, int threads, string? prevalenceText, int calibrationFolds, double? maxRecallLoss)
    {
        if (maxRecallLoss is { } loss && !(loss >= 0 && loss < 1))
        {
            throw new ArgumentException("--max-recall-loss must lie between 0 and 1");
        }

        if (trees < 1)
        {
            throw new ArgumentException("--trees must be at least 1");
        }

        FeatureTable table = FeatureCsv.Read(featuresPath);
        FeatureExtractionSettings settings = FeatureExtractionSettings.ReadSidecarOrDefault(featuresPath);
        double? prevalence = ParsePrevalence(prevalenceText);
        var options = new TrainingOptions { Trees = trees, Seed = seed, MaxDegreeOfParallelism = threads, PopulationPrevalence = prevalence, CalibrationFolds = calibrationFolds, MaxRecallLoss = maxRecallLoss };
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        TrainingResult result = ModelTrainer.Train(table, settings, options);
        result.Model.Save(output);
        string decision = prevalence is { } p
            ? string.Create(CultureInfo.InvariantCulture, $" (urban prevalence {p:0.####}, chosen on out-of-fold cells: {(maxRecallLoss is null ? "urban F1" : "urban precision")} {result.Calibration?.Score:0.###})")
            : " (pilot recipe: sample balance, 0.5)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained on {result.Model.TrainingRows:N0} rows: {result.Model.Selection.OutputSchema.Count} of {result.Model.InputSchema.Count} features kept, {trees} trees, threshold {result.Model.Threshold:0.###}{decision}; {stopwatch.Elapsed.TotalSeconds:F1} s; model {output}"));
        return UrbanCli.Success;
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
        using GeoTiffReader grid = GeoTiffReader.Open(text);
        byte[] labels = new byte[checked(grid.Info.Width * grid.Info.Height)];
        grid.Read<byte>(new PixelWindow(0, 0, grid.Info.Width, grid.Info.Height), [0], labels);
        double prevalence = Accuracy.PriorShift.PrevalenceFromLabels(labels);
        if (!(prevalence > 0 && prevalence < 1))
        {
            throw new DataFileException(text, "the grid needs both urban and non-urban labels to give a prevalence");
        }

        return prevalence;
    }

    public static int Evaluate(string featuresPath, int folds, int seed, string? json, int trees, int blockCells, int threads)
    {
        if (folds < 2)
        {
            throw new ArgumentException("--folds must be at least 2");
        }

        FeatureTable table = FeatureCsv.Read(featuresPath);
        EvaluationResult result = ModelEvaluator.CrossValidate(table, folds, new TrainingOptions { Trees = trees, Seed = seed, MaxDegreeOfParallelism = threads }, blockCells);
        Console.WriteLine(result.ToText());
        if (json is not null)
        {
            ModelEvaluator.WriteJson(result, json);
        }

        return UrbanCli.Success;
    }
}
