using System.Globalization;
using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Evaluation.Tests;

public sealed class ReportTests
{
    // The pilot's national 2010 Extra-Trees table (design document, "Extra Trees Confusion matrix").
    private static ConfusionMatrix Pilot() => ConfusionMatrix.FromCounts(new double[,] { { 1_599_258, 105_536 }, { 1_277, 35_482 } });

    [Fact]
    public void NationalAccuracyTable_PilotCounts_ReproducesPublishedFigures()
    {
        var table = new NationalAccuracyTable(Pilot());
        string text = table.ToText();

        Assert.Equal(93.87, Math.Round(table.OverallAccuracy * 100, 2));
        Assert.Equal(25.16, Math.Round(table.Report.PerClass[1].Precision * 100, 2));
        Assert.Equal(96.53, Math.Round(table.Report.PerClass[1].Recall * 100, 2));
        Assert.Equal(95.17, Math.Round(table.MacroRecall * 100, 2));
        Assert.Equal(62.54, Math.Round(table.MacroPrecision * 100, 2));
        Assert.Equal(68.34, Math.Round(table.MacroF1 * 100, 2));
        Assert.Equal(96.77, Math.Round(table.Report.PerClass[0].F1 * 100, 2));
        Assert.Equal(39.92, Math.Round(table.Report.PerClass[1].F1 * 100, 2));
        Assert.Contains("1,599,258", text, StringComparison.Ordinal);
        Assert.Contains("1,704,794", text, StringComparison.Ordinal);   // non-urban row total (SPEC 1.2)
        Assert.Contains("36,759", text, StringComparison.Ordinal);      // urban row total
        Assert.Contains("overall accuracy  93.87%", text, StringComparison.Ordinal);
        Assert.Contains("macro f1          68.34%", text, StringComparison.Ordinal);
        string[] lines = text.Split('\n');
        Assert.Equal(lines[1].Length, lines[2].Length);                 // aligned
    }

    [Fact]
    public void NationalAccuracyTable_Json_HasSpecShape()
    {
        using JsonDocument doc = JsonDocument.Parse(JsonText.Format(new NationalAccuracyTable(Pilot()).WriteJson));
        JsonElement root = doc.RootElement;

        Assert.Equal(1_634_740.0 / 1_741_553, root.GetProperty("overall_accuracy").GetDouble(), 12);
        Assert.Equal(0.6834, root.GetProperty("macro_f1").GetDouble(), 4);
        JsonElement urban = root.GetProperty("per_class").GetProperty("urban");
        Assert.Equal(36_759, urban.GetProperty("support").GetInt64());
        Assert.Equal(35_482.0 / 141_018, urban.GetProperty("precision").GetDouble(), 12);
        Assert.Equal(0.9653, urban.GetProperty("recall").GetDouble(), 4);
        Assert.True(urban.TryGetProperty("f1", out _));
        Assert.Equal(105_536, root.GetProperty("confusion")[0][1].GetInt64());   // fp
        Assert.Equal(1_277, root.GetProperty("confusion")[1][0].GetInt64());     // fn
        Assert.Equal(0.9517, root.GetProperty("macro_recall").GetDouble(), 4);
        Assert.Equal(1_704_794, root.GetProperty("row_totals")[0].GetInt64());
    }

