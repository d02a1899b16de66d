using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Selection;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Options of <see cref="ModelTrainer"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// The classifier: the name of a registered <see cref="ModelKind"/> (<see cref="ModelKinds"/>):
    /// <see cref="UrbanModel.ExtraTreesKind"/> (the pilot's selection + Extra-Trees on patch statistics, the default),
    /// <see cref="UrbanModel.GradientBoostingKind"/> (the same selection, then histogram gradient boosting), or a kind an
    /// application registered, such as <see cref="UrbanModel.LeNetKind"/> from <c>Inegi.UrbanGrowth.Cnn</c> (on patch
    /// pixels: the table must then hold patch pixels, as written by <see cref="PatchTable"/>).
    /// </summary>
    public string Classifier { get; init; } = UrbanModel.ExtraTreesKind;

    /// <summary>
    /// The chosen kind's own options (e.g. a <c>GradientBoostingOptions</c> or a <c>LeNetOptions</c>), or null for the
    /// kind's defaults; their seed and thread count are replaced by <see cref="Seed"/> and
    /// <see cref="MaxDegreeOfParallelism"/> (for a LeNet, -1 means one libtorch thread per core, set explicitly; with more
    /// than one thread its weights can differ in the last bits between runs).
    /// </summary>
    public object? ClassifierOptions { get; init; }

    /// <summary>Number of trees of an Extra-Trees model without <see cref="ClassifierOptions"/> (100, as the pilot).</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Random seed; the model bytes depend only on it and the data, never on the thread count.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Worker threads (-1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>SelectFwe family-wise error rate.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>VarianceThreshold threshold (0: sklearn's rule).</summary>
    public double VarianceThreshold { get; init; }

    /// <summary>
    /// Population share of urban cells. When set, the model corrects probabilities to it and, with
    /// <see cref="CalibrationFolds"/> of 2 or more, picks the threshold that maximises urban F1 at that prevalence.
    /// Null keeps the pilot's recipe (sample balance, threshold 0.5).
    /// </summary>
    public double? PopulationPrevalence { get; init; }

    /// <summary>Folds of the out-of-fold run that picks the threshold (0 or 1: keep 0.5).</summary>
    public int CalibrationFolds { get; init; } = 5;

    /// <summary>
    /// When set, the threshold maximises urban precision at the population prevalence among thresholds whose urban
    /// recall is at most this much below the pilot recipe's, both measured on the same out-of-fold cells; when null, it
    /// maximises urban F1. The pilot's rule is 0.5 at balanced priors: on a sample with training urban share t, that is
    /// p &gt;= t on the uncorrected probabilities (0.5 for the pilot's balanced sample). For gradient boosting the
    /// pilot's recall is that of the pilot's learner, Extra-Trees with the same selection, on the same folds: a boosted
    /// model at balanced priors finds fewer urban cells than the pilot's forest (about 94% against 97-99% out of fold
    /// on the synthetic national scene), and counting from its own recall would spend the budget twice.
    /// </summary>
    /// <remarks>0.05 asks for "precision as high as possible for at most 5 points of recall".</remarks>
    public double? MaxRecallLoss { get; init; }
}

/// <summary>The fitted model with what was learned while fitting it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Calibration">The threshold choice on out-of-fold cells, when one was made.</param>
public sealed record TrainingResult(UrbanModel Model, ThresholdChoice? Calibration)
{
    /// <summary>
    /// With <see cref="TrainingOptions.MaxRecallLoss"/>: the pilot recipe's out-of-fold urban recall that the recall
    /// budget is counted from (see <see cref="TrainingOptions.MaxRecallLoss"/>); null otherwise.
    /// </summary>
    public double? PilotRecall { get; init; }
}

/// <summary>
/// Fits the pilot's model (SelectFwe + VarianceThreshold + Extra-Trees) from a feature table, or a model of any other
/// registered kind (<see cref="TrainingOptions.Classifier"/>): the selection for kinds that read statistics, none for
/// kinds that read patch pixels.
/// </summary>
public static class ModelTrainer
{
    /// <summary>The registered kind the options ask for (the pipeline's tree kinds are always registered).</summary>
    /// <param name="options">Options.</param>
    /// <exception cref="ArgumentException">A kind that is not registered.</exception>
    public static ModelKind Kind(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TreeModelKinds.Register();
        return ModelKinds.Get(options.Classifier);
    }

