using System.Collections.Concurrent;

namespace Inegi.UrbanGrowth;

/// <summary>What a classifier reads per cell.</summary>
public enum CellFeatureKind
{
    /// <summary>The patch statistics (486 for the standard 27 channels), after the fitted feature selection.</summary>
    Statistics,

    /// <summary>
    /// The channel planes themselves, one row of <see cref="PatchPixelLayout.Schema"/> (27 x 33 x 33 = 29,403 values,
    /// channel-planar, each plane row-major), with no feature selection.
    /// </summary>
    PatchPixels,
}

/// <summary>What every learner of a kind is given when a model is trained: the seed, the threads and the kind's own options.</summary>
/// <param name="Seed">Random seed; the fitted model depends only on it and the data.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads (-1: all cores).</param>
/// <param name="TreeCount">Number of trees, for kinds that grow a fixed forest (the pilot's 100).</param>
/// <param name="Options">The kind's own options object (e.g. its options record), or null for the kind's defaults.</param>
public sealed record ClassifierTrainingSettings(int Seed, int MaxDegreeOfParallelism, int TreeCount = 100, object? Options = null)
{
    /// <summary>The kind's options of type <typeparamref name="T"/>, or <paramref name="defaults"/> when none were given.</summary>
    /// <typeparam name="T">The options type the kind expects.</typeparam>
    /// <param name="kind">The kind's name, for the error message.</param>
    /// <param name="defaults">Used when <see cref="Options"/> is null.</param>
    /// <exception cref="ArgumentException">Options of another type.</exception>
    public T OptionsOr<T>(string kind, T defaults) where T : class => Options switch
    {
        null => defaults,
        T typed => typed,
        _ => throw new ArgumentException($"The '{kind}' classifier takes options of type {typeof(T).Name}, not {Options.GetType().Name}."),
    };
}

/// <summary>
/// One kind of classifier that a model file can hold: its name, what it reads, how to fit one and how to read one
/// back. Each kind lives in its own assembly and is registered once in <see cref="ModelKinds"/>; nothing else
/// in the pipeline names a kind.
/// </summary>
public abstract class ModelKind
{
    /// <summary>The name stored in model files and given on the command line (e.g. <c>extra-trees</c>).</summary>
    public abstract string Name { get; }

    /// <summary>One line for help texts and <c>urban inspect</c>.</summary>
    public abstract string Description { get; }

    /// <summary>What the classifier reads per cell (statistics after selection, or patch pixels without).</summary>
    public abstract CellFeatureKind Input { get; }

    /// <summary>
    /// The format version that model files written before the kind and component versions moved into the file gave
    /// this kind (1 Extra-Trees, 2 LeNet, 3 gradient boosting); null for kinds added since, which only exist in the
    /// current format.
    /// </summary>
    public virtual int? LegacyFileVersion => null;

    /// <summary>
    /// The kind whose out-of-fold recall a recall budget is counted from (the pilot's learner for kinds that replace
    /// it on the same inputs); null to count from this kind's own recall.
    /// </summary>
    public virtual string? PilotRecallKind => null;

    /// <summary>A learner with the given settings.</summary>
    /// <param name="settings">Seed, threads and the kind's options.</param>
    public abstract ILearner<IClassifierModel> CreateLearner(ClassifierTrainingSettings settings);

    /// <summary>Reads a classifier of this kind from the bytes that its <see cref="IClassifierModel.Save"/> wrote.</summary>
    /// <param name="stream">The classifier's bytes.</param>
    /// <param name="sourceName">The file name for error messages.</param>
    /// <exception cref="DataFileException">Bytes that are not a valid classifier of this kind.</exception>
    public abstract IClassifierModel Load(Stream stream, string sourceName);
}

/// <summary>
/// The registry of classifier kinds. An application registers the kinds it ships once at start-up (the pipeline
/// registers Extra-Trees and gradient boosting itself; <c>Inegi.UrbanGrowth.Cnn</c> registers the LeNet with
/// <c>LeNetModelKind.Register()</c>). Thread-safe.
/// </summary>
public static class ModelKinds
{
    private static readonly ConcurrentDictionary<string, ModelKind> Registered = new(StringComparer.Ordinal);

    /// <summary>Adds a kind; registering the same instance again does nothing.</summary>
    /// <param name="kind">The kind.</param>
    /// <exception cref="InvalidOperationException">Another kind of the same name, or of the same legacy file version, is registered.</exception>
    public static void Register(ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind.Name, nameof(kind));
        ModelKind existing = Registered.GetOrAdd(kind.Name, kind);
        if (!ReferenceEquals(existing, kind) && existing.GetType() != kind.GetType())
        {
            throw new InvalidOperationException($"A classifier kind named '{kind.Name}' is already registered ({existing.GetType().FullName}).");
        }

        if (kind.LegacyFileVersion is { } v && Registered.Values.Any(k => k.LegacyFileVersion == v && k.Name != kind.Name))
        {
            Registered.TryRemove(kind.Name, out _);
            throw new InvalidOperationException($"Legacy model file version {v} already belongs to another classifier kind.");
        }
    }

    /// <summary>The registered kinds, by name.</summary>
    public static IReadOnlyList<ModelKind> All => [.. Registered.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>The kind of the given name, or null when none is registered.</summary>
    /// <param name="name">A kind name.</param>
    public static ModelKind? Find(string name) => name is not null && Registered.TryGetValue(name, out ModelKind? kind) ? kind : null;

    /// <summary>The kind of the given name.</summary>
    /// <param name="name">A kind name.</param>
    /// <exception cref="ArgumentException">No such kind is registered.</exception>
    public static ModelKind Get(string name) => Find(name)
        ?? throw new ArgumentException($"Unknown classifier '{name}' (registered: {string.Join(", ", All.Select(k => k.Name))}).", nameof(name));

    /// <summary>The kind that wrote model files of the given legacy format version, or null.</summary>
    /// <param name="version">1, 2 or 3.</param>
    public static ModelKind? FindLegacy(int version) => Registered.Values.FirstOrDefault(k => k.LegacyFileVersion == version);
}
