using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Evaluation.Tests;

public sealed class CrossValidatorTests
{
    /// <summary>Two overlapping Gaussian classes on 6 informative features, 10 noise features and 4 constant ones.</summary>
    private static (FeatureMatrix X, byte[] Y, GridCell[] Cells) Dataset(int n, int seed)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, 20).Select(j => "f" + j.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var x = new FeatureMatrix(n, new FeatureSchema(names));
        var y = new byte[n];
        var cells = new GridCell[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (byte)(random.NextDouble() < 0.3 ? 1 : 0);
            cells[i] = new GridCell(random.Next(300), random.Next(300));
            for (int j = 0; j < 20; j++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                x[i, j] = (float)(j < 6 ? g + 1.2 * y[i] : j < 16 ? g : 3.0);
            }
        }

        return (x, y, cells);
    }

    [Fact]
    public void Run_StratifiedFolds_PoolsEveryRowOnceAndMatchesFoldReports()
    {
        var (x, y, _) = Dataset(3000, 1);
        var learner = new NearestCentroidLearner();

        CrossValidationResult result = new CrossValidator(new StratifiedKFold(10, 9)).Run(learner, x, y, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(10, learner.FitCount);
        Assert.Equal(3000, result.Pooled.Total);
        Assert.Equal(10, result.Folds.Count);
        Assert.Equal(result.Pooled.Confusion.Correct, result.Folds.Sum(f => f.Report.Confusion.Correct));
        Assert.InRange(result.Pooled.Accuracy, 0.85, 0.99);             // separable but overlapping
        Assert.InRange(result.MeanFoldAccuracy, result.Pooled.Accuracy - 0.01, result.Pooled.Accuracy + 0.01);
        ReadOnlySpan<float> p = result.OutOfFoldProbabilities.Span;
        ReadOnlySpan<byte> predicted = result.OutOfFoldPredictions.Span;
        for (int i = 0; i < 3000; i++)
        {
            Assert.Equal(1f, p[2 * i] + p[(2 * i) + 1], 5);
            Assert.Equal(p[(2 * i) + 1] >= 0.5f ? 1 : 0, predicted[i]);
        }

        // Out-of-fold: each row's probability comes from the model fitted without it.
        Fold fold4 = new StratifiedKFold(10, 9).Split(y, default)[4];
        int row = fold4.Test.Span[0];
        int[] train = fold4.Train.ToArray();
        var model = new NearestCentroidLearner().Fit(x.SelectRows(train), train.Select(i => y[i]).ToArray(), TestContext.Current.CancellationToken);
        var single = new float[2];
        model.PredictProbabilities(x.SelectRows([row]), single);
        Assert.Equal(single[1], result.Probability(row, 1));
    }

    [Fact]
    public void Run_WithSelector_FitsSelectionOnTrainingFoldOnly()
    {
        var (x, y, _) = Dataset(1000, 2);
        var learner = new NearestCentroidLearner();
        var selector = new RecordingSelector();

        CrossValidationResult result = new CrossValidator(new StratifiedKFold(5, 1), selector).Run(learner, x, y, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([800, 800, 800, 800, 800], selector.FitRows);
        Assert.All(learner.FeatureCounts, c => Assert.Equal(16, c));   // constant columns dropped per fold
        Assert.All(result.Folds, f => Assert.Equal(16, f.FeatureCount));
    }

    [Fact]
    public void Run_SameSeeds_SameResult_SpatialFolds()
    {
        var (x, y, cells) = Dataset(2000, 3);
        var cv = new CrossValidator(new SpatialBlockKFold(50, 5, seed: 2));

        CrossValidationResult a = cv.Run(new NearestCentroidLearner(), x, y, cells, cancellationToken: TestContext.Current.CancellationToken);
        CrossValidationResult b = cv.Run(new NearestCentroidLearner(), x, y, cells, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(a.OutOfFoldProbabilities.Span.SequenceEqual(b.OutOfFoldProbabilities.Span));
        Assert.Equal(JsonText.Format(a.WriteJson), JsonText.Format(b.WriteJson));
    }

    [Fact]
    public void Run_ThreeClasses_JsonHasPooledAndFolds()
    {
        var random = new Random(4);
        var (x, _, _) = Dataset(900, 4);
        var y = new byte[900];
        for (int i = 0; i < 900; i++)
        {
            y[i] = (byte)(i % 3);
            for (int j = 0; j < 6; j++)
            {
                x[i, j] += 2f * y[i] * (j % 2 == 0 ? 1 : -1) + (float)random.NextDouble();
            }
        }

        using var temp = new TempDirectory();
        CrossValidationResult result = new CrossValidator(new StratifiedKFold(3, 0)).Run(new NearestCentroidLearner(), x, y, classNames: ["a", "b", "c"], cancellationToken: TestContext.Current.CancellationToken);
        result.Save(temp.File("cv.json"));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("cv.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("confusion").GetArrayLength());
        Assert.Equal(300, root.GetProperty("per_class").GetProperty("b").GetProperty("support").GetInt64());
        Assert.Equal(3, root.GetProperty("folds").GetArrayLength());
        Assert.Equal(result.Pooled.Accuracy, root.GetProperty("overall_accuracy").GetDouble());
        Assert.True(result.Pooled.Accuracy > 0.9);
    }

    [Fact]
    public void Run_BadLabels_ThrowsArgumentException()
    {
        var (x, y, _) = Dataset(100, 5);
        y[3] = 2;
        Assert.Throws<ArgumentException>(() => new CrossValidator(new StratifiedKFold()).Run(new NearestCentroidLearner(), x, y, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => new CrossValidator(new StratifiedKFold()).Run(new NearestCentroidLearner(), x, y.AsSpan(1), cancellationToken: TestContext.Current.CancellationToken));
    }

    private sealed class RecordingSelector : IFeatureSelector
    {
        public List<int> FitRows { get; } = [];

        public IFittedSelection Fit(FeatureMatrix features, ReadOnlySpan<byte> labels)
        {
            FitRows.Add(features.RowCount);
            return new DropConstant(features);
        }
    }

    private sealed class DropConstant : IFittedSelection
    {
        private readonly int[] _indices;

        public DropConstant(FeatureMatrix x)
        {
            var keep = new List<int>();
            for (int j = 0; j < x.ColumnCount; j++)
            {
                var column = new float[x.RowCount];
                x.CopyColumn(j, column);
                if (column.Distinct().Count() > 1)
                {
                    keep.Add(j);
                }
            }

            _indices = [.. keep];
            InputSchema = x.Schema;
            OutputSchema = x.Schema.Select(_indices);
        }

        public FeatureSchema InputSchema { get; }

        public FeatureSchema OutputSchema { get; }

        public IReadOnlyList<int> Indices => _indices;

        public FeatureMatrix Transform(FeatureMatrix features)
        {
            InputSchema.EnsureCompatible(features.Schema, "selection");
            var result = new FeatureMatrix(features.RowCount, OutputSchema);
            for (int r = 0; r < features.RowCount; r++)
            {
                Transform(features.Row(r), result.Row(r));
            }

            return result;
        }

        public void Transform(ReadOnlySpan<float> row, Span<float> destination)
        {
            for (int j = 0; j < _indices.Length; j++)
            {
                destination[j] = row[_indices[j]];
            }
        }
    }
}
