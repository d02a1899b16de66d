namespace Inegi.UrbanGrowth.Patches;

/// <summary>The 18 statistics computed for each channel of a patch (SPEC 3), in output order.</summary>
/// <remarks>
/// The numeric value of each member is its offset inside a channel's block of <see cref="PatchStatistics.Count"/>
/// columns, so the column of (channel c, statistic s) is <c>c * 18 + (int)s</c>.
/// </remarks>
public enum PatchStatistic
{
    /// <summary>Arithmetic mean, <c>sum / n</c>.</summary>
    Mean = 0,

    /// <summary>Population variance <c>m2 = sum((x - mean)^2) / n</c>.</summary>
    Variance = 1,

    /// <summary>The middle value of the sorted patch (n is odd).</summary>
    Median = 2,

    /// <summary>Coefficient of variation <c>sqrt(m2) / mean</c>; 0 where the mean is 0.</summary>
    Variation = 3,

    /// <summary>Biased skewness <c>m3 / m2^1.5</c>; 0 where m2 is 0.</summary>
    Skewness = 4,

    /// <summary>Biased Fisher kurtosis <c>m4 / m2^2 - 3</c>; 0 where m2 is 0.</summary>
    Kurtosis = 5,

    /// <summary>Shannon entropy (natural log) of the 10 histogram counts.</summary>
    Entropy = 6,

    /// <summary>Count of values in histogram bin 0 (the lowest).</summary>
    Hist0 = 7,

    /// <summary>Count of values in histogram bin 1.</summary>
    Hist1 = 8,

    /// <summary>Count of values in histogram bin 2.</summary>
    Hist2 = 9,

    /// <summary>Count of values in histogram bin 3.</summary>
    Hist3 = 10,

    /// <summary>Count of values in histogram bin 4.</summary>
    Hist4 = 11,

    /// <summary>Count of values in histogram bin 5 (all values of a constant patch land here).</summary>
    Hist5 = 12,

    /// <summary>Count of values in histogram bin 6.</summary>
    Hist6 = 13,

    /// <summary>Count of values in histogram bin 7.</summary>
    Hist7 = 14,

    /// <summary>Count of values in histogram bin 8.</summary>
    Hist8 = 15,

    /// <summary>Count of values in histogram bin 9 (the highest, closed on both sides).</summary>
    Hist9 = 16,

    /// <summary>The value of the patch's centre pixel (16, 16) for the default 33 x 33 patch.</summary>
    Center = 17,
}