    [Fact]
    public void ClassificationReport_RandomLabels_MatchesSklearn()
    {
        // Cases: binary imbalanced, binary balanced, 3-class with class 2 never predicted, 3-class with class 1 absent from y_true.
        var cases = new List<(byte[] Actual, byte[] Predicted, string[] Names)>();
        var random = new Random(3);
        cases.Add(Labels(random, 5000, 2, 0.1, never: -1, absent: -1, ["non_urban", "urban"]));
        cases.Add(Labels(random, 777, 2, 0.5, never: -1, absent: -1, ["non_urban", "urban"]));
        cases.Add(Labels(random, 1200, 3, 0.3, never: 2, absent: -1, ["water", "urban", "vegetation"]));
        cases.Add(Labels(random, 300, 3, 0.3, never: -1, absent: 1, ["a", "b", "c"]));

        using var temp = new TempDirectory();
        var manifest = new List<string>();
        for (int c = 0; c < cases.Count; c++)
        {
            File.WriteAllBytes(temp.File($"t{c}.u8"), cases[c].Actual);
            File.WriteAllBytes(temp.File($"p{c}.u8"), cases[c].Predicted);
            manifest.Add(string.Join(' ', temp.File($"t{c}.u8"), temp.File($"p{c}.u8"), temp.File($"out{c}"), string.Join(',', cases[c].Names)));
        }

        File.WriteAllLines(temp.File("manifest.txt"), manifest);
        Oracles.RunPython("""
import sys, json, numpy as np, warnings
warnings.simplefilter("ignore")
from sklearn.metrics import classification_report, confusion_matrix, f1_score, accuracy_score
for line in open(sys.argv[1]):
    tf, pf, out, names = line.split()
    names = names.split(',')
    t = np.fromfile(tf, dtype=np.uint8); p = np.fromfile(pf, dtype=np.uint8)
    labels = list(range(len(names)))
    open(out + ".txt", "w").write(classification_report(t, p, labels=labels, target_names=names, digits=5))
    d = classification_report(t, p, labels=labels, target_names=names, output_dict=True)
    d["confusion"] = confusion_matrix(t, p, labels=labels).tolist()
    d["macro_f1"] = f1_score(t, p, labels=labels, average="macro")
    d["accuracy_score"] = accuracy_score(t, p)
    json.dump(d, open(out + ".json", "w"))
""", [temp.File("manifest.txt")], 120);

        for (int c = 0; c < cases.Count; c++)
        {
            var report = ClassificationReport.FromLabels(cases[c].Actual, cases[c].Predicted, cases[c].Names);
            Assert.Equal(File.ReadAllText(temp.File($"out{c}.txt")), report.ToText(5));
            using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(temp.File($"out{c}.json")));
            JsonElement e = expected.RootElement;
            for (int k = 0; k < cases[c].Names.Length; k++)
            {
                JsonElement m = e.GetProperty(cases[c].Names[k]);
                Assert.Equal(m.GetProperty("precision").GetDouble(), report.PerClass[k].Precision, 14);
                Assert.Equal(m.GetProperty("recall").GetDouble(), report.PerClass[k].Recall, 14);
                Assert.Equal(m.GetProperty("f1-score").GetDouble(), report.PerClass[k].F1, 14);
                Assert.Equal(m.GetProperty("support").GetDouble(), report.PerClass[k].Support);
                for (int j = 0; j < cases[c].Names.Length; j++)
                {
                    Assert.Equal(e.GetProperty("confusion")[k][j].GetInt64(), report.Confusion[k, j]);
                }
            }

            Assert.Equal(e.GetProperty("macro_f1").GetDouble(), report.MacroAverage.F1, 14);
            Assert.Equal(e.GetProperty("accuracy_score").GetDouble(), report.Accuracy, 14);
            Assert.Equal(e.GetProperty("weighted avg").GetProperty("f1-score").GetDouble(), report.WeightedAverage.F1, 14);
            Assert.Equal(e.GetProperty("macro avg").GetProperty("precision").GetDouble(), report.MacroAverage.Precision, 14);
        }

        Assert.Equal(0, ClassificationReport.FromLabels(cases[2].Actual, cases[2].Predicted, cases[2].Names).PerClass[2].Precision);
    }

    [Fact]
    public void ClassificationReport_Save_WritesSpecFieldsAtomically()
    {
        using var temp = new TempDirectory();
        string path = temp.File("report.json");
        var report = ClassificationReport.FromLabels([0, 0, 1, 1, 1, 255], [0, 1, 1, 1, 0, 0]);

        report.Save(path);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        Assert.Equal(0.6, root.GetProperty("overall_accuracy").GetDouble(), 15);   // 255 row skipped
        Assert.Equal(["overall_accuracy", "macro_f1", "per_class", "confusion", "macro_avg", "weighted_avg", "total"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["non_urban", "urban"], root.GetProperty("per_class").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(2, root.GetProperty("confusion")[1][1].GetInt64());
        Assert.Single(Directory.GetFiles(temp.Path));
        Assert.DoesNotContain(",", root.GetProperty("macro_f1").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfusionMatrix_BadLabels_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels([0, 2], [0, 1]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels([0, 1], [0, 3]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(new double[2, 3]));
    }

    private static (byte[], byte[], string[]) Labels(Random random, int n, int k, double noise, int never, int absent, string[] names)
    {
        var t = new byte[n];
        var p = new byte[n];
        for (int i = 0; i < n; i++)
        {
            int a = k == 2 ? (random.NextDouble() < 0.2 ? 1 : 0) : random.Next(k);
            if (a == absent)
            {
                a = (a + 1) % k;
            }

            int q = random.NextDouble() < noise ? random.Next(k) : a;
            if (q == never)
            {
                q = (q + 1) % k;
            }

            t[i] = (byte)a;
            p[i] = (byte)q;
        }

        return (t, p, names);
    }
}
