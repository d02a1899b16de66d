namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// The counts of an <see cref="UrbanTimeSeries"/>: for each year, valid then urban cells (<c>[2 t]</c>, <c>[2 t + 1]</c>),
/// over all cells, over the cells of no zone, and per zone id (in the order the zones were met).
/// </summary>
/// <param name="National">Counts over every cell.</param>
/// <param name="Unzoned">Counts over the cells whose zone is the "no zone" id.</param>
/// <param name="Zones">Counts per zone id.</param>
public sealed record UrbanSeriesCounts(IReadOnlyList<long> National, IReadOnlyList<long> Unzoned, IReadOnlyList<KeyValuePair<int, IReadOnlyList<long>>> Zones);
