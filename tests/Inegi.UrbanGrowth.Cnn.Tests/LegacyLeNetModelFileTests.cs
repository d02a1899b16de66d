using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>
/// LeNet model files written by earlier code must still load and give the same urban probabilities (one libtorch
/// thread): before the model-kind registry (commit 7e5a530, urban model format version 2), and before the model files
/// moved onto Core's FileFrame (commit 79f68a1: urban model version 4, and the bare LeNet file's version 1, each with a
/// header of its own). The files and their expected probabilities are committed under LegacyModels/.
/// </summary>
/// <remarks>
/// The expected probabilities were computed on an AVX2 machine; libtorch picks its CPU kernels by instruction set
/// (AVX-512 where the CPU has it), and on a Zen 4 CPU one of the 40 values came out one unit in the last place apart.
/// So the values are compared within <see cref="MaxUlps"/> units in the last place: a wrong or misread weight moves
/// them by millions of units, the kernels' rounding by one or two.
/// </remarks>
public sealed class LegacyLeNetModelFileTests
{
    private const int MaxUlps = 4;

    private static readonly string[] Channels = ["ndvi", "ndbi"];

    private static void AssertSameProbability(float expected, float actual, int index)
    {
        Assert.True(float.IsFinite(actual), $"probability {index} is {actual}");
        long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
        Assert.True(ulps <= MaxUlps, $"probability {index}: expected {expected:R}, got {actual:R} ({ulps} units in the last place apart)");
    }

    static LegacyLeNetModelFileTests() => LeNetModelKind.Register();

    /// <summary>Patch-pixel rows from a fixed integer formula (no generator), as when the file was made.</summary>
    private static FeatureMatrix Rows(FeatureSchema schema, int rowCount, int firstRow = 0, float shift = 0.75f)
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

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "LegacyModels", name);

    [Theory]
    [InlineData("lenet-v2.ugm", 2)]
    [InlineData("lenet-v4.ugm", 4)]
    public void LegacyLeNetFile_LoadsAndPredictsTheSameProbabilities(string file, int version)
    {
        UrbanModel model = UrbanModel.Load(DataFile(file));
        Assert.Equal("lenet", model.ClassifierKind);
        JsonObject json = JsonOf.Read(model.WriteJson);
        Assert.Equal(version, (int)json["format_version"]!);
        Assert.Equal(Channels, model.Settings.Channels);

        float[] expected = [.. File.ReadAllLines(DataFile(file + ".expected.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        float[] p = new float[expected.Length];
        model.PredictUrbanProbability(Rows(model.InputSchema, expected.Length, 1000, 0.2f), p);
        for (int i = 0; i < p.Length; i++)
        {
            AssertSameProbability(expected[i], p[i], i);
        }
    }

    /// <summary>A bare LeNet file of version 1 (its own header) loads and gives the same class probabilities.</summary>
    [Fact]
    public void LegacyBareLeNetFile_Version1_LoadsAndPredictsTheSameProbabilities()
    {
        byte[] bytes = File.ReadAllBytes(DataFile("lenet-v1.uglenet"));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 8));
        using LeNetModel model = LeNetModel.Load(DataFile("lenet-v1.uglenet"));
        float[] expected = [.. File.ReadAllLines(DataFile("lenet-v1.uglenet.expected.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        float[] p = new float[expected.Length];
        model.PredictProbabilities(Rows(model.Schema, expected.Length / 2, 1000, 0.2f), p);
        for (int i = 0; i < p.Length; i++)
        {
            AssertSameProbability(expected[i], p[i], i);
        }
    }

    /// <summary>Saved again, a version 1 file becomes a framed version 2 file with the same payload bytes.</summary>
    [Fact]
    public void LegacyBareLeNetFile_SavedAgain_IsFramedWithTheSamePayload()
    {
        byte[] old = File.ReadAllBytes(DataFile("lenet-v1.uglenet"));
        using LeNetModel model = LeNetModel.Load(DataFile("lenet-v1.uglenet"));
        using var saved = new MemoryStream();
        model.Save(saved);
        byte[] framed = saved.ToArray();

        Assert.Equal(LeNetModel.FormatVersion, BitConverter.ToInt32(framed, 8));
        Assert.Equal(BitConverter.ToInt64(old, 12), BitConverter.ToInt64(framed, 16));
        Assert.Equal(old.AsSpan(20), framed.AsSpan(FileFrame.HeaderLength));
    }
}
