using System.Text.Json;

namespace Inegi.UrbanGrowth;

/// <summary>
/// A fitted classifier: maps feature rows to class probabilities. It knows its registered kind (<see cref="ModelKinds"/>),
/// describes itself, and may hold native memory (dispose it when done).
/// </summary>
public interface IClassifierModel : IDisposable
{
    /// <summary>The name of the classifier's registered <see cref="ModelKind"/> (e.g. <c>extra-trees</c>).</summary>
    string Kind { get; }

    /// <summary>The version of the binary format <see cref="Save"/> writes (stored beside the kind in model files).</summary>
    int FormatVersion { get; }

    /// <summary>
    /// Writes what describes the fitted classifier (its size, options, importances) as properties of a model's JSON
    /// summary, which the caller has opened on <paramref name="writer"/> and closes after.
    /// </summary>
    /// <param name="writer">The summary being written, inside its object.</param>
    void Describe(Utf8JsonWriter writer);

    /// <summary>The columns the model expects, in order.</summary>
    FeatureSchema Schema { get; }

    /// <summary>Number of classes; class values are 0 .. <c>ClassCount - 1</c>.</summary>
    int ClassCount { get; }

    /// <summary>Class probabilities for every row of <paramref name="features"/>.</summary>
    /// <param name="features">Rows to classify; its schema must equal <see cref="Schema"/>.</param>
    /// <param name="probabilities">Row-major destination of <c>features.RowCount * ClassCount</c> values.</param>
    void PredictProbabilities(FeatureMatrix features, Span<float> probabilities);

    /// <summary>Writes the model in its versioned binary format.</summary>
    /// <param name="stream">Destination stream.</param>
    void Save(Stream stream);
}

/// <summary>Learns a classifier from labelled feature rows. Settings live in the learner; fitted state in the model it returns.</summary>
/// <typeparam name="TModel">The model type the learner produces.</typeparam>
public interface ILearner<out TModel> where TModel : IClassifierModel
{
    /// <summary>Fits a new model.</summary>
    /// <param name="features">Training rows.</param>
    /// <param name="labels">Class of each row, 0 .. k-1.</param>
    /// <param name="cancellationToken">Stops a long fit.</param>
    TModel Fit(FeatureMatrix features, ReadOnlySpan<byte> labels, CancellationToken cancellationToken = default);
}

/// <summary>Chooses columns of a feature matrix from labelled rows (SPEC 4).</summary>
public interface IFeatureSelector
{
    /// <summary>Fits the selection.</summary>
    /// <param name="features">Training rows.</param>
    /// <param name="labels">Class of each row.</param>
    IFittedSelection Fit(FeatureMatrix features, ReadOnlySpan<byte> labels);
}

/// <summary>A fitted column selection: which input columns it keeps, and how to apply it.</summary>
public interface IFittedSelection
{
    /// <summary>The schema the selection was fitted on.</summary>
    FeatureSchema InputSchema { get; }

    /// <summary>The schema of the kept columns.</summary>
    FeatureSchema OutputSchema { get; }

    /// <summary>Indices of the kept columns in <see cref="InputSchema"/>, ascending.</summary>
    IReadOnlyList<int> Indices { get; }

    /// <summary>Keeps the selected columns of a matrix whose schema equals <see cref="InputSchema"/>.</summary>
    /// <param name="features">Input rows.</param>
    FeatureMatrix Transform(FeatureMatrix features);

    /// <summary>Keeps the selected values of one input row.</summary>
    /// <param name="row">A row in <see cref="InputSchema"/>.</param>
    /// <param name="destination">At least <c>OutputSchema.Count</c> values.</param>
    void Transform(ReadOnlySpan<float> row, Span<float> destination);
}

/// <summary>Turns the channel planes of one patch into its feature vector (SPEC 3).</summary>
public interface IPatchFeatureExtractor
{
    /// <summary>The names of the features, in output order.</summary>
    FeatureSchema Schema { get; }

    /// <summary>Computes the features of one patch.</summary>
    /// <param name="channelPlanes">Channel-planar values: channel c occupies <c>[c * n, (c + 1) * n)</c>, n pixels per patch.</param>
    /// <param name="destination">At least <c>Schema.Count</c> values.</param>
    void Extract(ReadOnlySpan<float> channelPlanes, Span<float> destination);
}
