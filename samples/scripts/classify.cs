#!/usr/bin/env dotnet
// Classify a mosaic into a national urban map.
//
//   dotnet run samples/scripts/classify.cs [MODEL.ugm MOSAIC.tif GRID.tif] [--out DIR]
//
// MODEL.ugm: a model (train-evaluate.cs, `urban train`); MOSAIC.tif: a 6-band Landsat mosaic; GRID.tif: the 1 km
// cell grid over it (labels 0 / 1 / 255 give the accuracy table). With no arguments the script makes a small
// synthetic scene for two years, trains a small model on the first, classifies both years and maps the growth.
// Writes DIR/map_*.tif and quick-look PNGs (DIR defaults to ./urban-output); prints the pilot's national table.
// Exit code 1 on failure.
#:project ../../src/Inegi.UrbanGrowth.Pipeline
#:project ../../src/Inegi.UrbanGrowth.Demo
#:project ../../src/Inegi.UrbanGrowth.Products
#:property InvariantGlobalization=true

using System.Globalization;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Growth;
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
    if (positional.Count == 3)
    {
        Classify(UrbanModel.Load(positional[0]), positional[1], positional[2], Path.Combine(outDir, "map.tif"), "Urban map");
        return 0;
    }

    if (positional.Count != 0)
    {
        throw new ArgumentException("expected no arguments, or MODEL.ugm MOSAIC.tif GRID.tif");
    }

    // A synthetic scene for 2010 and 2020 (cities grow in between), and a small model trained on 2010.
    var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 60, CellsY = 40, UrbanFraction = 0.06, Years = [2010, 2020], Seed = 7 });
    SyntheticSceneFiles files = SyntheticSceneWriter.Write(scene, Path.Combine(outDir, "scene"));
    string featuresPath = Path.Combine(outDir, "features.csv");
    double prevalence;
    using (Mosaic mosaic = Mosaic.Open(files.Mosaic(2010)))
    using (CellGrid grid = CellGrid.Open(files.Labels(2010), mosaic))
    {
        TrainingSample sample = TrainingSample.Draw(grid, perClass: 60, seed: 7, mosaic);
        FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, featuresPath);
        prevalence = sample.UrbanPrevalence;
    }

    var options = new TrainingOptions { Trees = 30, Seed = 7, PopulationPrevalence = prevalence };
    UrbanModel model = ModelTrainer.Train(FeatureCsv.Read(featuresPath), FeatureExtractionSettings.Default, options).Model;

    // Both years with the same model, then the growth map: 0 stable non-urban, 1 new urban, 2 stable urban, 3 lost.
    string map2010 = Path.Combine(outDir, "map_2010.tif"), map2020 = Path.Combine(outDir, "map_2020.tif");
    Classify(model, files.Mosaic(2010), files.Labels(2010), map2010, "Urban map 2010");
    Classify(model, files.Mosaic(2020), files.Labels(2020), map2020, "Urban map 2020");
    ChangeStatisticsAccumulator change = GrowthAnalysis.Change(map2010, map2020, Path.Combine(outDir, "growth_2010_2020.tif"),
        files.Zones, Path.Combine(outDir, "growth_2010_2020.csv"));
    Inegi.UrbanGrowth.Products.GrowthPictures.GrowthMap(map2010, map2020, Path.Combine(outDir, "growth_2010_2020.tif"), Path.Combine(outDir, "growth_2010_2020.png"));
    ChangeStatistics n = change.National;
    Console.WriteLine($"growth 2010 -> 2020: {n.NewUrban} new urban cells, {n.UrbanLost} lost; urban {n.UrbanFromKm2:N0} -> {n.UrbanToKm2:N0} km2");
    return 0;
}
catch (Exception e) when (e is DataFileException or ArgumentException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine($"classify: {e.Message}");
    return 1;
}

// Classifies every cell of the grid (streamed in rows of cells, all cores), prints the pilot's national table
// against the grid's labels, and draws a quick-look PNG next to the map.
static void Classify(UrbanModel model, string mosaicPath, string gridPath, string mapPath, string title)
{
    using Mosaic mosaic = Mosaic.Open(mosaicPath);
    using CellGrid grid = CellGrid.Open(gridPath, mosaic);
    ClassificationSummary summary = GridClassifier.Classify(mosaic, grid, model, mapPath);
    Console.WriteLine($"{mapPath}: {summary.Classified:N0} cells classified, {summary.Urban:N0} urban, {summary.Incomplete:N0} incomplete, "
        + $"threshold {summary.Threshold:0.###}, {summary.CellsPerSecond:N0} cells/s");
    if (summary.Confusion is not null)
    {
        Console.WriteLine(new NationalAccuracyTable(summary.Confusion).ToText());
    }

    byte[] classes = MapFiles.ReadByteBand(mapPath);                     // band 1: 0 non-urban, 1 urban, 255 nodata
    PngFile.Write(Path.ChangeExtension(mapPath, ".png"), QuickLook.ClassMap(classes, grid.Width, grid.Height, title));
}
