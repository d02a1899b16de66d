using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Selection.Tests;

/// <summary>
/// Runs sklearn's f_classif, SelectFwe and VarianceThreshold on every test matrix in one Python process
/// (matrices exchanged as binary float32 files, results as float64 files and text lines).
/// </summary>
internal static class SklearnOracle
{
    // f_classif is invariant under a shift of each column; subtracting the first row in float64 (exact) first
    // removes the cancellation of its sum-of-squares formula, so the reference is accurate for near-constant
    // columns too. VarianceThreshold runs on the unshifted float64 values (numpy's var is two-pass, ptp exact).
    private const string Script = """
import sys, numpy as np, warnings
warnings.simplefilter("ignore")
from sklearn.feature_selection import f_classif, SelectFwe, VarianceThreshold
for line in open(sys.argv[1]):
    xf, yf, n, m, alpha, out = line.split()
    n, m, alpha = int(n), int(m), float(alpha)
    X = np.fromfile(xf, dtype='<f4').reshape(n, m).astype(np.float64)
    y = np.fromfile(yf, dtype=np.uint8)
    Xs = X - X[0]
    F, p = f_classif(Xs, y)
    np.asarray(F, dtype='<f8').tofile(out + ".f")
    np.asarray(p, dtype='<f8').tofile(out + ".p")
    fwe = SelectFwe(f_classif, alpha=alpha).fit(Xs, y).get_support(indices=True)
    vt = VarianceThreshold(0.0).fit(X[:, fwe]).get_support(indices=True)
    with open(out + ".txt", "w") as t:
        t.write(" ".join(str(i) for i in fwe) + "\n")
        t.write(" ".join(str(i) for i in fwe[vt]) + "\n")
        t.write(" ".join(str(i) for i in VarianceThreshold(0.0).fit(X).get_support(indices=True)) + "\n")
""";

    /// <summary>The cases: rows, columns, classes, seed, minority share (binary), alpha.</summary>
    public static readonly (int Rows, int Columns, int Classes, int Seed, double Minority, double Alpha)[] Cases =
    [
        (4000, 486, 2, 11, 0.3, 0.05),     // the pilot's 40,000 x 486 training shape, scaled down
        (4000, 486, 2, 12, 0.03, 0.05),    // national imbalance
        (600, 60, 3, 13, 0.0, 0.05),
        (250, 36, 5, 14, 0.0, 0.05),
        (9, 24, 2, 15, 0.0, 0.05),         // tiny: few degrees of freedom
        (800, 120, 2, 21, 0.2, 1e-6),      // strict alpha
    ];

    private static readonly Lazy<Result[]> Results = new(RunAll);

    public sealed record Result(FeatureMatrix X, byte[] Y, double Alpha, double[] F, double[] P, int[] FweKept, int[] ChainKept, int[] VarianceKept);

    public static Result Get(int caseIndex) => Results.Value[caseIndex];

    private static Result[] RunAll()
    {
        using var temp = new TempDirectory();
        var manifest = new List<string>();
        var data = new List<(FeatureMatrix X, byte[] Y)>();
        for (int c = 0; c < Cases.Length; c++)
        {
            var (rows, columns, classes, seed, minority, alpha) = Cases[c];
            var (x, y) = SyntheticFeatures.Create(rows, columns, classes, seed, minority);
            data.Add((x, y));
            string xf = temp.File($"x{c}.f32");
            string yf = temp.File($"y{c}.u8");
            using (var w = new BinaryWriter(File.Create(xf)))
            {
                foreach (float v in x.Values)
                {
                    w.Write(v);
                }
            }

            File.WriteAllBytes(yf, y);
            manifest.Add(string.Join(' ', xf, yf, Inv(rows), Inv(columns), alpha.ToString("R", CultureInfo.InvariantCulture), temp.File($"out{c}")));
        }

        string manifestFile = temp.File("manifest.txt");
        File.WriteAllLines(manifestFile, manifest);
        Oracles.RunPython(Script, [manifestFile], 300);
        var results = new Result[Cases.Length];
        for (int c = 0; c < Cases.Length; c++)
        {
            string[] lines = File.ReadAllLines(temp.File($"out{c}.txt"));
            results[c] = new Result(data[c].X, data[c].Y, Cases[c].Alpha, ReadDoubles(temp.File($"out{c}.f")), ReadDoubles(temp.File($"out{c}.p")),
                Ints(lines[0]), Ints(lines[1]), Ints(lines[2]));
        }

        return results;
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static int[] Ints(string line) =>
        [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static double[] ReadDoubles(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var result = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }
}
