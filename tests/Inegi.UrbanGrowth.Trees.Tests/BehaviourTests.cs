using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Trees.Tests;

public sealed class BehaviourTests
{
    private static FeatureMatrix Matrix(float[,] v) => Metrics.Matrix(v);

    [Fact]
    public void Constructor_InvalidOptions_ArgumentExceptionNamingTheOption()
    {
        Assert.Equal("TreeCount", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 0 })).ParamName);
        Assert.Equal("MinSamplesSplit", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MinSamplesSplit = 1 })).ParamName);
        Assert.Equal("MinSamplesLeaf", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MinSamplesLeaf = 0 })).ParamName);
        Assert.Equal("MaxDepth", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MaxDepth = 0 })).ParamName);
        Assert.Equal("MaxFeatures", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MaxFeatures = MaxFeatures.Fraction(1.5) })).ParamName);
        Assert.Equal("MaxFeatures", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MaxFeatures = MaxFeatures.Count(0) })).ParamName);
        Assert.Equal("MaxDegreeOfParallelism", Assert.ThrowsAny<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { MaxDegreeOfParallelism = 0 })).ParamName);
        Assert.Throws<ArgumentException>(() => ClassWeight.Explicit(1, -2));
    }

    [Theory]
    [InlineData(MaxFeaturesKind.Sqrt, 0, 486, 22)]
    [InlineData(MaxFeaturesKind.Sqrt, 0, 100, 10)]
    [InlineData(MaxFeaturesKind.Log2, 0, 100, 6)]
    [InlineData(MaxFeaturesKind.Fraction, 0.3, 100, 30)]
    [InlineData(MaxFeaturesKind.Fraction, 0.001, 100, 1)]
    [InlineData(MaxFeaturesKind.Count, 7, 100, 7)]
    [InlineData(MaxFeaturesKind.All, 0, 100, 100)]
    public void MaxFeaturesResolve_SklearnRules_ExpectedCount(MaxFeaturesKind kind, double value, int features, int expected) =>
        Assert.Equal(expected, new MaxFeatures(kind, value).Resolve(features));

    [Fact]
    public void Fit_BadData_ClearArgumentErrors()
    {
        var learner = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 2 });
        var x = Matrix(new float[,] { { 1, 2 }, { 3, float.NaN } });
        var e = Assert.Throws<ArgumentException>(() => learner.FitCt(x, [0, 1]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("'c1'", e.Message, StringComparison.Ordinal);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => learner.FitCt(Matrix(new float[,] { { 1 }, { 2 } }), [0])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => learner.FitCt(Matrix(new float[,] { { 1 }, { 2 } }), [0, 255])).ParamName);
        var balanced = new ExtraTreesLearner(new ExtraTreesOptions { ClassWeight = ClassWeight.Balanced });
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => balanced.FitCt(Matrix(new float[,] { { 1 }, { 2 } }), [0, 2])).ParamName);
    }

    [Fact]
    public void Fit_SeveralNonFiniteValues_NamesTheFirstInRowOrder()
    {
        // 150 columns span three of the column-major copy's 64-column blocks.
        var x = new FeatureMatrix(200, new FeatureSchema(Enumerable.Range(0, 150).Select(i => $"c{i}")));
        x.Values.Fill(0.5f);
        x[150, 10] = float.PositiveInfinity;
        x[20, 140] = float.NaN;
        x[20, 141] = float.NegativeInfinity;
        var y = Enumerable.Range(0, 200).Select(i => (byte)(i % 2)).ToArray();
        var e = Assert.Throws<ArgumentException>(() => new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 2 }).FitCt(x, y));
        Assert.Contains("'c140' (column 140) of row 20 is NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_OtherSchema_ArgumentError()
    {
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 2 }).FitCt(Matrix(new float[,] { { 1, 2 }, { 3, 4 } }), [0, 1]);
        var other = new FeatureMatrix(1, new FeatureSchema(["c0", "zz"]));
        Assert.Contains("'c1'", Assert.Throws<ArgumentException>(() => model.PredictProbabilities(other)).Message, StringComparison.Ordinal);
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => model.PredictRow([1f], new float[2])).ParamName);
    }

    [Fact]
    public void Fit_AllFeaturesConstant_RootLeavesGiveTheWeightedPrior()
    {
        // No split is possible, so every tree is one leaf holding the (weighted) class fractions, as in sklearn.
        var x = Matrix(new float[,] { { 5, 1 }, { 5, 1 }, { 5, 1 }, { 5, 1 } });
        byte[] y = [0, 0, 0, 1];
        var plain = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 3 }).FitCt(x, y);
        Assert.Equal(3, plain.NodeCount);
        var p = new float[2];
        plain.PredictRow([5, 1], p);
        Assert.Equal([0.75f, 0.25f], p);
        Assert.Equal([0.0, 0.0], plain.FeatureImportances);
        var balanced = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 3, ClassWeight = ClassWeight.Balanced }).FitCt(x, y);
        balanced.PredictRow([5, 1], p);
        Assert.Equal([0.5f, 0.5f], p);
        Assert.Equal(0.5, balanced.ClassPriors[1], 12);
        Assert.Equal(0.25, plain.ClassPriors[1], 12);
    }

    [Fact]
    public void Fit_SeparableData_PureLeavesAndPerfectTrainingFit()
    {
        var d = Oracle.Load("multi", 30);
        var x = d.Rows(0, 800);
        byte[] y = d.Labels(0, 800);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 10, Seed = 2 }).FitCt(x, y);
        // Fully grown trees without bootstrap reproduce every (distinct) training row exactly.
        Assert.Equal(1.0, Metrics.Accuracy(model, x, y));
    }

    [Fact]
    public void Fit_MaxDepthAndMinSamplesLeaf_Respected()
    {
        var d = Oracle.Load("bin", 100);
        var x = d.Rows(0, 1000);
        byte[] y = d.Labels(0, 1000);
        var shallow = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 8, MaxDepth = 3 }).FitCt(x, y);
        Assert.Equal(3, shallow.MaxTreeDepth);
        Assert.True(shallow.NodeCount <= 8 * 15);
        var deep = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 8 }).FitCt(x, y);
        var leafy = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 8, MinSamplesLeaf = 20 }).FitCt(x, y);
        Assert.True(deep.MaxTreeDepth > 10);
        // A tree whose leaves hold >= 20 samples has at most n / 20 leaves, i.e. 2 n / 20 - 1 nodes.
        Assert.True(leafy.NodeCount <= 8 * ((2 * 1000 / 20) - 1), $"{leafy.NodeCount} nodes");
        Assert.True(leafy.NodeCount < deep.NodeCount / 4);
    }

    [Fact]
    public void Fit_SpectralPixels_UrbanSeparatedFromWaterAndVegetation()
    {
        // 120 labelled Landsat 8 surface-reflectance pixels: Urban / Water / Vegetation (spyndex).
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.Path("spyndex-ls8-spectral", "spectral.json")));
        var root = doc.RootElement;
        string[] bands = ["SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"];
        int n = root.GetProperty("class").EnumerateObject().Count();
        var schema = new FeatureSchema(["blue", "green", "red", "nir", "swir1", "swir2", "ndvi", "ndbi", "mndwi"]);
        var x = new FeatureMatrix(n, schema);
        var y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            string key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var b = bands.Select(name => (float)root.GetProperty(name).GetProperty(key).GetDouble()).ToArray();
            b.CopyTo(x.Row(i));
            x[i, 6] = (b[3] - b[2]) / (b[3] + b[2]);
            x[i, 7] = (b[4] - b[3]) / (b[4] + b[3]);
            x[i, 8] = (b[1] - b[4]) / (b[1] + b[4]);
            y[i] = root.GetProperty("class").GetProperty(key).GetString() == "Urban" ? (byte)1 : (byte)0;
        }

        // Stratified 5-fold: the j-th row of each class goes to fold j mod 5.
        var folds = new int[n];
        int[] seen = new int[2];
        for (int i = 0; i < n; i++)
        {
            folds[i] = seen[y[i]]++ % 5;
        }

        int correct = 0;
        for (int f = 0; f < 5; f++)
        {
            int[] train = [.. Enumerable.Range(0, n).Where(i => folds[i] != f)];
            int[] test = [.. Enumerable.Range(0, n).Where(i => folds[i] == f)];
            var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = f }).FitCt(x.SelectRows(train), train.Select(i => y[i]).ToArray());
            correct += (int)Math.Round(Metrics.Accuracy(model, x.SelectRows(test), test.Select(i => y[i]).ToArray()) * test.Length);
        }

        Assert.Equal(37, y.Count(v => v == 1));
        Assert.True(correct >= 0.97 * n, $"{correct} of {n} correct");
    }
}
