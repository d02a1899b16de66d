using System.Globalization;

namespace Inegi.UrbanGrowth;

/// <summary>
/// How a patch's raw pixels sit in one row of a <see cref="FeatureMatrix"/>: <c>C * S * S</c> values, channel-planar,
/// each plane row-major. This is the input representation of the convolutional models, so that they consume the same
/// <see cref="FeatureMatrix"/> / <see cref="FeatureSchema"/> as the patch-statistics models.
/// </summary>
/// <remarks>
/// <para>
/// Value of channel <c>c</c> at pixel (<c>row</c>, <c>col</c>) is at column <c>c * S * S + row * S + col</c>, i.e.
/// channel <c>c</c> occupies <c>[c * S * S, (c + 1) * S * S)</c>: exactly the channel-planar buffer that
/// <see cref="IPatchFeatureExtractor.Extract"/> receives, so a pipeline copies it into the row unchanged.
/// </para>
/// <para>
/// Columns are named <c>&lt;channel&gt;_r&lt;row&gt;c&lt;col&gt;</c> with decimal, unpadded, zero-based indices, e.g.
/// <c>ndvi_r16c16</c> for the centre pixel of the NDVI plane of a 33 x 33 patch. With the 27
/// <see cref="StandardChannels.Names"/> and <see cref="PatchGeometry.Size"/> = 33 a row has 29,403 columns.
/// <see cref="FromSchema"/> recognises such a schema and recovers the channels and the size.
/// </para>
/// </remarks>
public sealed class PatchPixelLayout : IEquatable<PatchPixelLayout>
{
    private readonly string[] _channelNames;

