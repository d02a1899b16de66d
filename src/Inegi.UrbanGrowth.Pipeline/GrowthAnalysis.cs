using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Growth between two maps and urban time series over many, streamed row by row (SPEC 7).</summary>
public static class GrowthAnalysis
{
    /// <summary>
    /// Writes the growth map between two maps of one grid (0 stable non-urban, 1 stable urban, 2 new urban, 3 urban
    /// lost, 255 nodata) and returns the statistics, per zone when a zone raster is given.
    /// </summary>
    /// <param name="fromMap">The earlier map.</param>
    /// <param name="toMap">The later map.</param>
    /// <param name="outputPath">The growth GeoTIFF.</param>
    /// <param name="zonesPath">A zone raster on the same grid, or null.</param>
    /// <param name="statisticsCsv">Where to write the statistics CSV, or null.</param>
    /// <remarks>Pictures of the result are drawn from the written GeoTIFF (<c>GrowthPictures</c> in <c>Inegi.UrbanGrowth.Products</c>), so the pipeline needs no graphics library.</remarks>
    public static ChangeStatisticsAccumulator Change(string fromMap, string toMap, string outputPath, string? zonesPath = null, string? statisticsCsv = null)
    {
        using GeoTiffReader from = MapFiles.OpenMap(fromMap);
        using GeoTiffReader to = MapFiles.OpenMap(toMap);
        RasterGrids.EnsureSameGrid(from.Info, to.Info);
        using GeoTiffReader? zones = zonesPath is null ? null : OpenZones(zonesPath, from.Info);
        int width = from.Info.Width, height = from.Info.Height;
        double cellArea = Math.Abs(from.Info.GeoTransform.PixelWidth * from.Info.GeoTransform.PixelHeight) / 1e6;
        var statistics = new ChangeStatisticsAccumulator(cellArea, ZoneNoData(zones));
        byte[] a = new byte[width], b = new byte[width];
        byte[] growth = new byte[width];
        int[] zoneRow = new int[width];
        float[] scratch = new float[width];
        using (var writer = GeoTiffWriter.Create(outputPath, new GeoTiffWriteOptions
        {
            Width = width,
            Height = height,
            SampleType = RasterSampleType.Byte,
            GeoTransform = from.Info.GeoTransform,
            Epsg = from.Info.Epsg,
            NoData = GrowthCode.NoData,
        }))
        {
            for (int row = 0; row < height; row++)
            {
                MapFiles.ReadByteRow(from, row, 0, a);
                MapFiles.ReadByteRow(to, row, 0, b);
                Span<byte> growthRow = growth;
                if (zones is not null)
                {
                    MapFiles.ReadZoneRow(zones, row, scratch, zoneRow);
                    statistics.AddRows(a, b, growthRow, zoneRow);
                }
                else
                {
                    statistics.AddRows(a, b, growthRow);
                }

                writer.WriteRows<byte>(growthRow);
            }

            writer.Commit();
        }

        if (statisticsCsv is not null)
        {
            statistics.WriteCsv(statisticsCsv);
        }

        return statistics;
    }

