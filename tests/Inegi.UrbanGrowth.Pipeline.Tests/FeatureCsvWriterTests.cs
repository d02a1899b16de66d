using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// The UTF-8 features CSV writer against the string-based writer it replaced (kept below as the reference): the same
/// bytes for every float the format can meet, row lengths beyond the buffer, and a sidecar hash of the bytes written.
/// </summary>
public sealed class FeatureCsvWriterTests
{
    private static readonly float[] Awkward =
    [
        float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7FC00001), BitConverter.Int32BitsToSingle(unchecked((int)0xFF800001)),
        0f, -0f, float.PositiveInfinity, float.NegativeInfinity,
        float.Epsilon, -float.Epsilon, BitConverter.Int32BitsToSingle(0x007FFFFF), 1.17549435E-38f, -1.17549435E-38f,
        float.MaxValue, float.MinValue, 3.4028233E+38f, 1e-45f, 1e-38f, 1e-7f, 1e-5f, 1e-4f, 0.001f, 0.1f, 1f / 3f, 2f / 3f,
        0.5f, 1f, -1f, 10f, 1e6f, 1e7f, 9999999f, 16777216f, 16777217f, 123456789f, 1e10f, 1e15f, 1e16f, 1e20f, 1e30f,
        -1.5e-10f, 4.9e-45f, 0.30000001f, 1.00000012f, 0.99999994f, 100f, 12345.678f, -98765.43f,
    ];

    [Fact]
    public void WriteRow_AwkwardFloatsAndIdentities_SameBytesAsTheStringWriter()
    {
        using var dir = new TempDirectory();
        var schema = new FeatureSchema(Enumerable.Range(0, Awkward.Length).Select(i => i == 3 ? "año_ñ" : "f" + i.ToString(CultureInfo.InvariantCulture)));
        var rows = new List<(long Id, int Row, int Col, byte Label, float[] Values)>();
        long[] ids = [0, 1, 9, 10, 99, 100, -1, long.MaxValue, long.MinValue, 123456789012345];
        int[] ints = [0, 1, -1, int.MaxValue, int.MinValue, 33, 1000, 65535];
        byte[] labels = [0, 1, UrbanClass.Undefined, 2, 9, 254];
        for (int r = 0; r < Awkward.Length; r++)
        {
            // Each row rotates the awkward values so every value meets every column position.
            float[] values = [.. Awkward.Skip(r), .. Awkward.Take(r)];
            rows.Add((ids[r % ids.Length], ints[r % ints.Length], ints[(r + 3) % ints.Length], labels[r % labels.Length], values));
        }

        AssertSameBytes(dir, schema, rows);
    }

    [Fact]
    public void WriteRow_RandomBitPatterns_SameBytesAsTheStringWriter()
    {
        using var dir = new TempDirectory();
        var random = new Random(21);
        const int Columns = 61;
        var schema = new FeatureSchema(Enumerable.Range(0, Columns).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)));
        var rows = new List<(long, int, int, byte, float[])>();
        for (int r = 0; r < 1500; r++)
        {
            var values = new float[Columns];
            for (int c = 0; c < Columns; c++)
            {
                // Any bit pattern: subnormals, NaN payloads, every exponent; plus ordinary magnitudes.
                values[c] = c % 2 == 0 ? BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)) : (float)(random.NextDouble() * Math.Pow(10, random.Next(-12, 12)));
            }

            rows.Add((r * 7L, r / 40, r % 40, (byte)(r % 3 == 2 ? UrbanClass.Undefined : r % 3), values));
        }

        AssertSameBytes(dir, schema, rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void WriteRow_AnyThreadCount_SameBytes(int threads)
    {
        using var dir = new TempDirectory();
        FeatureSchema schema = FeatureExtractionSettings.Default.CreateSchema();
        var random = new Random(8);
        var rows = new List<(long, int, int, byte, float[])>();
        // More rows than are held before formatting (512), and a partial last group.
        for (int r = 0; r < 1100; r++)
        {
            rows.Add((r, r / 33, r % 33, (byte)(r % 2), [.. Enumerable.Range(0, schema.Count).Select(_ => (float)(random.NextDouble() * 2 - 0.5))]));
        }

        string path = dir.File("t.csv");
        using (var writer = new FeatureCsvWriter(path, schema) { MaxDegreeOfParallelism = threads })
        {
            foreach ((long id, int row, int col, byte label, float[] values) in rows)
            {
                writer.WriteRow(id, row, col, label, values);
            }

            writer.Commit();
        }

        StringFeatureCsvReference.Write(dir.File("old.csv"), schema, rows);
        Assert.True(File.ReadAllBytes(dir.File("old.csv")).AsSpan().SequenceEqual(File.ReadAllBytes(path)));
    }

    [Fact]
    public void WriteRow_RowsLongerThanTheBuffer_SameBytesAsTheStringWriter()
    {
        using var dir = new TempDirectory();
        const int Columns = 5000; // a row of about 75 kB of text, more than the 64 KiB minimum buffer
        var schema = new FeatureSchema(Enumerable.Range(0, Columns).Select(i => "long_feature_name_" + i.ToString(CultureInfo.InvariantCulture)));
        var rows = new List<(long, int, int, byte, float[])>();
        for (int r = 0; r < 9; r++)
        {
            rows.Add((r, r, r, (byte)(r % 2), [.. Enumerable.Range(0, Columns).Select(i => -1.17549435E-38f * (1 + ((i + r) % 5)))]));
        }

        AssertSameBytes(dir, schema, rows);
    }

    [Fact]
    public void Commit_WithSettings_SidecarRecordsTheLengthAndSha256OfTheBytesWritten()
    {
        using var dir = new TempDirectory();
        string path = dir.File("features.csv");
        FeatureSchema schema = FeatureExtractionSettings.Default.CreateSchema();
        var random = new Random(5);
        using (var writer = new FeatureCsvWriter(path, schema))
        {
            var values = new float[schema.Count];
            for (int r = 0; r < 300; r++)
            {
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = (float)(random.NextDouble() * 1000 - 500);
                }

                writer.WriteRow(r, r / 20, r % 20, (byte)(r % 2), values);
            }

            writer.Commit(FeatureExtractionSettings.Default);
        }

        byte[] bytes = File.ReadAllBytes(path);
        string sidecar = File.ReadAllText(FeatureExtractionSettings.SidecarPath(path));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), sidecar, StringComparison.Ordinal);
        Assert.Contains("\"bytes\": " + bytes.Length.ToString(CultureInfo.InvariantCulture), sidecar, StringComparison.Ordinal);
        // The reader's own check of the sidecar against the CSV passes, and the values read back are the ones written.
        FeatureExtractionSettings.ReadSidecarFor(path, schema);
        FeatureTable table = FeatureCsv.Read(path);
        Assert.Equal(300, table.RowCount);
        Assert.Equal(schema.Count, table.Features.ColumnCount);
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("partial.csv");
        using (var writer = new FeatureCsvWriter(path, new FeatureSchema(["a", "b"])))
        {
            writer.WriteRow(1, 0, 1, 0, [1f, 2f]);
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static void AssertSameBytes(TempDirectory dir, FeatureSchema schema, List<(long Id, int Row, int Col, byte Label, float[] Values)> rows)
    {
        string fresh = dir.File("new.csv"), reference = dir.File("old.csv");
        using (var writer = new FeatureCsvWriter(fresh, schema))
        {
            foreach ((long id, int row, int col, byte label, float[] values) in rows)
            {
                writer.WriteRow(id, row, col, label, values);
            }

            Assert.Equal(rows.Count, writer.RowCount);
            writer.Commit();
        }

        StringFeatureCsvReference.Write(reference, schema, rows);
        byte[] expected = File.ReadAllBytes(reference), actual = File.ReadAllBytes(fresh);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            int at = expected.AsSpan().CommonPrefixLength(actual);
            Assert.Fail($"bytes differ at {at} of {expected.Length} (new file {actual.Length} bytes): expected '{Encoding.UTF8.GetString(expected, Math.Max(0, at - 20), Math.Min(40, expected.Length - Math.Max(0, at - 20)))}'");
        }
    }
}

/// <summary>The features CSV writer before issue 21 (StreamWriter, UTF-8 without BOM, "R" floats through chars): the reference.</summary>
internal static class StringFeatureCsvReference
{
    public static void Write(string path, FeatureSchema schema, IEnumerable<(long Id, int Row, int Col, byte Label, float[] Values)> rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        char[] buffer = new char[64];
        writer.Write(string.Join(',', FeatureCsv.IdentityColumns));
        foreach (string name in schema.Names)
        {
            writer.Write(',');
            writer.Write(name);
        }

        writer.Write('\n');
        foreach ((long id, int row, int col, byte label, float[] values) in rows)
        {
            WriteNumber(writer, buffer, id);
            writer.Write(',');
            WriteNumber(writer, buffer, row);
            writer.Write(',');
            WriteNumber(writer, buffer, col);
            writer.Write(',');
            if (label != UrbanClass.Undefined)
            {
                WriteNumber(writer, buffer, label);
            }

            foreach (float v in values)
            {
                writer.Write(',');
                v.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
                writer.Write(buffer, 0, written);
            }

            writer.Write('\n');
        }
    }

    private static void WriteNumber(StreamWriter writer, char[] buffer, long value)
    {
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        writer.Write(buffer, 0, written);
    }
}
