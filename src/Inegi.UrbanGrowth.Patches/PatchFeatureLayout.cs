namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// The shape of a patch feature vector: which channels, in which order, over which patch size, and the column of
/// every (channel, statistic) pair. Channel-major: the 18 statistics of channel 0, then of channel 1, and so on.
/// </summary>
/// <remarks>
/// The default is SPEC 3: the 27 channels of <see cref="StandardChannels.Names"/> over a 33 x 33 patch, 486 features
/// named <c>&lt;channel&gt;_&lt;statistic&gt;</c> (<c>blue_mean</c> .. <c>tc_sixth_center</c>).
/// Patch sides other than 33 are allowed as long as they are odd, so that the median is one value and the patch
/// has a centre pixel: the centre is pixel <c>(side / 2, side / 2)</c>, index <c>(side * side - 1) / 2</c> of the
/// row-major plane.
/// </remarks>
public sealed class PatchFeatureLayout
{
    private readonly string[] _channels;
    private readonly Dictionary<string, int> _channelIndex;

    /// <summary>Creates the layout for the given channels and patch side.</summary>
    /// <param name="channelNames">Channel names in plane order; unique, non-empty, without spaces.</param>
    /// <param name="patchSize">Side of the square patch in pixels; odd, 1 to 1023 (default 33).</param>
    /// <exception cref="ArgumentException">No channel, an empty or repeated name, or an even or out-of-range side.</exception>
    public PatchFeatureLayout(IReadOnlyList<string> channelNames, int patchSize = PatchGeometry.Size)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        if (channelNames.Count == 0)
        {
            throw new ArgumentException("At least one channel is needed.", nameof(channelNames));
        }

        if (patchSize < 1 || patchSize > 1023 || patchSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, "The patch side must be odd and between 1 and 1023 pixels.");
        }

        _channels = new string[channelNames.Count];
        _channelIndex = new Dictionary<string, int>(channelNames.Count, StringComparer.Ordinal);
        for (int c = 0; c < _channels.Length; c++)
        {
            string name = channelNames[c];
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"Channel name {c} ('{name}') is empty or holds white space.", nameof(channelNames));
            }

            if (!_channelIndex.TryAdd(name, c))
            {
                throw new ArgumentException($"Channel name '{name}' appears twice.", nameof(channelNames));
            }

            _channels[c] = name;
        }

        PatchSize = patchSize;
        var names = new string[_channels.Length * PatchStatistics.Count];
        for (int c = 0; c < _channels.Length; c++)
        {
            for (int s = 0; s < PatchStatistics.Count; s++)
            {
                names[c * PatchStatistics.Count + s] = _channels[c] + "_" + PatchStatistics.Names[s];
            }
        }

        Schema = new FeatureSchema(names);
    }

    /// <summary>SPEC 3: the 27 standard channels over a 33 x 33 patch (486 features).</summary>
    public static PatchFeatureLayout Standard { get; } = new(StandardChannels.Names);

    /// <summary>Channel names in plane and feature order.</summary>
    public IReadOnlyList<string> ChannelNames => _channels;

    /// <summary>Number of channels.</summary>
    public int ChannelCount => _channels.Length;

    /// <summary>Side of the square patch in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Pixels per channel plane, <c>PatchSize^2</c>.</summary>
    public int PixelCount => PatchSize * PatchSize;

    /// <summary>Index of the centre pixel in a row-major plane, <c>(PixelCount - 1) / 2</c>.</summary>
    public int CenterIndex => (PixelCount - 1) / 2;

    /// <summary>Floats in one cell's channel planes, <c>ChannelCount * PixelCount</c>.</summary>
    public int ValuesPerCell => ChannelCount * PixelCount;

    /// <summary>Number of features, <c>ChannelCount * 18</c>.</summary>
    public int FeatureCount => Schema.Count;

    /// <summary>The feature names, channel-major, <c>&lt;channel&gt;_&lt;statistic&gt;</c>.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The column of a channel's statistic: <c>channel * 18 + (int)statistic</c>.</summary>
    /// <param name="channel">Channel index, 0 .. <see cref="ChannelCount"/> - 1.</param>
    /// <param name="statistic">The statistic.</param>
    /// <exception cref="ArgumentOutOfRangeException">The channel or statistic is out of range.</exception>
    public int ColumnOf(int channel, PatchStatistic statistic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, ChannelCount);
        int s = (int)statistic;
        if ((uint)s >= PatchStatistics.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Not a patch statistic.");
        }

        return channel * PatchStatistics.Count + s;
    }

    /// <summary>The column of a channel's statistic by channel name.</summary>
    /// <param name="channel">Channel name, one of <see cref="ChannelNames"/>.</param>
    /// <param name="statistic">The statistic.</param>
    /// <exception cref="ArgumentException">The channel is not in this layout.</exception>
    public int ColumnOf(string channel, PatchStatistic statistic)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!_channelIndex.TryGetValue(channel, out int c))
        {
            throw new ArgumentException($"Channel '{channel}' is not in this layout ({string.Join(", ", _channels)}).", nameof(channel));
        }

        return ColumnOf(c, statistic);
    }

    /// <summary>The index of a channel name, or -1.</summary>
    /// <param name="channel">Channel name.</param>
    public int IndexOfChannel(string channel) => _channelIndex.TryGetValue(channel, out int c) ? c : -1;
}
