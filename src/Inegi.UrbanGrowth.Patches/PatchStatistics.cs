namespace Inegi.UrbanGrowth.Patches;

/// <summary>The names and count of the per-channel patch statistics (SPEC 3).</summary>
public static class PatchStatistics
{
    /// <summary>Number of statistics per channel (18).</summary>
    public const int Count = 18;

    /// <summary>Number of equal-width histogram bins (10), as <c>numpy.histogram(values, bins=10)</c>.</summary>
    public const int HistogramBins = 10;

    /// <summary>
    /// The 18 statistic names in output order: <c>mean, variance, median, variation, skewness, kurtosis, entropy,
    /// hist0 .. hist9, center</c>. A feature is named <c>&lt;channel&gt;_&lt;statistic&gt;</c>.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "mean", "variance", "median", "variation", "skewness", "kurtosis", "entropy",
        "hist0", "hist1", "hist2", "hist3", "hist4", "hist5", "hist6", "hist7", "hist8", "hist9",
        "center",
    ];

    /// <summary>The name of a statistic, e.g. <c>"hist3"</c>.</summary>
    /// <param name="statistic">The statistic.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not one of the 18 statistics.</exception>
    public static string NameOf(PatchStatistic statistic)
    {
        int i = (int)statistic;
        ArgumentOutOfRangeException.ThrowIfNegative(i, nameof(statistic));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count, nameof(statistic));
        return Names[i];
    }

    /// <summary>Parses a statistic name (ordinal, case-sensitive), e.g. <c>"median"</c>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="statistic">The statistic, when found.</param>
    /// <returns>Whether <paramref name="name"/> is one of the 18 names.</returns>
    public static bool TryParse(string? name, out PatchStatistic statistic)
    {
        for (int i = 0; i < Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                statistic = (PatchStatistic)i;
                return true;
            }
        }

        statistic = default;
        return false;
    }

    /// <summary>The feature name of a channel's statistic: <c>&lt;channel&gt;_&lt;statistic&gt;</c>, e.g. <c>ndvi_median</c>.</summary>
    /// <param name="channel">Channel name.</param>
    /// <param name="statistic">The statistic.</param>
    public static string FeatureName(string channel, PatchStatistic statistic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        return channel + "_" + NameOf(statistic);
    }
}
