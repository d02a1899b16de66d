namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary><see cref="IFeatureUsage"/>: the features the split nodes test, and nothing else changes a prediction.</summary>
public sealed class FeatureUsageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>200 rows of 10 features: 3, 4 and 5 constant (never split on), the rest random, the label from 0 and 1.</summary>
    private static (FeatureMatrix X, byte[] Y) Data()
    {
        var rng = new Random(17);
        var schema = new FeatureSchema([.. Enumerable.Range(0, 10).Select(j => "f" + j.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var x = new FeatureMatrix(200, schema);
        byte[] y = new byte[200];
        for (int r = 0; r < 200; r++)
        {
            Span<float> row = x.Row(r);
            for (int j = 0; j < 10; j++)
            {
                row[j] = j is >= 3 and <= 5 ? 0.25f * j : (float)rng.NextDouble();
            }

            y[r] = (byte)(row[0] + (0.5f * row[1]) + (0.2f * (float)rng.NextDouble()) > 0.85f ? 1 : 0);
        }

        return (x, y);
    }

    public static TheoryData<string> Kinds => ["extra-trees", "gradient-boosting"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UsedFeatures_SkipConstantColumns_AndOtherColumnsNeverChangeAProbability(string kind)
    {
        (FeatureMatrix x, byte[] y) = Data();
        IClassifierModel model = kind == "extra-trees"
            ? new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 20, Seed = 2 }).Fit(x, y, Ct)
            : new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 20 }).Fit(x, y, Ct);
        IReadOnlyList<int> used = ((IFeatureUsage)model).UsedFeatures();
        Assert.Equal(used.Distinct().Order(), used);
        Assert.DoesNotContain(3, used);
        Assert.DoesNotContain(4, used);
        Assert.DoesNotContain(5, used);
        Assert.Contains(0, used);
        Assert.Contains(1, used);

        // Columns not used set to NaN or garbage: the same probabilities, bit for bit.
        var masked = new FeatureMatrix(x.RowCount, x.Schema);
        x.Values.CopyTo(masked.Values);
        for (int r = 0; r < x.RowCount; r++)
        {
            for (int j = 0; j < 10; j++)
            {
                if (!used.Contains(j))
                {
                    masked.Row(r)[j] = r % 2 == 0 ? float.NaN : 1e30f;
                }
            }
        }

        float[] expected = new float[x.RowCount * 2], actual = new float[x.RowCount * 2];
        model.PredictProbabilities(x, expected);
        model.PredictProbabilities(masked, actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

        // Remapped into a wider schema, the used features are the same ones at their new columns.
        int[] columns = [.. Enumerable.Range(0, 10).Select(j => (2 * j) + 1)];
        var wide = new FeatureSchema([.. Enumerable.Range(0, 20).Select(c => c % 2 == 1 ? x.Schema.Names[c / 2] : "pad" + c.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        IClassifierModel remapped = ((IColumnRemappable)model).ReadingColumnsOf(wide, columns);
        Assert.Equal(used.Select(j => columns[j]), ((IFeatureUsage)remapped).UsedFeatures());
    }
}
