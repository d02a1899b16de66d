using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cnn.Tests;

public sealed class LeNetLearnerTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Fit_SyntheticUrbanPatches_HeldOutAccuracyWellAboveChance()
    {
        var p = new float[fixture.Test.RowCount * 2];
        fixture.Model.PredictProbabilities(fixture.Test, p);

        int correct = 0;
        for (int i = 0; i < fixture.Test.RowCount; i++)
        {
            byte predicted = p[2 * i + 1] >= 0.5f ? UrbanClass.Urban : UrbanClass.NonUrban;
            correct += predicted == fixture.TestLabels[i] ? 1 : 0;
        }

        // Chance is 0.5 (balanced classes); 4% of the labels are flipped, so 0.96 is the ceiling.
        double accuracy = correct / (double)fixture.Test.RowCount;
        Assert.True(accuracy >= 0.8, $"held-out accuracy {accuracy:F3}");
    }

    [Fact]
    public void PredictProbabilities_Rows_AreSoftmaxDistributions()
    {
        var p = new float[fixture.Test.RowCount * 2];
        fixture.Model.PredictProbabilities(fixture.Test, p);

        for (int i = 0; i < fixture.Test.RowCount; i++)
        {
            Assert.InRange(p[2 * i], 0f, 1f);
            Assert.InRange(p[2 * i + 1], 0f, 1f);
            Assert.Equal(1.0, p[2 * i] + p[2 * i + 1], 5);
        }
    }

    [Fact]
    public void Fit_EarlyStopping_SummaryAndProgressAgree()
    {
        LeNetTrainingSummary t = fixture.Model.Training;

        Assert.Equal(t.EpochsRun, fixture.Reports.Count);
        Assert.InRange(t.BestEpoch, 1, t.EpochsRun);
        Assert.True(t.EpochsRun == TrainedModelFixture.SmallOptions.Epochs || t.EpochsRun - t.BestEpoch == TrainedModelFixture.SmallOptions.Patience);
        double minimum = fixture.Reports.Min(r => r.ValidationLoss);
        Assert.Equal(minimum, t.BestValidationLoss);
        Assert.Equal(t.BestEpoch, fixture.Reports.First(r => r.ValidationLoss == minimum).Epoch);
        // Stratified 10% hold-out: round(0.1 * n_k) rows of each class.
        int urban = fixture.TrainLabels.Count(l => l == 1);
        int expected = (int)Math.Round(0.1 * urban, MidpointRounding.AwayFromZero) + (int)Math.Round(0.1 * (480 - urban), MidpointRounding.AwayFromZero);
        Assert.Equal(expected, t.ValidationRows);
        Assert.Equal(480 - expected, t.TrainingRows);
    }

    [Fact]
    public void Fit_Normalisation_IsFittedOnTrainingRowsOnlyAndMatchesNumpy()
    {
        string raw = Path.Combine(Path.GetTempPath(), "cnn-train-" + Guid.NewGuid().ToString("N") + ".f32");
        try
        {
            using (var stream = File.Create(raw))
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>(fixture.Train.Values));
            }

            string script = """
                import sys, numpy as np
                n, c, s = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
                x = np.fromfile(sys.argv[1], dtype='<f4').astype(np.float64).reshape(n, c, s * s)
                print(' '.join(repr(v) for v in x.mean(axis=(0, 2))))
                print(' '.join(repr(v) for v in x.std(axis=(0, 2))))
                """;
            double[] numbers = Oracles.ParseNumbers(Oracles.RunPython(script,
                [raw, Inv(fixture.Train.RowCount), Inv(SyntheticPatches.Channels.Length), Inv(TrainedModelFixture.PatchSize)]));

            int channels = SyntheticPatches.Channels.Length;
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(numbers[c], fixture.Model.ChannelMeans[c], 1e-6 * Math.Max(1, Math.Abs(numbers[c])));
                Assert.Equal(numbers[channels + c], fixture.Model.ChannelStandardDeviations[c], 1e-6 * Math.Max(1, numbers[channels + c]));
            }
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public void PredictProbabilities_OtherRowsInBatch_DoNotChangeARowsProbabilities()
    {
        // Normalisation uses the stored training statistics, never the statistics of the rows being predicted.
        FeatureMatrix few = SyntheticPatches.Rows(fixture.Test, 0, 5);
        var mixed = new FeatureMatrix(45, fixture.Test.Schema);
        for (int i = 0; i < 45; i++)
        {
            Span<float> row = mixed.Row(i);
            if (i < 5)
            {
                few.Row(i).CopyTo(row);
            }
            else
            {
                fixture.Test.Row(i).CopyTo(row);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = row[j] * 5 + 3;
                }
            }
        }

        var alone = new float[10];
        var together = new float[90];
        fixture.Model.PredictProbabilities(few, alone);
        fixture.Model.PredictProbabilities(mixed, together);

        Assert.Equal(alone, together.AsSpan(0, 10).ToArray());
    }

    [Fact]
    public void Fit_SameSeedSingleThread_IdenticalModels()
    {
        (FeatureMatrix x, byte[] y) = SyntheticPatches.Create(160, 17, seed: 3);
        var options = TrainedModelFixture.SmallOptions with { Epochs = 3, Dropout = 0.2 };

        using LeNetModel a = new LeNetLearner(options).Fit(x, y, TestContext.Current.CancellationToken);
        using LeNetModel b = new LeNetLearner(options).Fit(x, y, TestContext.Current.CancellationToken);
        using LeNetModel c = new LeNetLearner(options with { Seed = options.Seed + 1 }).Fit(x, y, TestContext.Current.CancellationToken);

        var pa = new float[320];
        var pb = new float[320];
        var pc = new float[320];
        a.PredictProbabilities(x, pa);
        b.PredictProbabilities(x, pb);
        c.PredictProbabilities(x, pc);
        Assert.Equal(pa, pb);
        Assert.NotEqual(pa, pc);
        using var sa = new MemoryStream();
        using var sb = new MemoryStream();
        a.Save(sa);
        b.Save(sb);
        Assert.Equal(sa.ToArray(), sb.ToArray());
    }

    [Fact]
    public void Fit_StandardLayout_BuildsThePilotNetwork()
    {
        (FeatureMatrix small, byte[] y) = SyntheticPatches.Create(16, 33, seed: 8);
        // Embed the 8 synthetic channels into the 27-channel standard layout (the others constant).
        var x = new FeatureMatrix(16, PatchPixelLayout.Standard.Schema);
        for (int i = 0; i < 16; i++)
        {
            for (int c = 0; c < SyntheticPatches.Channels.Length; c++)
            {
                int target = StandardChannels.Names.ToList().IndexOf(SyntheticPatches.Channels[c]);
                small.Row(i).Slice(c * 1089, 1089).CopyTo(x.Row(i).Slice(target * 1089, 1089));
            }
        }

        using LeNetModel model = new LeNetLearner(new LeNetOptions { Epochs = 1, ValidationFraction = 0, Threads = 1 }).Fit(x, y, TestContext.Current.CancellationToken);

        // conv 27->32 5x5, conv 32->64 5x5, dense 64*5*5->120->84->2 (weights + biases).
        long expected = (27 * 32 * 25 + 32) + (32 * 64 * 25 + 64) + (1600 * 120 + 120) + (120 * 84 + 84) + (84 * 2 + 2);
        Assert.Equal(expected, model.ParameterCount);
        Assert.Equal(1f, model.ChannelStandardDeviations[StandardChannels.Names.ToList().IndexOf("evi")]);
        var p = new float[32];
        model.PredictProbabilities(x, p);
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Fit_PatchStatisticsSchema_ThrowsArgumentException()
    {
        var x = new FeatureMatrix(4, new FeatureSchema(["ndvi_mean", "ndvi_median"]));

        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner().Fit(x, [0, 1, 0, 1], TestContext.Current.CancellationToken));

        Assert.Contains("not patch pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_PatchTooSmallForKernels_ThrowsArgumentException()
    {
        var x = new FeatureMatrix(4, PatchPixelLayout.CreateSchema(["red"], 12));

        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner().Fit(x, [0, 1, 0, 1], TestContext.Current.CancellationToken));

        Assert.Equal("features", e.ParamName);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "fewer than two classes")]
    [InlineData(new byte[] { 0, 1, 255, 1 }, "undefined")]
    [InlineData(new byte[] { 0, 1, 0 }, "3 labels for 4 rows")]
    public void Fit_BadLabels_ThrowsArgumentException(byte[] labels, string message)
    {
        var x = new FeatureMatrix(4, PatchPixelLayout.CreateSchema(["red"], 17));

        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner().Fit(x, labels, TestContext.Current.CancellationToken));

        Assert.Equal("labels", e.ParamName);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NaNPixel_ThrowsNamingTheColumn()
    {
        var x = new FeatureMatrix(4, PatchPixelLayout.CreateSchema(["red"], 17));
        x[2, 20] = float.NaN;

        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner().Fit(x, [0, 1, 0, 1], TestContext.Current.CancellationToken));

        Assert.Contains("red_r1c3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CudaWithCpuLibtorch_ThrowsClearError()
    {
        var x = new FeatureMatrix(4, PatchPixelLayout.CreateSchema(["red"], 17));

        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner(new LeNetOptions { Device = "cuda" }).Fit(x, [0, 1, 0, 1], TestContext.Current.CancellationToken));

        Assert.Contains("no usable CUDA device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Cancelled_ThrowsOperationCanceled()
    {
        (FeatureMatrix x, byte[] y) = SyntheticPatches.Create(40, 17, seed: 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new LeNetLearner(TrainedModelFixture.SmallOptions).Fit(x, y, cts.Token));
    }

    [Fact]
    public void Learner_AsGenericContract_IsUsableByCrossValidation()
    {
        (FeatureMatrix x, byte[] y) = SyntheticPatches.Create(40, 17, seed: 2);

        IClassifierModel model = FitThroughContract(new LeNetLearner(TrainedModelFixture.SmallOptions with { Epochs = 1 }), x, y);

        Assert.Equal(2, model.ClassCount);
        Assert.Equal(x.Schema, model.Schema);
        ((IDisposable)model).Dispose();
    }

#pragma warning disable CA1859 // The point is to go through the interface, as cross-validation does.
    private static IClassifierModel FitThroughContract(ILearner<IClassifierModel> learner, FeatureMatrix x, byte[] y) =>
        learner.Fit(x, y, TestContext.Current.CancellationToken);
#pragma warning restore CA1859

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
