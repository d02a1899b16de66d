namespace Inegi.UrbanGrowth.Growth;

/// <summary>Counts of the growth codes over a region (the country, or one zone), with the area of a cell.</summary>
/// <param name="StableNonUrban">Cells non-urban in both maps.</param>
/// <param name="StableUrban">Cells urban in both maps.</param>
/// <param name="NewUrban">Cells that became urban.</param>
/// <param name="UrbanLost">Cells that stopped being urban.</param>
/// <param name="NoData">Cells with no data in either map.</param>
/// <param name="CellAreaKm2">Area of one cell, km2.</param>
/// <remarks>
/// Urban cells of each year are counted over the cells valid in both maps, so that the two years cover the same
/// area: <c>UrbanFrom = StableUrban + UrbanLost</c>, <c>UrbanTo = StableUrban + NewUrban</c>,
/// <c>NetChange = NewUrban - UrbanLost = UrbanTo - UrbanFrom</c>, and
/// <c>GrowthRate = NetChange / UrbanFrom</c> (NaN where there was no urban cell in the earlier map).
/// </remarks>
public readonly record struct ChangeStatistics(long StableNonUrban, long StableUrban, long NewUrban, long UrbanLost, long NoData, double CellAreaKm2)
{
    /// <summary>All cells counted, nodata included.</summary>
    public long Cells => StableNonUrban + StableUrban + NewUrban + UrbanLost + NoData;

    /// <summary>Cells with data in both maps.</summary>
    public long ValidCells => StableNonUrban + StableUrban + NewUrban + UrbanLost;

    /// <summary>Urban cells in the earlier map (among cells valid in both).</summary>
    public long UrbanFrom => StableUrban + UrbanLost;

    /// <summary>Urban cells in the later map (among cells valid in both).</summary>
    public long UrbanTo => StableUrban + NewUrban;

    /// <summary>New urban minus urban lost, in cells.</summary>
    public long NetChange => NewUrban - UrbanLost;

    /// <summary>Urban area of the earlier map, km2.</summary>
    public double UrbanFromKm2 => UrbanFrom * CellAreaKm2;

    /// <summary>Urban area of the later map, km2.</summary>
    public double UrbanToKm2 => UrbanTo * CellAreaKm2;

    /// <summary>New urban area, km2.</summary>
    public double NewUrbanKm2 => NewUrban * CellAreaKm2;

    /// <summary>Urban area lost, km2.</summary>
    public double UrbanLostKm2 => UrbanLost * CellAreaKm2;

    /// <summary>Net change of urban area, km2.</summary>
    public double NetChangeKm2 => NetChange * CellAreaKm2;

    /// <summary>Relative growth of the urban area, <c>NetChange / UrbanFrom</c>; NaN where <see cref="UrbanFrom"/> is 0.</summary>
    public double GrowthRate => UrbanFrom == 0 ? double.NaN : (double)NetChange / UrbanFrom;

    /// <summary>Mean yearly growth rate over a span of years.</summary>
    /// <param name="years">Years between the two maps (&gt; 0).</param>
    /// <returns><c>(UrbanTo / UrbanFrom)^(1 / years) - 1</c> (compound rate); NaN where <see cref="UrbanFrom"/> is 0.</returns>
    public double AnnualGrowthRate(double years)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(years);
        return UrbanFrom == 0 ? double.NaN : Math.Pow((double)UrbanTo / UrbanFrom, 1.0 / years) - 1.0;
    }

    /// <summary>Adds the counts of two regions (cell areas must match).</summary>
    /// <param name="left">First region.</param>
    /// <param name="right">Second region.</param>
    /// <returns>The counts of both.</returns>
    public static ChangeStatistics operator +(ChangeStatistics left, ChangeStatistics right) =>
        new(left.StableNonUrban + right.StableNonUrban, left.StableUrban + right.StableUrban, left.NewUrban + right.NewUrban,
            left.UrbanLost + right.UrbanLost, left.NoData + right.NoData, left.CellAreaKm2);

    /// <summary>Adds the counts of two regions (same as the + operator).</summary>
    /// <param name="left">First region.</param>
    /// <param name="right">Second region.</param>
    /// <returns>The counts of both.</returns>
    public static ChangeStatistics Add(ChangeStatistics left, ChangeStatistics right) => left + right;
}
