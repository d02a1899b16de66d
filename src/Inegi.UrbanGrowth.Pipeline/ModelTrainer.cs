using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Selection;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Options of <see cref="ModelTrainer"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Number of trees (100, as the pilot).</summary>
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
    /// recall is at most this much below the pilot recipe's (threshold 0.5 on the uncorrected probabilities), both
    /// measured on the same out-of-fold cells; when null, it maximises urban F1.
    /// </summary>
    /// <remarks>0.05 asks for "precision as high as possible for at most 5 points of recall".</remarks>
    public double? MaxRecallLoss { get; init; }
}

/// <summary>The fitted model with what was learned while fitting it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Calibration">The threshold choice on out-of-fold cells, when one was made.</param>
public sealed record TrainingResult(UrbanModel Model, ThresholdChoice? Calibration);

/// <summary>Fits the pilot's model (SelectFwe + VarianceThreshold + Extra-Trees) from a feature table.</summary>
public static class ModelTrainer
{
    /// <summary>The learner the options describe.</summary>
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
        FittedSelection selection = CreateSelector(options).Fit(features, labels);
        if (selection.OutputSchema.Count == 0)
        {
            throw new InvalidOperationException("Feature selection kept no feature: the classes do not differ in any feature of the table.");
        }

        ExtraTreesModel classifier = CreateLearner(options).Fit(selection.Transform(features), labels, cancellationToken);
        float threshold = 0.5f;
        ThresholdChoice? choice = null;
        if (options.PopulationPrevalence is { } prevalence && options.CalibrationFolds >= 2)
        {
            double trainingPrevalence = classifier.ClassPriors[UrbanClass.Urban];
            var cv = new CrossValidator(new StratifiedKFold(options.CalibrationFolds, options.Seed), CreateSelector(options));
            CrossValidationResult result = cv.Run(CreateLearner(options), features, labels, cancellationToken: cancellationToken);
            float[] p = new float[labels.Length];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = result.Probability(i, UrbanClass.Urban);
            }

            ThresholdOptions thresholdOptions = ThresholdOptions.ForPopulation(trainingPrevalence, prevalence);
            if (options.MaxRecallLoss is { } loss)
            {
                thresholdOptions = thresholdOptions with { Score = ThresholdScore.PrecisionAtMinimumRecall, MinimumRecall = Math.Max(0, PilotRecall(p, labels) - loss) };
            }

            PriorShift.AdjustBinary(p, trainingPrevalence, prevalence);
            choice = ThresholdSelector.Select(p, labels, thresholdOptions);
            threshold = (float)choice.Value.Threshold;
        }

        var model = new UrbanModel(settings, selection, classifier, threshold, options.PopulationPrevalence, labels.Length);
        return new TrainingResult(model, choice);
    }

    /// <summary>Urban recall of the pilot's rule (p &gt;= 0.5 on uncorrected probabilities).</summary>
    private static double PilotRecall(ReadOnlySpan<float> pUrban, ReadOnlySpan<byte> labels)
    {
        long urban = 0, found = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == UrbanClass.Urban)
            {
                urban++;
                found += pUrban[i] >= 0.5f ? 1 : 0;
            }
        }

        return urban == 0 ? 0 : (double)found / urban;
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
