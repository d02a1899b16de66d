namespace Inegi.UrbanGrowth;

/// <summary>Cell classes of the 1 km grid and of the maps (SPEC 1.2 and 7).</summary>
public static class UrbanClass
{
    /// <summary>Non-urban cell.</summary>
    public const byte NonUrban = 0;

    /// <summary>Urban cell.</summary>
    public const byte Urban = 1;

    /// <summary>No label, or no data in a map.</summary>
    public const byte Undefined = 255;

    /// <summary>The report names of the two pilot classes, indexed by class value.</summary>
    public static IReadOnlyList<string> Names { get; } = ["non_urban", "urban"];
}
