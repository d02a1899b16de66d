using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

[Collection(SmallSceneCollection.Name)]
public sealed class GradientBoostingPipelineTests(SmallSceneFixture scene)
{
    private static TrainingOptions Boosting(int threads = -1) => new()
    {
        Classifier = UrbanModel.GradientBoostingKind,
        ClassifierOptions = new GradientBoostingOptions { MaxIterations = 40 },
        Seed = 3,
        MaxDegreeOfParallelism = threads,
        PopulationPrevalence = 0.03,
        CalibrationFolds = 3,
        MaxRecallLoss = 0.05,
    };

    private FeatureTable UnbalancedTable(TempDirectory dir)
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        TrainingSample sample = TrainingSample.DrawCounts(grid, nonUrban: 320, urban: 60, seed: 2, mosaic);
        FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, dir.File("f.csv"));
        return FeatureCsv.Read(dir.File("f.csv"));
    }

    [Fact]
    public void TrainSaveLoadClassify_GradientBoosting_RoundTripsAndMapsTheSampledCellsAsTheModelPredicts()
    {
        using var dir = new TempDirectory();
        FeatureTable table = UnbalancedTable(dir);
        TrainingResult trained = ModelTrainer.Train(table, FeatureExtractionSettings.Default, Boosting());
        UrbanModel model = trained.Model;
        Assert.Equal(UrbanModel.GradientBoostingKind, model.ClassifierKind);
        Assert.Equal(CellFeatureKind.Statistics, model.FeatureKind);
        Assert.IsType<GradientBoostingModel>(model.Classifier);
        // The training prevalence is the table's urban share (the scene may hold fewer than the 60 urban cells asked for).
        Assert.Equal((double)table.Labels.Count(l => l == UrbanClass.Urban) / table.RowCount, model.TrainingPrevalence, 12);
        Assert.NotNull(trained.Calibration);
        Assert.InRange(model.Threshold, 0.001f, 0.999f);

        // The recall budget counts from the pilot's learner (Extra-Trees, same selection, same folds) at balanced priors.
        TrainingOptions options = Boosting();
        var cv = new CrossValidator(new StratifiedKFold(options.CalibrationFolds, options.Seed), ModelTrainer.CreateSelector(options));
        CrossValidationResult forest = cv.Run(ModelTrainer.CreateLearner(options), table.Features, table.Labels);
        double t = model.TrainingPrevalence;
        int urban = table.Labels.Count(l => l == UrbanClass.Urban);
        int found = Enumerable.Range(0, table.RowCount).Count(i => table.Labels[i] == UrbanClass.Urban && forest.Probability(i, UrbanClass.Urban) >= (float)t);
        Assert.Equal((double)found / urban, trained.PilotRecall!.Value, 12);
        Assert.True(trained.Calibration!.Value.Confusion.Recall >= trained.PilotRecall.Value - 0.05 - 1e-12,
            $"out-of-fold recall {trained.Calibration.Value.Confusion.Recall:F3} against the pilot's {trained.PilotRecall:F3}");

        string path = dir.File("boosted.ugm");
        model.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        // Version 5, a FileFrame (versions 3 and 4 still read: LegacyModelFileTests); the payload, after the 24-byte
        // header, starts with the kind.
        Assert.Equal(UrbanModel.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.Equal("gradient-boosting", System.Text.Encoding.UTF8.GetString(bytes, 25, bytes[24]));
        UrbanModel loaded = UrbanModel.Load(path);
        Assert.Equal(UrbanModel.GradientBoostingKind, loaded.ClassifierKind);
        Assert.Equal("gradient-boosting", (string)JsonOf.Read(loaded.WriteJson)["classifier"]!);
        Assert.Equal(40, (int)JsonOf.Read(loaded.WriteJson)["boosting"]!["iterations"]!);
        Assert.Equal(model.Selection.OutputSchema, loaded.Selection.OutputSchema);
        string again = dir.File("again.ugm");
        loaded.Save(again);
        Assert.Equal(bytes, File.ReadAllBytes(again));

        float[] before = new float[table.RowCount], after = new float[table.RowCount];
        model.PredictUrbanProbability(table.Features, before);
        loaded.PredictUrbanProbability(table.Features, after);
        Assert.Equal(before, after);

        string map = dir.File("map.tif");
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            GridClassifier.Classify(mosaic, grid, loaded, map);
        }

        byte[] classes = MapFiles.ReadByteBand(map, 0), percents = MapFiles.ReadByteBand(map, 1);
        for (int i = 0; i < table.RowCount; i++)
        {
            int cell = (table.GridRows[i] * 64) + table.GridColumns[i];
            Assert.Equal(after[i] >= loaded.Threshold ? UrbanClass.Urban : UrbanClass.NonUrban, classes[cell]);
            Assert.Equal((byte)MathF.Round(after[i] * 100f), percents[cell]);
        }
    }

    [Fact]
    public void Train_GradientBoosting_GivesTheSameFileForAnyThreadCount_AndAVersion3HeaderMustHoldItsKind()
    {
        using var dir = new TempDirectory();
        FeatureTable table = UnbalancedTable(dir);
        ModelTrainer.Train(table, FeatureExtractionSettings.Default, Boosting(threads: 1)).Model.Save(dir.File("one.ugm"));
        ModelTrainer.Train(table, FeatureExtractionSettings.Default, Boosting(threads: 2)).Model.Save(dir.File("two.ugm"));
        Assert.Equal(File.ReadAllBytes(dir.File("one.ugm")), File.ReadAllBytes(dir.File("two.ugm")));

        // An Extra-Trees payload (a version 1 file, as written before the kind moved into the payload) behind a version-3
        // header (the header is outside the checksum): a clear error.
        byte[] forest = File.ReadAllBytes(LegacyModelFileTests.DataFile("extra-trees-v1.ugm"));
        BitConverter.GetBytes(3).CopyTo(forest, 8);
        File.WriteAllBytes(dir.File("mislabelled.ugm"), forest);
        var error = Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("mislabelled.ugm")));
        Assert.Contains("mislabelled.ugm", error.Message, StringComparison.Ordinal);
        Assert.Contains("'extra-trees' is not supported in a version 3", error.Message, StringComparison.Ordinal);
    }
}
