using System.Security.Cryptography;
using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// Classification computes only the statistics the model reads (<see cref="UrbanModel.ColumnsRead"/>): those columns
/// are what the trees split on, they get the full computation's bits, and the map is the same bytes as with all 486.
/// </summary>
[Collection(SmallSceneCollection.Name)]
public sealed class FeaturePlanTests(SmallSceneFixture scene)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TrainingOptions Forest = new() { Trees = 12, Seed = 5, CalibrationFolds = 0 };

    private static readonly TrainingOptions Boosting = new()
    {
        Classifier = UrbanModel.GradientBoostingKind,
        ClassifierOptions = new GradientBoostingOptions { MaxIterations = 15 },
        Seed = 5,
        CalibrationFolds = 0,
    };

    private FeatureTable Table(TempDirectory dir)
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        TrainingSample sample = TrainingSample.Draw(grid, 160, seed: 8, mosaic);
        FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, dir.File("f.csv"));
        return FeatureCsv.Read(dir.File("f.csv"));
    }

    public static TheoryData<string> Kinds => [UrbanModel.ExtraTreesKind, UrbanModel.GradientBoostingKind];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ColumnsRead_AreTheSplitFeaturesInsideTheSelection_AndNothingElseChangesAProbability(string kind)
    {
        using var dir = new TempDirectory();
        FeatureTable table = Table(dir);
        using UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, kind == UrbanModel.ExtraTreesKind ? Forest : Boosting, Token).Model;

        IReadOnlyList<int> read = model.ColumnsRead;
        Assert.NotEmpty(read);
        Assert.Equal(read.Distinct().Order(), read);
        Assert.Subset(model.Selection.Indices.ToHashSet(), read.ToHashSet());
        // The classifier's own split features, mapped through the selection, are exactly the columns read.
        var usage = Assert.IsAssignableFrom<IFeatureUsage>(model.Classifier);
        Assert.Equal(usage.UsedFeatures().Select(j => model.Selection.Indices[j]).Order(), read);

        // Every other column NaN (as a partial plan writes them): the same probabilities, bit for bit.
        var masked = new FeatureMatrix(table.RowCount, table.Features.Schema);
        var keep = read.ToHashSet();
        for (int r = 0; r < table.RowCount; r++)
        {
            Span<float> row = masked.Row(r);
            table.Features.Row(r).CopyTo(row);
            for (int c = 0; c < row.Length; c++)
            {
                if (!keep.Contains(c))
                {
                    row[c] = float.NaN;
                }
            }
        }

        float[] full = new float[table.RowCount], planned = new float[table.RowCount];
        model.PredictUrbanProbability(table.Features, full);
        model.PredictUrbanProbability(masked, planned);
        Assert.Equal(full.Select(BitConverter.SingleToInt32Bits), planned.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Classify_WithThePlan_WritesTheSameMapBytesAsWithAllStatistics(string kind)
    {
        using var dir = new TempDirectory();
        FeatureTable table = Table(dir);
        using UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, kind == UrbanModel.ExtraTreesKind ? Forest : Boosting, Token).Model;
        Assert.True(model.ColumnsRead.Count < 486, "the selection keeps fewer than all statistics");
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2020));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2020), mosaic);
        ClassificationSummary all = GridClassifier.Classify(mosaic, grid, model, dir.File("all.tif"),
            new ClassificationOptions { ComputeAllStatistics = true, MaxDegreeOfParallelism = 2 }, cancellationToken: Token);
        ClassificationSummary planned = GridClassifier.Classify(mosaic, grid, model, dir.File("planned.tif"),
            new ClassificationOptions { MaxDegreeOfParallelism = 2, RowsPerBatch = 3 }, cancellationToken: Token);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(dir.File("all.tif"))), SHA256.HashData(File.ReadAllBytes(dir.File("planned.tif"))));
        Assert.Equal(all.Classified, planned.Classified);
        Assert.True(planned.Urban > 0 && planned.Classified > planned.Urban, "a map with both classes");
    }

    [Fact]
    public void CellFeatureSource_WithColumns_EqualsTheFullFeaturesOnThoseColumns_NaNElsewhere()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        var layout = PatchFeatureLayout.Standard;
        // Medians of a few channels only, a channel with only its centre, a histogram count alone, a mean alone.
        int[] columns =
        [
            layout.ColumnOf("ndvi", PatchStatistic.Median), layout.ColumnOf("swir1", PatchStatistic.Median),
            layout.ColumnOf("blue", PatchStatistic.Center), layout.ColumnOf("tc_wetness", PatchStatistic.Hist7),
            layout.ColumnOf("ibi", PatchStatistic.Mean), layout.ColumnOf("ibi", PatchStatistic.Kurtosis),
        ];
        var planned = new CellFeatureExtractor(null, CellFeatureKind.Statistics, columns);
        Assert.Equal(5, planned.Plan.ChannelsComputed);
        PixelWindow window = new(10, 8, 20, 12);
        var fullRows = new List<float[]>();
        foreach (CellFeatureBatch batch in new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(), 2, Token).ReadRows(window, 5))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                fullRows.Add(batch.Complete[i] ? batch.Features(i).ToArray() : []);
            }
        }

        int k = 0, compared = 0;
        foreach (CellFeatureBatch batch in new CellFeatureSource(mosaic, grid, planned, 2, Token).ReadRows(window, 4))
        {
            for (int i = 0; i < batch.Count; i++, k++)
            {
                Assert.Equal(fullRows[k].Length > 0, batch.Complete[i]);
                if (!batch.Complete[i])
                {
                    continue;
                }

                ReadOnlySpan<float> row = batch.Features(i);
                for (int c = 0; c < row.Length; c++)
                {
                    if (columns.Contains(c))
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(fullRows[k][c]), BitConverter.SingleToInt32Bits(row[c]));
                    }
                    else
                    {
                        Assert.True(float.IsNaN(row[c]));
                    }
                }

                compared++;
            }
        }

        Assert.Equal(fullRows.Count, k);
        Assert.True(compared > 100, $"only {compared} complete cells compared");
        Assert.Equal("statisticColumns", Assert.Throws<ArgumentException>(() => new CellFeatureExtractor(null, CellFeatureKind.PatchPixels, columns)).ParamName);
    }
}
