using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// Model files written by the code before the model-kind registry (commit 7e5a530: Extra-Trees as format version 1,
/// gradient boosting as version 3) and before the model file moved onto Core's FileFrame (commit 79f68a1: format
/// version 4, the model's own header) must still load and give the same urban probabilities, bit for bit. The files
/// and their expected probabilities are committed under LegacyModels/ (see its README.md for how they were made).
/// </summary>
public sealed class LegacyModelFileTests
{
    /// <summary>
    /// The rows the legacy models were trained on (rows 0.., shift 0.75) and evaluated on (rows 1000.., shift 0.2, a
    /// weaker signal so that the probabilities are not all 0 or 1): a fixed integer formula, no generator.
    /// </summary>
    internal static FeatureMatrix Rows(FeatureSchema schema, int rowCount, int firstRow = 0, float shift = 0.75f)
    {
        var m = new FeatureMatrix(rowCount, schema);
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = m.Row(r);
            int i = firstRow + r;
            for (int j = 0; j < schema.Count; j++)
            {
                row[j] = ((((long)i * 7919) + ((long)j * 104729)) % 1009) / 1009f + (i % 2 == 1 && j % 7 == 0 ? shift : 0f);
            }
        }

        return m;
    }

    internal static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "LegacyModels", name);

    [Theory]
    [InlineData("extra-trees-v1.ugm", "extra-trees", 1)]
    [InlineData("gradient-boosting-v3.ugm", "gradient-boosting", 3)]
    [InlineData("extra-trees-v4.ugm", "extra-trees", 4)]
    [InlineData("gradient-boosting-v4.ugm", "gradient-boosting", 4)]
    public void LegacyModelFile_LoadsAndPredictsTheSameProbabilities(string file, string kind, int version)
    {
        UrbanModel model = UrbanModel.Load(DataFile(file));
        Assert.Equal(kind, model.ClassifierKind);
        JsonObject json = JsonOf.Read(model.WriteJson);
        Assert.Equal(version, (int)json["format_version"]!);
        Assert.Equal(kind, (string)json["classifier"]!);
        Assert.Equal(0.1, model.PopulationPrevalence);
        Assert.Equal(0.4f, model.Threshold);

        float[] expected = [.. File.ReadAllLines(DataFile(file + ".expected.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        FeatureMatrix rows = Rows(model.InputSchema, expected.Length, 1000, 0.2f);
        float[] p = new float[expected.Length];
        model.PredictUrbanProbability(rows, p);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(p[i]));
        }
    }

    [Theory]
    [InlineData("extra-trees-v1.ugm")]
    [InlineData("gradient-boosting-v3.ugm")]
    [InlineData("extra-trees-v4.ugm")]
    [InlineData("gradient-boosting-v4.ugm")]
    public void LegacyModelFile_SavedAgain_IsTheCurrentVersionAndPredictsTheSame(string file)
    {
        using var dir = new Testing.TempDirectory();
        UrbanModel legacy = UrbanModel.Load(DataFile(file));
        legacy.Save(dir.File("again.ugm"));
        byte[] bytes = File.ReadAllBytes(dir.File("again.ugm"));
        Assert.Equal(UrbanModel.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(bytes.Length, FileFrame.HeaderLength + BitConverter.ToInt64(bytes, 16) + FileFrame.ChecksumLength);
        UrbanModel again = UrbanModel.Load(dir.File("again.ugm"));
        Assert.Equal(UrbanModel.FormatVersion, (int)JsonOf.Read(again.WriteJson)["format_version"]!);
        Assert.Equal(legacy.ClassifierKind, again.ClassifierKind);
        Assert.Equal(legacy.Selection.OutputSchema, again.Selection.OutputSchema);
        Assert.Equal(legacy.ClassPriors, again.ClassPriors);
        Assert.Equal(legacy.Decision, again.Decision);

        FeatureMatrix rows = Rows(legacy.InputSchema, 64, 1000, 0.2f);
        float[] before = new float[64], after = new float[64];
        legacy.PredictUrbanProbability(rows, before);
        again.PredictUrbanProbability(rows, after);
        Assert.Equal(before, after);
    }

    /// <summary>
    /// Version 5 is version 4's payload in the frame: re-saving a version 4 file changes only the header (24 bytes
    /// with the reserved field instead of 20) and so the trailing SHA-256 stays that of the same payload.
    /// </summary>
    [Theory]
    [InlineData("extra-trees-v4.ugm")]
    [InlineData("gradient-boosting-v4.ugm")]
    public void Version4File_SavedAgain_KeepsThePayloadByteForByte(string file)
    {
        byte[] old = File.ReadAllBytes(DataFile(file));
        using var dir = new Testing.TempDirectory();
        UrbanModel.Load(DataFile(file)).Save(dir.File("again.ugm"));
        byte[] framed = File.ReadAllBytes(dir.File("again.ugm"));

        Assert.Equal(4, BitConverter.ToInt32(old, 8));
        long length = BitConverter.ToInt64(old, 12);
        Assert.Equal(length, BitConverter.ToInt64(framed, 16));
        Assert.Equal(0, BitConverter.ToInt32(framed, 12));
        Assert.Equal(old.AsSpan(20), framed.AsSpan(FileFrame.HeaderLength));
        Assert.Equal(old.AsSpan(0, 8), framed.AsSpan(0, 8));
    }

    [Fact]
    public void FramedModel_DamagedInTheFrame_IsOneLineDataError()
    {
        using var dir = new Testing.TempDirectory();
        UrbanModel.Load(DataFile("extra-trees-v4.ugm")).Save(dir.File("m.ugm"));
        byte[] bytes = File.ReadAllBytes(dir.File("m.ugm"));

        byte[] flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(dir.File("flipped.ugm"), flipped);
        var corrupt = Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("flipped.ugm")));
        Assert.Contains("checksum mismatch", corrupt.Message, StringComparison.Ordinal);

        File.WriteAllBytes(dir.File("short.ugm"), bytes[..^40]);
        var truncated = Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("short.ugm")));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(dir.File("short.ugm"), truncated.FilePath);

        byte[] future = (byte[])bytes.Clone();
        future[8] = 9;
        File.WriteAllBytes(dir.File("v9.ugm"), future);
        var version = Assert.Throws<DataFileException>(() => UrbanModel.Load(dir.File("v9.ugm")));
        Assert.Contains("version 9 is not supported", version.Message, StringComparison.Ordinal);

        // A stream that cannot seek reads the same model as the file does.
        using var unseekable = new UnseekableStream(bytes);
        UrbanModel fromStream = UrbanModel.Load(unseekable, "pipe");
        Assert.Equal(UrbanModel.FormatVersion, fromStream.SourceFormatVersion);
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
