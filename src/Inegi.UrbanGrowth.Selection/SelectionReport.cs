using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Selection;

/// <summary>One line of a <see cref="SelectionReport"/>.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Index">Column index in the input schema.</param>
/// <param name="Score">Statistics and verdict.</param>
public readonly record struct SelectionReportRow(string Feature, int Index, FeatureScore Score)
{
    /// <summary>Whether the feature was kept.</summary>
    public bool Kept => Score.Verdict == FeatureVerdict.Kept;

    /// <summary>The verdict as a short reason: <c>kept</c>, <c>constant</c>, <c>p &gt;= alpha/n</c>, <c>low variance</c> or <c>dropped</c>.</summary>
    public string Reason => SelectionReport.ReasonText(Score.Verdict);
}

/// <summary>
/// The univariate report of a fitted selection: every input feature with its F, p (and log10 p), variance, and
/// whether it was kept or why dropped, sorted by F descending (undefined F last, ties by column index).
/// </summary>
public sealed class SelectionReport
{
    private readonly SelectionReportRow[] _rows;

    /// <summary>Builds the report of a fitted selection.</summary>
    /// <param name="selection">The fitted selection.</param>
    public SelectionReport(FittedSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        _rows = new SelectionReportRow[selection.InputSchema.Count];
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = new SelectionReportRow(selection.InputSchema.Names[i], i, selection.Scores[i]);
        }

        Array.Sort(_rows, static (a, b) =>
        {
            double fa = a.Score.F;
            double fb = b.Score.F;
            bool na = double.IsNaN(fa);
            bool nb = double.IsNaN(fb);
            int c = na != nb ? (na ? 1 : -1) : na ? 0 : fb.CompareTo(fa);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        KeptCount = selection.Indices.Count;
    }

    /// <summary>The lines, sorted by F descending.</summary>
    public IReadOnlyList<SelectionReportRow> Rows => _rows;

    /// <summary>Number of kept features.</summary>
    public int KeptCount { get; }

    /// <summary>The column header of <see cref="WriteCsv"/>.</summary>
    public const string CsvHeader = "feature,index,f,p,log10_p,variance,kept,reason";

    /// <summary>The report as aligned text: one line per feature.</summary>
    public override string ToString()
    {
        int width = 7;
        foreach (SelectionReportRow row in _rows)
        {
            width = Math.Max(width, row.Feature.Length);
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{KeptCount} of {_rows.Length} features kept").AppendLine();
        text.Append("feature".PadRight(width)).Append("  ").Append("F".PadLeft(14)).Append("  ")
            .Append("p".PadLeft(12)).Append("  ").Append("log10 p".PadLeft(10)).Append("  ")
            .Append("variance".PadLeft(12)).Append("  ").AppendLine("verdict");
        foreach (SelectionReportRow row in _rows)
        {
            FeatureScore s = row.Score;
            text.Append(row.Feature.PadRight(width)).Append("  ")
                .Append(Format(s.F, "G6").PadLeft(14)).Append("  ")
                .Append(Format(s.P, "E3").PadLeft(12)).Append("  ")
                .Append(Format(s.Log10P, "F2").PadLeft(10)).Append("  ")
                .Append(Format(s.Variance, "G6").PadLeft(12)).Append("  ")
                .AppendLine(row.Reason);
        }

        return text.ToString();
    }

    /// <summary>Writes the report as CSV (header <see cref="CsvHeader"/>, invariant culture, UTF-8 without BOM, atomically).</summary>
    /// <remarks>Numbers are written round-trip ("R"); missing statistics are empty; infinities are <c>inf</c> / <c>-inf</c>.</remarks>
    /// <param name="path">Destination file.</param>
    public void WriteCsv(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(CsvHeader);
        foreach (SelectionReportRow row in _rows)
        {
            FeatureScore s = row.Score;
            writer.Write(Quote(row.Feature));
            writer.Write(',');
            writer.Write(row.Index.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Csv(s.F));
            writer.Write(',');
            writer.Write(Csv(s.P));
            writer.Write(',');
            writer.Write(Csv(s.Log10P));
            writer.Write(',');
            writer.Write(Csv(s.Variance));
            writer.Write(',');
            writer.Write(row.Kept ? "true" : "false");
            writer.Write(',');
            writer.WriteLine(Quote(row.Reason));
        }
    });

    internal static string ReasonText(FeatureVerdict verdict) => verdict switch
    {
        FeatureVerdict.Kept => "kept",
        FeatureVerdict.Constant => "constant",
        FeatureVerdict.NotSignificant => "p >= alpha/n",
        FeatureVerdict.LowVariance => "low variance",
        _ => "dropped",
    };

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "-" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Csv(double value) =>
        double.IsNaN(value) ? string.Empty : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
