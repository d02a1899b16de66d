using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Selection;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Everything needed to map a mosaic, in one file: the feature settings, the fitted selection (SelectFwe then
/// VarianceThreshold, with the names of the kept features), the classifier, the class balance of the training
/// sample, the population prevalence of urban cells used for prior correction, and the decision threshold.
/// </summary>
/// <remarks>
/// File layout (little endian): 8 magic bytes <c>UGMODEL\0</c>; int32 format version (1); int64 payload length;
/// the payload; the 32-byte SHA-256 of the payload. The payload, written with <see cref="BinaryWriter"/>: the feature
/// settings as JSON text; the fitted selection (<see cref="FittedSelection.Write"/>); the classifier kind
/// (<c>extra-trees</c>); int32 length and bytes of the classifier's own file; float32 threshold; int32 class
/// count and that many float64 training-sample class fractions; a bool and float64 population prevalence of urban;
/// int64 training rows. Nothing time-dependent is written, so the same inputs and seed give the same bytes.
/// </remarks>
public sealed class UrbanModel
{
    /// <summary>The current file format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The classifier kind of Extra-Trees models.</summary>
    public const string ExtraTreesKind = "extra-trees";

    private static readonly byte[] Magic = "UGMODEL\0"u8.ToArray();

    /// <summary>Assembles a model.</summary>
    /// <param name="settings">How features are computed.</param>
    /// <param name="selection">The fitted selection from all features to the classifier's inputs.</param>
    /// <param name="classifier">The fitted classifier, whose schema is the selection's output schema.</param>
    /// <param name="threshold">Decision threshold on the (prior-corrected) urban probability.</param>
    /// <param name="populationPrevalence">Share of urban cells in the population, or null to use probabilities as trained.</param>
    /// <param name="trainingRows">Number of training rows.</param>
    public UrbanModel(FeatureExtractionSettings settings, FittedSelection selection, ExtraTreesModel classifier, float threshold = 0.5f, double? populationPrevalence = null, long trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1f);
        if (populationPrevalence is { } p && !(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(populationPrevalence), p, "The prevalence must lie strictly between 0 and 1.");
        }

        selection.OutputSchema.EnsureCompatible(classifier.Schema, "the classifier");
        if (classifier.ClassCount < 2)
        {
            throw new ArgumentException("The classifier must know at least two classes.", nameof(classifier));
        }

        Settings = settings;
        Selection = selection;
        Classifier = classifier;
        Threshold = threshold;
        PopulationPrevalence = populationPrevalence;
        TrainingRows = trainingRows;
    }

    /// <summary>How features are computed.</summary>
    public FeatureExtractionSettings Settings { get; }

    /// <summary>The fitted feature selection.</summary>
    public FittedSelection Selection { get; }

    /// <summary>The classifier.</summary>
    public ExtraTreesModel Classifier { get; }

    /// <summary>All features the model reads (before selection).</summary>
    public FeatureSchema InputSchema => Selection.InputSchema;

    /// <summary>Decision threshold on the urban probability: urban where p(urban) &gt;= threshold.</summary>
    public float Threshold { get; }

    /// <summary>Share of urban cells in the population the map covers; null when probabilities are used as trained.</summary>
    public double? PopulationPrevalence { get; }

    /// <summary>Share of urban rows in the training sample.</summary>
    public double TrainingPrevalence => Classifier.ClassPriors[UrbanClass.Urban];

    /// <summary>Number of training rows.</summary>
    public long TrainingRows { get; }

    /// <summary>A copy with another threshold and prevalence.</summary>
    /// <param name="threshold">Decision threshold.</param>
    /// <param name="populationPrevalence">Population prevalence of urban, or null.</param>
    public UrbanModel WithDecision(float threshold, double? populationPrevalence) =>
        new(Settings, Selection, Classifier, threshold, populationPrevalence, TrainingRows);

    /// <summary>
    /// The urban probability of every row of a full feature matrix (schema <see cref="InputSchema"/>), corrected for the
    /// population prevalence when one is set (Bayes prior shift, Saerens et al. 2002).
    /// </summary>
    /// <param name="features">Rows to classify.</param>
    /// <param name="urbanProbability">One value per row.</param>
    public void PredictUrbanProbability(FeatureMatrix features, Span<float> urbanProbability)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(urbanProbability.Length, features.RowCount);
        FeatureMatrix selected = Selection.Transform(features);
        int k = Classifier.ClassCount;
        float[] all = new float[(long)features.RowCount * k];
        Classifier.PredictProbabilities(selected, all);
        for (int i = 0; i < features.RowCount; i++)
        {
            urbanProbability[i] = all[(i * k) + UrbanClass.Urban];
        }

        if (PopulationPrevalence is { } prevalence)
        {
            PriorShift.AdjustBinary(urbanProbability[..features.RowCount], TrainingPrevalence, prevalence);
        }
    }

    /// <summary>Writes the model file atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to a stream.</summary>
    /// <param name="stream">Destination.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Settings.ToJson().ToJsonString());
            Selection.Write(w);
            w.Write(ExtraTreesKind);
            using var blob = new MemoryStream();
            Classifier.Save(blob);
            w.Write(checked((int)blob.Length));
            w.Write(blob.GetBuffer(), 0, (int)blob.Length);
            w.Write(Threshold);
            w.Write(Classifier.ClassCount);
            foreach (double prior in Classifier.ClassPriors)
            {
                w.Write(prior);
            }

            w.Write(PopulationPrevalence.HasValue);
            w.Write(PopulationPrevalence ?? 0);
            w.Write(TrainingRows);
        }

        byte[] bytes = payload.ToArray();
        using var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write(FormatVersion);
        header.Write((long)bytes.Length);
        header.Write(bytes);
        header.Write(SHA256.HashData(bytes));
    }

    /// <summary>Reads a model file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DataFileException">Missing, empty, not a model, another version, truncated or corrupt.</exception>
    public static UrbanModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "model file not found");
        }

        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="stream">Source.</param>
    /// <param name="sourceName">Name for error messages.</param>
    public static UrbanModel Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            byte[] magic = r.ReadBytes(Magic.Length);
            if (magic.Length == 0)
            {
                throw new DataFileException(sourceName, "empty file, not an urban model");
            }

            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new DataFileException(sourceName, "not an Inegi.UrbanGrowth model file (wrong magic bytes)");
            }

            int version = r.ReadInt32();
            if (version != FormatVersion)
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"model format version {version} is not supported (this library reads version {FormatVersion})"));
            }

            long length = r.ReadInt64();
            if (length <= 0 || length > int.MaxValue)
            {
                throw new DataFileException(sourceName, "corrupt model header (payload length)");
            }

            byte[] payload = r.ReadBytes((int)length);
            byte[] hash = r.ReadBytes(32);
            if (payload.Length != length || hash.Length != 32)
            {
                throw new DataFileException(sourceName, "truncated model file");
            }

            if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
            {
                throw new DataFileException(sourceName, "corrupt model file (checksum mismatch)");
            }

            using var p = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            FeatureExtractionSettings settings = FeatureExtractionSettings.FromJson(
                JsonNode.Parse(p.ReadString()) ?? throw new DataFileException(sourceName, "missing feature settings"), sourceName);
            FittedSelection selection = FittedSelection.Read(p);
            string kind = p.ReadString();
            if (kind != ExtraTreesKind)
            {
                throw new DataFileException(sourceName, $"classifier kind '{kind}' is not supported by this version");
            }

            int blobLength = p.ReadInt32();
            ExtraTreesModel classifier = ExtraTreesModel.Load(new MemoryStream(p.ReadBytes(blobLength)), sourceName);
            float threshold = p.ReadSingle();
            int classCount = p.ReadInt32();
            for (int c = 0; c < classCount; c++)
            {
                _ = p.ReadDouble();
            }

            bool hasPrevalence = p.ReadBoolean();
            double prevalence = p.ReadDouble();
            long rows = p.ReadInt64();
            return new UrbanModel(settings, selection, classifier, threshold, hasPrevalence ? prevalence : null, rows);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFileException(sourceName, "truncated model file", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException or JsonException or IOException and not FileNotFoundException)
        {
            throw new DataFileException(sourceName, "corrupt model file: " + e.Message, e);
        }
    }

    /// <summary>A JSON description (what <c>urban inspect</c> prints): schema, selected features, trees, threshold.</summary>
    public JsonObject ToJson()
    {
        var importances = new JsonArray();
        IReadOnlyList<double> imp = Classifier.FeatureImportances;
        foreach (int i in Enumerable.Range(0, imp.Count).OrderByDescending(i => imp[i]).ThenBy(i => i))
        {
            importances.Add((JsonNode)new JsonObject { ["feature"] = Classifier.Schema.Names[i], ["importance"] = Math.Round(imp[i], 6) });
        }

        return new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["classifier"] = ExtraTreesKind,
            ["feature_settings"] = Settings.ToJson(),
            ["input_features"] = InputSchema.Count,
            ["input_schema_fingerprint"] = InputSchema.Fingerprint,
            ["selected_features"] = new JsonArray([.. Selection.OutputSchema.Names.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["trees"] = Classifier.TreeCount,
            ["nodes"] = Classifier.NodeCount,
            ["max_depth"] = Classifier.MaxTreeDepth,
            ["classes"] = new JsonArray([.. UrbanClass.Names.Take(Classifier.ClassCount).Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["training_rows"] = TrainingRows,
            ["training_prevalence"] = TrainingPrevalence,
            ["population_prevalence"] = PopulationPrevalence,
            ["threshold"] = Threshold,
            ["feature_importances"] = importances,
        };
    }
}
