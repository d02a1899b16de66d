using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>Runs sklearn_hgb_oracle.py once per machine (it fits sklearn's HistGradientBoostingClassifier) and loads its output.</summary>
internal static class HgbOracle
{
    public const int Columns = 63;
    public const int TrainRows = 4000;

    private static readonly Lazy<(JsonElement Results, FeatureMatrix X, byte[] Y)> Run = new(() =>
    {
        var (results, dir) = OracleCache.Run("sklearn_hgb_oracle.py", "urbangrowth-hgb-oracle");
        float[] x = OracleCache.ReadFloats(Path.Combine(dir, "hgb_X.bin"));
        byte[] y = File.ReadAllBytes(Path.Combine(dir, "hgb_y.bin"));
        var schema = new FeatureSchema(Enumerable.Range(0, Columns).Select(i => $"f{i}"));
        return (results, new FeatureMatrix(x, y.Length, schema), y);
    });

    public static double Number(string name) => Run.Value.Results.GetProperty(name).GetDouble();

    public static double[] Numbers(string name) => [.. Run.Value.Results.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    public static double[][] Thresholds() =>
        [.. Run.Value.Results.GetProperty("bin_thresholds").EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetDouble()).ToArray())];

    public static FeatureMatrix Rows(int start, int count) => Run.Value.X.SelectRows(Enumerable.Range(start, count).ToArray());

    public static byte[] Labels(int start, int count) => Run.Value.Y.AsSpan(start, count).ToArray();

    public static int RowCount => Run.Value.Y.Length;

    public static FeatureMatrix TrainX => Rows(0, TrainRows);

    public static byte[] TrainY => Labels(0, TrainRows);

    public static FeatureMatrix TestX => Rows(TrainRows, RowCount - TrainRows);

    public static byte[] TestY => Labels(TrainRows, RowCount - TrainRows);
}

