namespace Inegi.UrbanGrowth;

/// <summary>
/// The 27 per-pixel channels of the pilot (SPEC 2), in feature order: the six reflectance bands, fifteen spectral
/// indices and six tasseled-cap components. Stages that name channels (spectral kernels, patch feature schemas,
/// models) agree on these names.
/// </summary>
public static class StandardChannels
{
    /// <summary>Number of reflectance bands every mosaic provides (Blue, Green, Red, NIR, SWIR1, SWIR2).</summary>
    public const int BandCount = 6;

    /// <summary>The six band names, in the mosaic's default band order.</summary>
    public static IReadOnlyList<string> BandNames { get; } = ["blue", "green", "red", "nir", "swir1", "swir2"];

    /// <summary>The 27 channel names of SPEC 2, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "blue", "green", "red", "nir", "swir1", "swir2",
        "evi", "bu", "sr", "arvi", "ui", "ndbi", "ibi", "ndvi", "ndwi", "mndwi", "nbi", "brba", "nbai", "baei", "bi",
        "tc_brightness", "tc_greenness", "tc_wetness", "tc_fourth", "tc_fifth", "tc_sixth",
    ];
}

/// <summary>The geometry of a cell's patch (SPEC 1.2): a 33 x 33 window of 30 m pixels centred on the cell.</summary>
public static class PatchGeometry
{
    /// <summary>Width and height of a patch in pixels.</summary>
    public const int Size = 33;

    /// <summary>Number of pixels in a patch (1,089).</summary>
    public const int PixelCount = Size * Size;

    /// <summary>Offset from the patch's top-left pixel to its centre pixel, in rows and columns (16).</summary>
    public const int HalfSize = Size / 2;

    /// <summary>Index of the centre pixel (16, 16) in a row-major patch plane (544).</summary>
    public const int CenterIndex = HalfSize * Size + HalfSize;
}
