namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>Settings of a synthetic scene. Every value has a default that gives the small demo scene.</summary>
/// <remarks>
/// The defaults describe a 60 x 40 km scene (about 2,000 x 1,340 pixels of 30 m) for the years 2010, 2015 and 2020,
/// with about 2% urban and 12% undefined cells: the proportions of INEGI's 2010 grid (36,759 urban and 234,166
/// undefined cells of 1,975,719, SPEC 1.2). A national-size scene is about 1,400 x 1,400 cells.
/// </remarks>
public sealed class SyntheticSceneOptions
{
    /// <summary>Number of 1 km grid columns (default 60).</summary>
    public int CellsX { get; init; } = 60;

    /// <summary>Number of 1 km grid rows (default 40).</summary>
    public int CellsY { get; init; } = 40;

    /// <summary>Years to render, strictly increasing (default 2010, 2015, 2020). Cities grow between them.</summary>
    public IReadOnlyList<int> Years { get; init; } = [2010, 2015, 2020];

    /// <summary>Seed of the scene: the same seed and options give the same bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Target share of all grid cells labelled urban in the first year (default 0.02).</summary>
    /// <remarks>
    /// The town sizes are calibrated against the label rule itself (docs/synthetic.md, "Urban share"): the first year's
    /// urban cells come within 2 cells or 10% of <c>UrbanFraction * CellsX * CellsY</c>, whichever is larger, on small
    /// and large scenes alike (tested from 20 x 16 to 150 x 150 cells). Later years grow from there.
    /// </remarks>
    public double UrbanFraction { get; init; } = 0.02;

    /// <summary>Share of grid cells labelled undefined (255), in blobs "without census data" (default 0.12).</summary>
    public double UndefinedFraction { get; init; } = 0.12;

    /// <summary>A cell is urban when the mean built-up (impervious) abundance over its footprint is at least this (default 0.25).</summary>
    public double BuiltUpThreshold { get; init; } = 0.25;

    /// <summary>Side of a grid cell in metres (default 1000).</summary>
    public double CellSizeMeters { get; init; } = 1000;

    /// <summary>Side of a mosaic pixel in metres (default 30).</summary>
    public double PixelSizeMeters { get; init; } = 30;

    /// <summary>EPSG code written with the rasters (default 6372, Mexico ITRF2008 / LCC).</summary>
    public int Epsg { get; init; } = 6372;

    /// <summary>Map x (metres) of the grid's top-left corner (default 2,400,000, central Mexico in EPSG:6372).</summary>
    public double GridOriginX { get; init; } = 2_400_000;

    /// <summary>Map y (metres) of the grid's top-left corner (default 1,200,000).</summary>
    public double GridOriginY { get; init; } = 1_200_000;

    /// <summary>Number of zones ("states") of the zone raster (default 8).</summary>
    public int ZoneCount { get; init; } = 8;
}
