using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Selection;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// How a model turns the classifier's urban probability into a class: the probability is first corrected from the
/// training sample's urban share to the population's (when one is set), then compared with the threshold.
/// </summary>
/// <param name="Threshold">Urban where the (corrected) urban probability is at least this, in [0, 1].</param>
/// <param name="PopulationPrevalence">Share of urban cells in the population, strictly between 0 and 1; null to use probabilities as trained.</param>
public sealed record DecisionRule(float Threshold = 0.5f, double? PopulationPrevalence = null)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold outside [0, 1] or a prevalence outside (0, 1).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Threshold, 0f, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Threshold, 1f, nameof(Threshold));
        if (PopulationPrevalence is { } p && !(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PopulationPrevalence), p, "The prevalence must lie strictly between 0 and 1.");
        }
    }
}

/// <summary>
/// Everything needed to map a mosaic, in one file: the feature settings, the fitted selection (SelectFwe then
/// VarianceThreshold, with the names of the kept features; the identity for kinds that read patch pixels), the
/// classifier (any registered <see cref="ModelKind"/>), the class balance of the training sample and the
/// <see cref="DecisionRule"/>. The model knows no classifier kind by name: what differs between kinds lives in the
/// kind's <see cref="ModelKind"/> and in the classifier itself.
/// </summary>
/// <remarks>
/// <para>
/// File layout (little endian): a <see cref="FileFrame"/> with magic <c>UGMODEL\0</c> (8 magic bytes, uint32 format
/// version, uint32 reserved, int64 payload length, the payload, the 32-byte SHA-256 of the payload). Versions 1 to 4
/// had a header of their own: the magic, int32 format version, int64 payload length (no reserved field), then the
/// payload and its SHA-256; they still read. The payload, written with <see cref="BinaryWriter"/>:
/// </para>
/// <para>
/// Versions 5 (written now, framed) and 4 (the same payload, own header): the classifier kind (string); int32 the classifier's own format version
/// (<see cref="IClassifierModel.FormatVersion"/>); int32 the selection's format version (0: no selection, the kind
/// reads patch pixels); int32 the feature settings' version (1); the feature settings as JSON text; the fitted
/// selection (<see cref="FittedSelection.Write"/>) unless there is none; int32 length and bytes of the classifier's own
/// file; float32 threshold; int32 class count and that many float64 training-sample class fractions; a bool and
/// float64 population prevalence of urban; int64 training rows. A reader knows from the front of the payload which
/// kind and which component versions follow, before it parses any of them.
/// </para>
/// <para>
/// Versions 1 to 3 (read only; written before the kinds were registered, when the version named the kind):
/// version 1 Extra-Trees and version 3 gradient boosting: the settings JSON, the selection, the kind, then as
/// version 4 from the classifier's length on; version 2 LeNet: the settings JSON, the kind, then the same.
/// </para>
/// <para>Nothing time-dependent is written, so the same inputs and seed give the same bytes.</para>
/// </remarks>
public sealed class UrbanModel : IDisposable
{
    /// <summary>The file format version written (5: version 4's payload in a <see cref="FileFrame"/>).</summary>
    public const int FormatVersion = 5;

    /// <summary>The last version with the model's own header (int32 version, int64 length) instead of the frame.</summary>
    private const int UnframedVersion = 4;

    /// <summary>The classifier kind of Extra-Trees models (registered by the pipeline).</summary>
    public const string ExtraTreesKind = "extra-trees";

    /// <summary>The classifier kind of LeNet models (registered by <c>Inegi.UrbanGrowth.Cnn</c>).</summary>
    public const string LeNetKind = "lenet";

    /// <summary>The classifier kind of gradient-boosting models (registered by the pipeline).</summary>
    public const string GradientBoostingKind = "gradient-boosting";

    private const int SettingsVersion = 1;

    private static readonly byte[] Magic = "UGMODEL\0"u8.ToArray();

