namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// The Extra-Trees kind (<c>extra-trees</c>): the pilot's forest on the selected patch statistics. Options: an
/// <see cref="ExtraTreesOptions"/>, or none for <see cref="ClassifierTrainingSettings.TreeCount"/> trees with the
/// defaults; the seed and threads always come from the training settings.
/// </summary>
public sealed class ExtraTreesModelKind : ModelKind
{
    /// <summary>The kind's name in model files and on the command line.</summary>
    public const string KindName = "extra-trees";

    /// <summary>The one instance to register.</summary>
    public static ExtraTreesModelKind Instance { get; } = new();

    private ExtraTreesModelKind()
    {
    }

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override string Description => "Extra-Trees (extremely randomised trees, scikit-learn semantics) on the selected patch statistics";

    /// <inheritdoc />
    public override CellFeatureKind Input => CellFeatureKind.Statistics;

    /// <inheritdoc />
    public override ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ExtraTreesOptions options = settings.OptionsOr(KindName, new ExtraTreesOptions { TreeCount = settings.TreeCount });
        return new ExtraTreesLearner(options with { Seed = settings.Seed, MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism });
    }

    /// <inheritdoc />
    public override IClassifierModel Load(Stream stream, string sourceName) => ExtraTreesModel.Load(stream, sourceName);
}

/// <summary>
/// The gradient-boosting kind (<c>gradient-boosting</c>): histogram gradient boosting on the selected patch
/// statistics. Options: a <see cref="GradientBoostingOptions"/> (scikit-learn's defaults when none); the seed and
/// threads always come from the training settings. A recall budget counts from the pilot's Extra-Trees.
/// </summary>
public sealed class GradientBoostingModelKind : ModelKind
{
    /// <summary>The kind's name in model files and on the command line.</summary>
    public const string KindName = "gradient-boosting";

    /// <summary>The one instance to register.</summary>
    public static GradientBoostingModelKind Instance { get; } = new();

    private GradientBoostingModelKind()
    {
    }

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override string Description => "histogram gradient boosting (scikit-learn's HistGradientBoostingClassifier) on the selected patch statistics";

    /// <inheritdoc />
    public override CellFeatureKind Input => CellFeatureKind.Statistics;

    /// <summary>
    /// Extra-Trees: a boosted model at balanced priors finds fewer urban cells than the pilot's forest, and counting
    /// the recall budget from its own recall would spend the budget twice.
    /// </summary>
    public override string? PilotRecallKind => ExtraTreesModelKind.KindName;

    /// <inheritdoc />
    public override ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        GradientBoostingOptions options = settings.OptionsOr(KindName, new GradientBoostingOptions());
        return new GradientBoostingLearner(options with { Seed = settings.Seed, MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism });
    }

    /// <inheritdoc />
    public override IClassifierModel Load(Stream stream, string sourceName) => GradientBoostingModel.Load(stream, sourceName);
}

/// <summary>Registers the two tree kinds of this assembly.</summary>
public static class TreeModelKinds
{
    /// <summary>Registers <see cref="ExtraTreesModelKind"/> and <see cref="GradientBoostingModelKind"/> (idempotent).</summary>
    public static void Register()
    {
        ModelKinds.Register(ExtraTreesModelKind.Instance);
        ModelKinds.Register(GradientBoostingModelKind.Instance);
    }
}
