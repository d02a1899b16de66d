namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>Accuracy and importances against sklearn's ExtraTreesClassifier fitted on the same matrices.</summary>
public sealed class SklearnCrossCheckTests
{
    [Fact]
    public void Fit_BinaryHoldout_AccuracyWithinOnePointOfSklearn()
    {
        var d = Oracle.Load("bin", 100);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = 1 }).Fit(d.Rows(0, 4000), d.Labels(0, 4000), TestContext.Current.CancellationToken);
        double ours = Metrics.Accuracy(model, d.Rows(4000, 2000), d.Labels(4000, 2000));
        double sklearn = Oracle.Number("bin_holdout");
        Assert.InRange(sklearn, 0.85, 0.95); // the data is as hard as intended
        Assert.True(Math.Abs(ours - sklearn) <= 0.01, $"ours {ours:F4} vs sklearn {sklearn:F4}");
    }

    [Fact]
    public void Fit_BinaryThreeFoldCv_AccuracyWithinOnePointOfSklearn()
    {
        var d = Oracle.Load("bin", 100);
        int correct = 0;
        for (int fold = 0; fold < 3; fold++)
        {
            int[] train = [.. Enumerable.Range(0, d.Y.Length).Where(i => d.Folds![i] != fold)];
            int[] test = [.. Enumerable.Range(0, d.Y.Length).Where(i => d.Folds![i] == fold)];
            var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = fold }).Fit(d.X.SelectRows(train), train.Select(i => d.Y[i]).ToArray(), TestContext.Current.CancellationToken);
            correct += (int)Math.Round(Metrics.Accuracy(model, d.X.SelectRows(test), test.Select(i => d.Y[i]).ToArray()) * test.Length);
        }

        double ours = correct / (double)d.Y.Length;
        double sklearn = Oracle.Number("bin_cv");
        Assert.True(Math.Abs(ours - sklearn) <= 0.01, $"ours {ours:F4} vs sklearn {sklearn:F4}");
    }

    [Fact]
    public void FeatureImportances_Binary_RankLikeSklearnOnInformativeFeatures()
    {
        var d = Oracle.Load("bin", 100);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = 3 }).Fit(d.Rows(0, 4000), d.Labels(0, 4000), TestContext.Current.CancellationToken);
        double[] theirs = Oracle.Numbers("bin_importances");
        double[] ours = [.. model.FeatureImportances];
        Assert.Equal(1.0, ours.Sum(), 1e-9);
        Assert.Equal(0.0, ours[97]); // the constant columns never split
        Assert.Equal(0.0, ours[98]);
        Assert.Equal(0.0, ours[99]);
        double rho = Metrics.Spearman(ours[..30], theirs[..30]);
        Assert.True(rho > 0.8, $"Spearman {rho:F3} on the 30 informative/redundant features");
        // Informative and redundant columns carry most of the importance in both.
        Assert.True(ours[..30].Sum() > 0.5 && theirs[..30].Sum() > 0.5);
    }

    [Fact]
    public void Fit_FourClasses_AccuracyWithinOnePointOfSklearn()
    {
        var d = Oracle.Load("multi", 30);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = 4 }).Fit(d.Rows(0, 2000), d.Labels(0, 2000), TestContext.Current.CancellationToken);
        Assert.Equal(4, model.ClassCount);
        var test = d.Rows(2000, 1000);
        float[] p = model.PredictProbabilities(test);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(1.0, p[(i * 4)..((i + 1) * 4)].Sum(), 1e-5);
        }

        double ours = Metrics.Accuracy(model, test, d.Labels(2000, 1000));
        double sklearn = Oracle.Number("multi_holdout");
        Assert.True(Math.Abs(ours - sklearn) <= 0.015, $"ours {ours:F4} vs sklearn {sklearn:F4}");
    }

    [Fact]
    public void Fit_BalancedClassWeight_MatchesSklearnBalancedAndUniformPrior()
    {
        var d = Oracle.Load("bal", 30);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { Seed = 5, ClassWeight = ClassWeight.Balanced }).Fit(d.Rows(0, 3000), d.Labels(0, 3000), TestContext.Current.CancellationToken);
        Assert.Equal(0.5, model.ClassPriors[0], 12);
        Assert.Equal(0.5, model.ClassPriors[1], 12);
        Assert.True(model.ClassCounts[1] < model.ClassCounts[0] / 5);
        double ours = Metrics.Accuracy(model, d.Rows(3000, 1000), d.Labels(3000, 1000));
        double sklearn = Oracle.Number("bal_holdout");
        Assert.True(Math.Abs(ours - sklearn) <= 0.015, $"ours {ours:F4} vs sklearn {sklearn:F4}");
    }
}
