using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Rendering;

namespace Inegi.UrbanGrowth.Demo;

/// <summary>
/// Quick-look pictures of what <see cref="GrowthAnalysis"/> wrote, drawn from its GeoTIFFs (one byte or one UInt16 per
/// 1 km cell, so a national grid fits in memory), which keeps SkiaSharp out of the pipeline.
/// </summary>
public static class GrowthPictures
{
    /// <summary>A PNG of a growth map written by <see cref="GrowthAnalysis.Change"/>.</summary>
    /// <param name="fromMap">The earlier map (its file name goes into the title).</param>
    /// <param name="toMap">The later map (its file name goes into the title).</param>
    /// <param name="growthMap">The growth GeoTIFF.</param>
    /// <param name="png">The picture to write.</param>
    public static void GrowthMap(string fromMap, string toMap, string growthMap, string png)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromMap);
        ArgumentException.ThrowIfNullOrEmpty(toMap);
        ArgumentException.ThrowIfNullOrEmpty(png);
        byte[] growth = MapFiles.ReadByteBand(growthMap);
        using GeoTiffReader reader = GeoTiffReader.Open(growthMap);
        PngFile.Write(png, QuickLook.GrowthMap(growth, reader.Info.Width, reader.Info.Height,
            $"Urban growth {Path.GetFileNameWithoutExtension(fromMap)} -> {Path.GetFileNameWithoutExtension(toMap)}"));
    }

    /// <summary>A PNG of a first-year-urban raster written by <see cref="GrowthAnalysis.Series"/>.</summary>
    /// <param name="firstYearMap">The first-year-urban GeoTIFF (UInt16).</param>
    /// <param name="years">The years of the series.</param>
    /// <param name="png">The picture to write.</param>
    public static void FirstUrbanYearMap(string firstYearMap, IReadOnlyList<int> years, string png)
    {
        ArgumentException.ThrowIfNullOrEmpty(png);
        using GeoTiffReader reader = GeoTiffReader.Open(firstYearMap);
        int width = reader.Info.Width, height = reader.Info.Height;
        ushort[] first = new ushort[checked(width * height)];
        reader.Read<ushort>(new PixelWindow(0, 0, width, height), [0], first);
        PngFile.Write(png, QuickLook.FirstUrbanYearMap(first, width, height, years, "First year urban"));
    }
}
