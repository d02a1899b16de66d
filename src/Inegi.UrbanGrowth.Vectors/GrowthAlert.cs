using NetTopologySuite.Geometries;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>
/// One growth alert: an 8-connected group of new-urban cells (SPEC 7 growth code 2) dissolved into one
/// <see cref="MultiPolygon"/> in the grid's CRS (docs/vectors.md).
/// </summary>
/// <param name="Id">1-based id, in the order the row scan closes the groups (by their last row, then their first cell).</param>
/// <param name="FirstCellId">Cell id (row * width + col) of the group's first cell in row-major order.</param>
/// <param name="FirstYear">The earliest first-urban year among the cells, or null when none of them has one.</param>
/// <param name="AreaKm2">Area in km2 (cells times the cell area; the grid's CRS is in metres).</param>
/// <param name="CellCount">Number of cells.</param>
/// <param name="MeanConfidence">Mean confidence (0..100) over the cells that have one, or null.</param>
/// <param name="MinConfidence">Minimum confidence over the cells that have one, or null.</param>
/// <param name="Zone">The zone holding most of the cells (ties: the smallest id), or null when no cell has a zone.</param>
/// <param name="Rank">1 for the most confident alert: by mean confidence, then minimum confidence, then size, descending, then id.</param>
/// <param name="Geometry">The dissolved cell squares; parts that touch only at a corner are separate polygons.</param>
public sealed record GrowthAlert(
    int Id, long FirstCellId, int? FirstYear, double AreaKm2, int CellCount, double? MeanConfidence, int? MinConfidence, int? Zone, int Rank,
    MultiPolygon Geometry);

/// <summary>What <see cref="GrowthAlertWriter.Commit"/> wrote.</summary>
/// <param name="AlertCount">Number of alerts (features).</param>
/// <param name="CellCount">New-urban cells in all alerts.</param>
/// <param name="AreaKm2">Their area in km2.</param>
/// <param name="LargestAlertCells">Cells of the largest alert (0 when there is none).</param>
public sealed record GrowthAlertSummary(int AlertCount, long CellCount, double AreaKm2, int LargestAlertCells)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"growth alerts: {AlertCount} polygons, {CellCount} new-urban cells, {AreaKm2:0.###} km2, largest {LargestAlertCells} cells");
}