    /// <summary>The learner of the chosen kind with the options' seed, threads and kind options.</summary>
    /// <param name="options">Options.</param>
    public static ILearner<IClassifierModel> CreateClassifierLearner(TrainingOptions options) => Kind(options).CreateLearner(LearnerSettings(options));

    private static ClassifierTrainingSettings LearnerSettings(TrainingOptions options) =>
        new(options.Seed, options.MaxDegreeOfParallelism, options.Trees, options.ClassifierOptions);

    /// <summary>The learner and the selector (none for a kind that reads patch pixels) that cross-validation and calibration use.</summary>
    internal static (ILearner<IClassifierModel> Learner, IFeatureSelector? Selector) CreateFoldPipeline(TrainingOptions options)
    {
        ModelKind kind = Kind(options);
        return (kind.CreateLearner(LearnerSettings(options)), kind.Input == CellFeatureKind.PatchPixels ? null : CreateSelector(options));
    }

    /// <summary>Checks that a table holds patch pixels of the given channels (the input of pixel kinds).</summary>
    /// <param name="schema">The table's schema.</param>
    /// <param name="channels">The channels of the feature settings, or null to accept any channels.</param>
    internal static void EnsurePatchPixels(FeatureSchema schema, IReadOnlyList<string>? channels)
    {
        bool ok = channels is null
            ? PatchPixelLayout.TryFromSchema(schema, out PatchPixelLayout? layout) && layout!.PatchSize == PatchGeometry.Size
            : schema.Equals(new PatchPixelLayout(channels, PatchGeometry.Size).Schema);
        if (!ok)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The LeNet classifier reads patch pixels (channels x 33 x 33 columns, written by 'urban patches' / PatchTable); this table has {schema.Count} other columns (patch statistics are for Extra-Trees)."), nameof(schema));
        }
    }

    /// <summary>The pilot's Extra-Trees learner with the options' tree count, seed and threads (whatever the chosen kind).</summary>
    /// <param name="options">Options.</param>
    public static ExtraTreesLearner CreateLearner(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = options.Trees, Seed = options.Seed, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism });
    }

    /// <summary>The selection chain the options describe.</summary>
    /// <param name="options">Options.</param>
    public static SelectionChain CreateSelector(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SelectionChain.CreateDefault(options.Alpha, options.VarianceThreshold);
    }

    /// <summary>Fits a model on the labelled rows of a table.</summary>
    /// <param name="table">Features with labels (unlabelled rows are ignored).</param>
    /// <param name="settings">How the features were computed (stored in the model).</param>
    /// <param name="options">Training options.</param>
    /// <param name="cancellationToken">Stops the fit.</param>
    public static TrainingResult Train(FeatureTable table, FeatureExtractionSettings settings, TrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new TrainingOptions();
        FeatureTable labelled = table.LabelledRows();
        byte[] labels = labelled.Labels;
        EnsureBothClasses(labels);
        FeatureMatrix features = labelled.Features;
        ModelKind kind = Kind(options);
        FittedSelection? selection = null;
        FeatureMatrix inputs = features;
        if (kind.Input == CellFeatureKind.PatchPixels)
        {
            EnsurePatchPixels(features.Schema, settings.Channels);
        }
        else
        {
            selection = CreateSelector(options).Fit(features, labels);
            if (selection.OutputSchema.Count == 0)
            {
                throw new InvalidOperationException("Feature selection kept no feature: the classes do not differ in any feature of the table.");
            }

            inputs = selection.Transform(features);
        }

        IClassifierModel classifier = kind.CreateLearner(LearnerSettings(options)).Fit(inputs, labels, cancellationToken);
        double[] priors = ClassShares(labels, classifier.ClassCount);
        (ThresholdChoice? choice, double? pilotRecall) = Calibrate(features, labels, priors[UrbanClass.Urban], options, cancellationToken);
        float threshold = choice is { } c ? (float)c.Threshold : 0.5f;
        var model = new UrbanModel(settings, selection, classifier, priors, new DecisionRule(threshold, options.PopulationPrevalence), labels.Length);
        return new TrainingResult(model, choice) { PilotRecall = pilotRecall };
    }

    /// <summary>
    /// With a population prevalence and 2 or more calibration folds: the threshold that maximises urban F1 at that
    /// prevalence on out-of-fold probabilities; otherwise null (0.5).
    /// </summary>
    private static (ThresholdChoice? Choice, double? PilotRecall) Calibrate(FeatureMatrix features, byte[] labels, double trainingPrevalence, TrainingOptions options, CancellationToken cancellationToken)
    {
        if (options.PopulationPrevalence is not { } prevalence || options.CalibrationFolds < 2)
        {
            return (null, null);
        }

        (ILearner<IClassifierModel> learner, IFeatureSelector? selector) = CreateFoldPipeline(options);
        float[] p = OutOfFoldUrban(learner, selector, features, labels, options, cancellationToken);
        ThresholdOptions thresholdOptions = ThresholdOptions.ForPopulation(trainingPrevalence, prevalence);
        double? pilotRecall = null;
        if (options.MaxRecallLoss is { } loss)
        {
            float[] pilot = Kind(options).PilotRecallKind is { } pilotKind
                ? OutOfFoldUrban(ModelKinds.Get(pilotKind).CreateLearner(LearnerSettings(options) with { Options = null }), selector, features, labels, options, cancellationToken)
                : p;
            pilotRecall = PilotRecall(pilot, labels, trainingPrevalence);
            thresholdOptions = thresholdOptions with { Score = ThresholdScore.PrecisionAtMinimumRecall, MinimumRecall = Math.Max(0, pilotRecall.Value - loss) };
        }

        PriorShift.AdjustBinary(p, trainingPrevalence, prevalence);
        return (ThresholdSelector.Select(p, labels, thresholdOptions), pilotRecall);
    }

    /// <summary>Out-of-fold urban probabilities on the calibration folds (the same cells in each fold for any learner).</summary>
    private static float[] OutOfFoldUrban(ILearner<IClassifierModel> learner, IFeatureSelector? selector, FeatureMatrix features, byte[] labels, TrainingOptions options, CancellationToken cancellationToken)
    {
        var cv = new CrossValidator(new StratifiedKFold(options.CalibrationFolds, options.Seed), selector);
        CrossValidationResult result = cv.Run(learner, features, labels, cancellationToken: cancellationToken);
        float[] p = new float[labels.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = result.Probability(i, UrbanClass.Urban);
        }

        return p;
    }

    /// <summary>
    /// Urban recall of the pilot's rule, 0.5 at balanced priors: correcting p from the training share t to 0.5 gives
    /// p' &gt;= 0.5 exactly when p &gt;= t (p / t &gt;= (1 - p) / (1 - t)).
    /// </summary>
    private static double PilotRecall(ReadOnlySpan<float> pUrban, ReadOnlySpan<byte> labels, double trainingPrevalence)
    {
        float pilotThreshold = (float)trainingPrevalence;
        long urban = 0, found = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == UrbanClass.Urban)
            {
                urban++;
                found += pUrban[i] >= pilotThreshold ? 1 : 0;
            }
        }

        return urban == 0 ? 0 : (double)found / urban;
    }

    /// <summary>Share of each class among the labels.</summary>
    private static double[] ClassShares(ReadOnlySpan<byte> labels, int classCount)
    {
        double[] shares = new double[classCount];
        foreach (byte l in labels)
        {
            shares[l]++;
        }

        for (int c = 0; c < shares.Length; c++)
        {
            shares[c] /= labels.Length;
        }

        return shares;
    }

    internal static void EnsureBothClasses(ReadOnlySpan<byte> labels)
    {
        int urban = 0, nonUrban = 0;
        foreach (byte l in labels)
        {
            if (l == UrbanClass.Urban)
            {
                urban++;
            }
            else if (l == UrbanClass.NonUrban)
            {
                nonUrban++;
            }
            else
            {
                throw new ArgumentException($"Label {l} is not 0 (non-urban) or 1 (urban).", nameof(labels));
            }
        }

        if (urban == 0 || nonUrban == 0)
        {
            throw new ArgumentException($"Training needs both classes; the table has {nonUrban} non-urban and {urban} urban rows.", nameof(labels));
        }
    }
}