    /// <summary>The kinds whose files had versions 1 to 3, when the version named the kind; frozen history of the format.</summary>
    private static readonly Dictionary<int, string> LegacyKinds = new() { [1] = ExtraTreesKind, [2] = LeNetKind, [3] = GradientBoostingKind };

    /// <summary>
    /// The classifier with its feature indices remapped once into the selection's input columns, so prediction reads
    /// the full statistics rows in place instead of copying the selected columns out of every batch; null for a kind
    /// that reads patch pixels or cannot remap (those get <see cref="FittedSelection.Transform(FeatureMatrix)"/>).
    /// </summary>
    private readonly IClassifierModel? _predictor;

    static UrbanModel() => Trees.TreeModelKinds.Register();

    /// <summary>Assembles a model.</summary>
    /// <param name="settings">How features are computed.</param>
    /// <param name="selection">
    /// The fitted selection from all features to the classifier's inputs; null for a kind that reads patch pixels
    /// (the selection is then the identity on the pixels of the settings' channels).
    /// </param>
    /// <param name="classifier">The fitted classifier of a registered kind, whose schema is the selection's output schema (the model takes it over).</param>
    /// <param name="classPriors">Share of each class in the training sample (for the prior correction).</param>
    /// <param name="decision">Threshold and population prevalence; 0.5 as trained when null.</param>
    /// <param name="trainingRows">Number of training rows.</param>
    /// <exception cref="ArgumentException">An unregistered kind, schemas that do not fit, or priors that do not match the classes.</exception>
    public UrbanModel(FeatureExtractionSettings settings, FittedSelection? selection, IClassifierModel classifier, IReadOnlyList<double> classPriors, DecisionRule? decision = null, long trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(classPriors);
        decision ??= new DecisionRule();
        decision.Validate();
        Kind = ModelKinds.Get(classifier.Kind);
        if (classifier.ClassCount < 2 || classPriors.Count != classifier.ClassCount)
        {
            throw new ArgumentException($"The classifier knows {classifier.ClassCount} classes; {classPriors.Count} class priors were given.", nameof(classPriors));
        }

        if (Kind.Input == CellFeatureKind.PatchPixels)
        {
            if (selection is not null)
            {
                throw new ArgumentException($"A '{Kind.Name}' classifier reads patch pixels and takes no feature selection.", nameof(selection));
            }

            new PatchPixelLayout(settings.Channels, PatchGeometry.Size).Schema.EnsureCompatible(classifier.Schema, $"the {Kind.Name} classifier");
            selection = IdentitySelection(classifier.Schema);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(selection);
            selection.OutputSchema.EnsureCompatible(classifier.Schema, "the classifier");
        }

        Settings = settings;
        Selection = selection;
        Classifier = classifier;
        _predictor = Kind.Input == CellFeatureKind.Statistics && classifier is IColumnRemappable remappable
            ? remappable.ReadingColumnsOf(selection.InputSchema, selection.Indices)
            : null;
        ColumnsRead = Kind.Input != CellFeatureKind.Statistics ? [.. Enumerable.Range(0, selection.InputSchema.Count)]
            : _predictor is IFeatureUsage usage ? usage.UsedFeatures()
            : [.. selection.Indices];
        ClassPriors = [.. classPriors];
        Decision = decision;
        TrainingRows = trainingRows;
        SourceFormatVersion = FormatVersion;
    }

    /// <summary>How features are computed.</summary>
    public FeatureExtractionSettings Settings { get; }

    /// <summary>The fitted feature selection (the identity on the patch pixels for a kind that reads pixels).</summary>
    public FittedSelection Selection { get; }

    /// <summary>The classifier, of kind <see cref="Kind"/>.</summary>
    public IClassifierModel Classifier { get; }

    /// <summary>The classifier's registered kind.</summary>
    public ModelKind Kind { get; }

    /// <summary>The classifier kind's name (<see cref="ExtraTreesKind"/>, <see cref="GradientBoostingKind"/>, <see cref="LeNetKind"/> or another registered kind).</summary>
    public string ClassifierKind => Kind.Name;

