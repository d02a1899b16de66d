namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>Settings of a <see cref="SyntheticArchive"/>: how many scenes, where the swaths run, where the sun is.</summary>
/// <remarks>The defaults are those of Landsat's Worldwide Reference System 2 (185 km swaths, paths about 160 km apart
/// at the latitude of central Mexico, frames 170 km long every 161 km along the track) and every 16-day revisit of
/// every satellite flying that year.</remarks>
public sealed record SyntheticArchiveOptions
{
    /// <summary>At most this many acquisitions per frame and year, spread evenly through the year's revisits; 0 keeps every revisit (16 days per satellite).</summary>
    public int MaxAcquisitionsPerFrame { get; init; }

    /// <summary>Seed of the archive (swath placement, dates' clouds, snow, noise): the same scene, year, options and seed give the same bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Width of a swath across the track, in metres (default 185 km).</summary>
    public double SwathWidthMeters { get; init; } = 185_000;

    /// <summary>Distance between the centre lines of neighbouring paths, in metres (default 160 km: neighbouring swaths overlap).</summary>
    public double PathSpacingMeters { get; init; } = 160_000;

    /// <summary>Length of a frame along the track, in metres (default 170 km).</summary>
    public double FrameLengthMeters { get; init; } = 170_000;

    /// <summary>Distance between the centres of consecutive frames (rows) of a path, in metres (default 161 km).</summary>
    public double RowSpacingMeters { get; init; } = 161_000;

    /// <summary>Latitude in degrees used for the sun's elevation and azimuth (shadow direction and length, saturation); null: 23 (central Mexico).</summary>
    public double? Latitude { get; init; }

    /// <summary>Multiplies every acquisition's drawn cloud cover (default 1; 0 gives a cloud-free archive).</summary>
    public double CloudCoverScale { get; init; } = 1;
}

/// <summary>What a synthetic observation pixel shows, as its quality bands encode it (several may hold at once).</summary>
[Flags]
public enum SyntheticConditions : byte
{
    /// <summary>A clear land pixel.</summary>
    None = 0,

    /// <summary>No data: outside the swath or the frame, beyond the scene, or in an ETM+ scan-line gap (QA_PIXEL bit 0).</summary>
    Fill = 1,

    /// <summary>Cloud (QA_PIXEL bit 3, cloud confidence high).</summary>
    Cloud = 2,

    /// <summary>Dilated cloud: the ring around a cloud, thin cloud edges included (QA_PIXEL bit 1, cloud confidence medium).</summary>
    DilatedCloud = 4,

    /// <summary>Cloud shadow (QA_PIXEL bit 4, shadow confidence high).</summary>
    CloudShadow = 8,

    /// <summary>Snow (QA_PIXEL bit 5, snow confidence high).</summary>
    Snow = 16,

    /// <summary>Water (QA_PIXEL bit 7).</summary>
    Water = 32,

    /// <summary>A band read by the pipeline is saturated (its QA_RADSAT bit).</summary>
    Saturated = 64,
}

/// <summary>One frame of the archive: a path and row whose swath crosses the scene.</summary>
/// <param name="Index">Position in <see cref="SyntheticArchive.Frames"/>.</param>
/// <param name="Path">The path number (increasing westward, as WRS-2's).</param>
/// <param name="Row">The row number (increasing southward on a descending pass).</param>
/// <param name="Footprint">The frame's data area within the scene's mosaic, a convex polygon in mosaic pixel coordinates (column, row; pixel i spans [i, i + 1)).</param>
public sealed record SyntheticFrame(int Index, int Path, int Row, IReadOnlyList<(double Column, double Row)> Footprint)
{
    internal double CentreColumn { get; init; }

    internal double CentreRow { get; init; }
}

/// <summary>One acquisition of the archive: a frame on a date, by one satellite.</summary>
/// <param name="Index">Position in <see cref="SyntheticArchive.Acquisitions"/>.</param>
/// <param name="FrameIndex">Its frame in <see cref="SyntheticArchive.Frames"/>.</param>
/// <param name="ProductId">The Collection 2 Level 2 product id, e.g. <c>LE07_L2SP_029045_20100321_20100410_02_T1</c>.</param>
/// <param name="Date">Acquisition date.</param>
/// <param name="Spacecraft"><c>LANDSAT_5</c>, <c>LANDSAT_7</c>, <c>LANDSAT_8</c> or <c>LANDSAT_9</c>.</param>
/// <param name="Sensor">The MTL's sensor id: <c>TM</c>, <c>ETM</c> or <c>OLI_TIRS</c>.</param>
/// <param name="BandNumbers">The surface reflectance band numbers of blue, green, red, NIR, SWIR1, SWIR2 (TM / ETM+ 1, 2, 3, 4, 5, 7; OLI 2-7).</param>
/// <param name="ScanLineCorrectorOff">Landsat 7 after 31 May 2003: wedge-shaped gaps across the track.</param>
/// <param name="SunElevation">Sun elevation at the frame centre, degrees.</param>
/// <param name="SunAzimuth">Sun azimuth, degrees clockwise from north.</param>
/// <param name="CloudCover">The share of the scene's land the acquisition's clouds were drawn to cover (before the swath and gaps).</param>
/// <param name="Snow">Whether the date has snow patches.</param>
public sealed record SyntheticAcquisition(
    int Index, int FrameIndex, string ProductId, DateOnly Date, string Spacecraft, string Sensor, IReadOnlyList<int> BandNumbers,
    bool ScanLineCorrectorOff, double SunElevation, double SunAzimuth, double CloudCover, bool Snow)
{
    internal uint Salt { get; init; }

    internal uint CloudSalt { get; init; }

    internal float CloudThreshold { get; init; }

    internal int ShadowColumns { get; init; }

    internal int ShadowRows { get; init; }

    internal float SnowThreshold { get; init; }

    internal float Phenology { get; init; }

    internal float SlcPhase { get; init; }
}

/// <summary>
/// The clear-sky ground under a set of points (frame pixels mapped into the scene), rendered once and shared by every
/// acquisition drawn over it (<see cref="SyntheticArchive.Ground"/>, <see cref="SyntheticArchive.Render"/>).
/// </summary>
public sealed class SyntheticGround
{
    internal SyntheticGround(double[] columns, double[] rows, PixelWindow window, ushort[] surface, int[] index)
    {
        Columns = columns;
        Rows = rows;
        Window = window;
        Surface = surface;
        Index = index;
    }

    /// <summary>Number of points.</summary>
    public int Count => Columns.Length;

    /// <summary>The mosaic window rendered (empty when no point falls inside the mosaic).</summary>
    public PixelWindow Window { get; }

    internal double[] Columns { get; }

    internal double[] Rows { get; }

    internal ushort[] Surface { get; }

    internal int[] Index { get; }
}
