#!/usr/bin/env dotnet
// Train and evaluate an urban / non-urban model from a features CSV.
//
//   dotnet run samples/scripts/train-evaluate.cs [FEATURES.csv PREVALENCE] [--out DIR]
//
// FEATURES.csv: a features table (`urban features`, FeatureExtraction.WriteCsv); PREVALENCE: the share of urban
// cells in the population, a number (0.03) or a labelled grid GeoTIFF to count it from. With no arguments the
// script makes a small synthetic scene, samples it and writes its features first, so it runs anywhere.
// Prints the pilot's cross-validation table (random and spatial folds), then trains with the prevalence
// correction and saves DIR/model.ugm (DIR defaults to ./urban-output). Exit code 1 on failure.
#:project ../../src/Inegi.UrbanGrowth.Pipeline
#:project ../../src/Inegi.UrbanGrowth.Demo
#:property InvariantGlobalization=true

using System.Diagnostics;
using System.Globalization;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Trees;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string outDir = "urban-output";
var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) { outDir = args[++i]; } else { positional.Add(args[i]); }
}

try
{
    Directory.CreateDirectory(outDir);
    var clock = Stopwatch.StartNew();
    string featuresPath;
    double prevalence;
    if (positional.Count == 2)
    {
        featuresPath = positional[0];
        prevalence = double.TryParse(positional[1], CultureInfo.InvariantCulture, out double p)
            ? p
            : PriorShift.PrevalenceFromLabels(MapFiles.ReadByteBand(positional[1]));   // count it on a labelled grid
    }
    else if (positional.Count == 0)
    {
        // A 60 x 40 km synthetic scene (6-band Landsat-like mosaic + labelled 1 km grid), balanced sample, features.
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 60, CellsY = 40, UrbanFraction = 0.06, Years = [2010], Seed = 7 });
        SyntheticSceneFiles files = SyntheticSceneWriter.Write(scene, Path.Combine(outDir, "scene"));
        int year = scene.Years[0];
        featuresPath = Path.Combine(outDir, "features.csv");
        using Mosaic mosaic = Mosaic.Open(files.Mosaic(year));
        using CellGrid grid = CellGrid.Open(files.Labels(year), mosaic);
        TrainingSample sample = TrainingSample.Draw(grid, perClass: 60, seed: 7, mosaic);
        FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, featuresPath);
        prevalence = sample.UrbanPrevalence;                        // urban share of the whole labelled grid
        Console.WriteLine($"synthetic scene: {scene.GridWidth} x {scene.GridHeight} cells; {sample}");
    }
    else
    {
        throw new ArgumentException("expected no arguments, or FEATURES.csv PREVALENCE (a number or a labelled grid GeoTIFF)");
    }

    // The features table: cell id, grid row / column, label (0 non-urban, 1 urban, 255 unknown), 486 features.
    FeatureTable table = FeatureCsv.Read(featuresPath);
    Console.WriteLine($"{featuresPath}: {table.RowCount} rows x {table.Features.ColumnCount} features");

    Console.WriteLine($"[{clock.Elapsed.TotalSeconds:F1} s] features ready");
    // Cross-validation as in the pilot (stratified folds), plus spatial blocks of 10 x 10 cells so that
    // neighbouring cells never sit on both sides of a split. Selection is refitted inside every fold.
    var options = new TrainingOptions { Trees = 30, Seed = 7 };
    EvaluationResult evaluation = ModelEvaluator.CrossValidate(table, folds: 5, options, blockCells: 10);
    Console.WriteLine(evaluation.ToText());
    evaluation.Save(Path.Combine(outDir, "evaluation.json"));

    // Train on all rows. PopulationPrevalence corrects the balanced sample's priors (Saerens et al. 2002) and
    // picks the decision threshold on out-of-fold cells; leave it out for the pilot's recipe (threshold 0.5).
    TrainingResult trained = ModelTrainer.Train(table, FeatureExtractionSettings.Default, options with { PopulationPrevalence = prevalence });
    UrbanModel model = trained.Model;
    string modelPath = Path.Combine(outDir, "model.ugm");
    model.Save(modelPath);
    Console.WriteLine($"model {modelPath}: {model.Selection.OutputSchema.Count} of {model.InputSchema.Count} features kept, "
        + $"{((ExtraTreesModel)model.Classifier).TreeCount} trees, prevalence {prevalence:0.####}, threshold {model.Threshold:0.###}; {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e) when (e is DataFileException or ArgumentException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine($"train-evaluate: {e.Message}");
    return 1;
}
