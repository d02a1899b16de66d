using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Evaluation;

/// <summary>
/// The pilot's national accuracy table (SPEC 6; the design document's "Extra Trees Confusion matrix"): the
/// confusion counts with row totals and per-class recall, the per-class precision and F1 below, overall accuracy,
/// and macro recall / precision / F1; as aligned text with thousands separators and percentages, and as JSON.
/// </summary>
/// <remarks>The metrics are those of <see cref="ClassificationReport"/> (same zero-division rules); only the layout differs.</remarks>
public sealed class NationalAccuracyTable
{
    /// <summary>Creates the table of a confusion matrix (typically a whole labelled grid against a map).</summary>
    /// <param name="confusion">Counts (or weights), row = actual (reference).</param>
    /// <param name="classNames">One name per class (default: the pilot's two classes).</param>
    public NationalAccuracyTable(ConfusionMatrix confusion, IReadOnlyList<string>? classNames = null)
    {
        Report = new ClassificationReport(confusion, classNames);
    }

    /// <summary>The underlying metrics.</summary>
    public ClassificationReport Report { get; }

    /// <summary>Overall accuracy (fraction).</summary>
    public double OverallAccuracy => Report.Accuracy;

    /// <summary>Macro recall (fraction).</summary>
    public double MacroRecall => Report.MacroAverage.Recall;

    /// <summary>Macro precision (fraction).</summary>
    public double MacroPrecision => Report.MacroAverage.Precision;

    /// <summary>Macro F1 (fraction).</summary>
    public double MacroF1 => Report.MacroAverage.F1;

    /// <summary>The table as aligned text: counts with thousands separators ("1,599,258"), metrics as percentages with two decimals.</summary>
    public string ToText()
    {
        ConfusionMatrix c = Report.Confusion;
        int k = c.ClassCount;
        var header = new List<string> { "actual \\ predicted" };
        foreach (ClassMetrics m in Report.PerClass)
        {
            header.Add(m.Name);
        }

        header.Add("total");
        header.Add("recall");
        var rows = new List<string[]> { header.ToArray() };
        for (int a = 0; a < k; a++)
        {
            var row = new List<string> { Report.PerClass[a].Name };
            for (int p = 0; p < k; p++)
            {
                row.Add(Count(c[a, p]));
            }

            row.Add(Count(c.RowTotal(a)));
            row.Add(Percent(Report.PerClass[a].Recall));
            rows.Add(row.ToArray());
        }

        rows.Add(Line("total", a => Count(c.ColumnTotal(a)), Count(c.Total), string.Empty, k));
        rows.Add(Line("precision", a => Percent(Report.PerClass[a].Precision), string.Empty, string.Empty, k));
        rows.Add(Line("f1", a => Percent(Report.PerClass[a].F1), string.Empty, string.Empty, k));
        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int j = 0; j < columns; j++)
            {
                widths[j] = Math.Max(widths[j], row[j].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            text.Append(row[0].PadRight(widths[0]));
            for (int j = 1; j < columns; j++)
            {
                text.Append("  ").Append(row[j].PadLeft(widths[j]));
            }

            text.Append('\n');
        }

        text.Append('\n');
        text.Append("overall accuracy  ").Append(Percent(OverallAccuracy)).Append('\n');
        text.Append("macro recall      ").Append(Percent(MacroRecall)).Append('\n');
        text.Append("macro precision   ").Append(Percent(MacroPrecision)).Append('\n');
        text.Append("macro f1          ").Append(Percent(MacroF1)).Append('\n');
        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();

    /// <summary>Writes the JSON: the SPEC 8 fields plus <c>macro_recall</c>, <c>macro_precision</c>, <c>row_totals</c>.</summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        Report.WriteJsonProperties(writer);
        writer.WriteNumber("macro_recall", MacroRecall);
        writer.WriteNumber("macro_precision", MacroPrecision);
        writer.WriteStartArray("row_totals");
        for (int a = 0; a < Report.Confusion.ClassCount; a++)
        {
            ClassificationReport.WriteCount(writer, Report.Confusion.RowTotal(a));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    private static string[] Line(string name, Func<int, string> cell, string total, string last, int k)
    {
        var row = new string[k + 3];
        row[0] = name;
        for (int a = 0; a < k; a++)
        {
            row[a + 1] = cell(a);
        }

        row[k + 1] = total;
        row[k + 2] = last;
        return row;
    }

    // Whole counts print as before ("1,599,258"); a weighted confusion's entries are rounded to whole units here.
    private static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