    /// <summary>What the model reads per cell: patch statistics or patch pixels (the kind's input).</summary>
    public CellFeatureKind FeatureKind => Kind.Input;

    /// <summary>Share of each class in the training sample.</summary>
    public IReadOnlyList<double> ClassPriors { get; }

    /// <summary>All features the model reads (before selection).</summary>
    public FeatureSchema InputSchema => Selection.InputSchema;

    /// <summary>
    /// The columns of <see cref="InputSchema"/> that <see cref="PredictUrbanProbability"/> reads, ascending: for a tree
    /// classifier the ones its split nodes test (often far fewer than the selection keeps), else every selected
    /// column. The others may hold anything (NaN included) without changing a probability, so classification
    /// computes only these statistics.
    /// </summary>
    public IReadOnlyList<int> ColumnsRead { get; }

    /// <summary>Threshold and population prevalence.</summary>
    public DecisionRule Decision { get; }

    /// <summary>Decision threshold on the urban probability: urban where p(urban) &gt;= threshold.</summary>
    public float Threshold => Decision.Threshold;

    /// <summary>Share of urban cells in the population the map covers; null when probabilities are used as trained.</summary>
    public double? PopulationPrevalence => Decision.PopulationPrevalence;

    /// <summary>Share of urban rows in the training sample.</summary>
    public double TrainingPrevalence => ClassPriors[UrbanClass.Urban];

    /// <summary>Number of training rows.</summary>
    public long TrainingRows { get; }

    /// <summary>The format version of the file the model was read from (<see cref="FormatVersion"/> for a model made in this process).</summary>
    public int SourceFormatVersion { get; private init; }

    /// <summary>A copy with another threshold and prevalence, sharing this model's classifier (dispose only one of them).</summary>
    /// <param name="threshold">Decision threshold.</param>
    /// <param name="populationPrevalence">Population prevalence of urban, or null.</param>
    public UrbanModel WithDecision(float threshold, double? populationPrevalence) =>
        new(Settings, Kind.Input == CellFeatureKind.PatchPixels ? null : Selection, Classifier, ClassPriors, new DecisionRule(threshold, populationPrevalence), TrainingRows);

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
        int k = Classifier.ClassCount;
        float[] all = ArrayPool<float>.Shared.Rent(checked(features.RowCount * k));
        try
        {
            Span<float> probabilities = all.AsSpan(0, features.RowCount * k);
            if (_predictor is not null)
            {
                _predictor.PredictProbabilities(features, probabilities);
            }
            else
            {
                Classifier.PredictProbabilities(Kind.Input == CellFeatureKind.PatchPixels ? EnsureInputSchema(features) : Selection.Transform(features), probabilities);
            }

            for (int i = 0; i < features.RowCount; i++)
            {
                urbanProbability[i] = probabilities[(i * k) + UrbanClass.Urban];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(all);
        }

        if (PopulationPrevalence is { } prevalence)
        {
            PriorShift.AdjustBinary(urbanProbability[..features.RowCount], TrainingPrevalence, prevalence);
        }
    }

    /// <summary>Releases the classifier (native memory for some kinds).</summary>
    public void Dispose() => Classifier.Dispose();

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

    /// <summary>Writes the model to a stream (a <see cref="FileFrame"/> of version <see cref="FormatVersion"/>).</summary>
    /// <param name="stream">Destination.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        bool hasSelection = Kind.Input != CellFeatureKind.PatchPixels;

