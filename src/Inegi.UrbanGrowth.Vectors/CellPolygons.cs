using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>Dissolves cell squares into polygons in the grid's CRS.</summary>
internal static class CellPolygons
{
    /// <summary>
    /// The union of the cells of some runs, always as a <see cref="MultiPolygon"/>. Each run becomes one rectangle
    /// (fewer inputs to the union than one square per cell); corners are computed by the same formula for every cell
    /// that shares them, so touching cells share exact coordinates and the union is exact.
    /// </summary>
    /// <remarks>OGC validity: a polygon's shell may not touch itself, so cells joined only at a corner (8- but not
    /// 4-connected) end up as separate parts of the multipolygon, which the simple-features model allows to touch at
    /// points; a hole may touch the shell at one point, which the union produces where an enclosed non-urban area meets
    /// the outside at a corner.</remarks>
    public static MultiPolygon Dissolve(IReadOnlyList<CellRun> runs, GeoTransform transform, GeometryFactory factory)
    {
        var rectangles = new List<Geometry>(runs.Count);
        foreach (CellRun run in runs)
        {
            rectangles.Add(Rectangle(run, transform, factory));
        }

        Geometry union = rectangles.Count == 1 ? rectangles[0] : CascadedPolygonUnion.Union(rectangles);
        return union switch
        {
            MultiPolygon multi => multi,
            Polygon polygon => factory.CreateMultiPolygon([polygon]),
            _ => throw new InvalidOperationException($"The union of cell squares gave a {union.GeometryType}."),
        };
    }

    private static Polygon Rectangle(CellRun run, GeoTransform t, GeometryFactory factory)
    {
        Coordinate Corner(int col, int row)
        {
            (double x, double y) = t.PixelToMap(col, row);
            return new Coordinate(x, y);
        }

        Coordinate a = Corner(run.Start, run.Row), b = Corner(run.End + 1, run.Row), c = Corner(run.End + 1, run.Row + 1), d = Corner(run.Start, run.Row + 1);
        return factory.CreatePolygon([a, b, c, d, a.Copy()]);
    }
}
