using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Vectors;

namespace Inegi.UrbanGrowth.Demo;

/// <summary>
/// What <c>urban growth</c> writes around <see cref="GrowthStage"/>: the vector zones burnt onto the grid, the
/// quick-look pictures and the growth alerts. One code path for the single-process run and the merge of
/// <c>urban plan growth</c>, so both write the same bytes.
/// </summary>
public static class GrowthProducts
{
    /// <summary>Every file a growth run may write into a folder (checked against the inputs before any work starts).</summary>
    /// <param name="years">The years of the run.</param>
    /// <param name="folder">The output folder.</param>
    public static IReadOnlyList<string> OutputFiles(IReadOnlyList<int> years, string folder)
    {
        ArgumentNullException.ThrowIfNull(years);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string Named(string name) => Path.Combine(folder, name);
        string span = string.Create(CultureInfo.InvariantCulture, $"{years[0]}_{years[^1]}");
        return
        [
            .. years.Select(y => Named(string.Create(CultureInfo.InvariantCulture, $"map_{y}.tif"))),
            .. years.Select(y => Named(GrowthStage.IndependentMapName(y))),
            .. years.Select(y => Named(string.Create(CultureInfo.InvariantCulture, $"score_{y}.tif"))),
            Named("first_year_urban.tif"), Named("first_year_urban.png"),
            Named($"growth_{span}.tif"), Named($"growth_{span}.png"), Named($"growth_{span}.csv"),
            Named(string.Create(CultureInfo.InvariantCulture, $"confidence_{years[^1]}.png")),
            Named("urban_area.csv"), Named("urban_area.png"), Named("report.md"),
            Named("alerts.gpkg"), Named("alerts.geojson"), Named("zones.tif"),
        ];
    }

    /// <summary>Burns a polygon zone layer onto the grid as an Int32 <c>zones.tif</c> in the output folder, so the stage reads zones like any raster.</summary>
    /// <param name="layer">A .shp or .gpkg polygon layer.</param>
    /// <param name="field">Its integer zone id field.</param>
    /// <param name="grid">The 1 km grid.</param>
    /// <param name="folder">The output folder.</param>
    /// <returns>The zone raster's path.</returns>
    public static string RasteriseZones(string layer, string field, string grid, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(layer);
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!File.Exists(layer))
        {
            throw new DataFileException(layer, "file not found");
        }

        RasterInfo info = GeoTiffReader.ReadInfo(grid);
        using ZoneRasterizer zones = ZoneRasterizer.Rasterize(layer, field, info);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "zones.tif");
        using var writer = GeoTiffWriter.Create(path, new GeoTiffWriteOptions
        {
            Width = info.Width,
            Height = info.Height,
            SampleType = RasterSampleType.Int32,
            GeoTransform = info.GeoTransform,
            Epsg = info.Epsg,
            NoData = ZoneRasterizer.NoZone,
        });
        int[] row = new int[info.Width];
        for (int y = 0; y < info.Height; y++)
        {
            zones.ReadRow(y, row);
            writer.WriteRows<int>(row);
        }

        writer.Commit();
        return path;
    }

    /// <summary>
    /// The pictures (<see cref="GrowthPictures.ForGrowthStage"/>) and the alerts (<c>alerts.gpkg</c>,
    /// <c>alerts.geojson</c>) of a growth run, beside its rasters.
    /// </summary>
    /// <param name="result">What the stage returned.</param>
    /// <param name="zoneRaster">The zone raster the stage used, or null.</param>
    /// <param name="inputs">
    /// The run's input files: the GeoPackage's <c>last_change</c> is the latest of their modification times, so a
    /// run on the same inputs writes the same bytes whenever and however (one process or tiles) it runs.
    /// </param>
    /// <returns>The alerts' summary.</returns>
    public static GrowthAlertSummary Write(GrowthResult result, string? zoneRaster, IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(inputs);
        DateTime lastChange = inputs.Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();
        GrowthPictures.ForGrowthStage(result);
        string folder = Path.GetDirectoryName(Path.GetFullPath(result.Growth))!;
        using IZoneRowSource? zones = zoneRaster is null ? null : ZoneSources.Open(zoneRaster, null, GeoTiffReader.ReadInfo(result.Growth));
        return GrowthAlerts.Write(result.Growth, result.FirstYearUrban, result.Maps[^1], zones,
            Path.Combine(folder, "alerts.gpkg"), Path.Combine(folder, "alerts.geojson"), lastChange);
    }
}
