using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Benchmarks.Trees;

/// <summary>Short in-process jobs: fitting 100 trees on 40,000 rows takes seconds, so 1 warm-up and 3 measured iterations (in process: a generated project does not build within BenchmarkDotNet's 2-minute limit on the shared machine).</summary>
public sealed class TreesConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public TreesConfig() => AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(new InProcessNoEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)));
}

/// <summary>The benchmark matrices, written once by sklearn_extratrees.py (same generator and seeds as its timings).</summary>
internal static class TreesData
{
    public const int Rows = 40000;

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "urbangrowth-trees-bench");

    public static (FeatureMatrix X, byte[] Y) Train(int columns)
    {
        Ensure();
        float[] x = Floats(Path.Combine(Directory, $"train{columns}_X.bin"));
        byte[] y = File.ReadAllBytes(Path.Combine(Directory, $"train{columns}_y.bin"));
        return (new FeatureMatrix(x, Rows, Schema(columns)), y);
    }

    /// <summary>The 1,000,000 prediction rows; with <paramref name="distinctRows"/> &gt; 0, its first rows repeated to the same count.</summary>
    public static FeatureMatrix Predict(int distinctRows = 0)
    {
        Ensure();
        float[] x = Floats(Path.Combine(Directory, "predict_X.bin"));
        if (distinctRows > 0)
        {
            int period = distinctRows * 100;
            for (int i = period; i < x.Length; i++)
            {
                x[i] = x[i - period];
            }
        }

        return new FeatureMatrix(x, x.Length / 100, Schema(100));
    }

    private static FeatureSchema Schema(int columns) => new(Enumerable.Range(0, columns).Select(i => $"f{i}"));

    private static float[] Floats(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        var f = new float[b.Length / 4];
        Buffer.BlockCopy(b, 0, f, 0, b.Length);
        return f;
    }

    private static void Ensure()
    {
        if (File.Exists(Path.Combine(Directory, "predict_X.bin")))
        {
            return;
        }

        string script = FindScript();
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, "data", Directory]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("python3 did not start");
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} data failed ({p.ExitCode}).");
        }
    }

    private static string FindScript()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string s = Path.Combine(d.FullName, "benchmarks", "Inegi.UrbanGrowth.Benchmarks", "Trees", "sklearn_extratrees.py");
            if (File.Exists(s))
            {
                return s;
            }
        }

        throw new FileNotFoundException("sklearn_extratrees.py not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Fit 100 trees on 40,000 rows: one thread (baseline) and two threads (sklearn n_jobs=2's budget).</summary>
[MemoryDiagnoser]
[Config(typeof(TreesConfig))]
public class ExtraTreesFitBenchmarks
{
    private FeatureMatrix _x = null!;
    private byte[] _y = null!;

    /// <summary>Columns of the training matrix.</summary>
    [Params(100, 486)]
    public int Columns { get; set; }

    /// <summary>Loads the matrix.</summary>
    [GlobalSetup]
    public void Setup() => (_x, _y) = TreesData.Train(Columns);

    /// <summary>One thread.</summary>
    [Benchmark(Baseline = true)]
    public int FitOneThread() => new ExtraTreesLearner(new ExtraTreesOptions { MaxDegreeOfParallelism = 1 }).Fit(_x, _y).NodeCount;

    /// <summary>Two threads.</summary>
    [Benchmark]
    public int FitTwoThreads() => new ExtraTreesLearner(new ExtraTreesOptions { MaxDegreeOfParallelism = 2 }).Fit(_x, _y).NodeCount;
}

/// <summary>p(class) for 1,000,000 rows of 100 features with the forest fitted on the 40,000 x 100 matrix.</summary>
/// <remarks>
/// <see cref="DistinctRows"/> 0 predicts the real rows (the figure compared with sklearn); 32 repeats the first 32 rows,
/// so that the rows and the nodes they visit stay in L1: the same 2.14 billion node visits with the memory costs removed,
/// the walk's floor (docs/benchmarks.md, issue 6).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(TreesConfig))]
public class ExtraTreesPredictBenchmarks
{
    private ExtraTreesModel _model = null!;
    private FeatureMatrix _rows = null!;
    private float[] _probabilities = null!;

    /// <summary>0: the 1,000,000 real rows; otherwise that many first rows, repeated to 1,000,000.</summary>
    [Params(0, 32)]
    public int DistinctRows { get; set; }

    /// <summary>Fits the model and loads the rows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = TreesData.Train(100);
        _model = new ExtraTreesLearner(new ExtraTreesOptions { MaxDegreeOfParallelism = 2 }).Fit(x, y);
        _rows = TreesData.Predict(DistinctRows);
        _probabilities = new float[_rows.RowCount * 2];
    }

    /// <summary>One thread.</summary>
    [Benchmark(Baseline = true)]
    public float PredictOneThread()
    {
        _model.PredictProbabilities(_rows, _probabilities, 1);
        return _probabilities[^1];
    }

    /// <summary>Two threads (parallel over row blocks).</summary>
    [Benchmark]
    public float PredictTwoThreads()
    {
        _model.PredictProbabilities(_rows, _probabilities, 2);
        return _probabilities[^1];
    }
}

/// <summary>
/// Gradient boosting, 300 iterations of 31-leaf trees, on the 40,000 x 100 matrix: one thread (baseline) and two;
/// scikit-learn's HistGradientBoostingClassifier on the same file: <c>sklearn_hgb_timing.py</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(TreesConfig))]
public class GradientBoostingFitBenchmarks
{
    private FeatureMatrix _x = null!;
    private byte[] _y = null!;

    /// <summary>Loads the matrix.</summary>
    [GlobalSetup]
    public void Setup() => (_x, _y) = TreesData.Train(100);

    /// <summary>One thread.</summary>
    [Benchmark(Baseline = true)]
    public int FitOneThread() => new GradientBoostingLearner(new GradientBoostingOptions { MaxDegreeOfParallelism = 1 }).Fit(_x, _y).NodeCount;

    /// <summary>Two threads.</summary>
    [Benchmark]
    public int FitTwoThreads() => new GradientBoostingLearner(new GradientBoostingOptions { MaxDegreeOfParallelism = 2 }).Fit(_x, _y).NodeCount;
}
