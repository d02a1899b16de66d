namespace Inegi.UrbanGrowth.Spectral;

/// <summary>
/// Which channels a <see cref="SpectralTransform"/> writes, and in which order: the 27 standard channels of SPEC 2
/// (<see cref="Standard"/>), a subset chosen by name, and user-defined indices. <see cref="Names"/> is the channel
/// layout downstream stages build their feature schema from.
/// </summary>
/// <remarks>
/// Standard channels always run through the fused vector kernel (a subset computes all 27 per vector and stores only
/// the chosen planes). User-defined channels run through a per-pixel path: a <see cref="SpectralIndexFunction"/>
/// delegate, or an expression string such as <c>"(nir - red) / (nir + red)"</c> parsed once, with SPEC 2's division rule
/// at every <c>/</c>. Any non-finite user result is stored as 0. Instances are immutable and thread-safe; the builder
/// methods return new sets.
/// </remarks>
public sealed class ChannelSet
{
    private readonly Channel[] _channels;
    private readonly string[] _names;

    private ChannelSet(Channel[] channels)
    {
        _channels = channels;
        _names = new string[channels.Length];
        StandardPlanes = new int[StandardChannels.Names.Count];
        Array.Fill(StandardPlanes, -1);
        var custom = new List<(int Plane, Channel Channel)>();
        bool isStandard = channels.Length == StandardChannels.Names.Count;
        for (int i = 0; i < channels.Length; i++)
        {
            _names[i] = channels[i].Name;
            if (channels[i].StandardIndex >= 0)
            {
                StandardPlanes[channels[i].StandardIndex] = i;
                HasStandard = true;
            }
            else
            {
                custom.Add((i, channels[i]));
            }

            isStandard &= channels[i].StandardIndex == i;
        }

        IsStandard = isStandard;
        CustomChannels = [.. custom];
        MaxExpressionDepth = 1;
        foreach (var (_, ch) in CustomChannels)
        {
            MaxExpressionDepth = Math.Max(MaxExpressionDepth, ch.Expression?.MaxDepth ?? 1);
        }
    }

    /// <summary>The 27 standard channels of SPEC 2, in order (the default).</summary>
    public static ChannelSet Standard { get; } = CreateStandard();

    /// <summary>Channel names in output-plane order: plane c of the output holds channel <c>Names[c]</c>.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of channels (output planes).</summary>
    public int Count => _channels.Length;

    /// <summary>True when this is exactly the 27 standard channels in SPEC 2 order.</summary>
    public bool IsStandard { get; }

    /// <summary>For each standard channel, its output plane index, or -1 when not selected.</summary>
    internal int[] StandardPlanes { get; }

    /// <summary>Whether any standard channel is selected.</summary>
    internal bool HasStandard { get; }

    /// <summary>The user-defined channels and their output plane index.</summary>
    internal (int Plane, Channel Channel)[] CustomChannels { get; }

    /// <summary>Largest evaluation stack any expression channel needs.</summary>
    internal int MaxExpressionDepth { get; }

    /// <summary>The output plane of a channel, or -1 when the set does not hold it.</summary>
    /// <param name="name">Channel name (case-sensitive).</param>
    public int IndexOf(string name) => Array.IndexOf(_names, name);

    /// <summary>A set holding only the named channels of this set, in the order given.</summary>
    /// <param name="names">Channel names; each must be in this set, at most once.</param>
    /// <exception cref="ArgumentException">An unknown or repeated name, or no names.</exception>
    public ChannelSet Select(params IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var chosen = new List<Channel>();
        foreach (string name in names)
        {
            int i = IndexOf(name);
            if (i < 0)
            {
                throw new ArgumentException($"Unknown channel '{name}'; known: {string.Join(", ", _names)}.", nameof(names));
            }

            if (chosen.Exists(c => c.Name == name))
            {
                throw new ArgumentException($"Channel '{name}' is selected twice.", nameof(names));
            }

            chosen.Add(_channels[i]);
        }

        if (chosen.Count == 0)
        {
            throw new ArgumentException("Select at least one channel.", nameof(names));
        }

        return new ChannelSet([.. chosen]);
    }

    /// <summary>This set plus a user-defined channel computed by a delegate, appended as the last plane.</summary>
    /// <param name="name">New channel name: letters, digits and '_', not already used.</param>
    /// <param name="function">The per-pixel formula; it must be thread-safe (pure). Divide with <see cref="SpectralBands.SafeDivide"/> to follow SPEC 2.</param>
    /// <exception cref="ArgumentException">Bad or repeated name.</exception>
    public ChannelSet Add(string name, SpectralIndexFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        CheckNewName(name);
        return new ChannelSet([.. _channels, new Channel(name, -1, function, null, null)]);
    }

    /// <summary>This set plus a user-defined channel given as an expression over the bands, appended as the last plane.</summary>
    /// <param name="name">New channel name: letters, digits and '_', not already used.</param>
    /// <param name="expression">
    /// Arithmetic over blue, green, red, nir, swir1, swir2 (or b, g, r, n, s1, s2), numbers, + - * /, unary minus and
    /// parentheses, e.g. <c>"(nir - red) / (nir + red)"</c>. Every division follows SPEC 2 (0 for a zero divisor or a
    /// non-finite quotient).
    /// </param>
    /// <exception cref="ArgumentException">Bad or repeated name, or an expression that does not parse.</exception>
    public ChannelSet Add(string name, string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        CheckNewName(name);
        var parsed = IndexExpression.Parse(expression, nameof(expression));
        return new ChannelSet([.. _channels, new Channel(name, -1, null, parsed, expression)]);
    }

    /// <summary>The expression text of a user-defined expression channel, or null for other channels.</summary>
    /// <param name="name">Channel name.</param>
    public string? ExpressionOf(string name)
    {
        int i = IndexOf(name);
        return i < 0 ? null : _channels[i].ExpressionText;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", _names);

    private static ChannelSet CreateStandard()
    {
        var channels = new Channel[StandardChannels.Names.Count];
        for (int i = 0; i < channels.Length; i++)
        {
            channels[i] = new Channel(StandardChannels.Names[i], i, null, null, null);
        }

        return new ChannelSet(channels);
    }

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (char ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                throw new ArgumentException($"Channel name '{name}' may hold only ASCII letters, digits and '_'.", nameof(name));
            }
        }

        if (IndexOf(name) >= 0 || StandardChannels.Names.Contains(name))
        {
            throw new ArgumentException($"Channel name '{name}' is already used (standard channel names are reserved).", nameof(name));
        }
    }

    internal sealed record Channel(string Name, int StandardIndex, SpectralIndexFunction? Function, IndexExpression? Expression, string? ExpressionText);
}
