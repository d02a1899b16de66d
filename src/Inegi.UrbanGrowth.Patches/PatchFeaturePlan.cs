namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// Which of a layout's features to compute: per channel, the set of its statistics that a consumer reads (a fitted
/// model reads only the columns its selection kept and its trees split on). The kernel then skips a channel no kept
/// statistic needs, the median's selection where the median is not kept, and the moments-and-histogram pass where
/// none of variance, variation, skewness, kurtosis, entropy or the histogram counts is kept. Every kept statistic has
/// the bits of the full computation; every other column is written as NaN.
/// </summary>
/// <remarks>
/// The first pass (min, max, float64 sum) runs for every channel with at least one kept statistic, also when only the
/// centre or the mean is kept: it is what flags a plane holding NaN or an infinity, whose statistics are all NaN in
/// the full computation too. <see cref="All"/> is the full plan (what <c>urban features</c> and <c>patches</c> write).
/// </remarks>
public sealed class PatchFeaturePlan
{
    private const int AllStatistics = (1 << PatchStatistics.Count) - 1;

    /// <summary>The statistics read from the second pass (central moments and the numpy histogram, computed together).</summary>
    private const int SecondPassStatistics = AllStatistics
        & ~(1 << (int)PatchStatistic.Mean) & ~(1 << (int)PatchStatistic.Median) & ~(1 << (int)PatchStatistic.Center);

    /// <summary>The statistics computed from the central moments (the rest of the second pass is the histogram).</summary>
    private const int MomentStatistics = (1 << (int)PatchStatistic.Variance) | (1 << (int)PatchStatistic.Variation)
        | (1 << (int)PatchStatistic.Skewness) | (1 << (int)PatchStatistic.Kurtosis);

    private readonly int[] _masks;

    private PatchFeaturePlan(int[] masks)
    {
        _masks = masks;
        int count = 0;
        int channels = 0;
        foreach (int mask in masks)
        {
            count += System.Numerics.BitOperations.PopCount((uint)mask);
            channels += mask != 0 ? 1 : 0;
        }

        ColumnCount = count;
        ChannelsComputed = channels;
        IsFull = count == masks.Length * PatchStatistics.Count;
    }

    /// <summary>Number of channels of the layout the plan was made for.</summary>
    public int ChannelCount => _masks.Length;

    /// <summary>Number of features computed (kept columns).</summary>
    public int ColumnCount { get; }

    /// <summary>Number of channels with at least one kept statistic (the others are skipped whole).</summary>
    public int ChannelsComputed { get; }

    /// <summary>True when every feature is computed (the full plan).</summary>
    public bool IsFull { get; }

    /// <summary>Number of channels whose median is kept (the order statistic's selection runs only for these).</summary>
    public int MediansComputed => _masks.Count(m => (m & (1 << (int)PatchStatistic.Median)) != 0);

    /// <summary>Number of channels whose moments-and-histogram pass runs.</summary>
    public int SecondPassesComputed => _masks.Count(m => (m & SecondPassStatistics) != 0);

    /// <summary>The full plan: every statistic of every channel of <paramref name="layout"/>.</summary>
    /// <param name="layout">The layout.</param>
    public static PatchFeaturePlan All(PatchFeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int[] masks = new int[layout.ChannelCount];
        Array.Fill(masks, AllStatistics);
        return new PatchFeaturePlan(masks);
    }

    /// <summary>The plan computing exactly the given columns of <paramref name="layout"/> (channel * 18 + statistic).</summary>
    /// <param name="layout">The layout whose columns are listed.</param>
    /// <param name="columns">Columns to compute, in any order; repeats are allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column outside the layout.</exception>
    public static PatchFeaturePlan ForColumns(PatchFeatureLayout layout, IEnumerable<int> columns)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(columns);
        int[] masks = new int[layout.ChannelCount];
        foreach (int column in columns)
        {
            if ((uint)column >= (uint)layout.FeatureCount)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), column, $"Column {column} lies outside the layout's {layout.FeatureCount} features.");
            }

            masks[column / PatchStatistics.Count] |= 1 << (column % PatchStatistics.Count);
        }

        return new PatchFeaturePlan(masks);
    }

    /// <summary>Whether the plan computes a column (channel * 18 + statistic).</summary>
    /// <param name="column">A column of the layout.</param>
    public bool Computes(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, _masks.Length * PatchStatistics.Count);
        return (_masks[column / PatchStatistics.Count] & (1 << (column % PatchStatistics.Count))) != 0;
    }

    /// <summary>The statistics kept for one channel: bit s set when statistic s is computed.</summary>
    internal int MaskOf(int channel) => _masks[channel];

    /// <summary>Whether a channel mask needs the second pass.</summary>
    internal static bool NeedsSecondPass(int mask) => (mask & SecondPassStatistics) != 0;

    /// <summary>Whether a channel mask needs the central moments of the second pass (else its histogram alone).</summary>
    internal static bool NeedsMoments(int mask) => (mask & MomentStatistics) != 0;

    /// <summary>Whether a channel mask needs the median.</summary>
    internal static bool NeedsMedian(int mask) => (mask & (1 << (int)PatchStatistic.Median)) != 0;

    /// <summary>Whether a channel mask is every statistic.</summary>
    internal static bool IsWhole(int mask) => mask == AllStatistics;
}
