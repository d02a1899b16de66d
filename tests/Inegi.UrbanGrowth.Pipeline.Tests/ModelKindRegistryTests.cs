using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// A kind defined here, outside the pipeline, goes through training, the model file, loading and the JSON summary with
/// one registration and no change to the pipeline: what the registry is for.
/// </summary>
public sealed class ModelKindRegistryTests
{
    /// <summary>p(urban) = the row's mean of the selected features, clamped to [0, 1].</summary>
    private sealed class MeanModel(FeatureSchema schema) : IClassifierModel
    {
        public FeatureSchema Schema => schema;

        public int ClassCount => 2;

        public string Kind => MeanKind.KindName;

        public int FormatVersion => 7;

        public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities)
        {
            for (int i = 0; i < features.RowCount; i++)
            {
                ReadOnlySpan<float> row = features.Row(i);
                float sum = 0;
                foreach (float v in row)
                {
                    sum += v;
                }

                float p = Math.Clamp(sum / row.Length, 0f, 1f);
                probabilities[2 * i] = 1 - p;
                probabilities[(2 * i) + 1] = p;
            }
        }

        public void Save(Stream stream)
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(schema.Count);
            foreach (string name in schema.Names)
            {
                w.Write(name);
            }
        }

        public void Describe(Utf8JsonWriter writer) => writer.WriteNumber("mean_of", schema.Count);

        public void Dispose()
        {
        }
    }

    private sealed class MeanKind : ModelKind
    {
        public const string KindName = "test-mean";

        public static MeanKind Instance { get; } = new();

        public override string Name => KindName;

        public override string Description => "mean of the selected features (a test kind)";

        public override CellFeatureKind Input => CellFeatureKind.Statistics;

        public override ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings) => new MeanLearner();

        public override IClassifierModel Load(Stream stream, string sourceName)
        {
            using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            int n = r.ReadInt32();
            return new MeanModel(new FeatureSchema([.. Enumerable.Range(0, n).Select(_ => r.ReadString())]));
        }
    }

    private sealed class MeanLearner : ILearner<MeanModel>
    {
        public MeanModel Fit(FeatureMatrix features, ReadOnlySpan<byte> labels, CancellationToken cancellationToken = default) => new(features.Schema);
    }

    [Fact]
    public void NewKind_RegisteredOnce_TrainsSavesLoadsAndDescribesThroughThePipeline()
    {
        ModelKinds.Register(MeanKind.Instance);
        ModelKinds.Register(MeanKind.Instance); // idempotent
        using var dir = new TempDirectory();
        FeatureSchema schema = FeatureExtractionSettings.Default.CreateSchema();
        const int n = 120;
        FeatureMatrix rows = LegacyModelFileTests.Rows(schema, n);
        byte[] labels = [.. Enumerable.Range(0, n).Select(i => (byte)(i % 2))];
        var table = new FeatureTable([.. Enumerable.Range(0, n).Select(i => (long)i)], new int[n], new int[n], labels, rows);

        UrbanModel model = ModelTrainer.Train(table, FeatureExtractionSettings.Default, new TrainingOptions { Classifier = MeanKind.KindName, CalibrationFolds = 0 }).Model;
        Assert.Same(MeanKind.Instance, model.Kind);
        Assert.True(model.Selection.OutputSchema.Count is > 0 and < 486);
        model.Save(dir.File("mean.ugm"));
        UrbanModel loaded = UrbanModel.Load(dir.File("mean.ugm"));

        JsonObject json = JsonOf.Read(loaded.WriteJson);
        Assert.Equal("test-mean", (string)json["classifier"]!);
        Assert.Equal(loaded.Selection.OutputSchema.Count, (int)json["mean_of"]!);
        FeatureMatrix test = LegacyModelFileTests.Rows(schema, 32, 1000, 0.2f);
        float[] before = new float[32], after = new float[32];
        model.PredictUrbanProbability(test, before);
        loaded.PredictUrbanProbability(test, after);
        Assert.Equal(before, after);
        Assert.Contains(after, p => p is > 0f and < 1f);
    }

    [Fact]
    public void UnknownKind_IsAnArgumentErrorThatListsTheRegisteredKinds()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelTrainer.Kind(new TrainingOptions { Classifier = "random-forest" }));
        Assert.Contains("'random-forest'", error.Message, StringComparison.Ordinal);
        Assert.Contains("extra-trees", error.Message, StringComparison.Ordinal);
        Assert.Contains("gradient-boosting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KindOptionsOfAnotherKind_AreRefusedWithBothTypeNames()
    {
        var options = new TrainingOptions { Classifier = UrbanModel.GradientBoostingKind, ClassifierOptions = new Trees.ExtraTreesOptions() };
        var error = Assert.Throws<ArgumentException>(() => ModelTrainer.CreateClassifierLearner(options));
        Assert.Contains("GradientBoostingOptions", error.Message, StringComparison.Ordinal);
        Assert.Contains("ExtraTreesOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherKindOfARegisteredName_IsRefused()
    {
        ModelKinds.Register(MeanKind.Instance);
        Assert.Throws<InvalidOperationException>(() => ModelKinds.Register(new ImpostorKind()));
        Assert.Same(MeanKind.Instance, ModelKinds.Get(MeanKind.KindName));
    }

    private sealed class ImpostorKind : ModelKind
    {
        public override string Name => MeanKind.KindName;

        public override string Description => "another kind that claims the same name";

        public override CellFeatureKind Input => CellFeatureKind.PatchPixels;

        public override ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings) => throw new NotSupportedException();

        public override IClassifierModel Load(Stream stream, string sourceName) => throw new NotSupportedException();
    }
}