    /// <summary>
    /// Builds the urban time series of yearly maps of one grid: writes the "first year urban" raster (UInt16 year,
    /// 0 never urban, 65535 nodata) and returns the urban area per year and zone.
    /// </summary>
    /// <param name="maps">Yearly maps (band 1 class, band 2 p(urban) %), oldest first.</param>
    /// <param name="years">Their years.</param>
    /// <param name="outputPath">The first-year-urban GeoTIFF.</param>
    /// <param name="zonesPath">A zone raster on the same grid, or null.</param>
    /// <param name="rule">A temporal consistency rule, or null for the maps as they are.</param>
    /// <param name="consistentMapsFolder">When a rule is given, where to write the corrected yearly maps (class only), or null.</param>
    /// <remarks>Pictures of the result are drawn from the written GeoTIFF (<c>GrowthPictures</c> in <c>Inegi.UrbanGrowth.Products</c>).</remarks>
    public static UrbanTimeSeries Series(IReadOnlyList<string> maps, IReadOnlyList<int> years, string outputPath, string? zonesPath = null,
        TemporalConsistencyRule? rule = null, string? consistentMapsFolder = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(years);
        if (maps.Count != years.Count || maps.Count < 2)
        {
            throw new ArgumentException($"Give at least two maps and one year per map ({maps.Count} maps, {years.Count} years).", nameof(years));
        }

        var readers = new List<GeoTiffReader>();
        var consistentWriters = new List<GeoTiffWriter>();
        try
        {
            foreach (string m in maps)
            {
                readers.Add(MapFiles.OpenMap(m));
                RasterGrids.EnsureSameGrid(readers[0].Info, readers[^1].Info);
            }

            RasterInfo info = readers[0].Info;
            using GeoTiffReader? zones = zonesPath is null ? null : OpenZones(zonesPath, info);
            int width = info.Width, height = info.Height, n = maps.Count;
            double cellArea = Math.Abs(info.GeoTransform.PixelWidth * info.GeoTransform.PixelHeight) / 1e6;
            var series = new UrbanTimeSeries(years, cellArea, ZoneNoData(zones), rule);
            byte[] classes = new byte[n * width], probabilities = new byte[n * width], consistent = new byte[n * width];
            ushort[] first = new ushort[width];
            int[] zoneRow = new int[width];
            float[] scratch = new float[width];
            if (rule is not null && consistentMapsFolder is not null)
            {
                Directory.CreateDirectory(consistentMapsFolder);
                foreach (string m in maps)
                {
                    consistentWriters.Add(GeoTiffWriter.Create(Path.Combine(consistentMapsFolder, Path.GetFileNameWithoutExtension(m) + "_consistent.tif"), new GeoTiffWriteOptions
                    {
                        Width = width,
                        Height = height,
                        SampleType = RasterSampleType.Byte,
                        GeoTransform = info.GeoTransform,
                        Epsg = info.Epsg,
                        NoData = UrbanClass.Undefined,
                    }));
                }
            }

            using var writer = GeoTiffWriter.Create(outputPath, new GeoTiffWriteOptions
            {
                Width = width,
                Height = height,
                SampleType = RasterSampleType.UInt16,
                GeoTransform = info.GeoTransform,
                Epsg = info.Epsg,
                NoData = UrbanTimeSeries.NoData,
            });
            for (int row = 0; row < height; row++)
            {
                for (int y = 0; y < n; y++)
                {
                    MapFiles.ReadByteRow(readers[y], row, 0, classes.AsSpan(y * width, width));
                    if (readers[y].Info.BandCount > 1)
                    {
                        MapFiles.ReadByteRow(readers[y], row, 1, probabilities.AsSpan(y * width, width));
                    }
                    else
                    {
                        // A class-only map: certainty follows the class, so the rule sees 0 or 100.
                        for (int i = 0; i < width; i++)
                        {
                            byte c = classes[(y * width) + i];
                            probabilities[(y * width) + i] = c == UrbanClass.Urban ? (byte)100 : c == UrbanClass.NonUrban ? (byte)0 : UrbanClass.Undefined;
                        }
                    }
                }

                Span<ushort> firstRow = first;
                ReadOnlySpan<int> zoneSpan = default;
                if (zones is not null)
                {
                    MapFiles.ReadZoneRow(zones, row, scratch, zoneRow);
                    zoneSpan = zoneRow;
                }

                series.AddRow(classes, probabilities, zoneSpan, firstRow, consistent);
                writer.WriteRows<ushort>(firstRow);
                for (int y = 0; y < consistentWriters.Count; y++)
                {
                    consistentWriters[y].WriteRows<byte>(consistent.AsSpan(y * width, width));
                }
            }

            writer.Commit();
            foreach (GeoTiffWriter w in consistentWriters)
            {
                w.Commit();
            }

            return series;
        }
        finally
        {
            foreach (GeoTiffWriter w in consistentWriters)
            {
                w.Dispose();
            }

            foreach (GeoTiffReader r in readers)
            {
                r.Dispose();
            }
        }
    }

    private static GeoTiffReader OpenZones(string path, RasterInfo grid)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        GeoTiffReader zones = GeoTiffReader.Open(path);
        try
        {
            RasterGrids.EnsureSameGrid(grid, zones.Info);
            return zones;
        }
        catch
        {
            zones.Dispose();
            throw;
        }
    }

    private static int? ZoneNoData(GeoTiffReader? zones) =>
        zones?.Info.NoData is { } nd && nd == Math.Floor(nd) && nd >= int.MinValue && nd <= int.MaxValue ? (int)nd : null;
}
