namespace Inegi.UrbanGrowth.Growth;

/// <summary>Urban area of one year over a region (the country or one zone).</summary>
/// <param name="Year">The year.</param>
/// <param name="ValidCells">Cells with data that year.</param>
/// <param name="UrbanCells">Urban cells that year.</param>
/// <param name="UrbanKm2">Urban area, km2 (<c>UrbanCells * cell area</c>).</param>
public readonly record struct YearlyUrbanArea(int Year, long ValidCells, long UrbanCells, double UrbanKm2);
