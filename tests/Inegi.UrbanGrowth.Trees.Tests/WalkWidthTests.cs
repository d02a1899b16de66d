using Inegi.UrbanGrowth.Trees.Kernels;

namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>
/// The batched walk at every width (128, 256, 512 bits; a width the CPU lacks runs with lane-by-lane reads instead of
/// gathers, so every machine tests all three) against the scalar walk and <see cref="ExtraTreesModel.PredictRow"/>,
/// bit for bit, over both node layouts. The width is per instance: models of several widths run at once.
/// </summary>
public sealed class WalkWidthTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512];

    [Fact]
    public void Predict_EightByteNodes_EveryWidthGivesPredictRowsBits()
    {
        var d = Oracle.Load("bin", 100);
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 16, Seed = 5 }).Fit(d.Rows(0, 1500), d.Labels(0, 1500), TestContext.Current.CancellationToken);
        // 1,031 rows: whole steps of 4 vectors at each width (16, 32, 64 rows) and a scalar remainder at each.
        AssertEveryWidthMatchesPredictRow(model, d.Rows(4000, 1031));
    }

    [Fact]
    public void Predict_SixteenByteNodes_EveryWidthGivesPredictRowsBits()
    {
        // 1,100 columns do not fit the 10-bit feature field of the 8-byte nodes: the walk over 16-byte nodes runs.
        const int Rows = 403, Columns = 1100;
        var random = new Random(3);
        var x = new FeatureMatrix(Rows, new FeatureSchema(Enumerable.Range(0, Columns).Select(i => $"c{i}")));
        var y = new byte[Rows];
        for (int r = 0; r < Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < Columns; c++)
            {
                row[c] = (float)random.NextDouble();
            }

            y[r] = (byte)(row[5] + row[1090] + (0.3 * random.NextDouble()) > 1.15 ? 1 : 0);
        }

        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 8, Seed = 2 }).Fit(x, y, TestContext.Current.CancellationToken);

        // NaN goes left at every node, in every walk.
        for (int r = 0; r < Rows; r += 17)
        {
            x.Row(r)[5] = float.NaN;
        }

        AssertEveryWidthMatchesPredictRow(model, x);
    }

    private static void AssertEveryWidthMatchesPredictRow(ExtraTreesModel model, FeatureMatrix test)
    {
        var expected = new float[test.RowCount * model.ClassCount];
        for (int i = 0; i < test.RowCount; i++)
        {
            model.PredictRow(test.Row(i), expected.AsSpan(i * model.ClassCount, model.ClassCount));
        }

        var results = new float[Widths.Length][];
        Parallel.For(0, Widths.Length, w =>
        {
            var walked = model.WithWalkWidth(Widths[w]);
            Assert.Equal(Widths[w], walked.WalkWidth);
            results[w] = walked.PredictProbabilities(test);
        });

        Assert.Equal(TreeWalkWidths.Best, model.WalkWidth);
        for (int w = 0; w < Widths.Length; w++)
        {
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), results[w].Select(BitConverter.SingleToInt32Bits));
        }

        // Not a degenerate forest: rows reach leaves of both classes, with several vote shares.
        Assert.True(expected.Distinct().Count() >= 3, $"{expected.Distinct().Count()} distinct probabilities");
        Assert.Contains(expected, p => p > 0.5f);
        Assert.Contains(expected, p => p < 0.5f);
    }
}
