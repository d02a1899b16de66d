using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

public sealed class FeatureCsvReaderTests
{
    private static void AssertSameAsRuntime(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        bool expectedOk = float.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out float expected);
        bool ok = FastFloatParser.TryParse(utf8, out float actual);
        Assert.True(expectedOk == ok, $"'{text}': runtime {(expectedOk ? "parses" : "rejects")} it, ours {(ok ? "parses" : "rejects")} it");
        if (ok)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"'{text}': runtime {expected:R}, ours {actual:R}");
        }
    }

    [Fact]
    public void FastFloatParser_MillionsOfNumbers_BitIdenticalToTheRuntime()
    {
        // The forms a features CSV holds (float32 and float64 shortest round trip, numpy's repr, fixed and exponent
        // notation) over the whole float32 range, plus the numbers closest to float32 rounding midpoints, where a
        // double-then-float rounding would go wrong.
        var random = new Random(20261125);
        string[] formats = ["R", "G9", "G17", "E3", "E8", "E16", "F2", "F6", "G"];
        for (int i = 0; i < 400_000; i++)
        {
            double magnitude = Math.Pow(10, (random.NextDouble() * 80) - 40);
            double v = (random.Next(2) == 0 ? -1 : 1) * random.NextDouble() * magnitude;
            string format = formats[i % formats.Length];
            AssertSameAsRuntime(v.ToString(format, CultureInfo.InvariantCulture));
            AssertSameAsRuntime(((float)v).ToString(format, CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < 200_000; i++)
        {
            // Halfway between two adjacent floats, written with 17 and 19 digits, and just either side.
            float f = BitConverter.Int32BitsToSingle(random.Next(0x00800000, 0x7F000000));
            double half = ((double)f + (double)MathF.BitIncrement(f)) / 2;
            AssertSameAsRuntime(half.ToString("R", CultureInfo.InvariantCulture));
            AssertSameAsRuntime(half.ToString("E18", CultureInfo.InvariantCulture));
            AssertSameAsRuntime(Math.BitIncrement(half).ToString("E18", CultureInfo.InvariantCulture));
            AssertSameAsRuntime(Math.BitDecrement(half).ToString("E18", CultureInfo.InvariantCulture));
        }

        string[] edge =
        [
            "0", "-0", "+0", "0.0", "-0.000", "00012.5000", ".5", "5.", "-.5", "1e5", "1E-5", "1e+5", "1e", "1e+", "e5", ".", "-", "+",
            "", " ", " 1.5", "1.5 ", "1,5", "1.5.5", "0x10", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e39", "-1e39", "3.4028235e38",
            "3.4028236e38", "3.5e38", "1.17549435e-38", "1e-38", "1e-45", "1.4e-45", "7e-46", "1e-50", "1e400", "1e-400",
            "12345678901234567890", "1234567890123456789", "0.1234567890123456789012", "9999999999999999999e-10", "16777217",
            "33554431", "1e99999999999", "0e99999", "١٢", "1_000",
        ];
        foreach (string text in edge)
        {
            AssertSameAsRuntime(text);
        }
    }

    [Fact]
    public void Read_OneTwoManyThreads_SameTableAsTheWriterWrote()
    {
        // Blocks are 4 MB: 3,000 rows of 200 float64-repr values (about 11 MB) span several, with CRLF line ends,
        // a byte order mark and blank lines in between.
        using var dir = new TempDirectory();
        var random = new Random(3);
        const int Rows = 3000, Features = 200;
        var builder = new StringBuilder("cell_id,row,col,label," + string.Join(',', Enumerable.Range(0, Features).Select(f => $"f{f}")) + "\r\n");
        var expected = new float[Rows * Features];
        for (int r = 0; r < Rows; r++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{r * 7},{r / 50},{r % 50},{(r % 3 == 0 ? "" : (r % 2).ToString(CultureInfo.InvariantCulture))}");
            for (int f = 0; f < Features; f++)
            {
                double v = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6));
                expected[(r * Features) + f] = (float)v;
                builder.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            builder.Append(r % 500 == 499 ? "\r\n\r\n" : "\r\n");
        }

        string path = dir.File("big.csv");
        File.WriteAllText(path, builder.ToString(), new UTF8Encoding(true));
        foreach (int threads in new[] { 1, 2, 5 })
        {
            FeatureTable table = FeatureCsv.Read(path, threads);
            Assert.Equal(Rows, table.Features.RowCount);
            Assert.Equal("f199", table.Features.Schema.Names[^1]);
            Assert.Equal(expected, table.Features.Values.ToArray());
            Assert.Equal(Enumerable.Range(0, Rows).Select(r => (long)r * 7), table.CellIds);
            Assert.Equal(Enumerable.Range(0, Rows).Select(r => r / 50), table.GridRows);
            Assert.Equal(Enumerable.Range(0, Rows).Select(r => (byte)(r % 3 == 0 ? 255 : r % 2)), table.Labels);
        }
    }

    [Fact]
    public void Read_SeveralBadLines_ReportsTheFirstWhateverTheThreads()
    {
        using var dir = new TempDirectory();
        var builder = new StringBuilder("cell_id,row,col,label,a,b\n");
        for (int r = 0; r < 5000; r++)
        {
            string b = r switch { 3210 => "oops", 4000 => "1e", _ => "0.25" };
            builder.Append(CultureInfo.InvariantCulture, $"{r},0,{r},{r % 2},0.5,{b}\n");
        }

        builder.Append("5000,0,5000,1,0.5\n");
        string path = dir.File("bad.csv");
        File.WriteAllText(path, builder.ToString());
        foreach (int threads in new[] { 1, 2, 4 })
        {
            var e = Assert.Throws<DataFileException>(() => FeatureCsv.Read(path, threads));
            Assert.Contains("bad.csv", e.Message, StringComparison.Ordinal);
            Assert.Contains("line 3212: 'oops' in column 'b' is not a number", e.Message, StringComparison.Ordinal);
        }

        File.WriteAllText(path, "cell_id,row,col,label,a,b\n1,0,1,0,0.5\n");
        Assert.Contains("line 2: 1 feature values, expected 2", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n1,0,1,0,0.5,1,2\n");
        Assert.Contains("line 2: more than 2 feature values", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n1,0,1,urban,0.5,1\n");
        Assert.Contains("line 2: label 'urban' is not 0, 1 or empty", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n-1,0,1,1,0.5,1\n");
        Assert.Contains("line 2: cell_id '-1' is not a non-negative integer", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n1,0,1,1,0.5,NaN\n");
        Assert.Contains("line 2: column 'b' is not finite (NaN)", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,label,a,b\n", Encoding.Unicode);
        Assert.Contains("UTF-16", Assert.Throws<DataFileException>(() => FeatureCsv.Read(path)).Message, StringComparison.Ordinal);
    }
}