        // The classifier's own file (tens of MB for a forest) follows its length, so it is measured first; the frame
        // then writes the payload once to a file (twice only to a stream that cannot seek).
        long classifierLength = HashedPayload.Measure(Classifier.Save);
        FileFrame.Write(stream, Magic, FormatVersion, payload =>
        {
            using var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            w.Write(Kind.Name);
            w.Write(Classifier.FormatVersion);
            w.Write(hasSelection ? FittedSelection.FormatVersion : 0);
            w.Write(SettingsVersion);
            w.Write(JsonText.Format(Settings.WriteJson, indented: false));
            if (hasSelection)
            {
                Selection.Write(w);
            }

            w.Write(checked((int)classifierLength));
            w.Flush();
            Classifier.Save(payload);
            w.Write(Threshold);
            w.Write(Classifier.ClassCount);
            foreach (double prior in ClassPriors)
            {
                w.Write(prior);
            }

            w.Write(PopulationPrevalence.HasValue);
            w.Write(PopulationPrevalence ?? 0);
            w.Write(TrainingRows);
        });
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

    /// <summary>Reads a model from a stream (any format version from 1 to <see cref="FormatVersion"/>).</summary>
    /// <param name="stream">Source.</param>
    /// <param name="sourceName">Name for error messages.</param>
    /// <exception cref="DataFileException">Not a model, another version, an unregistered kind, truncated or corrupt.</exception>
    public static UrbanModel Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            // The payload is held whole to parse it anyway; a seekable copy lets the version choose the header layout.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        uint? version = FileFrame.PeekVersion(stream, Magic);
        if (version is { } v && v != FormatVersion)
        {
            if (!LegacyKinds.ContainsKey((int)v) && v != UnframedVersion)
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"model format version {v} is not supported (this library reads versions 1 to {FormatVersion})"));
            }

            return LoadUnframed(stream, sourceName);
        }

        return FileFrame.Read(stream, sourceName, Magic, FormatVersion, "urban model", "an",
            (bytes, length) => Parse(new MemoryStream(bytes, 0, length, writable: false), FormatVersion, sourceName));
    }

    /// <summary>Versions 1 to 4: magic, int32 version, int64 payload length, the payload, its SHA-256.</summary>
    private static UrbanModel LoadUnframed(Stream stream, string sourceName)
    {
        try
        {
            using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            r.ReadBytes(Magic.Length);
            int version = r.ReadInt32();
            long length = r.ReadInt64();
            if (length <= 0 || length > int.MaxValue)
            {
                throw new DataFileException(sourceName, "corrupt model header (payload length)");
            }

            // The declared length is checked against the file before anything that size is allocated.
            if (length + 32 > stream.Length - stream.Position)
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

            return Parse(new MemoryStream(payload, writable: false), version, sourceName);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFileException(sourceName, "truncated model file", e);
        }
    }

    /// <summary>Parses a payload of any version; every problem in it is a <see cref="DataFileException"/>.</summary>
    private static UrbanModel Parse(MemoryStream payload, int version, string sourceName)
    {
        try
        {
            using var p = new BinaryReader(payload, Encoding.UTF8);
            (string kindName, FeatureExtractionSettings settings, FittedSelection? selection) = version >= UnframedVersion
                ? ReadFront(p, sourceName)
                : ReadLegacyFront(p, version, sourceName);
            ModelKind kind = ModelKinds.Find(kindName)
                ?? throw new DataFileException(sourceName, $"classifier kind '{kindName}' is not registered in this application (a LeNet needs Inegi.UrbanGrowth.Cnn and LeNetModelKind.Register())");
            if ((kind.Input == CellFeatureKind.PatchPixels) != (selection is null))
            {
                throw new DataFileException(sourceName, $"corrupt model file: a '{kindName}' classifier {(selection is null ? "needs" : "takes no")} feature selection");
            }

            int blobLength = p.ReadInt32();
            if (blobLength < 0 || blobLength > payload.Length - payload.Position)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"classifier length {blobLength} is out of range"));
            }

            byte[] blob = p.ReadBytes(blobLength);
            float threshold = p.ReadSingle();
            int classCount = p.ReadInt32();
            if (classCount is < 2 or > 256)
            {
                throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"corrupt model file: class count {classCount}"));
            }

            double[] priors = new double[classCount];
            for (int c = 0; c < classCount; c++)
            {
                priors[c] = p.ReadDouble();
            }

            bool hasPrevalence = p.ReadBoolean();
            double prevalence = p.ReadDouble();
            long rows = p.ReadInt64();
            IClassifierModel classifier = kind.Load(new MemoryStream(blob), sourceName);
            return new UrbanModel(settings, selection, classifier, priors, new DecisionRule(threshold, hasPrevalence ? prevalence : null), rows)
            {
                SourceFormatVersion = version,
            };
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

    /// <summary>The front of a version 4 or 5 payload: kind, component versions, settings, selection.</summary>
    private static (string Kind, FeatureExtractionSettings Settings, FittedSelection? Selection) ReadFront(BinaryReader p, string sourceName)
    {
        string kind = p.ReadString();
        int classifierVersion = p.ReadInt32();
        int selectionVersion = p.ReadInt32();
        int settingsVersion = p.ReadInt32();
        if (settingsVersion != SettingsVersion || (selectionVersion != 0 && selectionVersion != FittedSelection.FormatVersion) || classifierVersion <= 0)
        {
            throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture,
                $"model components of versions settings {settingsVersion}, selection {selectionVersion}, classifier {classifierVersion} are not supported (this library reads settings {SettingsVersion}, selection {FittedSelection.FormatVersion})"));
        }

        FeatureExtractionSettings settings = ReadSettings(p, sourceName);
        return (kind, settings, selectionVersion == 0 ? null : FittedSelection.Read(p));
    }

    /// <summary>The front of a version 1 to 3 payload, whose version named the kind.</summary>
    private static (string Kind, FeatureExtractionSettings Settings, FittedSelection? Selection) ReadLegacyFront(BinaryReader p, int version, string sourceName)
    {
        FeatureExtractionSettings settings = ReadSettings(p, sourceName);
        FittedSelection? selection = LegacyKinds[version] == LeNetKind ? null : FittedSelection.Read(p);
        string kind = p.ReadString();
        if (kind != LegacyKinds[version])
        {
            throw new DataFileException(sourceName, string.Create(CultureInfo.InvariantCulture, $"classifier kind '{kind}' is not supported in a version {version} model file"));
        }

        return (kind, settings, selection);
    }

    private static FeatureExtractionSettings ReadSettings(BinaryReader p, string sourceName) => FeatureExtractionSettings.FromJson(
        JsonNode.Parse(p.ReadString()) ?? throw new DataFileException(sourceName, "missing feature settings"), sourceName);

    /// <summary>
    /// Writes the model's JSON description (what <c>urban inspect</c> prints): schema, selected features, the
    /// classifier's own description (trees, boosting or network), classes and the decision rule. The model file
    /// itself is binary (<see cref="Save(string)"/>).
    /// </summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("format_version", SourceFormatVersion);
        writer.WriteString("classifier", Kind.Name);
        writer.WritePropertyName("feature_settings");
        Settings.WriteJson(writer);
        writer.WriteNumber("input_features", InputSchema.Count);
        writer.WriteString("input_schema_fingerprint", InputSchema.Fingerprint);
        if (Kind.Input == CellFeatureKind.Statistics)
        {
            writer.WriteStartArray("selected_features");
            foreach (string name in Selection.OutputSchema.Names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("columns_read");
            foreach (int column in ColumnsRead)
            {
                writer.WriteStringValue(InputSchema.Names[column]);
            }

            writer.WriteEndArray();
        }

        Classifier.Describe(writer);
        writer.WriteStartArray("classes");
        foreach (string name in UrbanClass.Names.Take(Classifier.ClassCount))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteNumber("training_rows", TrainingRows);
        writer.WriteNumber("training_prevalence", TrainingPrevalence);
        if (PopulationPrevalence is { } population)
        {
            writer.WriteNumber("population_prevalence", population);
        }
        else
        {
            writer.WriteNull("population_prevalence");
        }

        writer.WriteNumber("threshold", Threshold);
        writer.WriteEndObject();
    }
}
