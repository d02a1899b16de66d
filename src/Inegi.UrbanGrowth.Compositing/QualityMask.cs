namespace Inegi.UrbanGrowth.Compositing;

/// <summary>How a quality band encodes its flags.</summary>
public enum QualityFormat
{
    /// <summary>Landsat Collection 2 <c>QA_PIXEL</c>: bit 0 fill, 1 dilated cloud, 2 cirrus, 3 cloud, 4 cloud shadow, 5 snow.</summary>
    LandsatCollection2,

    /// <summary>
    /// Landsat Collection 1 <c>BQA</c>: bit 0 fill, 2-3 radiometric saturation, 4 cloud, 5-6 cloud confidence,
    /// 7-8 shadow confidence, 9-10 snow confidence, 11-12 cirrus confidence (a flag counts when its confidence is high).
    /// </summary>
    LandsatCollection1,

    /// <summary>Fmask / CFmask classes: 0 clear land, 1 water, 2 cloud shadow, 3 snow, 4 cloud, 255 fill.</summary>
    Fmask,

    /// <summary>
    /// Landsat 8 pre-collection <c>BQA</c> (before 2017): bit 0 fill, 10-11 snow confidence, 12-13 cirrus confidence,
    /// 14-15 cloud confidence (a flag counts when its confidence is high); no shadow or saturation flags.
    /// </summary>
    LandsatPreCollection,

    /// <summary>
    /// Digital Earth Australia's ARD <c>fmask</c> (ga_ls*_ard_3, <c>oa_fmask</c>): 0 nodata, 1 valid, 2 cloud,
    /// 3 cloud shadow, 4 snow, 5 water (kept).
    /// </summary>
    DeaFmask,

    /// <summary>
    /// Geoscience Australia's pixel quality (PQ25, the Open Data Cube's <c>pqa</c> / <c>pixelquality</c>), a bit set
    /// when a test passed: bits 0-7 band 1, 2, 3, 4, 5, 6.1, 6.2, 7 not saturated, 8 contiguous (every band has data),
    /// 9 land (ignored: water is kept), 10 no ACCA cloud, 11 no Fmask cloud, 12 no ACCA cloud shadow, 13 no Fmask cloud
    /// shadow. Saturation looks at the reflective bands (0-4 and 7), as GA's WOfS does; no snow or cirrus test exists.
    /// </summary>
    GaPixelQuality,
}

/// <summary>What a quality band may remove. <see cref="Default"/> is the documented default.</summary>
[Flags]
public enum MaskedConditions
{
    /// <summary>Nothing is masked by the quality band.</summary>
    None = 0,

    /// <summary>Fill (outside the scene footprint).</summary>
    Fill = 1,

    /// <summary>Cloud.</summary>
    Cloud = 2,

    /// <summary>The dilated cloud margin (Collection 2 only).</summary>
    DilatedCloud = 4,

    /// <summary>Cirrus.</summary>
    Cirrus = 8,

    /// <summary>Cloud shadow.</summary>
    CloudShadow = 16,

    /// <summary>Snow and ice.</summary>
    Snow = 32,

    /// <summary>Radiometric saturation (Collection 1 BQA bits 2-3; Collection 2 uses QA_RADSAT).</summary>
    Saturation = 64,

    /// <summary>Everything above: the default, as Digital Earth Australia's geomedian masks.</summary>
    Default = Fill | Cloud | DilatedCloud | Cirrus | CloudShadow | Snow | Saturation,
}

/// <summary>Decodes quality values into keep or drop.</summary>
public static class QualityMask
{
    /// <summary>Whether an observation with quality value <paramref name="value"/> is kept.</summary>
    /// <param name="format">The encoding.</param>
    /// <param name="value">The quality value (an integer held as float, as read).</param>
    /// <param name="masked">The conditions that drop an observation.</param>
    public static bool IsClear(QualityFormat format, float value, MaskedConditions masked)
    {
        if (!float.IsFinite(value) || value < 0)
        {
            return false;
        }

        uint q = (uint)value;
        bool Has(MaskedConditions c) => (masked & c) != 0;
        switch (format)
        {
            case QualityFormat.LandsatCollection2:
                return !((Has(MaskedConditions.Fill) && (q & 1) != 0)
                    || (Has(MaskedConditions.DilatedCloud) && (q & 2) != 0)
                    || (Has(MaskedConditions.Cirrus) && (q & 4) != 0)
                    || (Has(MaskedConditions.Cloud) && (q & 8) != 0)
                    || (Has(MaskedConditions.CloudShadow) && (q & 16) != 0)
                    || (Has(MaskedConditions.Snow) && (q & 32) != 0));
            case QualityFormat.LandsatCollection1:
                static bool High(uint q, int shift) => ((q >> shift) & 3) == 3;
                return !((Has(MaskedConditions.Fill) && (q & 1) != 0)
                    || (Has(MaskedConditions.Saturation) && ((q >> 2) & 3) != 0)
                    || (Has(MaskedConditions.Cloud) && ((q & 16) != 0 || High(q, 5)))
                    || (Has(MaskedConditions.CloudShadow) && High(q, 7))
                    || (Has(MaskedConditions.Snow) && High(q, 9))
                    || (Has(MaskedConditions.Cirrus) && High(q, 11)));
            case QualityFormat.LandsatPreCollection:
                return !((Has(MaskedConditions.Fill) && (q & 1) != 0)
                    || (Has(MaskedConditions.Snow) && ((q >> 10) & 3) == 3)
                    || (Has(MaskedConditions.Cirrus) && ((q >> 12) & 3) == 3)
                    || (Has(MaskedConditions.Cloud) && ((q >> 14) & 3) == 3));
            case QualityFormat.DeaFmask:
                return q switch
                {
                    1 or 5 => true,
                    2 => !Has(MaskedConditions.Cloud),
                    3 => !Has(MaskedConditions.CloudShadow),
                    4 => !Has(MaskedConditions.Snow),
                    _ => !Has(MaskedConditions.Fill),
                };
            case QualityFormat.GaPixelQuality:
                const uint reflectiveNotSaturated = 0x9F, contiguous = 1 << 8, noCloud = (1 << 10) | (1 << 11), noShadow = (1 << 12) | (1 << 13);
                return !((Has(MaskedConditions.Fill) && (q & contiguous) == 0)
                    || (Has(MaskedConditions.Saturation) && (q & reflectiveNotSaturated) != reflectiveNotSaturated)
                    || (Has(MaskedConditions.Cloud) && (q & noCloud) != noCloud)
                    || (Has(MaskedConditions.CloudShadow) && (q & noShadow) != noShadow));
            case QualityFormat.Fmask:
                return q switch
                {
                    0 or 1 => true,
                    2 => !Has(MaskedConditions.CloudShadow),
                    3 => !Has(MaskedConditions.Snow),
                    4 => !Has(MaskedConditions.Cloud),
                    _ => !Has(MaskedConditions.Fill),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown quality format.");
        }
    }
}
