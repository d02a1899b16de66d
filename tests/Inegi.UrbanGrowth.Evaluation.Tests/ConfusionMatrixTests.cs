using System.Globalization;
using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Evaluation.Tests;

/// <summary>
/// Core's one confusion type (k classes, weighted, with its two-class view) against scikit-learn's
/// <c>confusion_matrix</c>, <c>precision_recall_fscore_support</c> and <c>accuracy_score</c> with <c>sample_weight</c>.
/// </summary>
public sealed class ConfusionMatrixTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Fact]
    public void Weighted_StratifiedValidationSample_MatchesSklearn()
    {
        // A realistic accuracy assessment: a map of 3 classes (non-urban 96.5%, urban 2.5%, water 1%) with typical
        // errors, a validation sample stratified by map class (300 cells each) and each sampled cell weighted by
        // N_h / n_h, so the weighted matrix estimates the whole map's. The weights are fractional.
        (byte[] reference, byte[] mapped, double[] weights, long population) = StratifiedSample(seed: 17);
        var matrix = new ConfusionMatrix(3);
        matrix.Add(reference, mapped, weights);

        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("t.u8"), reference);
        File.WriteAllBytes(temp.File("p.u8"), mapped);
        File.WriteAllBytes(temp.File("w.f64"), [.. weights.SelectMany(BitConverter.GetBytes)]);
        string output = Oracles.RunPython("""
import sys, json, numpy as np, warnings
warnings.simplefilter("ignore")
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, accuracy_score
t = np.fromfile(sys.argv[1], dtype=np.uint8); p = np.fromfile(sys.argv[2], dtype=np.uint8); w = np.fromfile(sys.argv[3], dtype='<f8')
pr, rc, f1, sup = precision_recall_fscore_support(t, p, labels=[0, 1, 2], sample_weight=w, zero_division=0)
bt, bp = (t == 1).astype(int), (p == 1).astype(int)
bpr, brc, bf1, _ = precision_recall_fscore_support(bt, bp, average='binary', pos_label=1, sample_weight=w, zero_division=0)
tn, fp, fn, tp = confusion_matrix(bt, bp, labels=[0, 1], sample_weight=w).ravel()
print(json.dumps({
  "confusion": confusion_matrix(t, p, labels=[0, 1, 2], sample_weight=w).tolist(),
  "precision": pr.tolist(), "recall": rc.tolist(), "f1": f1.tolist(), "support": sup.tolist(),
  "accuracy": accuracy_score(t, p, sample_weight=w),
  "binary": {"precision": bpr, "recall": brc, "f1": bf1, "tn": tn, "fp": fp, "fn": fn, "tp": tp}}))
""", [temp.File("t.u8"), temp.File("p.u8"), temp.File("w.f64")], 120);

        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement e = doc.RootElement;
        for (int r = 0; r < 3; r++)
        {
            for (int p = 0; p < 3; p++)
            {
                AssertClose(e.GetProperty("confusion")[r][p].GetDouble(), matrix[r, p]);
            }

            AssertClose(e.GetProperty("precision")[r].GetDouble(), matrix.UsersAccuracy(r));
            AssertClose(e.GetProperty("recall")[r].GetDouble(), matrix.ProducersAccuracy(r));
            AssertClose(e.GetProperty("f1")[r].GetDouble(), matrix.F1(r));
            AssertClose(e.GetProperty("support")[r].GetDouble(), matrix.RowTotal(r));
        }

        AssertClose(e.GetProperty("accuracy").GetDouble(), matrix.OverallAccuracy);
        JsonElement b = e.GetProperty("binary");
        BinaryConfusion urban = matrix.Binary(UrbanClass.Urban);
        AssertClose(b.GetProperty("tn").GetDouble(), urban.TrueNegatives);
        AssertClose(b.GetProperty("fp").GetDouble(), urban.FalsePositives);
        AssertClose(b.GetProperty("fn").GetDouble(), urban.FalseNegatives);
        AssertClose(b.GetProperty("tp").GetDouble(), urban.TruePositives);
        AssertClose(b.GetProperty("precision").GetDouble(), urban.Precision);
        AssertClose(b.GetProperty("recall").GetDouble(), urban.Recall);
        AssertClose(b.GetProperty("f1").GetDouble(), urban.F1);

        // The weights stand for the map: they sum to its cells, and the view's entries add up to the matrix's.
        AssertClose(population, matrix.Total);
        AssertClose(matrix.Total, urban.Total);
        Assert.False(matrix.HoldsCounts);

        // The class report over a weighted matrix is sklearn's weighted classification_report.
        var report = new ClassificationReport(matrix, ["non_urban", "urban", "water"]);
        AssertClose(e.GetProperty("f1")[1].GetDouble(), report.PerClass[1].F1);
        AssertClose(e.GetProperty("support")[2].GetDouble(), report.PerClass[2].Support);
    }

    [Fact]
    public void Counts_KClasses_MatchSklearn_AndSkipUndefined()
    {
        // Unweighted, 4 classes, class 3 never predicted (zero division), 255 in either array skipped.
        var random = new Random(5);
        int n = 20_000;
        var reference = new byte[n];
        var predicted = new byte[n];
        for (int i = 0; i < n; i++)
        {
            reference[i] = random.NextDouble() < 0.01 ? UrbanClass.Undefined : (byte)random.Next(4);
            int q = random.NextDouble() < 0.25 ? random.Next(3) : Math.Min((int)reference[i], 2);
            predicted[i] = random.NextDouble() < 0.005 ? UrbanClass.Undefined : (byte)q;
        }

        var matrix = ConfusionMatrix.FromLabels(reference, predicted, 4);

        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("t.u8"), reference);
        File.WriteAllBytes(temp.File("p.u8"), predicted);
        string output = Oracles.RunPython("""
import sys, json, numpy as np, warnings
warnings.simplefilter("ignore")
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, accuracy_score
t = np.fromfile(sys.argv[1], dtype=np.uint8); p = np.fromfile(sys.argv[2], dtype=np.uint8)
keep = (t != 255) & (p != 255); t = t[keep]; p = p[keep]
pr, rc, f1, sup = precision_recall_fscore_support(t, p, labels=[0, 1, 2, 3], zero_division=0)
print(json.dumps({"confusion": confusion_matrix(t, p, labels=[0, 1, 2, 3]).tolist(), "precision": pr.tolist(),
  "recall": rc.tolist(), "f1": f1.tolist(), "accuracy": accuracy_score(t, p), "n": int(keep.sum())}))
""", [temp.File("t.u8"), temp.File("p.u8")], 120);

        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement e = doc.RootElement;
        Assert.Equal(e.GetProperty("n").GetInt64(), matrix.Total);
        for (int r = 0; r < 4; r++)
        {
            for (int p = 0; p < 4; p++)
            {
                Assert.Equal(e.GetProperty("confusion")[r][p].GetInt64(), matrix[r, p]);
            }

            Assert.Equal(e.GetProperty("precision")[r].GetDouble(), matrix.UsersAccuracy(r), 14);
            Assert.Equal(e.GetProperty("recall")[r].GetDouble(), matrix.ProducersAccuracy(r), 14);
            Assert.Equal(e.GetProperty("f1")[r].GetDouble(), matrix.F1(r), 14);
        }

        Assert.Equal(0, matrix.UsersAccuracy(3));
        Assert.Equal(e.GetProperty("accuracy").GetDouble(), matrix.OverallAccuracy, 14);
        Assert.True(matrix.HoldsCounts);

        // Tallies of parts (threads, tiles) add up to the tally of the whole.
        var parts = new ConfusionMatrix(4);
        for (int start = 0; start < n; start += 7_000)
        {
            int length = Math.Min(7_000, n - start);
            parts.Add(ConfusionMatrix.FromLabels(reference.AsSpan(start, length), predicted.AsSpan(start, length), 4));
        }

        Assert.Equal(JsonText.Format(matrix.WriteJson), JsonText.Format(parts.WriteJson));
    }

    [Fact]
    public void Json_WholeCountsAsIntegers_WeightsAsNumbers_SaveEndsWithNewline()
    {
        var counts = ConfusionMatrix.FromLabels([0, 0, 1, 1, 1, 255, 0], [0, 1, 1, 0, 1, 1, 255]);
        Assert.Equal("[[1,1],[1,2]]", JsonText.Format(counts.WriteJson, indented: false));
        var weighted = new ConfusionMatrix(2);
        weighted.Add(1, 1, 2.5);
        weighted.Add(0, 0, 3);
        Assert.Equal("[[3,0],[0,2.5]]", JsonText.Format(weighted.WriteJson, indented: false));

        using var temp = new TempDirectory();
        counts.Save(temp.File("c.json"));
        string text = File.ReadAllText(temp.File("c.json"));
        Assert.EndsWith("]\n", text, StringComparison.Ordinal);
        Assert.Equal(JsonText.Format(counts.WriteJson) + "\n", text);
        Assert.Single(Directory.GetFiles(temp.Path));

        // An empty matrix: no accuracy rather than a made-up one; ratios follow zero_division=0.
        var empty = new ConfusionMatrix(2);
        Assert.True(double.IsNaN(empty.OverallAccuracy));
        Assert.Equal(0, empty.F1(1));
        Assert.Equal(new BinaryConfusion(0, 0, 0, 0), empty.Binary());
    }

    [Fact]
    public void BadArguments_ThrowArgumentException()
    {
        var m = new ConfusionMatrix(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 1, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(3, 1));
        Assert.Throws<ArgumentException>(() => m.Add([0, 1], [0, 1], [1.0]));
        Assert.Throws<ArgumentException>(() => m.Add([0, 1], [0, 1], [1.0, -2.0]));
        Assert.Throws<ArgumentException>(() => m.Add(new ConfusionMatrix(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Binary(3));
        Assert.Equal(0, m.Total);   // nothing half-added by a refused call before the bad one
    }

    private static (byte[] Reference, byte[] Mapped, double[] Weights, long Population) StratifiedSample(int seed)
    {
        var random = new Random(seed);
        const int cells = 400_000;
        var reference = new byte[cells];
        var mapped = new byte[cells];
        for (int i = 0; i < cells; i++)
        {
            double u = random.NextDouble();
            byte truth = u < 0.025 ? UrbanClass.Urban : u < 0.035 ? (byte)2 : UrbanClass.NonUrban;
            double e = random.NextDouble();
            byte map = truth switch
            {
                UrbanClass.Urban => e < 0.12 ? UrbanClass.NonUrban : UrbanClass.Urban,          // omission at the edges
                2 => e < 0.05 ? UrbanClass.NonUrban : (byte)2,
                _ => e < 0.015 ? UrbanClass.Urban : e < 0.018 ? (byte)2 : UrbanClass.NonUrban,   // commission
            };
            reference[i] = truth;
            mapped[i] = map;
        }

        const int perStratum = 300;
        var sampleReference = new List<byte>();
        var sampleMapped = new List<byte>();
        var sampleWeights = new List<double>();
        for (byte stratum = 0; stratum < 3; stratum++)
        {
            int[] members = [.. Enumerable.Range(0, cells).Where(i => mapped[i] == stratum)];
            random.Shuffle(members);
            double weight = (double)members.Length / perStratum;
            foreach (int i in members.Take(perStratum))
            {
                sampleReference.Add(reference[i]);
                sampleMapped.Add(mapped[i]);
                sampleWeights.Add(weight);
            }
        }

        return ([.. sampleReference], [.. sampleMapped], [.. sampleWeights], cells);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
            string.Create(Invariant, $"expected {expected:R}, got {actual:R}"));
}
