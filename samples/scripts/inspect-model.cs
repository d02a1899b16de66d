#!/usr/bin/env dotnet
// Look inside a model: its JSON summary and a bar chart of its 20 most important features.
//
//   dotnet run samples/scripts/inspect-model.cs [MODEL.ugm] [--out DIR]
//
// MODEL.ugm: a model (train-evaluate.cs, `urban train`). With no argument the script trains a small one on a
// synthetic scene first. Prints the summary (as `urban inspect`, importances cut to the top 20) and writes
// DIR/importances.png (DIR defaults to ./urban-output). Exit code 1 on failure.
#:project ../../src/Inegi.UrbanGrowth.Pipeline
#:project ../../src/Inegi.UrbanGrowth.Demo
#:property InvariantGlobalization=true

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Rendering;
using Inegi.UrbanGrowth.Synthetic;

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
    string modelPath;
    if (positional.Count == 1)
    {
        modelPath = positional[0];
    }
    else if (positional.Count == 0)
    {
        // A small model on a synthetic scene (as train-evaluate.cs does with no arguments).
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 60, CellsY = 40, UrbanFraction = 0.06, Years = [2010], Seed = 7 });
        SyntheticSceneFiles files = SyntheticSceneWriter.Write(scene, Path.Combine(outDir, "scene"));
        string featuresPath = Path.Combine(outDir, "features.csv");
        using (Mosaic mosaic = Mosaic.Open(files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(files.Labels(2010), mosaic))
        {
            FeatureExtraction.WriteCsv(mosaic, grid, TrainingSample.Draw(grid, perClass: 60, seed: 7, mosaic).Cells, featuresPath);
        }

        modelPath = Path.Combine(outDir, "model.ugm");
        ModelTrainer.Train(FeatureCsv.Read(featuresPath), FeatureExtractionSettings.Default, new TrainingOptions { Trees = 30, Seed = 7 }).Model.Save(modelPath);
    }
    else
    {
        throw new ArgumentException("expected no argument, or MODEL.ugm");
    }

    UrbanModel model = UrbanModel.Load(modelPath);

    // The summary: feature settings, selected features, trees, threshold, importances (largest first).
    JsonObject summary = JsonNode.Parse(JsonText.Format(model.WriteJson))!.AsObject();
    var top = (JsonArray)summary["feature_importances"]!;
    int shown = Math.Min(20, top.Count);
    var labels = new List<string>();
    var values = new List<double>();
    for (int i = 0; i < shown; i++)
    {
        labels.Add((string)top[i]!["feature"]!);
        values.Add((double)top[i]!["importance"]!);
    }

    summary["feature_importances"] = new JsonArray([.. top.Take(shown).Select(n => n?.DeepClone())]);
    summary["selected_features"] = $"{((JsonArray)summary["selected_features"]!).Count} names (model.Selection.OutputSchema.Names)";
    var settings = (JsonObject)summary["feature_settings"]!;
    settings["channels"] = string.Join(", ", ((JsonArray)settings["channels"]!).Select(c => (string)c!));
    Console.WriteLine($"{modelPath}:");
    Console.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    // Mean decrease in impurity of each selected feature, summed over the trees and normalized to 1.
    string png = Path.Combine(outDir, "importances.png");
    PngFile.Write(png, BarChart.Render(labels, values, $"Top {shown} feature importances", "Mean decrease in impurity"));
    Console.WriteLine($"chart: {png}");
    return 0;
}
catch (Exception e) when (e is DataFileException or ArgumentException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine($"inspect-model: {e.Message}");
    return 1;
}
