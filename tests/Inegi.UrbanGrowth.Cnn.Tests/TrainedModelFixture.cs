namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>One small LeNet trained once on 480 synthetic 8-channel 17 x 17 patches, shared by the tests that only read it.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public const int PatchSize = 17;

    public TrainedModelFixture()
    {
        (FeatureMatrix all, byte[] labels) = SyntheticPatches.Create(600, PatchSize, seed: 11);
        Train = SyntheticPatches.Rows(all, 0, 480);
        TrainLabels = labels[..480];
        Test = SyntheticPatches.Rows(all, 480, 120);
        TestLabels = labels[480..];
        var reports = new List<LeNetEpochReport>();
        Model = new LeNetLearner(SmallOptions, new SynchronousProgress<LeNetEpochReport>(reports.Add)).Fit(Train, TrainLabels);
        Reports = reports;
    }

    /// <summary>A narrow LeNet that trains in about a second on this data.</summary>
    public static LeNetOptions SmallOptions { get; } = new()
    {
        Epochs = 20,
        BatchSize = 32,
        LearningRate = 3e-3,
        Patience = 5,
        Seed = 5,
        Threads = 1,
        Conv1Filters = 8,
        Conv2Filters = 16,
        Dense1Units = 32,
        Dense2Units = 16,
    };

    public FeatureMatrix Train { get; }

    public byte[] TrainLabels { get; }

    public FeatureMatrix Test { get; }

    public byte[] TestLabels { get; }

    public LeNetModel Model { get; }

    public IReadOnlyList<LeNetEpochReport> Reports { get; }

    public void Dispose() => Model.Dispose();
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
