using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Spectral;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// The fused per-cell path: a 33 x 33 window of raw digital numbers (six band planes) -> reflectance -> channel planes
/// -> patch features, in a per-thread <see cref="Scratch"/> that stays in cache and allocates nothing per cell.
/// Thread-safe: share one extractor, give each thread its own scratch.
/// </summary>
public sealed class CellFeatureExtractor
{
    private readonly SpectralTransform _spectral;
    private readonly PatchFeatureExtractor _patches;

    /// <summary>Creates the extractor for the given settings.</summary>
    /// <param name="settings">Scale, offset, tasseled cap and channels; <see cref="FeatureExtractionSettings.Default"/> when null.</param>
    public CellFeatureExtractor(FeatureExtractionSettings? settings = null)
    {
        Settings = settings ?? FeatureExtractionSettings.Default;
        _spectral = Settings.CreateSpectralTransform();
        _patches = new PatchFeatureExtractor(_spectral.Channels.Names);
    }

    /// <summary>The settings.</summary>
    public FeatureExtractionSettings Settings { get; }

    /// <summary>Names of the features, in output order.</summary>
    public FeatureSchema Schema => _patches.Schema;

    /// <summary>Number of features per cell.</summary>
    public int FeatureCount => _patches.Schema.Count;

    /// <summary>Pixels per patch.</summary>
    public static int PixelCount => PatchGeometry.PixelCount;

    /// <summary>A scratch buffer for one thread.</summary>
    public Scratch CreateScratch() => new(_spectral.ChannelCount, _patches.CreateScratch());

    /// <summary>Computes the features of one cell.</summary>
    /// <param name="digitalNumbers">Six band planes of <see cref="PixelCount"/> raw values each (B, G, R, N, S1, S2).</param>
    /// <param name="destination">At least <see cref="FeatureCount"/> values.</param>
    /// <param name="scratch">This thread's scratch.</param>
    public void Extract(ReadOnlySpan<float> digitalNumbers, Span<float> destination, Scratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        _spectral.ComputeFromDigitalNumbers(digitalNumbers, PixelCount, scratch.Channels);
        _patches.Extract(scratch.Channels, destination, scratch.Patch);
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
