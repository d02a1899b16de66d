using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>A small synthetic scene, its sample and the sample's patch table, made once for <see cref="PipelineLeNetTests"/>.</summary>
public sealed class LeNetSceneFixture : IDisposable
{
    public LeNetSceneFixture()
    {
        LeNetModelKind.Register();
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 20, CellsY = 14, Years = [2010], Seed = 5, UrbanFraction = 0.1 });
        Files = SyntheticSceneWriter.Write(scene, Folder.File("scene"));
        using Mosaic mosaic = Mosaic.Open(Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(Files.Labels(2010), mosaic);
        Sample = TrainingSample.Draw(grid, 24, seed: 2, mosaic);
        PatchesPath = Folder.File("patches.bin");
        Summary = PatchTable.Write(mosaic, grid, Sample.Cells, PatchesPath);
        Patches = PatchTable.Read(PatchesPath);
    }

    public TempDirectory Folder { get; } = new();

    public SyntheticSceneFiles Files { get; }

    public TrainingSample Sample { get; }

    public string PatchesPath { get; }

    public FeatureExtractionSummary Summary { get; }

    public PatchTableContent Patches { get; }

    public void Dispose() => Folder.Dispose();
}

/// <summary>The LeNet through the pipeline API: patch table, training, the model file of kind lenet, classification of a grid.</summary>
public sealed class PipelineLeNetTests(LeNetSceneFixture f) : IClassFixture<LeNetSceneFixture>
{
    private static TrainingOptions TinyLeNet(int epochs = 2) => new()
    {
        Classifier = UrbanModel.LeNetKind,
        Seed = 3,
        MaxDegreeOfParallelism = 1,
        ClassifierOptions = new LeNetOptions { Epochs = epochs, BatchSize = 16, Conv1Filters = 8, Conv2Filters = 8, Dense1Units = 16, Dense2Units = 8, ValidationFraction = 0 },
    };