public sealed class GradientBoostingTests
{
    /// <summary>sklearn's settings in the oracle: its defaults with max_iter 100 (and early_stopping=False).</summary>
    private static readonly Lazy<GradientBoostingModel> Model100 = new(() =>
        new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 100 }).Fit(HgbOracle.TrainX, HgbOracle.TrainY, CancellationToken.None));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FeatureMatrix Matrix(float[,] v) => Metrics.Matrix(v);

    private static byte[] Bytes(GradientBoostingModel model)
    {
        using var ms = new MemoryStream();
        model.Save(ms);
        return ms.ToArray();
    }

    private static double LogLoss(float[] p, byte[] y)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double p1 = Math.Clamp(p[(2 * i) + 1], 1e-15, 1 - 1e-15);
            sum -= y[i] == 1 ? Math.Log(p1) : Math.Log(1 - p1);
        }

        return sum / y.Length;
    }

    private static double Accuracy(float[] p, byte[] y)
    {
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            correct += (p[(2 * i) + 1] > 0.5 ? 1 : 0) == y[i] ? 1 : 0;
        }

        return correct / (double)y.Length;
    }

    [Fact]
    public void Fit_SklearnDataset_HoldoutAccuracyAndLogLossMatchSklearn()
    {
        var model = Model100.Value;
        Assert.Equal(100, model.IterationCount);
        Assert.Equal(HgbOracle.Number("n_iter"), model.IterationCount);
        float[] p = model.PredictProbabilities(HgbOracle.TestX);
        byte[] y = HgbOracle.TestY;
        double accuracy = Accuracy(p, y), logLoss = LogLoss(p, y);
        double skAccuracy = HgbOracle.Number("holdout_accuracy"), skLogLoss = HgbOracle.Number("holdout_logloss");
        Assert.InRange(skAccuracy, 0.85, 0.95); // the data is as hard as intended
        Assert.True(Math.Abs(accuracy - skAccuracy) <= 0.015, $"accuracy ours {accuracy:F4} vs sklearn {skAccuracy:F4}");
        Assert.True(Math.Abs(logLoss - skLogLoss) <= 0.03, $"log-loss ours {logLoss:F4} vs sklearn {skLogLoss:F4}");

        // Same algorithm, same bins, same tie rules: the held-out probabilities agree row by row (measured: mean
        // difference 6e-9, largest 3e-8, float32 rounding). The bounds leave room for a near-tie split that rounding
        // decides the other way on another machine, and still fail for any real difference in the algorithm.
        double[] theirs = HgbOracle.Numbers("holdout_p1");
        double meanAbs = 0, maxAbs = 0;
        for (int i = 0; i < theirs.Length; i++)
        {
            double d = Math.Abs(p[(2 * i) + 1] - theirs[i]);
            meanAbs += d;
            maxAbs = Math.Max(maxAbs, d);
        }

        meanAbs /= theirs.Length;
        Assert.True(meanAbs < 1e-4 && maxAbs < 0.02, $"|p_ours - p_sklearn|: mean {meanAbs:G4}, largest {maxAbs:G4}");
    }

    [Fact]
    public void Fit_TenThenHundredIterations_TrainingLogLossFallsLikeSklearn()
    {
        var x = HgbOracle.TrainX;
        byte[] y = HgbOracle.TrainY;
        var model10 = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 10 }).Fit(x, y, Ct);
        double loss10 = LogLoss(model10.PredictProbabilities(x), y);
        double loss100 = LogLoss(Model100.Value.PredictProbabilities(x), y);
        Assert.True(loss100 < loss10 - 0.2, $"10 iterations {loss10:F4}, 100 iterations {loss100:F4}");
        Assert.True(Math.Abs(loss10 - HgbOracle.Number("train_logloss_10")) <= 0.03, $"10 iterations: ours {loss10:F4} vs sklearn {HgbOracle.Number("train_logloss_10"):F4}");
        Assert.True(Math.Abs(loss100 - HgbOracle.Number("train_logloss_100")) <= 0.03, $"100 iterations: ours {loss100:F4} vs sklearn {HgbOracle.Number("train_logloss_100"):F4}");
    }

    [Fact]
    public void Binning_SklearnDataset_ThresholdsAreSklearnsRoundedDownToFloat32()
    {
        var x = HgbOracle.TrainX;
        double[][] theirs = HgbOracle.Thresholds();
        Assert.Equal(HgbOracle.Columns, theirs.Length);
        var column = new double[x.RowCount];
        for (int f = 0; f < HgbOracle.Columns; f++)
        {
            for (int i = 0; i < x.RowCount; i++)
            {
                column[i] = x[i, f];
            }

            float[] ours = GradientBoostingLearner.BinnedMatrix.FindThresholds(column, 255);
            var expected = new List<float>();
            foreach (double t in theirs[f])
            {
                float down = (float)t > t ? MathF.BitDecrement((float)t) : (float)t;
                if (expected.Count == 0 || expected[^1] < down)
                {
                    expected.Add(down);
                }
            }

            Assert.Equal(expected, ours);
        }

        Assert.Equal(254, theirs[0].Length); // percentile thresholds
        Assert.InRange(theirs[60].Length, 2, 253); // midpoints between distinct values
        Assert.Empty(theirs[62]); // constant column
    }

    [Fact]
    public void BaselineAndImportances_SklearnDataset_LogOddsAndInformativeColumns()
    {
        var model = Model100.Value;
        Assert.Equal(HgbOracle.Number("baseline"), model.BaselineScore, 12);
        double share = HgbOracle.TrainY.Count(v => v == 1) / (double)HgbOracle.TrainRows;
        Assert.Equal(Math.Log(share / (1 - share)), model.BaselineScore, 15);
        double[] importances = [.. model.FeatureImportances];
        Assert.Equal(1.0, importances.Sum(), 1e-9);
        Assert.Equal(0.0, importances[62]); // constant
        Assert.True(importances[..30].Sum() > 0.6, $"informative + redundant columns carry {importances[..30].Sum():F3}");
    }

    [Fact]
    public void Fit_TenRowsOneSplit_HandComputedSplitAndLeafValues()
    {
        // x = 1..10, y = 0 0 0 1 0 1 1 1 1 1: share 0.6, baseline log(0.6 / 0.4), p = 0.6, g = 0.6 - y, h = 0.24, G = 0.
        // With k rows left, GL^2/HL + GR^2/HR - 0 = GL^2 / 0.24 * 10 / (k (10 - k)); GL after 2, 3, 4, 5, 6 rows is
        // 1.2, 1.8, 1.4, 2.0, 1.6, so the gains are 0.90, 1.54, 0.82, 1.60, 1.07 (/ 0.24): the split is after x = 5
        // (threshold 5.5), left G = 2.0, H = 1.2 (value -G/H * lr), right G = -2.0, H = 1.2.
        const double Lr = 0.25;
        var x = Matrix(new float[,] { { 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 6 }, { 7 }, { 8 }, { 9 }, { 10 } });
        byte[] y = [0, 0, 0, 1, 0, 1, 1, 1, 1, 1];
        var model = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 1, MaxLeafNodes = 2, MinSamplesLeaf = 1, LearningRate = Lr }).Fit(x, y, Ct);
        Assert.Equal(1, model.IterationCount);
        Assert.Equal(3, model.NodeCount);
        double baseline = Math.Log(0.6 / 0.4);
        Assert.Equal(baseline, model.BaselineScore, 14);
        double g = (float)0.6, h = (float)0.24; // gradients and hessians are float32, as sklearn's
        double gl = (3 * g) + (1 * (g - 1)) + g, hl = 5 * h;
        double left = baseline - (gl / hl * Lr), right = baseline + (gl / hl * Lr);
        Assert.Equal(baseline - (2.0 / 1.2 * Lr), left, 6);
        Assert.Equal(left, model.PredictRawScore([5.5f]), 6);
        Assert.Equal(right, model.PredictRawScore([MathF.BitIncrement(5.5f)]), 6);
        Assert.Equal(left, model.PredictRawScore([-100f]), 6);
        Assert.Equal(left, model.PredictRawScore([float.NaN]), 6); // NaN goes left (documented)
        var p = new float[2];
        model.PredictRow([2f], p);
        Assert.Equal(1 / (1 + Math.Exp(-left)), p[1], 6);
        Assert.Equal(1 - (1 / (1 + Math.Exp(-left))), p[0], 6);
        model.PredictRow([9f], p);
        Assert.Equal(1 / (1 + Math.Exp(-right)), p[1], 6);
        Assert.Equal(1.0, model.FeatureImportances[0]);
    }

    [Fact]
    public void Fit_NoValidRootSplit_TreesPredictTheBaseline()
    {
        // Ten rows cannot give both children 6 samples: every tree is a single leaf of value 0 (sklearn's root value).
        var x = Matrix(new float[,] { { 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 6 }, { 7 }, { 8 }, { 9 }, { 10 } });
        byte[] y = [0, 0, 0, 1, 0, 1, 1, 1, 1, 1];
        var model = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 5, MinSamplesLeaf = 6 }).Fit(x, y, Ct);
        Assert.Equal(5, model.NodeCount);
        float[] p = model.PredictProbabilities(x);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0.6f, p[(2 * i) + 1], 6);
        }

        Assert.All(model.FeatureImportances, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Fit_OneOrTwoThreadsAndRepeatedFits_IdenticalModelBytes()
    {
        var x = HgbOracle.Rows(0, 3000);
        byte[] y = HgbOracle.Labels(0, 3000);
        GradientBoostingModel Fit(int threads) => new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 25, MaxDegreeOfParallelism = threads }).Fit(x, y, Ct);
        byte[] one = Bytes(Fit(1));
        Assert.Equal(one, Bytes(Fit(2)));
        Assert.Equal(one, Bytes(Fit(2)));
        Assert.Equal(one, Bytes(Fit(-1)));
    }

    [Fact]
    public void Predict_RowBatchSerialParallel_BitIdentical()
    {
        var model = Model100.Value;
        int testRows = HgbOracle.RowCount - HgbOracle.TrainRows;
        var big = HgbOracle.Rows(HgbOracle.TrainRows, testRows).SelectRows([.. Enumerable.Range(0, 40_003).Select(i => (i * 7) % testRows)]);
        float[] parallel = new float[big.RowCount * 2];
        float[] serial = new float[big.RowCount * 2];
        model.PredictProbabilities(big, parallel, -1);
        model.PredictProbabilities(big, serial, 1);
        Assert.Equal(serial, parallel);
        var one = new float[2];
        for (int i = 0; i < 500; i++)
        {
            model.PredictRow(big.Row(i), one);
            Assert.Equal(serial[2 * i], one[0]);
            Assert.Equal(serial[(2 * i) + 1], one[1]);
            Assert.Equal((float)(1 / (1 + Math.Exp(-model.PredictRawScore(big.Row(i))))), one[1]);
        }

        var other = new FeatureMatrix(2, new FeatureSchema(Enumerable.Range(0, HgbOracle.Columns).Select(i => $"g{i}")));
        Assert.Throws<ArgumentException>(() => model.PredictProbabilities(other));
        Assert.Throws<ArgumentException>(() => model.PredictRow(new float[5], one));
    }

    [Fact]
    public void SaveLoad_RoundTrip_IdenticalModelAndProbabilities()
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 20, LearningRate = 0.2, MaxLeafNodes = 15, MinSamplesLeaf = 10, L2Regularization = 0.5, MaxBins = 64, Seed = 3, MaxDegreeOfParallelism = 2 })
            .Fit(HgbOracle.Rows(0, 2000), HgbOracle.Labels(0, 2000), Ct);
        using var dir = new TempDirectory();
        string path = dir.File("model.hgb");
        model.Save(path);
        var loaded = GradientBoostingModel.Load(path);
        Assert.Equal(model.Schema, loaded.Schema);
        Assert.Equal(model.Options with { MaxDegreeOfParallelism = -1 }, loaded.Options);
        Assert.Equal(model.BaselineScore, loaded.BaselineScore);
        Assert.Equal(model.FeatureImportances, loaded.FeatureImportances);
        Assert.Equal(model.IterationCount, loaded.IterationCount);
        Assert.Equal(model.NodeCount, loaded.NodeCount);
        Assert.Equal(File.ReadAllBytes(path), Bytes(loaded));
        Assert.Equal("IUGHGBDT"u8.ToArray(), File.ReadAllBytes(path)[..8]);
        var test = HgbOracle.TestX;
        Assert.Equal(model.PredictProbabilities(test), loaded.PredictProbabilities(test));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary left behind
        using var stream = new MemoryStream(File.ReadAllBytes(path));
        Assert.Equal(model.PredictProbabilities(test), GradientBoostingModel.Load(stream, "in-memory").PredictProbabilities(test));
    }

    private static string SavedModel(TempDirectory dir)
    {
        var model = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 3 }).Fit(HgbOracle.Rows(0, 1000), HgbOracle.Labels(0, 1000), Ct);
        string path = dir.File("m.hgb");
        model.Save(path);
        return path;
    }

    [Fact]
    public void Load_FlippedPayloadByte_ChecksumError()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        b[b.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Load_TruncatedFile_TruncatedError(int keep)
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(keep < 0 ? b.Length - 1 : keep)]);
        var e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherFileEmptyFileMissingFile_ClearErrors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("not-a-model.csv");
        File.WriteAllText(path, "cell_id,row,col,label\n1,2,3,0\n");
        var e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);

        // An Extra-Trees model is not a gradient-boosting model.
        string forest = dir.File("forest.xtrees");
        new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 2 }).Fit(HgbOracle.Rows(0, 200), HgbOracle.Labels(0, 200), Ct).Save(forest);
        Assert.Contains("magic", Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(forest)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, []);
        e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);

        string missing = dir.File("missing.hgb");
        e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(missing));
        Assert.Equal(missing, e.FilePath);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherVersionOrBrokenTree_VersionAndCorruptErrors()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] original = File.ReadAllBytes(path);
        byte[] b = (byte[])original.Clone();
        b[8] = 2;
        File.WriteAllBytes(path, b);
        Assert.Contains("version 2", Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path)).Message, StringComparison.Ordinal);

        // A split node whose feature is out of range, re-signed so that only the payload check can catch it.
        b = (byte[])original.Clone();
        int payloadLength = b.Length - 24 - 32;
        byte[] payload = b[24..(24 + payloadLength)];
        var model = GradientBoostingModel.Load(new MemoryStream(original), "original");
        int n = model.NodeCount;
        int featureArray = payloadLength - (n * (4 + 4 + 4 + 8));
        Assert.Equal(n, BitConverter.ToInt32(payload, featureArray - 4));
        BitConverter.GetBytes(HgbOracle.Columns + 5).CopyTo(payload, featureArray);
        payload.CopyTo(b, 24);
        System.Security.Cryptography.SHA256.HashData(payload).CopyTo(b, 24 + payloadLength);
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<DataFileException>(() => GradientBoostingModel.Load(path));
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Fit_BadData_ClearArgumentErrors()
    {
        var learner = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 2 });
        var x = Matrix(new float[,] { { 1, 2 }, { 3, 4 }, { 5, float.NaN } });
        var e = Assert.Throws<ArgumentException>(() => learner.Fit(x, [0, 1, 0], Ct));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("'c1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
        x[2, 1] = float.PositiveInfinity;
        Assert.Contains("row 2", Assert.Throws<ArgumentException>(() => learner.Fit(x, [0, 1, 0], Ct)).Message, StringComparison.Ordinal);
        x[2, 1] = 6;

        e = Assert.Throws<ArgumentException>(() => learner.Fit(x, [0, 2, 1], Ct));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("Label 2 at row 1", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => learner.Fit(x, [1, 1, 1], Ct));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("both classes", e.Message, StringComparison.Ordinal);
        Assert.Contains("both classes", Assert.Throws<ArgumentException>(() => learner.Fit(x, [0, 0, 0], Ct)).Message, StringComparison.Ordinal);

        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => learner.Fit(x, [0, 1], Ct)).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => learner.Fit(new FeatureMatrix(0, x.Schema), [], Ct)).ParamName);
    }

    [Fact]
    public void Constructor_InvalidOptions_ArgumentOutOfRangeNamingTheOption()
    {
        string? Param(GradientBoostingOptions o) => Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingLearner(o)).ParamName;
        Assert.Equal("MaxIterations", Param(new() { MaxIterations = 0 }));
        Assert.Equal("LearningRate", Param(new() { LearningRate = 0 }));
        Assert.Equal("LearningRate", Param(new() { LearningRate = double.NaN }));
        Assert.Equal("MaxLeafNodes", Param(new() { MaxLeafNodes = 1 }));
        Assert.Equal("MinSamplesLeaf", Param(new() { MinSamplesLeaf = 0 }));
        Assert.Equal("L2Regularization", Param(new() { L2Regularization = -0.1 }));
        Assert.Equal("MaxBins", Param(new() { MaxBins = 1 }));
        Assert.Equal("MaxBins", Param(new() { MaxBins = 256 }));
        Assert.Equal("MaxDegreeOfParallelism", Param(new() { MaxDegreeOfParallelism = 0 }));
        var defaults = new GradientBoostingLearner().Options;
        Assert.Equal((300, 0.1, 31, 20, 0.0, 255, 42, -1), (defaults.MaxIterations, defaults.LearningRate, defaults.MaxLeafNodes, defaults.MinSamplesLeaf, defaults.L2Regularization, defaults.MaxBins, defaults.Seed, defaults.MaxDegreeOfParallelism));
    }

    [Fact]
    public void Fit_CancelledToken_Stops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new GradientBoostingLearner().Fit(HgbOracle.Rows(0, 500), HgbOracle.Labels(0, 500), cts.Token));
    }
}
