using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>A matrix and labels produced by sklearn_oracle.py.</summary>
internal sealed record Dataset(FeatureMatrix X, byte[] Y, byte[]? Folds)
{
    public FeatureMatrix Rows(int start, int count) => X.SelectRows(Enumerable.Range(start, count).ToArray());

    public byte[] Labels(int start, int count) => Y.AsSpan(start, count).ToArray();
}

/// <summary>Runs sklearn_oracle.py once per test run (it fits sklearn's ExtraTreesClassifier) and loads its output.</summary>
internal static class Oracle
{
    private static readonly Lazy<(JsonElement Results, string Dir)> Run = new(() => OracleCache.Run("sklearn_oracle.py", "urbangrowth-trees-oracle"));

    public static JsonElement Results => Run.Value.Results;

    public static double Number(string name) => Results.GetProperty(name).GetDouble();

    public static double[] Numbers(string name) => [.. Results.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    public static Dataset Load(string name, int columns)
    {
        string dir = Run.Value.Dir;
        float[] x = OracleCache.ReadFloats(Path.Combine(dir, name + "_X.bin"));
        byte[] y = File.ReadAllBytes(Path.Combine(dir, name + "_y.bin"));
        string folds = Path.Combine(dir, name + "_folds.bin");
        var schema = new FeatureSchema(Enumerable.Range(0, columns).Select(i => $"f{i}"));
        return new Dataset(new FeatureMatrix(x, y.Length, schema), y, File.Exists(folds) ? File.ReadAllBytes(folds) : null);
    }
}

/// <summary>Runs a Python oracle script once per machine and script version, and reads what it wrote.</summary>
internal static class OracleCache
{
    /// <summary>
    /// Runs <paramref name="scriptFile"/> (copied beside the tests) into a temp folder named after a hash of the script,
    /// unless that folder already holds its results: sklearn runs once per machine, not per test run.
    /// </summary>
    public static (JsonElement Results, string Dir) Run(string scriptFile, string cacheName)
    {
        string script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, scriptFile));
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)))[..16];
        string dir = Path.Combine(Path.GetTempPath(), cacheName + "-" + hash);
        string results = Path.Combine(dir, "results.json");
        if (!File.Exists(results))
        {
            Directory.CreateDirectory(dir);
            AtomicFile.WriteAllText(results, Oracles.RunPython(script, [dir]));
        }

        return (JsonDocument.Parse(File.ReadAllText(results)).RootElement.Clone(), dir);
    }

    /// <summary>A little-endian float32 file.</summary>
    public static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        float[] values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}

/// <summary>Small helpers the tests share.</summary>
internal static class Metrics
{
    /// <summary>A feature matrix with columns c0, c1, ... from a 2-D array.</summary>
    public static FeatureMatrix Matrix(float[,] v)
    {
        int n = v.GetLength(0), f = v.GetLength(1);
        var m = new FeatureMatrix(n, new FeatureSchema(Enumerable.Range(0, f).Select(i => $"c{i}")));
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < f; c++)
            {
                m[r, c] = v[r, c];
            }
        }

        return m;
    }

    public static int ArgMax(ReadOnlySpan<float> p)
    {
        int best = 0;
        for (int c = 1; c < p.Length; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return best;
    }

    public static double Accuracy(ExtraTreesModel model, FeatureMatrix x, ReadOnlySpan<byte> y)
    {
        float[] p = model.PredictProbabilities(x);
        int k = model.ClassCount;
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            correct += ArgMax(p.AsSpan(i * k, k)) == y[i] ? 1 : 0;
        }

        return correct / (double)y.Length;
    }

    /// <summary>Spearman rank correlation (average ranks for ties).</summary>
    public static double Spearman(double[] a, double[] b)
    {
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    private static double[] Ranks(double[] v)
    {
        int[] order = [.. Enumerable.Range(0, v.Length).OrderBy(i => v[i])];
        var r = new double[v.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]])
            {
                j++;
            }

            for (int m = i; m <= j; m++)
            {
                r[order[m]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return r;
    }
}

/// <summary>Fit with the test's cancellation token.</summary>
internal static class LearnerExtensions
{
    public static ExtraTreesModel FitCt(this ExtraTreesLearner learner, FeatureMatrix x, byte[] y) =>
        learner.Fit(x, y, TestContext.Current.CancellationToken);
}