    /// <summary>Creates a layout.</summary>
    /// <param name="channelNames">Channel names in plane order: unique, non-empty, without white space.</param>
    /// <param name="patchSize">Width and height of the patch in pixels (33 in the pilot).</param>
    /// <exception cref="ArgumentException">No channels, an empty / repeated / blank-containing name, or a size below 1.</exception>
    public PatchPixelLayout(IReadOnlyList<string> channelNames, int patchSize = PatchGeometry.Size)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 1);
        if (channelNames.Count == 0)
        {
            throw new ArgumentException("A patch layout needs at least one channel.", nameof(channelNames));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        _channelNames = new string[channelNames.Count];
        for (int c = 0; c < channelNames.Count; c++)
        {
            string name = channelNames[c];
            if (string.IsNullOrEmpty(name) || name.AsSpan().ContainsAny(" \t\r\n"))
            {
                throw new ArgumentException($"Channel name {c} is empty or contains white space.", nameof(channelNames));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Channel name '{name}' appears twice.", nameof(channelNames));
            }

            _channelNames[c] = name;
        }

        long count = (long)channelNames.Count * patchSize * patchSize;
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"{channelNames.Count} channels of {patchSize} x {patchSize} pixels exceed the largest row.", nameof(patchSize));
        }

        PatchSize = patchSize;
        Schema = new FeatureSchema(EnumerateNames(_channelNames, patchSize));
    }

    /// <summary>The pilot's layout: the 27 <see cref="StandardChannels.Names"/> over 33 x 33 pixels (29,403 columns).</summary>
    public static PatchPixelLayout Standard { get; } = new(StandardChannels.Names, PatchGeometry.Size);

    /// <summary>Channel names in plane order.</summary>
    public IReadOnlyList<string> ChannelNames => _channelNames;

    /// <summary>Number of channels (planes).</summary>
    public int ChannelCount => _channelNames.Length;

    /// <summary>Width and height of the patch in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Pixels per plane, <c>PatchSize * PatchSize</c>.</summary>
    public int PixelsPerChannel => PatchSize * PatchSize;

    /// <summary>Values per row, <c>ChannelCount * PatchSize * PatchSize</c>.</summary>
    public int ValueCount => _channelNames.Length * PatchSize * PatchSize;

    /// <summary>The schema of rows in this layout (<c>&lt;channel&gt;_r&lt;row&gt;c&lt;col&gt;</c>, channel-planar).</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The schema of patch rows for the given channels and size (shortcut for <c>new PatchPixelLayout(...).Schema</c>).</summary>
    /// <param name="channelNames">Channel names in plane order.</param>
    /// <param name="patchSize">Width and height of the patch in pixels.</param>
    public static FeatureSchema CreateSchema(IReadOnlyList<string> channelNames, int patchSize = PatchGeometry.Size) =>
        new PatchPixelLayout(channelNames, patchSize).Schema;

    /// <summary>The column name of one pixel value: <c>&lt;channel&gt;_r&lt;row&gt;c&lt;col&gt;</c>.</summary>
    /// <param name="channelName">The channel.</param>
    /// <param name="row">Pixel row, 0-based.</param>
    /// <param name="column">Pixel column, 0-based.</param>
    public static string ColumnName(string channelName, int row, int column) =>
        string.Create(CultureInfo.InvariantCulture, $"{channelName}_r{row}c{column}");

    /// <summary>The column index of channel <paramref name="channel"/> at pixel (<paramref name="row"/>, <paramref name="column"/>).</summary>
    /// <param name="channel">Channel index.</param>
    /// <param name="row">Pixel row.</param>
    /// <param name="column">Pixel column.</param>
    public int ColumnIndex(int channel, int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, ChannelCount);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, PatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, PatchSize);
        return (channel * PatchSize + row) * PatchSize + column;
    }

    /// <summary>Recognises a patch-pixel schema and recovers its layout.</summary>
    /// <param name="schema">A schema made by <see cref="CreateSchema"/> (or an equal one).</param>
    /// <param name="layout">The layout, or null.</param>
    /// <returns>Whether <paramref name="schema"/> is exactly the schema of some layout.</returns>
    public static bool TryFromSchema(FeatureSchema schema, out PatchPixelLayout? layout)
    {
        ArgumentNullException.ThrowIfNull(schema);
        layout = null;
        if (schema.Count == 0 || !TryParseName(schema.Names[schema.Count - 1], out _, out int lastRow, out int lastCol) || lastRow != lastCol)
        {
            return false;
        }

        int size = lastRow + 1;
        long plane = (long)size * size;
        if (schema.Count % plane != 0)
        {
            return false;
        }

        int channels = (int)(schema.Count / plane);
        var names = new string[channels];
        for (int c = 0; c < channels; c++)
        {
            if (!TryParseName(schema.Names[(int)(c * plane)], out string channel, out int r, out int k) || r != 0 || k != 0)
            {
                return false;
            }

            names[c] = channel;
        }

        PatchPixelLayout candidate;
        try
        {
            candidate = new PatchPixelLayout(names, size);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!candidate.Schema.Equals(schema))
        {
            return false;
        }

        layout = candidate;
        return true;
    }

    /// <summary>Recovers the layout of a patch-pixel schema, or says clearly why it is not one.</summary>
    /// <param name="schema">The schema of the rows offered.</param>
    /// <exception cref="ArgumentException">The schema is not channel-planar patch pixels named <c>&lt;channel&gt;_r&lt;row&gt;c&lt;col&gt;</c>.</exception>
    public static PatchPixelLayout FromSchema(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (TryFromSchema(schema, out PatchPixelLayout? layout))
        {
            return layout!;
        }

        string first = schema.Count > 0 ? schema.Names[0] : "(none)";
        throw new ArgumentException(
            $"The features are not patch pixels: expected {schema.Count} columns named <channel>_r<row>c<col>, channel-planar (see PatchPixelLayout.CreateSchema), got '{first}', ... ({schema}).",
            nameof(schema));
    }

    /// <inheritdoc/>
    public bool Equals(PatchPixelLayout? other) => other is not null && Schema.Equals(other.Schema);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PatchPixelLayout other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Schema.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ChannelCount} channels x {PatchSize} x {PatchSize} pixels");

    private static IEnumerable<string> EnumerateNames(string[] channels, int size)
    {
        foreach (string channel in channels)
        {
            for (int r = 0; r < size; r++)
            {
                for (int c = 0; c < size; c++)
                {
                    yield return ColumnName(channel, r, c);
                }
            }
        }
    }

    private static bool TryParseName(string name, out string channel, out int row, out int column)
    {
        channel = string.Empty;
        row = column = -1;
        int at = name.LastIndexOf("_r", StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> tail = name.AsSpan(at + 2);
        int c = tail.IndexOf('c');
        if (c <= 0
            || !int.TryParse(tail[..c], NumberStyles.None, CultureInfo.InvariantCulture, out row)
            || !int.TryParse(tail[(c + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out column))
        {
            return false;
        }

        channel = name[..at];
        return true;
    }
}
