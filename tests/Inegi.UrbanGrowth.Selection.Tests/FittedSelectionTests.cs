using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Selection.Tests;

public sealed class FittedSelectionTests
{
    private static (FeatureMatrix X, byte[] Y) Data() => SyntheticFeatures.Create(300, 48, 2, 5, 0.3);

    [Fact]
    public void Fit_ConstantAndWithinClassConstantColumns_DropsFirstKeepsSecond()
    {
        var (x, y) = Data();

        FittedSelection fwe = new SelectFwe().Fit(x, y);

        Assert.Equal(FeatureVerdict.Constant, fwe.Scores[3].Verdict);      // constant column: F = NaN
        Assert.True(double.IsNaN(fwe.Scores[3].F));
        Assert.Equal(FeatureVerdict.Kept, fwe.Scores[6].Verdict);          // constant within classes: F = inf, p = 0
        Assert.True(double.IsPositiveInfinity(fwe.Scores[6].F));
        Assert.Equal(0, fwe.Scores[6].P);
        Assert.Equal(FeatureVerdict.NotSignificant, fwe.Scores[2].Verdict); // pure noise
    }

    [Fact]
    public void Transform_MatrixAndRow_CopyKeptColumnsInOrder()
    {
        var (x, y) = Data();
        FittedSelection s = SelectionChain.CreateDefault().Fit(x, y);

        FeatureMatrix t = s.Transform(x);
        var row = new float[s.OutputSchema.Count];
        s.Transform(x.Row(17), row);

        Assert.Equal(s.Indices.Count, t.ColumnCount);
        for (int j = 0; j < s.Indices.Count; j++)
        {
            Assert.Equal(x[17, s.Indices[j]], t[17, j]);
            Assert.Equal(x[17, s.Indices[j]], row[j]);
            Assert.Equal(x.Schema.Names[s.Indices[j]], t.Schema.Names[j]);
        }
    }

    [Fact]
    public void Transform_OtherSchema_ThrowsNamingTheColumn()
    {
        var (x, y) = Data();
        FittedSelection s = new SelectFwe().Fit(x, y);
        var other = new FeatureMatrix(2, new FeatureSchema(x.Schema.Names.Select(n => n == "f5" ? "g5" : n)));

        var e = Assert.Throws<ArgumentException>(() => s.Transform(other));
        Assert.Contains("'f5'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => s.Transform(new float[3], new float[100]));
    }

    [Fact]
    public void Chain_ThreeStages_MapsIndicesThroughEveryStage()
    {
        var (x, y) = Data();
        var chain = new SelectionChain(new VarianceThreshold(), new SelectFwe(), new VarianceThreshold(1e-3));

        FittedSelection fitted = chain.Fit(x, y);

        // Independent composition by hand.
        FittedSelection a = new VarianceThreshold().Fit(x, y);
        FeatureMatrix xa = a.Transform(x);
        FittedSelection b = new SelectFwe().Fit(xa, y);
        FeatureMatrix xb = b.Transform(xa);
        FittedSelection c = new VarianceThreshold(1e-3).Fit(xb, y);
        int[] expected = [.. c.Indices.Select(k => a.Indices[b.Indices[k]])];
        Assert.Equal(expected, fitted.Indices);
        Assert.Equal(FeatureVerdict.LowVariance, fitted.Scores[3].Verdict);   // dropped by the first stage
        Assert.Contains(fitted.Scores, s => s.Verdict == FeatureVerdict.NotSignificant);
        Assert.Equal(c.Transform(xb).Values.ToArray(), fitted.Transform(x).Values.ToArray());
    }

    [Fact]
    public void WriteRead_RoundTrip_KeepsNamesIndicesAndScores()
    {
        var (x, y) = Data();
        FittedSelection s = SelectionChain.CreateDefault().Fit(x, y);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(42);            // embedded in a larger file
            s.Write(w);
            w.Write(-7);
        }

        stream.Position = 0;
        using var r = new BinaryReader(stream);
        Assert.Equal(42, r.ReadInt32());
        FittedSelection back = FittedSelection.Read(r);
        Assert.Equal(-7, r.ReadInt32());

        Assert.Equal(s.InputSchema, back.InputSchema);
        Assert.Equal(s.Indices, back.Indices);
        Assert.Equal(s.SelectedNames, back.SelectedNames);
        Assert.Equal(s.Scores, back.Scores);
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsDataFileExceptionNamingFile()
    {
        var (x, y) = Data();
        using var temp = new TempDirectory();
        string path = temp.File("selection.bin");
        new SelectFwe().Fit(x, y).Save(path);
        Assert.Equal(new SelectFwe().Fit(x, y).Indices, FittedSelection.Load(path).Indices);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DataFileException>(() => FittedSelection.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_SortedByFDescending_TextAndCsv()
    {
        var (x, y) = Data();
        FittedSelection s = SelectionChain.CreateDefault().Fit(x, y);
        SelectionReport report = s.CreateReport();
        using var temp = new TempDirectory();
        string csv = temp.File("report.csv");

        report.WriteCsv(csv);
        string text = report.ToString();

        Assert.Equal(48, report.Rows.Count);
        Assert.True(double.IsPositiveInfinity(report.Rows[0].Score.F));
        for (int i = 1; i < report.Rows.Count; i++)
        {
            double prev = report.Rows[i - 1].Score.F;
            double cur = report.Rows[i].Score.F;
            Assert.True(double.IsNaN(cur) || prev >= cur);
        }

        string[] lines = File.ReadAllLines(csv, Encoding.UTF8);
        Assert.Equal(SelectionReport.CsvHeader, lines[0]);
        Assert.Equal(49, lines.Length);
        int k = report.Rows.ToList().FindIndex(r => double.IsFinite(r.Score.F));
        string[] second = lines[k + 1].Split(',');
        SelectionReportRow row = report.Rows[k];
        Assert.Equal("inf", lines[1].Split(',')[2]);
        Assert.Equal(row.Feature, second[0]);
        Assert.Equal(row.Score.F, double.Parse(second[2], CultureInfo.InvariantCulture));
        Assert.Contains(lines, l => l.EndsWith(",false,constant", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",false,p >= alpha/n", StringComparison.Ordinal));
        Assert.Contains($"{s.Indices.Count} of 48 features kept", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Fit_BadLabels_ThrowArgumentException()
    {
        var (x, _) = Data();
        Assert.Throws<ArgumentException>(() => new SelectFwe().Fit(x, new byte[299]));
        Assert.Throws<ArgumentException>(() => new SelectFwe().Fit(x, new byte[300]));   // one class
        var y = new byte[300];
        y[0] = 255;
        y[1] = 1;
        Assert.Throws<ArgumentException>(() => new SelectFwe().Fit(x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectFwe(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VarianceThreshold(-1));
    }
}
