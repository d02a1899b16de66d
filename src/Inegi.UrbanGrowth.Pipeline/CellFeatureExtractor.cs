using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Spectral;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// The fused per-cell path: a 33 x 33 window of raw digital numbers (six band planes) -> reflectance -> channel planes
/// -> patch features (or, with <see cref="CellFeatureKind.PatchPixels"/>, the channel planes themselves), in a per-thread <see cref="Scratch"/> that stays in cache and allocates nothing per cell.
/// Thread-safe: share one extractor, give each thread its own scratch.
/// </summary>
public sealed class CellFeatureExtractor
{
    private readonly SpectralTransform _spectral;
    private readonly PatchFeatureExtractor _patches;

    /// <summary>Creates the extractor for the given settings.</summary>
    /// <param name="settings">Scale, offset, tasseled cap and channels; <see cref="FeatureExtractionSettings.Default"/> when null.</param>
    /// <param name="kind">Patch statistics (Extra-Trees) or patch pixels (LeNet).</param>
    public CellFeatureExtractor(FeatureExtractionSettings? settings = null, CellFeatureKind kind = CellFeatureKind.Statistics)
        : this(settings, kind, null)
    {
    }

    /// <summary>
    /// Creates an extractor that computes only some of the statistics (for a model that reads only those, see
    /// <see cref="UrbanModel.ColumnsRead"/>): each listed column gets the full computation's bits, the others NaN.
    /// </summary>
    /// <param name="settings">Scale, offset, tasseled cap and channels; <see cref="FeatureExtractionSettings.Default"/> when null.</param>
    /// <param name="kind">Patch statistics (Extra-Trees) or patch pixels (LeNet).</param>
    /// <param name="statisticColumns">Columns of <see cref="Schema"/> to compute; null for all. Only for <see cref="CellFeatureKind.Statistics"/>.</param>
    /// <exception cref="ArgumentException">Columns given for patch pixels, or a column outside the schema.</exception>
    public CellFeatureExtractor(FeatureExtractionSettings? settings, CellFeatureKind kind, IEnumerable<int>? statisticColumns)
    {
        if (kind is not (CellFeatureKind.Statistics or CellFeatureKind.PatchPixels))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown feature kind.");
        }

        Settings = settings ?? FeatureExtractionSettings.Default;
        Kind = kind;
        _spectral = Settings.CreateSpectralTransform();
        _patches = new PatchFeatureExtractor(_spectral.Channels.Names);
        Schema = kind == CellFeatureKind.PatchPixels ? new PatchPixelLayout(_spectral.Channels.Names, PatchGeometry.Size).Schema : _patches.Schema;
        if (statisticColumns is not null && kind != CellFeatureKind.Statistics)
        {
            throw new ArgumentException("Columns to compute are only for patch statistics; patch pixels are copied whole.", nameof(statisticColumns));
        }

        Plan = statisticColumns is null ? PatchFeaturePlan.All(_patches.Layout) : PatchFeaturePlan.ForColumns(_patches.Layout, statisticColumns);
    }

    /// <summary>Which statistics are computed (all, unless the extractor was made for some columns); unused for patch pixels.</summary>
    public PatchFeaturePlan Plan { get; }

    /// <summary>The settings.</summary>
    public FeatureExtractionSettings Settings { get; }

    /// <summary>Statistics or pixels.</summary>
    public CellFeatureKind Kind { get; }

    /// <summary>Names of the features, in output order.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Number of features per cell.</summary>
    public int FeatureCount => Schema.Count;

    /// <summary>Pixels per patch.</summary>
    public static int PixelCount => PatchGeometry.PixelCount;

    /// <summary>A scratch buffer for one thread.</summary>
    public Scratch CreateScratch() => new(_spectral.ChannelCount, _patches.CreateScratch());

    /// <summary>Computes the features of one cell (statistics, or the channel planes for <see cref="CellFeatureKind.PatchPixels"/>).</summary>
    /// <param name="digitalNumbers">Six band planes of <see cref="PixelCount"/> raw values each (B, G, R, N, S1, S2).</param>
    /// <param name="destination">At least <see cref="FeatureCount"/> values.</param>
    /// <param name="scratch">This thread's scratch.</param>
    public void Extract(ReadOnlySpan<float> digitalNumbers, Span<float> destination, Scratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (Kind == CellFeatureKind.PatchPixels)
        {
            _spectral.ComputeFromDigitalNumbers(digitalNumbers, PixelCount, destination[..FeatureCount]);
            return;
        }

        _spectral.ComputeFromDigitalNumbers(digitalNumbers, PixelCount, scratch.Channels);
        _patches.Extract(scratch.Channels, destination, scratch.Patch, Plan.IsFull ? null : Plan);
    }

    /// <summary>Per-thread working memory of <see cref="CellFeatureExtractor"/>.</summary>
    public sealed class Scratch
    {
        internal Scratch(int channelCount, PatchScratch patch)
        {
            Channels = new float[channelCount * PatchGeometry.PixelCount];
            Patch = patch;
            Window = new float[StandardChannels.BandCount * PatchGeometry.PixelCount];
        }

        internal float[] Channels { get; }

        internal PatchScratch Patch { get; }

        /// <summary>Room for one cell's six band planes of raw values.</summary>
        public float[] Window { get; }
    }
}
