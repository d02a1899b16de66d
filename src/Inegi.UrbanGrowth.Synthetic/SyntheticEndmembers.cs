namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>The pure land covers (endmembers) whose spectra are mixed into every synthetic pixel.</summary>
public enum SyntheticCover
{
    /// <summary>Green vegetation (forest, shrub and grass canopy).</summary>
    Vegetation = 0,

    /// <summary>Dry, senescent vegetation and crop residue (non-photosynthetic vegetation).</summary>
    DryVegetation = 1,

    /// <summary>Green irrigated crops.</summary>
    Crop = 2,

    /// <summary>Bare soil (brown loam, dry).</summary>
    BareSoil = 3,

    /// <summary>Bright dry land (caliche, sand, playa): the natural look-alike of concrete.</summary>
    BrightDryLand = 4,

    /// <summary>Open water (lakes, reservoirs).</summary>
    Water = 5,

    /// <summary>Impervious surfaces: asphalt and aged concrete.</summary>
    Impervious = 6,

    /// <summary>Bright roofs: concrete, metal and white roofing.</summary>
    BrightRoof = 7,
}

/// <summary>Surface-reflectance spectra of the endmembers in the six mosaic bands (Blue, Green, Red, NIR, SWIR1, SWIR2).</summary>
/// <remarks>
/// Values are approximate Landsat TM/OLI band averages of typical library spectra, rounded to two or three decimals:
/// vegetation, dry grass, crops and soils after the USGS Spectral Library Version 7 (Kokaly et al. 2017,
/// doi:10.5066/F7RR1WDJ: e.g. lawn grass, dry grass, brown loam and caliche samples); water after the ECOSTRESS
/// spectral library (Meerdink et al. 2019) and typical inland-water Landsat surface reflectance; asphalt, concrete
/// and roofing after the ECOSTRESS / ASTER library (Baldridge et al. 2009) and the Santa Barbara urban spectral
/// library (Herold et al. 2004, IEEE TGRS 42(10)). They were read from the published curves, not convolved with the
/// band response functions here; they are meant to be plausible, not exact. Stored mosaics hold reflectance x 10000
/// as UInt16 (scale 0.0001).
/// </remarks>
public static class SyntheticEndmembers
{
    /// <summary>Number of endmembers.</summary>
    public const int Count = 8;

    // Rows: SyntheticCover order; columns: B, G, R, NIR, SWIR1, SWIR2 (reflectance).
    internal static readonly float[] Table =
    [
        0.025f, 0.048f, 0.034f, 0.300f, 0.135f, 0.058f, // Vegetation      NDVI 0.80 (spyndex vegetation, Porto Velho forest)
        0.060f, 0.090f, 0.120f, 0.220f, 0.300f, 0.220f, // DryVegetation   NDVI 0.29
        0.035f, 0.070f, 0.045f, 0.360f, 0.190f, 0.090f, // Crop            NDVI 0.78
        0.090f, 0.130f, 0.180f, 0.240f, 0.330f, 0.280f, // BareSoil        NDVI 0.14, NDBI 0.16
        0.200f, 0.250f, 0.300f, 0.340f, 0.420f, 0.380f, // BrightDryLand   NDVI 0.06, NDBI 0.11
        0.025f, 0.042f, 0.020f, 0.015f, 0.015f, 0.012f, // Water           NIR 0.015 (spyndex water)
        0.065f, 0.090f, 0.105f, 0.190f, 0.250f, 0.220f, // Impervious      NDVI 0.29, NDBI 0.14 (Porto Velho urban points: roofs and pavement at 30 m)
        0.140f, 0.160f, 0.180f, 0.260f, 0.300f, 0.260f, // BrightRoof      NDVI 0.18, NDBI 0.07
    ];

    /// <summary>Reflectance of a cloud remnant (bright, slightly lower in the SWIR), blended over the land.</summary>
    internal static readonly float[] Cloud = [0.40f, 0.41f, 0.42f, 0.45f, 0.36f, 0.26f];

    /// <summary>Path radiance of haze (reflectance added at full haze, strongest in the blue), blended over the land.</summary>
    internal static readonly float[] Haze = [0.05f, 0.04f, 0.03f, 0.02f, 0.012f, 0.008f];

    /// <summary>The six reflectances (0..1) of an endmember, in band order B, G, R, NIR, SWIR1, SWIR2.</summary>
    /// <param name="cover">The endmember.</param>
    public static IReadOnlyList<float> Reflectance(SyntheticCover cover)
    {
        int k = (int)cover;
        ArgumentOutOfRangeException.ThrowIfNegative(k, nameof(cover));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Count, nameof(cover));
        return Table.AsSpan(k * 6, 6).ToArray();
    }
}
