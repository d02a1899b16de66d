using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Accuracy.Tests;

public sealed class SpatialContextTests
{
    [Fact]
    public void Compute_SmallGrid_MatchesHandCountedNeighbourhoods()
    {
        // 5 x 4 grid; NaN = no probability.
        float n = float.NaN;
        float[] p =
        [
            0.1f, 0.2f, 0.3f, 0.4f, 0.5f,
            0.6f, 0.9f, n, 0.8f, 0.0f,
            0.7f, 0.2f, 0.5f, 1.0f, 0.3f,
            n, 0.1f, 0.4f, 0.6f, 0.2f,
        ];
        var f = new double[NeighbourhoodFeatures.Count];
        Assert.True(NeighbourhoodFeatures.Compute(p, 5, 4, 1, 1, f));
        Assert.Equal(Math.Log((double)0.9f / (1 - (double)0.9f)), f[0], 9);
        double[] eight = [0.1, 0.2, 0.3, 0.6, 0.7, 0.2, 0.5]; // (2,1) is NaN
        Assert.Equal(eight.Average(), f[1], 6);
        Assert.Equal(0.7, f[2], 6);
        double[] ring = [0.4, 0.8, 1.0, 0.4, 0.6, 0.1]; // x = 3 column and row 3, inside the grid, NaN at (0,3) left out
        Assert.Equal(ring.Average(), f[3], 6);
        Assert.Equal(3 / 7.0, f[4], 6);

        Assert.False(NeighbourhoodFeatures.Compute(p, 5, 4, 2, 1, f));
        Assert.True(NeighbourhoodFeatures.Compute(p, 5, 4, 3, 2, f));
        Assert.Equal(Math.Log((1 - NeighbourhoodFeatures.ProbabilityFloor) / NeighbourhoodFeatures.ProbabilityFloor), f[0], 6);
    }

    [Fact]
    public void Compute_IsolatedCell_UsesItsOwnProbability()
    {
        float[] p = [0.8f];
        var f = new double[NeighbourhoodFeatures.Count];
        Assert.True(NeighbourhoodFeatures.Compute(p, 1, 1, 0, 0, f));
        Assert.Equal(0.8, f[1], 6);
        Assert.Equal(0.8, f[2], 6);
        Assert.Equal(0.8, f[3], 6);
        Assert.Equal(1, f[4]);
    }

    [Fact]
    public void Fit_SyntheticCells_MatchesSklearnLogisticRegression()
    {
        (double[] x, byte[] y) = Synthetic(4000, 7);
        var model = SpatialContextModel.Fit(x, y, y, new SpatialContextOptions { Ridge = 1e-3 });

        using var dir = new TempDirectory();
        string xs = dir.File("x.bin"), ys = dir.File("y.bin");
        File.WriteAllBytes(xs, x.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(ys, y);
        // sklearn's L2 penalty is C^-1 / 2 * |w|^2 on the weights only, as ours with C = 1 / ridge.
        const string script = """
import sys, numpy as np
from sklearn.linear_model import LogisticRegression
x = np.fromfile(sys.argv[1], dtype='<f8').reshape(-1, 5)
y = np.fromfile(sys.argv[2], dtype=np.uint8)
m = LogisticRegression(C=1000.0, tol=1e-12, max_iter=100000).fit(x, y)
print(' '.join(repr(v) for v in [m.intercept_[0], *m.coef_[0]]))
""";
        double[] expected = Oracles.ParseNumbers(Oracles.RunPython(script, [xs, ys]));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - model.Weights[i]) < 2e-3 * Math.Max(1, Math.Abs(expected[i])), $"weight {i}: sklearn {expected[i]}, ours {model.Weights[i]}");
        }
    }

    [Fact]
    public void Fit_MaxRecallLoss_KeepsRecallWithinTheLossAndRaisesPrecision()
    {
        (double[] x, byte[] y) = Synthetic(6000, 3);
        // An input map that calls urban every cell whose own logit is above -1: high recall, low precision.
        byte[] input = new byte[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            input[i] = x[i * NeighbourhoodFeatures.Count] > -1 ? (byte)1 : (byte)0;
        }

        var model = SpatialContextModel.Fit(x, y, input, new SpatialContextOptions { MaxRecallLoss = 0.05 });
        double inputTp = 0, inputFp = 0;
        for (int i = 0; i < y.Length; i++)
        {
            inputTp += input[i] & y[i];
            inputFp += input[i] * (1 - y[i]);
        }

        Assert.True(model.FittedRecall >= model.InputRecall - 0.05 - 1e-12, $"recall {model.FittedRecall} vs input {model.InputRecall}");
        Assert.True(model.FittedPrecision > inputTp / (inputTp + inputFp), "precision did not rise");

        var f1 = SpatialContextModel.Fit(x, y, input);
        Assert.NotEqual(model.Threshold, f1.Threshold);
    }

    [Fact]
    public void SaveLoad_RoundTripsAndRejectsOtherFiles()
    {
        (double[] x, byte[] y) = Synthetic(1500, 5);
        var model = SpatialContextModel.Fit(x, y, y);
        using var dir = new TempDirectory();
        string path = dir.File("context.json");
        model.Save(path);
        SpatialContextModel loaded = SpatialContextModel.Load(path);
        Assert.Equal(model.Weights, loaded.Weights);
        Assert.Equal(model.Threshold, loaded.Threshold);
        Assert.Equal(model.Probability(x.AsSpan(0, 5)), loaded.Probability(x.AsSpan(0, 5)));

        File.WriteAllText(dir.File("other.json"), "{\"format\": \"something-else\", \"version\": 1}");
        var other = Assert.Throws<DataFileException>(() => SpatialContextModel.Load(dir.File("other.json")));
        Assert.Contains("other.json", other.Message, StringComparison.Ordinal);
        File.WriteAllText(dir.File("broken.json"), "{ not json");
        Assert.Throws<DataFileException>(() => SpatialContextModel.Load(dir.File("broken.json")));
        Assert.Throws<DataFileException>(() => SpatialContextModel.Load(dir.File("missing.json")));
    }

    [Fact]
    public void Fit_OneClassOnly_IsAClearError()
    {
        (double[] x, _) = Synthetic(100, 1);
        var ex = Assert.Throws<ArgumentException>(() => SpatialContextModel.Fit(x, new byte[100], new byte[100]));
        Assert.Contains("one class", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Cells whose label depends on their own logit and, more, on their neighbourhood (as villages vs cities).</summary>
    private static (double[] X, byte[] Y) Synthetic(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * NeighbourhoodFeatures.Count];
        var y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double city = rng.NextDouble();
            double self = Math.Clamp((city * 0.8) + (rng.NextDouble() * 0.3), 0.005, 0.995);
            double mean8 = Math.Clamp(city + ((rng.NextDouble() - 0.5) * 0.3), 0, 1);
            x[(i * 5) + 0] = Math.Log(self / (1 - self));
            x[(i * 5) + 1] = mean8;
            x[(i * 5) + 2] = Math.Min(1, mean8 + (rng.NextDouble() * 0.3));
            x[(i * 5) + 3] = Math.Clamp(city + ((rng.NextDouble() - 0.5) * 0.4), 0, 1);
            x[(i * 5) + 4] = Math.Round(Math.Clamp(mean8 + ((rng.NextDouble() - 0.5) * 0.2), 0, 1) * 8) / 8;
            double z = -6 + (1.2 * x[i * 5]) + (7 * mean8);
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-z)) ? (byte)1 : (byte)0;
        }

        return (x, y);
    }
}
