using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

[Collection(SmallSceneCollection.Name)]
public sealed class EndToEndTests(SmallSceneFixture scene)
{
    [Fact]
    public void Pipeline_SmallSyntheticScene_MapsUrbanFarAboveChanceAndGdalReadsTheMap()
    {
        using var dir = new TempDirectory();
        string features = dir.File("features.csv");
        TrainingSample sample;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            sample = TrainingSample.Draw(grid, 400, seed: 3, mosaic);
            FeatureExtractionSummary written = FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, features);
            Assert.Equal(sample.Cells.Count, written.Written);
            Assert.Equal(0, written.Incomplete);
        }

        Assert.True(sample.DrawnPerClass[1] >= 25, $"too few urban cells drawn: {sample}");
        FeatureTable table = FeatureCsv.Read(features);
        Assert.Equal(486, table.Features.ColumnCount);
        Assert.Equal(sample.Cells.Count, table.RowCount);

        EvaluationResult cv = ModelEvaluator.CrossValidate(table, folds: 4, new TrainingOptions { Trees = 40, Seed = 1 }, blockCells: 10);
        // Balanced-sample CV: chance is 0.5; the synthetic scene is hard but learnable.
        Assert.InRange(cv.Random.Pooled.Accuracy, 0.75, 1.0);
        Assert.NotNull(cv.Spatial);
        Assert.InRange(cv.Spatial!.Pooled.Accuracy, 0.65, 1.0);

        TrainingResult trained = ModelTrainer.Train(table, FeatureExtractionSettings.Default,
            new TrainingOptions { Trees = 40, Seed = 1, PopulationPrevalence = sample.UrbanPrevalence, CalibrationFolds = 3 });
        Assert.InRange(trained.Model.Threshold, 0.05f, 0.999f);
        string modelPath = dir.File("model.ugm");
        trained.Model.Save(modelPath);

        string map = dir.File("map.tif");
        ClassificationSummary summary;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2020)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2020), mosaic))
        {
            summary = GridClassifier.Classify(mosaic, grid, UrbanModel.Load(modelPath), map);
        }

        Assert.Equal(64L * 44, summary.Cells);
        Assert.True(summary.Incomplete > 0, "the scene has incomplete border cells and a nodata strip");
        var national = new NationalAccuracyTable(summary.Confusion!);
        double oa = national.OverallAccuracy, recall = national.Report.PerClass[1].Recall, precision = national.Report.PerClass[1].Precision;
        // 2% urban: calling everything non-urban gives OA 0.98 and urban recall 0; require real detection.
        Assert.True(oa > 0.95 && recall > 0.4 && precision > 0.2, national.ToText());

        JsonNode info = JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", map))!;
        Assert.Equal(64, (int)info["size"]![0]!);
        Assert.Equal(44, (int)info["size"]![1]!);
        Assert.Equal(2, info["bands"]!.AsArray().Count);
        Assert.Equal(255.0, (double)info["bands"]![0]!["noDataValue"]!);
        Assert.Contains("6372", info["coordinateSystem"]!["wkt"]!.ToString(), StringComparison.Ordinal);
        double[] gt = [.. info["geoTransform"]!.AsArray().Select(v => (double)v!)];
        Assert.Equal(scene.Scene.GridTransform.ToArray(), gt);

        // GDAL reads the same classes we counted.
        string xyz = Oracles.RunGdal("gdal_translate", "-q", "-b", "1", "-of", "XYZ", map, "/vsistdout/");
        int urbanByGdal = xyz.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Split(' ')[2].Trim() == "1");
        Assert.Equal(summary.Urban, urbanByGdal);
    }

    [Fact]
    public void Classify_IsIndependentOfThreadCount()
    {
        using var dir = new TempDirectory();
        FeatureTable table;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            TrainingSample sample = TrainingSample.Draw(grid, 60, seed: 5, mosaic);
            FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, dir.File("f.csv"), maxDegreeOfParallelism: 1);
            FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, dir.File("f2.csv"), maxDegreeOfParallelism: 2);
            Assert.Equal(File.ReadAllBytes(dir.File("f.csv")), File.ReadAllBytes(dir.File("f2.csv")));
            table = FeatureCsv.Read(dir.File("f.csv"));
        }

        UrbanModel one = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Trees = 20, MaxDegreeOfParallelism = 1, CalibrationFolds = 0 }).Model;
        UrbanModel two = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Trees = 20, MaxDegreeOfParallelism = 2, CalibrationFolds = 0 }).Model;
        one.Save(dir.File("one.ugm"));
        two.Save(dir.File("two.ugm"));
        Assert.Equal(File.ReadAllBytes(dir.File("one.ugm")), File.ReadAllBytes(dir.File("two.ugm")));

        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2020)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2020), mosaic))
        {
            GridClassifier.Classify(mosaic, grid, one, dir.File("a.tif"), new ClassificationOptions { MaxDegreeOfParallelism = 1, RowsPerBatch = 1 });
            GridClassifier.Classify(mosaic, grid, one, dir.File("b.tif"), new ClassificationOptions { MaxDegreeOfParallelism = 2, RowsPerBatch = 7 });
        }

        Assert.Equal(File.ReadAllBytes(dir.File("a.tif")), File.ReadAllBytes(dir.File("b.tif")));
    }

    [Fact]
    public void Classify_ExcludedCells_AreMappedButLeftOutOfTheNationalTable()
    {
        using var dir = new TempDirectory();
        TrainingSample sample;
        FeatureTable table;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            sample = TrainingSample.Draw(grid, 60, seed: 7, mosaic);
            FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, dir.File("f.csv"));
            table = FeatureCsv.Read(dir.File("f.csv"));
        }

        UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Trees = 20, CalibrationFolds = 0 }).Model;
        (int Row, int Column)[] excluded = [.. sample.Cells.Select(c => (c.Row, c.Column))];
        ClassificationSummary all, held;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            all = GridClassifier.Classify(mosaic, grid, model, dir.File("all.tif"));
            held = GridClassifier.Classify(mosaic, grid, model, dir.File("held.tif"), new ClassificationOptions { ExcludedFromConfusion = excluded });
            var outside = new ClassificationOptions { ExcludedFromConfusion = [(grid.Height, 0)] };
            var error = Assert.Throws<ArgumentException>(() => GridClassifier.Classify(mosaic, grid, model, dir.File("never.tif"), outside));
            Assert.Contains($"row {grid.Height}", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(dir.File("never.tif")));
        }

        // The map is the same; the table loses exactly the sample's cells, counted from the map file and the labels.
        Assert.Equal(File.ReadAllBytes(dir.File("all.tif")), File.ReadAllBytes(dir.File("held.tif")));
        byte[] mapped = MapFiles.ReadByteBand(dir.File("all.tif"));
        var expected = new long[2, 2];
        int width = 64;
        foreach (SampledCell cell in sample.Cells)
        {
            byte m = mapped[(cell.Row * width) + cell.Column];
            Assert.True(m <= 1, "the sample draws complete cells only");
            expected[cell.Label, m]++;
        }

        Assert.Equal(sample.Cells.Count, held.LabelledExcluded);
        Assert.Equal(0, all.LabelledExcluded);
        for (int label = 0; label < 2; label++)
        {
            for (int c = 0; c < 2; c++)
            {
                Assert.Equal(all.Confusion![label, c] - expected[label, c], held.Confusion![label, c]);
            }
        }

        // The model has seen these cells: they are classified better than the rest, which is why they are left out.
        double sampleAccuracy = (double)(expected[0, 0] + expected[1, 1]) / sample.Cells.Count;
        Assert.True(sampleAccuracy >= 0.95, $"training cells accuracy {sampleAccuracy:F3}");
    }

    [Fact]
    public void Change_CountsMatchBruteForceAndZonesSumToNational()
    {
        using var dir = new TempDirectory();
        // Use the label grids as maps: their growth is the generator's own growth.
        string from = scene.Files.Labels(2010), to = scene.Files.Labels(2020);
        var stats = GrowthAnalysis.Change(from, to, dir.File("growth.tif"), scene.Files.Zones, dir.File("growth.csv"));
        Inegi.UrbanGrowth.Products.GrowthPictures.GrowthMap(from, to, dir.File("growth.tif"), dir.File("growth.png"));
        byte[] a = MapFiles.ReadByteBand(from), b = MapFiles.ReadByteBand(to);
        long newUrban = 0, lost = 0, stable = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] > 1 || b[i] > 1)
            {
                continue;
            }

            newUrban += a[i] == 0 && b[i] == 1 ? 1 : 0;
            lost += a[i] == 1 && b[i] == 0 ? 1 : 0;
            stable += a[i] == 1 && b[i] == 1 ? 1 : 0;
        }

        Assert.Equal(newUrban, stats.National.NewUrban);
        Assert.Equal(lost, stats.National.UrbanLost);
        Assert.Equal(stable, stats.National.StableUrban);
        Assert.True(newUrban > 0, "the synthetic cities grow");
        Assert.Equal(stats.National.NewUrban, stats.Zones.Sum(z => z.Value.NewUrban) + stats.Unzoned.NewUrban);
        byte[] growth = MapFiles.ReadByteBand(dir.File("growth.tif"));
        Assert.Equal(newUrban, growth.Count(g => g == 2));
        Assert.True(new FileInfo(dir.File("growth.png")).Length > 1000);
        string[] csv = File.ReadAllLines(dir.File("growth.csv"));
        Assert.StartsWith("zone,", csv[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Growth_FromClassifiedMaps_MatchesGeneratorGrowthWithinClassifierError()
    {
        using var dir = new TempDirectory();
        FeatureTable table;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            FeatureExtraction.WriteCsv(mosaic, grid, TrainingSample.Draw(grid, 400, 9, mosaic).Cells, dir.File("f.csv"));
            table = FeatureCsv.Read(dir.File("f.csv"));
        }

        UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Trees = 40, Seed = 3, CalibrationFolds = 0 }).Model;
        long errors = 0;
        foreach (int year in new[] { 2010, 2020 })
        {
            using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(year));
            using CellGrid grid = CellGrid.Open(scene.Files.Labels(year), mosaic);
            ClassificationSummary s = GridClassifier.Classify(mosaic, grid, model, dir.File($"map_{year}.tif"));
            errors += (long)(s.Confusion![0, 1] + s.Confusion[1, 0]) + s.LabelledIncomplete;
        }

        var found = GrowthAnalysis.Change(dir.File("map_2010.tif"), dir.File("map_2020.tif"), dir.File("g.tif"), scene.Files.Zones);
        var truth = GrowthAnalysis.Change(scene.Files.Labels(2010), scene.Files.Labels(2020), dir.File("t.tif"), scene.Files.Zones);
        Assert.True(truth.National.NewUrban > 0);
        // Every cell where found and true growth differ is a cell misclassified in one of the two years.
        Assert.InRange(found.National.NetChange, truth.National.NetChange - errors, truth.National.NetChange + errors);
        Assert.InRange(found.National.NewUrban, truth.National.NewUrban - errors, truth.National.NewUrban + errors);
        Assert.Equal(found.National.NewUrban, found.Zones.Sum(z => z.Value.NewUrban) + found.Unzoned.NewUrban);
        Assert.Equal(found.National.UrbanTo, found.Zones.Sum(z => z.Value.UrbanTo) + found.Unzoned.UrbanTo);

        // Mixing sensors: a year classified with its own tasseled-cap table and scale uses them (docs/growth.md).
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2020)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2020), mosaic))
        {
            GridClassifier.Classify(mosaic, grid, model, dir.File("same.tif"), new ClassificationOptions { Sensor = new SensorSettings(0.0001f, 0f, "tm") });
            GridClassifier.Classify(mosaic, grid, model, dir.File("oli.tif"), new ClassificationOptions { Sensor = new SensorSettings(0.0001f, 0f, "oli") });
        }

        Assert.Equal(File.ReadAllBytes(dir.File("map_2020.tif")), File.ReadAllBytes(dir.File("same.tif")));
        Assert.NotEqual(MapFiles.ReadByteBand(dir.File("map_2020.tif"), 1), MapFiles.ReadByteBand(dir.File("oli.tif"), 1));
    }

    [Fact]
    public void Classify_GridInAnotherCrs_FailsNamingBothFiles()
    {
        using var dir = new TempDirectory();
        string otherGrid = dir.File("grid_utm.tif");
        RasterInfo labels = GeoTiffReader.ReadInfo(scene.Files.Labels(2010));
        GeoTiffWriter.Write<byte>(otherGrid, new GeoTiffWriteOptions
        {
            Width = labels.Width,
            Height = labels.Height,
            GeoTransform = labels.GeoTransform,
            Epsg = 32614,
            NoData = 255,
        }, new byte[labels.Width * labels.Height]);
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        var e = Assert.Throws<DataFileException>(() => CellGrid.Open(otherGrid, mosaic));
        Assert.Contains("32614", e.Message, StringComparison.Ordinal);
        Assert.Contains("6372", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureCsv_BadRow_ErrorNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.csv");
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n1,0,1,0,0.5,0.25\n2,0,2,1,0.5,oops\n");
        var e = Assert.Throws<DataFileException>(() => FeatureCsv.Read(path));
        Assert.Contains("bad.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        File.WriteAllText(path, "");
        Assert.Contains("empty", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "id,row,col,label,a\n");
        Assert.Contains("cell_id", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureCsv_RoundTrip_KeepsValuesBitForBit()
    {
        using var dir = new TempDirectory();
        var random = new Random(1);
        var schema = new FeatureSchema(["x", "y", "z"]);
        var matrix = new FeatureMatrix(5, schema);
        for (int i = 0; i < matrix.Values.Length; i++)
        {
            matrix.Values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 8)));
        }

        var table = new FeatureTable([10, 11, 12, 13, 14], [0, 0, 0, 0, 0], [10, 11, 12, 13, 14], [0, 1, 255, 1, 0], matrix);
        FeatureCsv.Write(dir.File("t.csv"), table);
        FeatureTable back = FeatureCsv.Read(dir.File("t.csv"));
        Assert.Equal(matrix.Values.ToArray(), back.Features.Values.ToArray());
        Assert.Equal(table.Labels, back.Labels);
        Assert.Equal(table.CellIds, back.CellIds);
        Assert.Equal(4, back.LabelledRows().RowCount);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void UrbanModel_CorruptTruncatedOrForeignFile_ClearErrors()
    {
        using var dir = new TempDirectory();
        FeatureTable table;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            FeatureExtraction.WriteCsv(mosaic, grid, TrainingSample.Draw(grid, 40, 2, mosaic).Cells, dir.File("f.csv"));
            table = FeatureCsv.Read(dir.File("f.csv"));
        }

        UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Trees = 10, CalibrationFolds = 0 }).Model;
        string path = dir.File("m.ugm");
        model.Save(path);
        UrbanModel back = UrbanModel.Load(path);
        float[] p1 = new float[table.RowCount], p2 = new float[table.RowCount];
        model.PredictUrbanProbability(table.Features, p1);
        back.PredictUrbanProbability(table.Features, p2);
        Assert.Equal(p1, p2);

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(dir.File("trunc.ugm"), bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("trunc.ugm"))).Message, StringComparison.Ordinal);
        byte[] flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(dir.File("flip.ugm"), flipped);
        Assert.Contains("checksum", Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("flip.ugm"))).Message, StringComparison.Ordinal);
        File.WriteAllText(dir.File("text.ugm"), "not a model at all");
        DataFileException foreign = Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("text.ugm")));
        Assert.Contains("text.ugm", foreign.Message, StringComparison.Ordinal);
        File.WriteAllBytes(dir.File("empty.ugm"), []);
        Assert.Contains("empty", Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("empty.ugm"))).Message, StringComparison.Ordinal);
        byte[] version = (byte[])bytes.Clone();
        version[8] = 99;
        File.WriteAllBytes(dir.File("v99.ugm"), version);
        Assert.Contains("version 99", Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("v99.ugm"))).Message, StringComparison.Ordinal);
    }
}
