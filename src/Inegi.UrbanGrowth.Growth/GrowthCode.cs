namespace Inegi.UrbanGrowth.Growth;

/// <summary>Cell codes of a growth map between two class maps of the same grid (SPEC 7).</summary>
/// <remarks>
/// With <c>a</c> the class in the earlier map and <c>b</c> in the later one (0 non-urban, 1 urban):
/// code = <c>a | ((a ^ b) &lt;&lt; 1)</c>, i.e. 0 (0,0), 1 (1,1), 2 (0,1) and 3 (1,0). Any other class value in
/// either map (255, or an unexpected 2..254) gives <see cref="NoData"/>.
/// </remarks>
public static class GrowthCode
{
    /// <summary>Non-urban in both maps.</summary>
    public const byte StableNonUrban = 0;

    /// <summary>Urban in both maps.</summary>
    public const byte StableUrban = 1;

    /// <summary>Non-urban in the earlier map, urban in the later one.</summary>
    public const byte NewUrban = 2;

    /// <summary>Urban in the earlier map, non-urban in the later one.</summary>
    public const byte UrbanLost = 3;

    /// <summary>No data in either map.</summary>
    public const byte NoData = 255;

    /// <summary>Report names of the four codes, indexed by code value.</summary>
    public static IReadOnlyList<string> Names { get; } = ["stable_non_urban", "stable_urban", "new_urban", "urban_lost"];
}
