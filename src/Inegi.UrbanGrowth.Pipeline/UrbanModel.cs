using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Cnn;
using Inegi.UrbanGrowth.Selection;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Everything needed to map a mosaic, in one file: the feature settings, the fitted selection (SelectFwe then
/// VarianceThreshold, with the names of the kept features), the classifier (Extra-Trees on patch statistics, or
/// LeNet on patch pixels), the class balance of the training sample, the population prevalence of urban cells used
/// for prior correction, and the decision threshold.
/// </summary>
/// <remarks>
/// <para>
/// File layout (little endian): 8 magic bytes <c>UGMODEL\0</c>; int32 format version; int64 payload length;
/// the payload; the 32-byte SHA-256 of the payload. The payload, written with <see cref="BinaryWriter"/>:
/// </para>
/// <para>
/// Version 1 (Extra-Trees models; unchanged, so files written before LeNet support read the same): the feature
/// settings as JSON text; the fitted selection (<see cref="FittedSelection.Write"/>); the classifier kind
/// (<c>extra-trees</c>); int32 length and bytes of the classifier's own file; float32 threshold; int32 class
/// count and that many float64 training-sample class fractions; a bool and float64 population prevalence of urban;
/// int64 training rows.
/// </para>
/// <para>
/// Version 2 (LeNet models): the feature settings as JSON text; the classifier kind (<c>lenet</c>); no selection (a
/// LeNet reads every pixel: <see cref="Selection"/> is the identity on <see cref="PatchPixelLayout.Schema"/>); then as
/// version 1 from the classifier's file (<see cref="LeNetModel.Save(Stream)"/>) on.
/// </para>
/// <para>
/// Version 3 (gradient-boosting models): as version 1, with the kind <c>gradient-boosting</c> and the file of a
/// <see cref="GradientBoostingModel"/>. Each kind keeps its own version, so files of the older kinds are unchanged.
/// </para>
/// <para>Nothing time-dependent is written, so the same inputs and seed give the same bytes.</para>
/// </remarks>
public sealed class UrbanModel
{
    /// <summary>
    /// The newest file format version (3, gradient boosting; Extra-Trees models are still written as version 1 and
    /// LeNet models as version 2).
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The classifier kind of Extra-Trees models.</summary>
    public const string ExtraTreesKind = "extra-trees";

    /// <summary>The classifier kind of LeNet models (<see cref="LeNetModel"/> on patch pixels).</summary>
    public const string LeNetKind = "lenet";

    /// <summary>The classifier kind of gradient-boosting models (<see cref="GradientBoostingModel"/> on patch statistics).</summary>
    public const string GradientBoostingKind = "gradient-boosting";

    private const int ExtraTreesFormatVersion = 1;
    private const int LeNetFormatVersion = 2;
    private const int GradientBoostingFormatVersion = 3;

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
        EnsureDecision(threshold, populationPrevalence);

        selection.OutputSchema.EnsureCompatible(classifier.Schema, "the classifier");
        if (classifier.ClassCount < 2)
        {
            throw new ArgumentException("The classifier must know at least two classes.", nameof(classifier));
        }

        Settings = settings;
        Selection = selection;
        Classifier = classifier;
        ClassifierKind = ExtraTreesKind;
        ClassPriors = classifier.ClassPriors;
        Threshold = threshold;
        PopulationPrevalence = populationPrevalence;
        TrainingRows = trainingRows;
    }

    /// <summary>Assembles a LeNet model: no feature selection, the network reads the patch pixels.</summary>
    /// <param name="settings">How the channel planes are computed; its channels must be the network's.</param>
    /// <param name="classifier">The fitted network (the model takes it over: do not dispose it while the model is used).</param>
    /// <param name="classPriors">Share of each class in the training sample (for the prior correction).</param>
    /// <param name="threshold">Decision threshold on the (prior-corrected) urban probability.</param>
    /// <param name="populationPrevalence">Share of urban cells in the population, or null to use probabilities as trained.</param>
    /// <param name="trainingRows">Number of training rows.</param>
    public UrbanModel(FeatureExtractionSettings settings, LeNetModel classifier, IReadOnlyList<double> classPriors, float threshold = 0.5f, double? populationPrevalence = null, long trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(classPriors);
        EnsureDecision(threshold, populationPrevalence);

        if (classifier.ClassCount < 2 || classPriors.Count != classifier.ClassCount)
        {
            throw new ArgumentException($"The network knows {classifier.ClassCount} classes; {classPriors.Count} class priors were given.", nameof(classPriors));
        }

        var pixels = new PatchPixelLayout(settings.Channels, PatchGeometry.Size);
        pixels.Schema.EnsureCompatible(classifier.Schema, "the LeNet classifier");
        Settings = settings;
        Selection = IdentitySelection(classifier.Schema);
        Classifier = classifier;
        ClassifierKind = LeNetKind;
        ClassPriors = [.. classPriors];
        Threshold = threshold;
        PopulationPrevalence = populationPrevalence;
        TrainingRows = trainingRows;
    }

    /// <summary>Assembles a gradient-boosting model: the same selection as Extra-Trees, then boosted trees.</summary>
    /// <param name="settings">How features are computed.</param>
    /// <param name="selection">The fitted selection from all features to the classifier's inputs.</param>
    /// <param name="classifier">The fitted model, whose schema is the selection's output schema.</param>
    /// <param name="classPriors">Share of each class in the training sample (for the prior correction).</param>
    /// <param name="threshold">Decision threshold on the (prior-corrected) urban probability.</param>
    /// <param name="populationPrevalence">Share of urban cells in the population, or null to use probabilities as trained.</param>
    /// <param name="trainingRows">Number of training rows.</param>
    public UrbanModel(FeatureExtractionSettings settings, FittedSelection selection, GradientBoostingModel classifier, IReadOnlyList<double> classPriors, float threshold = 0.5f, double? populationPrevalence = null, long trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(classPriors);
        EnsureDecision(threshold, populationPrevalence);

        selection.OutputSchema.EnsureCompatible(classifier.Schema, "the classifier");
        if (classPriors.Count != classifier.ClassCount)
        {
            throw new ArgumentException($"The model knows {classifier.ClassCount} classes; {classPriors.Count} class priors were given.", nameof(classPriors));
        }

        Settings = settings;
        Selection = selection;
        Classifier = classifier;
        ClassifierKind = GradientBoostingKind;
        ClassPriors = [.. classPriors];
        Threshold = threshold;
        PopulationPrevalence = populationPrevalence;
        TrainingRows = trainingRows;
    }

    private static void EnsureDecision(float threshold, double? populationPrevalence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1f);
        if (populationPrevalence is { } p && !(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(populationPrevalence), p, "The prevalence must lie strictly between 0 and 1.");
        }
    }

    /// <summary>How features are computed.</summary>
    public FeatureExtractionSettings Settings { get; }

    /// <summary>The fitted feature selection (the identity on the patch pixels for a LeNet).</summary>
    public FittedSelection Selection { get; }

    /// <summary>
    /// The classifier: an <see cref="ExtraTreesModel"/>, a <see cref="GradientBoostingModel"/> or a
    /// <see cref="LeNetModel"/> (see <see cref="ClassifierKind"/>).
    /// </summary>
    public IClassifierModel Classifier { get; }

    /// <summary><see cref="ExtraTreesKind"/>, <see cref="GradientBoostingKind"/> or <see cref="LeNetKind"/>.</summary>
    public string ClassifierKind { get; }

    /// <summary>What the model reads per cell: patch statistics (Extra-Trees, gradient boosting) or patch pixels (LeNet).</summary>
    public CellFeatureKind FeatureKind => ClassifierKind == LeNetKind ? CellFeatureKind.PatchPixels : CellFeatureKind.Statistics;

    /// <summary>Share of each class in the training sample.</summary>
    public IReadOnlyList<double> ClassPriors { get; }

    /// <summary>All features the model reads (before selection).</summary>
    public FeatureSchema InputSchema => Selection.InputSchema;

    /// <summary>Decision threshold on the urban probability: urban where p(urban) &gt;= threshold.</summary>
    public float Threshold { get; }

    /// <summary>Share of urban cells in the population the map covers; null when probabilities are used as trained.</summary>
    public double? PopulationPrevalence { get; }

    /// <summary>Share of urban rows in the training sample.</summary>
    public double TrainingPrevalence => ClassPriors[UrbanClass.Urban];

    /// <summary>Number of training rows.</summary>
    public long TrainingRows { get; }

    /// <summary>A copy with another threshold and prevalence.</summary>
    /// <param name="threshold">Decision threshold.</param>
    /// <param name="populationPrevalence">Population prevalence of urban, or null.</param>
    public UrbanModel WithDecision(float threshold, double? populationPrevalence) => Classifier switch
    {
        LeNetModel network => new(Settings, network, ClassPriors, threshold, populationPrevalence, TrainingRows),
        GradientBoostingModel boosted => new(Settings, Selection, boosted, ClassPriors, threshold, populationPrevalence, TrainingRows),
        _ => new(Settings, Selection, (ExtraTreesModel)Classifier, threshold, populationPrevalence, TrainingRows),
    };

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
        FeatureMatrix selected = ClassifierKind == LeNetKind ? EnsureInputSchema(features) : Selection.Transform(features);
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

    private FeatureMatrix EnsureInputSchema(FeatureMatrix features)
    {
        InputSchema.EnsureCompatible(features.Schema, "the model");
        return features;
    }

    private static FittedSelection IdentitySelection(FeatureSchema schema)
    {
        var scores = new FeatureScore[schema.Count];
        Array.Fill(scores, FeatureScore.Empty(FeatureVerdict.Kept));
        return new FittedSelection(schema, scores);
    }

    /// <summary>Writes the model file atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to a stream.</summary>
    /// <param name="stream">Destination.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long classifierLength = HashedPayload.Measure(SaveClassifier);
        void WritePrefix(Stream payload)
        {
            using var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            w.Write(Settings.ToJson().ToJsonString());
            if (Classifier is LeNetModel)
            {
                w.Write(LeNetKind);
            }
            else
            {
                Selection.Write(w);
                w.Write(ClassifierKind);
            }

            w.Write(checked((int)classifierLength));
        }

        void WriteSuffix(Stream payload)
        {
            using var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            w.Write(Threshold);
            w.Write(Classifier.ClassCount);
            foreach (double prior in ClassPriors)
            {
                w.Write(prior);
            }

            w.Write(PopulationPrevalence.HasValue);
            w.Write(PopulationPrevalence ?? 0);
            w.Write(TrainingRows);
        }

        // The classifier (tens of MB for a forest) is measured once, not once more inside the whole payload.
        long length = HashedPayload.Measure(WritePrefix) + classifierLength + HashedPayload.Measure(WriteSuffix);
        using var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write(FileVersion(ClassifierKind));
        header.Write(length);
        header.Write(HashedPayload.WriteWithSha256(
            stream,
            payload =>
            {
                WritePrefix(payload);
                SaveClassifier(payload);
                WriteSuffix(payload);
            },
            length));
    }

    private void SaveClassifier(Stream destination)
    {
        if (Classifier is LeNetModel network)
        {
            network.Save(destination);
        }
        else
        {
            Classifier.Save(destination);
        }
    }

    private static int FileVersion(string kind) => kind switch
    {
        LeNetKind => LeNetFormatVersion,
        GradientBoostingKind => GradientBoostingFormatVersion,
        _ => ExtraTreesFormatVersion,
    };

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
            if (version is not (ExtraTreesFormatVersion or LeNetFormatVersion or GradientBoostingFormatVersion))
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"model format version {version} is not supported (this library reads versions 1 to {FormatVersion})"));
            }

            long length = r.ReadInt64();
            if (length <= 0 || length > int.MaxValue)
            {
                throw new DataFileException(sourceName, "corrupt model header (payload length)");
            }

            // The declared length is checked against the file before anything that size is allocated.
            if (stream.CanSeek && length + 32 > stream.Length - stream.Position)
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture,
                    $"truncated model file: the header announces a payload of {length} bytes, the file holds {Math.Max(stream.Length - stream.Position - 32, 0)}"));
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
            FittedSelection? selection = version == LeNetFormatVersion ? null : FittedSelection.Read(p);
            string kind = p.ReadString();
            if ((version, kind) is not ((ExtraTreesFormatVersion, ExtraTreesKind) or (LeNetFormatVersion, LeNetKind) or (GradientBoostingFormatVersion, GradientBoostingKind)))
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"classifier kind '{kind}' is not supported in a version {version} model file"));
            }

            int blobLength = p.ReadInt32();
            if (blobLength < 0 || blobLength > payload.Length - p.BaseStream.Position)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"classifier length {blobLength} is out of range"));
            }

            byte[] blob = p.ReadBytes(blobLength);
            float threshold = p.ReadSingle();
            int classCount = p.ReadInt32();
            if (classCount < 0 || classCount > (payload.Length - p.BaseStream.Position) / sizeof(double))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"class count {classCount} is out of range"));
            }

            double[] priors = new double[classCount];
            for (int c = 0; c < classCount; c++)
            {
                priors[c] = p.ReadDouble();
            }

            bool hasPrevalence = p.ReadBoolean();
            double prevalence = p.ReadDouble();
            long rows = p.ReadInt64();
            if (selection is null)
            {
                LeNetModel network = LeNetModel.Load(new MemoryStream(blob), sourceName);
                return new UrbanModel(settings, network, priors, threshold, hasPrevalence ? prevalence : null, rows);
            }

            if (kind == GradientBoostingKind)
            {
                GradientBoostingModel boosted = GradientBoostingModel.Load(new MemoryStream(blob), sourceName);
                return new UrbanModel(settings, selection, boosted, priors, threshold, hasPrevalence ? prevalence : null, rows);
            }

            ExtraTreesModel classifier = ExtraTreesModel.Load(new MemoryStream(blob), sourceName);
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

    /// <summary>
    /// A JSON description (what <c>urban inspect</c> prints): schema, selected features, trees or network, threshold.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["format_version"] = FileVersion(ClassifierKind),
            ["classifier"] = ClassifierKind,
            ["feature_settings"] = Settings.ToJson(),
            ["input_features"] = InputSchema.Count,
            ["input_schema_fingerprint"] = InputSchema.Fingerprint,
        };
        if (Classifier is LeNetModel network)
        {
            LeNetOptions o = network.Options;
            LeNetTrainingSummary t = network.Training;
            json["network"] = new JsonObject
            {
                ["channels"] = network.Layout.ChannelCount,
                ["patch_size"] = network.Layout.PatchSize,
                ["parameters"] = network.ParameterCount,
                ["kernel_size"] = o.KernelSize,
                ["conv1_filters"] = o.Conv1Filters,
                ["conv2_filters"] = o.Conv2Filters,
                ["dense1_units"] = o.Dense1Units,
                ["dense2_units"] = o.Dense2Units,
                ["dropout"] = o.Dropout,
                ["epochs"] = o.Epochs,
                ["batch_size"] = o.BatchSize,
                ["learning_rate"] = o.LearningRate,
                ["seed"] = o.Seed,
                ["epochs_run"] = t.EpochsRun,
                ["best_epoch"] = t.BestEpoch,
                ["best_validation_loss"] = double.IsFinite(t.BestValidationLoss) ? Math.Round(t.BestValidationLoss, 6) : null,
                ["final_training_loss"] = Math.Round(t.FinalTrainingLoss, 6),
            };
        }
        else if (Classifier is GradientBoostingModel boosted)
        {
            GradientBoostingOptions o = boosted.Options;
            json["selected_features"] = new JsonArray([.. Selection.OutputSchema.Names.Select(n => (JsonNode?)JsonValue.Create(n))]);
            json["boosting"] = new JsonObject
            {
                ["iterations"] = boosted.IterationCount,
                ["learning_rate"] = o.LearningRate,
                ["max_leaf_nodes"] = o.MaxLeafNodes,
                ["min_samples_leaf"] = o.MinSamplesLeaf,
                ["l2_regularization"] = o.L2Regularization,
                ["max_bins"] = o.MaxBins,
            };
        }
        else
        {
            var trees = (ExtraTreesModel)Classifier;
            json["selected_features"] = new JsonArray([.. Selection.OutputSchema.Names.Select(n => (JsonNode?)JsonValue.Create(n))]);
            json["trees"] = trees.TreeCount;
            json["nodes"] = trees.NodeCount;
            json["max_depth"] = trees.MaxTreeDepth;
        }

        json["classes"] = new JsonArray([.. UrbanClass.Names.Take(Classifier.ClassCount).Select(n => (JsonNode?)JsonValue.Create(n))]);
        json["training_rows"] = TrainingRows;
        json["training_prevalence"] = TrainingPrevalence;
        json["population_prevalence"] = PopulationPrevalence;
        json["threshold"] = Threshold;
        if (Classifier is ExtraTreesModel forest)
        {
            var importances = new JsonArray();
            IReadOnlyList<double> imp = forest.FeatureImportances;
            foreach (int i in Enumerable.Range(0, imp.Count).OrderByDescending(i => imp[i]).ThenBy(i => i))
            {
                importances.Add((JsonNode)new JsonObject { ["feature"] = forest.Schema.Names[i], ["importance"] = Math.Round(imp[i], 6) });
            }

            json["feature_importances"] = importances;
        }

        return json;
    }
}
