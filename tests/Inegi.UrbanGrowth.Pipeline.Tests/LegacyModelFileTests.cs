using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// Model files written by the code before the model-kind registry (commit 7e5a530: Extra-Trees as format version 1,
/// gradient boosting as version 3) must still load and give the same urban probabilities, bit for bit. The files and
/// their expected probabilities are committed under LegacyModels/ (see its README.md for how they were made).
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
    public void LegacyModelFile_LoadsAndPredictsTheSameProbabilities(string file, string kind, int version)
    {
        UrbanModel model = UrbanModel.Load(DataFile(file));
        Assert.Equal(kind, model.ClassifierKind);
        JsonObject json = model.ToJson();
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
    public void LegacyModelFile_SavedAgain_IsVersion4AndPredictsTheSame(string file)
    {
        using var dir = new Testing.TempDirectory();
        UrbanModel legacy = UrbanModel.Load(DataFile(file));
        legacy.Save(dir.File("again.ugm"));
        byte[] bytes = File.ReadAllBytes(dir.File("again.ugm"));
        Assert.Equal(UrbanModel.FormatVersion, BitConverter.ToInt32(bytes, 8));
        UrbanModel again = UrbanModel.Load(dir.File("again.ugm"));
        Assert.Equal(UrbanModel.FormatVersion, (int)again.ToJson()["format_version"]!);
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
}
