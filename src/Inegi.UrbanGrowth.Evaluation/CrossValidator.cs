using System.Text.Json;

namespace Inegi.UrbanGrowth.Evaluation;

/// <summary>
/// Cross-validates any learner: for each fold, fits the optional selector and then the learner on the training
/// rows only, predicts the test rows, and pools the out-of-fold probabilities of every row.
/// </summary>
/// <remarks>
/// <para>The selection is fitted on each training fold alone and then applied to both train and test rows (the
/// honest way: fitting it on all rows leaks the test labels into the chosen features).</para>
/// <para>Folds run one after another; the learner parallelises inside. The result is deterministic when the fold
/// scheme and the learner are (both seeded).</para>
/// <para>Predicted class: for two classes, urban (1) where p(1) &gt;= <see cref="Threshold"/> (SPEC 5); for more,
/// the class of largest probability (lowest class on ties). A model reporting fewer classes than the data (a class
/// missing from a training fold) gives probability 0 to the missing classes.</para>
/// </remarks>
public sealed class CrossValidator
{
    /// <summary>Creates the cross-validator.</summary>
    /// <param name="folds">The fold scheme (e.g. <see cref="StratifiedKFold"/>, <see cref="SpatialBlockKFold"/>).</param>
    /// <param name="selector">Feature selection fitted on each training fold, or null for none.</param>
    /// <param name="threshold">Probability threshold of the positive class for two classes (0.5).</param>
    public CrossValidator(IFoldScheme folds, IFeatureSelector? selector = null, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be in [0, 1].");
        }

        Folds = folds;
        Selector = selector;
        Threshold = threshold;
    }

    /// <summary>The fold scheme.</summary>
    public IFoldScheme Folds { get; }

    /// <summary>The selector fitted per fold, or null.</summary>
    public IFeatureSelector? Selector { get; }

    /// <summary>Probability threshold of class 1 for two classes.</summary>
    public double Threshold { get; }

    /// <summary>Runs the cross-validation.</summary>
    /// <param name="learner">Fits a model per fold.</param>
    /// <param name="features">All labelled rows.</param>
    /// <param name="labels">Class of each row, 0 .. k - 1 (255 is refused).</param>
    /// <param name="cells">Grid cell of each row, for spatial fold schemes; empty otherwise.</param>
    /// <param name="classNames">One name per class; its count is k (default: the two pilot classes).</param>
    /// <param name="cancellationToken">Stops between folds and inside the learner.</param>
    /// <exception cref="ArgumentException">Lengths differ or a label is outside 0 .. k - 1.</exception>
    public CrossValidationResult Run(
        ILearner<IClassifierModel> learner,
        FeatureMatrix features,
        ReadOnlySpan<byte> labels,
        ReadOnlySpan<GridCell> cells = default,
        IReadOnlyList<string>? classNames = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(features);
        classNames ??= UrbanClass.Names;
        int k = classNames.Count;
        if (labels.Length != features.RowCount)
        {
            throw new ArgumentException($"Expected {features.RowCount} labels (one per row), got {labels.Length}.", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= k)
            {
                throw new ArgumentException($"Label {labels[i]} at row {i} is outside 0..{k - 1}.", nameof(labels));
            }
        }

        IReadOnlyList<Fold> folds = Folds.Split(labels, cells);
        int n = features.RowCount;
        var probabilities = new float[(long)n * k];
        var predicted = new byte[n];
        var foldOfRow = new int[n];
        foldOfRow.AsSpan().Fill(-1);
        var results = new FoldResult[folds.Count];
        var pooled = new ConfusionMatrix(k);
        byte[] labelArray = labels.ToArray();
        foreach (Fold fold in folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<int> train = fold.Train.Span;
            ReadOnlySpan<int> test = fold.Test.Span;
            FeatureMatrix trainX = features.SelectRows(train);
            FeatureMatrix testX = features.SelectRows(test);
            byte[] trainY = Gather(labelArray, train);
            byte[] testY = Gather(labelArray, test);
            int featureCount = trainX.ColumnCount;
            if (Selector is not null)
            {
                IFittedSelection selection = Selector.Fit(trainX, trainY);
                trainX = selection.Transform(trainX);
                testX = selection.Transform(testX);
                featureCount = selection.Indices.Count;
            }

            IClassifierModel model = learner.Fit(trainX, trainY, cancellationToken);
            int mk = model.ClassCount;
            var foldProbabilities = new float[(long)test.Length * mk];
            model.PredictProbabilities(testX, foldProbabilities);
            var foldPredicted = new byte[test.Length];
            for (int t = 0; t < test.Length; t++)
            {
                int row = test[t];
                if (foldOfRow[row] >= 0)
                {
                    throw new InvalidOperationException($"The fold scheme put row {row} in two test sets.");
                }

                foldOfRow[row] = fold.Index;
                Span<float> destination = probabilities.AsSpan(row * k, k);
                ReadOnlySpan<float> source = foldProbabilities.AsSpan(t * mk, mk);
                for (int c = 0; c < k; c++)
                {
                    destination[c] = c < mk ? source[c] : 0;
                }

                foldPredicted[t] = Decide(destination);
                predicted[row] = foldPredicted[t];
            }

            var confusion = ConfusionMatrix.FromLabels(testY, foldPredicted, k);
            pooled.Add(confusion);
            results[fold.Index] = new FoldResult(fold.Index, train.Length, test.Length, featureCount, new ClassificationReport(confusion, classNames));
        }

        for (int i = 0; i < n; i++)
        {
            if (foldOfRow[i] < 0)
            {
                throw new InvalidOperationException($"The fold scheme left row {i} out of every test set.");
            }
        }

        return new CrossValidationResult(results, new ClassificationReport(pooled, classNames), probabilities, predicted, foldOfRow, k);
    }

    private byte Decide(ReadOnlySpan<float> p)
    {
        if (p.Length == 2)
        {
            return p[1] >= Threshold ? (byte)1 : (byte)0;
        }

        int best = 0;
        for (int c = 1; c < p.Length; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return (byte)best;
    }

    private static byte[] Gather(byte[] labels, ReadOnlySpan<int> rows)
    {
        var result = new byte[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            result[i] = labels[rows[i]];
        }

        return result;
    }
}

