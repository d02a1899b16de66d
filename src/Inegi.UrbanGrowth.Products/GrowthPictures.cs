using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Rendering;

namespace Inegi.UrbanGrowth.Products;

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
        ushort[] first = reader.ReadBand<ushort>(0);
        PngFile.Write(png, QuickLook.FirstUrbanYearMap(first, width, height, years, "First year urban"));
    }

    /// <summary>
    /// The quick looks of a growth stage run, next to its rasters: the growth map, the first urban year, the mapped
    /// urban area per year and the confidence of urban in the last year.
    /// </summary>
    /// <param name="result">What <see cref="GrowthStage.Run"/> returned.</param>
    /// <returns>The pictures written.</returns>
    public static IReadOnlyList<string> ForGrowthStage(GrowthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        IReadOnlyList<int> years = result.Years;
        string folder = Path.GetDirectoryName(Path.GetFullPath(result.Growth))!;
        string growthPng = Path.ChangeExtension(result.Growth, ".png");
        string firstPng = Path.ChangeExtension(result.FirstYearUrban, ".png");
        string areaPng = Path.Combine(folder, "urban_area.png");
        string confidencePng = Path.Combine(folder, FormattableString.Invariant($"confidence_{years[^1]}.png"));
        byte[] growth = MapFiles.ReadByteBand(result.Growth);
        int width, height;
        using (GeoTiffReader reader = GeoTiffReader.Open(result.Growth))
        {
            (width, height) = (reader.Info.Width, reader.Info.Height);
        }

        PngFile.Write(growthPng, QuickLook.GrowthMap(growth, width, height, FormattableString.Invariant($"Urban growth {years[0]} -> {years[^1]}")));
        FirstUrbanYearMap(result.FirstYearUrban, years, firstPng);
        PngFile.Write(areaPng, UrbanAreaChart.Render(years, UrbanAreaChart.FromTimeSeries(result.Series, includeNational: true), "Mapped urban area per year"));
        byte[] confidence = MapFiles.ReadByteBand(result.Maps[^1], band: 1);
        PngFile.Write(confidencePng, QuickLook.ProbabilityMap(confidence, width, height, FormattableString.Invariant($"Confidence of urban {years[^1]}")));
        return [growthPng, firstPng, areaPng, confidencePng];
    }
}