    [Fact]
    public void PatchTable_SampledCells_HoldsTheChannelPlanesOfEachCell()
    {
        FeatureTable table = f.Patches.Table;
        Assert.Equal(f.Sample.Cells.Count, f.Summary.Written);
        Assert.Equal(0, f.Summary.Incomplete);
        Assert.Equal(f.Sample.Cells.Count, table.RowCount);
        Assert.Equal(PatchPixelLayout.Standard.Schema, table.Features.Schema);
        Assert.Equal(JsonText.Format(FeatureExtractionSettings.Default.WriteJson), JsonText.Format(f.Patches.Settings.WriteJson));
        // Rows come in storage (cell-id) order, whatever the order of the sample (CellFeatureSource).
        SampledCell[] inStorageOrder = CellFeatureSource.InStorageOrder(f.Sample.Cells);
        for (int i = 0; i < table.RowCount; i++)
        {
            SampledCell cell = inStorageOrder[i];
            Assert.Equal((cell.CellId, cell.Row, cell.Column, cell.Label), (table.CellIds[i], table.GridRows[i], table.GridColumns[i], table.Labels[i]));
        }

        // Independent check with GDAL: the blue plane is the window's band 1 digital numbers times the scale 0.0001.
        int row = table.GridRows[0], col = table.GridColumns[0];
        PixelWindow window;
        using (Mosaic mosaic = Mosaic.Open(f.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(f.Files.Labels(2010), mosaic))
        {
            window = grid.PatchWindow(row, col);
        }

        string grid33 = Oracles.RunGdal("gdal_translate", "-q", "-b", "1", "-srcwin",
            window.X.ToString(CultureInfo.InvariantCulture), window.Y.ToString(CultureInfo.InvariantCulture), "33", "33",
            "-of", "AAIGrid", f.Files.Mosaic(2010), "/vsistdout/");
        double[] dn = [.. grid33.Split('\n').Where(l => l.Length > 0 && (char.IsDigit(l[0]) || l[0] == ' ')).SelectMany(l => Oracles.ParseNumbers(l))];
        Assert.Equal(33 * 33, dn.Length);
        Span<float> pixels = table.Features.Row(0);
        for (int p = 0; p < dn.Length; p++)
        {
            Assert.Equal(dn[p] * 0.0001, pixels[p], 6);
        }

        // The pixel path and the statistics path compute the same channel planes: the NDVI mean matches the 486-feature row.
        var statistics = new CellFeatureExtractor();
        int ndvi = PatchPixelLayout.Standard.ChannelNames.ToList().IndexOf("ndvi");
        double mean = 0;
        foreach (float v in pixels.Slice(ndvi * 1089, 1089))
        {
            mean += v;
        }

        float[] stats = new float[statistics.FeatureCount];
        float[] window6 = new float[6 * 1089];
        using (Mosaic mosaic = Mosaic.Open(f.Files.Mosaic(2010)))
        {
            mosaic.Read(window, window6);
        }

        statistics.Extract(window6, stats, statistics.CreateScratch());
        Assert.Equal(stats[statistics.Schema.IndexOf("ndvi_mean")], mean / 1089, 5);
    }

    [Fact]
    public void TrainSaveLoadClassify_LeNet_RoundTripsAndMapsTheSampledCellsAsTheModelPredicts()
    {
        using var dir = new TempDirectory();
        TrainingResult trained = ModelTrainer.Train(f.Patches.Table, f.Patches.Settings, TinyLeNet(), TestContext.Current.CancellationToken);
        UrbanModel model = trained.Model;
        Assert.Equal(UrbanModel.LeNetKind, model.ClassifierKind);
        Assert.Equal(CellFeatureKind.PatchPixels, model.FeatureKind);
        Assert.Equal(PatchPixelLayout.Standard.Schema, model.InputSchema);
        // The training prevalence is the table's share of urban rows (the sample asks for 24 cells a class; the
        // scene may hold fewer urban cells with a whole patch, as this one does since the generator's calibration).
        var labels = f.Patches.Table.Labels;
        double urbanShare = labels.Count(l => l == 1) / (double)labels.Length;
        Assert.InRange(urbanShare, 0.4, 0.6);
        Assert.Equal(urbanShare, model.TrainingPrevalence, 12);
        Assert.Equal(0.5f, model.Threshold);

        string path = dir.File("lenet.ugm");
        model.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(UrbanModel.FormatVersion, BitConverter.ToInt32(bytes, 8)); // 5; the version 2 and 4 files of before still read (LegacyLeNetModelFileTests)
        UrbanModel loaded = UrbanModel.Load(path);
        Assert.Equal(UrbanModel.LeNetKind, loaded.ClassifierKind);
        Assert.Equal("lenet", (string)JsonOf.Read(loaded.WriteJson)["classifier"]!);
        string again = dir.File("again.ugm");
        loaded.Save(again);
        Assert.Equal(bytes, File.ReadAllBytes(again));

        FeatureTable table = f.Patches.Table;
        float[] before = new float[table.RowCount], after = new float[table.RowCount];
        model.PredictUrbanProbability(table.Features, before);
        loaded.PredictUrbanProbability(table.Features, after);
        Assert.Equal(before, after);

        string map = dir.File("map.tif");
        ClassificationSummary summary;
        using (Mosaic mosaic = Mosaic.Open(f.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(f.Files.Labels(2010), mosaic))
        {
            summary = GridClassifier.Classify(mosaic, grid, loaded, map, new ClassificationOptions { PixelCellsPerBatch = 50 }, cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.Equal(20L * 14, summary.Cells);
        Assert.Equal(summary.Cells, summary.Classified + summary.Incomplete);
        Assert.True(summary.Classified >= table.RowCount);
        using GeoTiffReader reader = GeoTiffReader.Open(map);
        byte[] classes = new byte[20 * 14], percents = new byte[20 * 14];
        reader.Read<byte>(new PixelWindow(0, 0, 20, 14), [0], classes);
        reader.Read<byte>(new PixelWindow(0, 0, 20, 14), [1], percents);
        for (int i = 0; i < table.RowCount; i++)
        {
            int cell = (table.GridRows[i] * 20) + table.GridColumns[i];
            byte mapped = classes[cell], percent = percents[cell];
            Assert.Equal(after[i] >= 0.5f ? UrbanClass.Urban : UrbanClass.NonUrban, mapped);
            Assert.Equal((byte)MathF.Round(after[i] * 100f), percent);
        }
    }

    [Fact]
    public void CrossValidate_LeNet_ScoresEveryRowOnceWithTheSameReportForm()
    {
        EvaluationResult cv = ModelEvaluator.CrossValidate(f.Patches.Table, folds: 2, TinyLeNet(epochs: 1), blockCells: 5, TestContext.Current.CancellationToken);
        Assert.Equal(2, cv.Random.Folds.Count);
        Assert.Equal(f.Patches.Table.RowCount, cv.Random.Folds.Sum(x => x.TestCount));
        Assert.Equal(f.Patches.Table.RowCount, cv.Random.Pooled.Total);
        Assert.NotNull(cv.Spatial);
        Assert.Contains("urban", cv.ToText(), StringComparison.Ordinal);
        Assert.NotNull(JsonOf.Read(cv.WriteJson)["spatial"]);
    }

    [Fact]
    public void Train_WrongTableForTheClassifier_FailsWithAClearMessage()
    {
        FeatureTable table = f.Patches.Table;
        var statistics = new FeatureTable(table.CellIds, table.GridRows, table.GridColumns, table.Labels,
            new FeatureMatrix(table.RowCount, FeatureExtractionSettings.Default.CreateSchema()));
        var e = Assert.Throws<ArgumentException>(() => ModelTrainer.Train(statistics, FeatureExtractionSettings.Default, TinyLeNet(), TestContext.Current.CancellationToken));
        Assert.Contains("patch pixels", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Classifier = "svm" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Read_TruncatedOrForeignPatchTable_NamesTheFile()
    {
        using var dir = new TempDirectory();
        string truncated = dir.File("truncated.bin");
        byte[] bytes = File.ReadAllBytes(f.PatchesPath);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<DataFileException>(() => PatchTable.Read(truncated));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains(truncated, e.Message, StringComparison.Ordinal);

        string foreign = dir.File("features.csv");
        File.WriteAllText(foreign, "cell_id,row,col,label\n");
        Assert.False(PatchTable.IsPatchTable(foreign));
        Assert.True(PatchTable.IsPatchTable(f.PatchesPath));
        Assert.Throws<DataFileException>(() => PatchTable.Read(foreign));
    }
}
