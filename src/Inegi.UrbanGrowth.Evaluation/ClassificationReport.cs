using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Evaluation;

/// <summary>Precision, recall, F1 and support of one class, or an average over classes.</summary>
/// <param name="Name">Class name, or <c>macro avg</c> / <c>weighted avg</c>.</param>
/// <param name="Precision">tp / (tp + fp); 0 when nothing was predicted as the class.</param>
/// <param name="Recall">tp / (tp + fn); 0 when the class has no rows.</param>
/// <param name="F1">2 tp / (2 tp + fp + fn) (the harmonic mean of precision and recall); 0 when that is 0 / 0.</param>
/// <param name="Support">Rows (or weight) of the class (for an average: all rows).</param>
public readonly record struct ClassMetrics(string Name, double Precision, double Recall, double F1, double Support);

/// <summary>
/// Per-class precision, recall, F1 and support, overall accuracy, and macro and weighted averages from a
/// confusion matrix: scikit-learn's <c>classification_report</c>, as text in its layout and as the JSON of SPEC 8.
/// </summary>
/// <remarks>
/// <para>Zero division follows sklearn's default (<c>zero_division="warn"</c>, which yields 0): a class that is
/// never predicted has precision 0, a class with no rows has recall 0, and F1 is 0 when 2 tp + fp + fn = 0.
/// Such classes still count in the macro average, as in sklearn when the labels are listed.</para>
/// <para>Macro average: the unweighted mean of the per-class values. Weighted average: weighted by support.</para>
/// </remarks>
public sealed class ClassificationReport
{
    private readonly ClassMetrics[] _perClass;

    /// <summary>Computes the report of a confusion matrix.</summary>
    /// <param name="confusion">Counts or weights, row = actual (reference).</param>
    /// <param name="classNames">One name per class; default <c>non_urban</c>, <c>urban</c> for two classes, else <c>class_i</c>.</param>
    public ClassificationReport(ConfusionMatrix confusion, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int k = confusion.ClassCount;
        classNames ??= DefaultNames(k);
        if (classNames.Count != k)
        {
            throw new ArgumentException($"Expected {k} class names, got {classNames.Count}.", nameof(classNames));
        }

        Confusion = confusion;
        Total = confusion.Total;
        _perClass = new ClassMetrics[k];
        double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedR = 0, weightedF = 0;
        for (int c = 0; c < k; c++)
        {
            // The confusion's own ratios (sklearn's zero_division=0): 2 tp / (support + predicted) is 2 tp / (2 tp + fp + fn).
            double support = confusion.RowTotal(c);
            double precision = confusion.UsersAccuracy(c);
            double recall = confusion.ProducersAccuracy(c);
            double f1 = confusion.F1(c);
            _perClass[c] = new ClassMetrics(classNames[c], precision, recall, f1, support);
            macroP += precision;
            macroR += recall;
            macroF += f1;
            weightedP += precision * support;
            weightedR += recall * support;
            weightedF += f1 * support;
        }

        Accuracy = Total == 0 ? 0 : confusion.Correct / Total;
        MacroAverage = new ClassMetrics("macro avg", macroP / k, macroR / k, macroF / k, Total);
        WeightedAverage = Total == 0
            ? new ClassMetrics("weighted avg", 0, 0, 0, 0)
            : new ClassMetrics("weighted avg", weightedP / Total, weightedR / Total, weightedF / Total, Total);
    }

    /// <summary>The confusion matrix the report was computed from.</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>Per-class metrics, by class value.</summary>
    public IReadOnlyList<ClassMetrics> PerClass => _perClass;

    /// <summary>Overall accuracy: correct / total (0 for no rows).</summary>
    public double Accuracy { get; }

    /// <summary>Unweighted mean over classes.</summary>
    public ClassMetrics MacroAverage { get; }

    /// <summary>Support-weighted mean over classes.</summary>
    public ClassMetrics WeightedAverage { get; }

    /// <summary>Number of rows counted (their total weight for a weighted confusion).</summary>
    public double Total { get; }