/// <summary>The evaluation of one fold.</summary>
/// <param name="Index">Fold number.</param>
/// <param name="TrainCount">Training rows.</param>
/// <param name="TestCount">Test rows.</param>
/// <param name="FeatureCount">Features the model saw (after the fold's selection).</param>
/// <param name="Report">Metrics on the fold's test rows.</param>
public sealed record FoldResult(int Index, int TrainCount, int TestCount, int FeatureCount, ClassificationReport Report);

/// <summary>The outcome of <see cref="CrossValidator.Run"/>.</summary>
public sealed class CrossValidationResult
{
    private readonly FoldResult[] _folds;
    private readonly float[] _probabilities;
    private readonly byte[] _predicted;
    private readonly int[] _foldOfRow;

    internal CrossValidationResult(FoldResult[] folds, ClassificationReport pooled, float[] probabilities, byte[] predicted, int[] foldOfRow, int classCount)
    {
        _folds = folds;
        Pooled = pooled;
        _probabilities = probabilities;
        _predicted = predicted;
        _foldOfRow = foldOfRow;
        ClassCount = classCount;
        double sum = 0;
        foreach (FoldResult f in folds)
        {
            sum += f.Report.Accuracy;
        }

        MeanFoldAccuracy = sum / folds.Length;
        double squares = 0;
        foreach (FoldResult f in folds)
        {
            squares += (f.Report.Accuracy - MeanFoldAccuracy) * (f.Report.Accuracy - MeanFoldAccuracy);
        }

        FoldAccuracyStandardDeviation = Math.Sqrt(squares / folds.Length);
    }

    /// <summary>Per-fold results, by fold number.</summary>
    public IReadOnlyList<FoldResult> Folds => _folds;

    /// <summary>The report of all out-of-fold predictions together.</summary>
    public ClassificationReport Pooled { get; }

    /// <summary>Number of classes k.</summary>
    public int ClassCount { get; }

    /// <summary>Mean of the fold accuracies (sklearn's <c>cross_val_score(...).mean()</c>, the pilot's 0.9287).</summary>
    public double MeanFoldAccuracy { get; }

    /// <summary>Population standard deviation of the fold accuracies.</summary>
    public double FoldAccuracyStandardDeviation { get; }

    /// <summary>Out-of-fold probabilities, row-major <c>rows x ClassCount</c>: each row predicted by the model that did not see it.</summary>
    public ReadOnlyMemory<float> OutOfFoldProbabilities => _probabilities;

    /// <summary>Out-of-fold predicted class of each row.</summary>
    public ReadOnlyMemory<byte> OutOfFoldPredictions => _predicted;

    /// <summary>The fold whose test set held each row.</summary>
    public ReadOnlyMemory<int> FoldOfRow => _foldOfRow;

    /// <summary>The out-of-fold probability of a class for one row.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="classValue">Class.</param>
    public float Probability(int row, int classValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classValue, ClassCount);
        return _probabilities[(long)row * ClassCount + classValue];
    }

    /// <summary>Writes the JSON: the pooled report's SPEC 8 fields, then <c>mean_fold_accuracy</c>, <c>fold_accuracy_std</c> and <c>folds</c>.</summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteJsonProperties(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the properties of <see cref="WriteJson"/> without the braces, for a caller that embeds them in an
    /// object of its own followed by more properties (the evaluation report adds its spatial folds this way).
    /// </summary>
    /// <param name="writer">Destination, inside an object.</param>
    public void WriteJsonProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Pooled.WriteJsonProperties(writer);
        writer.WriteNumber("mean_fold_accuracy", MeanFoldAccuracy);
        writer.WriteNumber("fold_accuracy_std", FoldAccuracyStandardDeviation);
        writer.WriteStartArray("folds");
        foreach (FoldResult f in _folds)
        {
            writer.WriteStartObject();
            writer.WriteNumber("fold", f.Index);
            writer.WriteNumber("train", f.TrainCount);
            writer.WriteNumber("test", f.TestCount);
            writer.WriteNumber("features", f.FeatureCount);
            writer.WriteNumber("accuracy", f.Report.Accuracy);
            writer.WriteNumber("macro_f1", f.Report.MacroAverage.F1);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);
}
