namespace Inegi.UrbanGrowth.Cnn;

/// <summary>
/// The LeNet kind (<c>lenet</c>): the convolutional network on the patch pixels of the settings' channels, with no
/// feature selection. Options: a <see cref="LeNetOptions"/> (the defaults when none); its seed and threads come from
/// the training settings (-1 threads: one libtorch thread per core, set explicitly). An application that wants LeNet
/// models calls <see cref="Register"/> once; the pipeline itself does not depend on TorchSharp.
/// </summary>
public sealed class LeNetModelKind : ModelKind
{
    /// <summary>The kind's name in model files and on the command line.</summary>
    public const string KindName = "lenet";

    private LeNetModelKind()
    {
    }

    /// <summary>The one instance to register.</summary>
    public static LeNetModelKind Instance { get; } = new();

    /// <summary>Registers the LeNet kind in <see cref="ModelKinds"/> (idempotent).</summary>
    public static void Register() => ModelKinds.Register(Instance);

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override string Description => "LeNet-style convolutional network (TorchSharp) on the patch pixels";

    /// <inheritdoc />
    public override CellFeatureKind Input => CellFeatureKind.PatchPixels;

    /// <inheritdoc />
    public override ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        LeNetOptions options = settings.OptionsOr(KindName, new LeNetOptions());
        int threads = settings.MaxDegreeOfParallelism < 0 ? Environment.ProcessorCount : settings.MaxDegreeOfParallelism;
        return new LeNetLearner(options with { Seed = settings.Seed, Threads = threads });
    }

    /// <inheritdoc />
    public override IClassifierModel Load(Stream stream, string sourceName) => LeNetModel.Load(stream, sourceName);
}