    /// <summary>The report from labels and predictions.</summary>
    /// <param name="actual">Actual classes (255 rows are skipped).</param>
    /// <param name="predicted">Predicted classes.</param>
    /// <param name="classNames">One name per class; its count is the number of classes (default: the two pilot classes).</param>
    public static ClassificationReport FromLabels(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> predicted, IReadOnlyList<string>? classNames = null)
    {
        classNames ??= UrbanClass.Names;
        return new ClassificationReport(ConfusionMatrix.FromLabels(actual, predicted, classNames.Count), classNames);
    }

    /// <summary>The report as sklearn's <c>classification_report</c> text (same widths and layout).</summary>
    /// <param name="digits">Decimals (5 like the pilot's tables; sklearn's default is 2).</param>
    public string ToText(int digits = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        int width = "weighted avg".Length;
        foreach (ClassMetrics m in _perClass)
        {
            width = Math.Max(width, m.Name.Length);
        }

        width = Math.Max(width, digits);
        string f = "F" + digits.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(string.Empty.PadLeft(width)).Append(' ');
        foreach (string h in new[] { "precision", "recall", "f1-score", "support" })
        {
            text.Append(' ').Append(h.PadLeft(9));
        }

        text.Append("\n\n");
        foreach (ClassMetrics m in _perClass)
        {
            AppendRow(text, m, width, f);
        }

        text.Append('\n');
        text.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ').Append(string.Empty.PadLeft(9))
            .Append(' ').Append(string.Empty.PadLeft(9))
            .Append(' ').Append(Accuracy.ToString(f, CultureInfo.InvariantCulture).PadLeft(9))
            .Append(' ').Append(Total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        AppendRow(text, MacroAverage, width, f);
        AppendRow(text, WeightedAverage, width, f);
        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();

    /// <summary>Writes the SPEC 8 JSON object (overall_accuracy, macro_f1, per_class, confusion, plus averages and total).</summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteJsonProperties(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    internal void WriteJsonProperties(Utf8JsonWriter writer)
    {
        writer.WriteNumber("overall_accuracy", Accuracy);
        writer.WriteNumber("macro_f1", MacroAverage.F1);
        writer.WriteStartObject("per_class");
        foreach (ClassMetrics m in _perClass)
        {
            writer.WritePropertyName(m.Name);
            WriteMetrics(writer, m);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("confusion");
        Confusion.WriteJson(writer);
        writer.WritePropertyName("macro_avg");
        WriteMetrics(writer, MacroAverage);
        writer.WritePropertyName("weighted_avg");
        WriteMetrics(writer, WeightedAverage);
        WriteCount(writer, "total", Total);
    }

    /// <summary>A count or weight: an integer when whole (the bytes of the long counts of earlier versions), else a number.</summary>
    internal static void WriteCount(Utf8JsonWriter writer, double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) <= 9007199254740992.0)
        {
            writer.WriteNumberValue((long)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteCount(writer, value);
    }

    internal static IReadOnlyList<string> DefaultNames(int k)
    {
        if (k == 2)
        {
            return UrbanClass.Names;
        }

        var names = new string[k];
        for (int i = 0; i < k; i++)
        {
            names[i] = "class_" + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static void WriteMetrics(Utf8JsonWriter writer, ClassMetrics m)
    {
        writer.WriteStartObject();
        writer.WriteNumber("precision", m.Precision);
        writer.WriteNumber("recall", m.Recall);
        writer.WriteNumber("f1", m.F1);
        WriteCount(writer, "support", m.Support);
        writer.WriteEndObject();
    }

    private static void AppendRow(StringBuilder text, ClassMetrics m, int width, string f)
    {
        text.Append(m.Name.PadLeft(width)).Append(' ')
            .Append(' ').Append(m.Precision.ToString(f, CultureInfo.InvariantCulture).PadLeft(9))
            .Append(' ').Append(m.Recall.ToString(f, CultureInfo.InvariantCulture).PadLeft(9))
            .Append(' ').Append(m.F1.ToString(f, CultureInfo.InvariantCulture).PadLeft(9))
            .Append(' ').Append(m.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }
}
