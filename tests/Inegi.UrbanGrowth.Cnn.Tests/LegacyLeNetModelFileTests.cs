using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>
/// A LeNet model file written by the code before the model-kind registry (commit 7e5a530, format version 2) must still
/// load and give the same urban probabilities, bit for bit (one libtorch thread). The file and its expected
/// probabilities are committed under LegacyModels/.
/// </summary>
public sealed class LegacyLeNetModelFileTests
{
    private static readonly string[] Channels = ["ndvi", "ndbi"];

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

    [Fact]
    public void LegacyLeNetFile_LoadsAndPredictsTheSameProbabilities()
    {
        UrbanModel model = UrbanModel.Load(DataFile("lenet-v2.ugm"));
        Assert.Equal("lenet", model.ClassifierKind);
        JsonObject json = model.ToJson();
        Assert.Equal(2, (int)json["format_version"]!);
        Assert.Equal(Channels, model.Settings.Channels);

        float[] expected = [.. File.ReadAllLines(DataFile("lenet-v2.ugm.expected.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        float[] p = new float[expected.Length];
        model.PredictUrbanProbability(Rows(model.InputSchema, expected.Length, 1000, 0.2f), p);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(p[i]));
        }
    }
}
