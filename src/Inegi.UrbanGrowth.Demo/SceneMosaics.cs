using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Inegi.UrbanGrowth.Compositing;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>The demo's first stage when it starts from scenes: a synthetic archive per year, composited onto the scene's mosaic grid.</summary>
internal static class SceneMosaics
{
    /// <summary>
    /// Writes each year's archive into <paramref name="archiveFolder"/>, composites it into <c>files.Mosaic(year)</c>, and
    /// reports both; a year's scenes are deleted once composited unless <paramref name="keepScenes"/>.
    /// </summary>
    public static void Make(SyntheticScene scene, SyntheticSceneFiles files, string archiveFolder, int acquisitionsPerFrame, int seed,
        StringBuilder report, Action<string> log, IProgress<PipelineProgress>? progress, bool keepScenes = false)
    {
        GeoTransform t = scene.MosaicTransform;
        string bounds = string.Create(CultureInfo.InvariantCulture,
            $"{t.OriginX},{t.OriginY + (t.PixelHeight * scene.MosaicHeight)},{t.OriginX + (t.PixelWidth * scene.MosaicWidth)},{t.OriginY}");
        report.AppendLine("### From scenes to mosaics").AppendLine()
            .AppendLine(Inv($"Each year's mosaic was composited, as a user makes one, from a synthetic Landsat Collection 2 Level 2 archive of that year (per scene SR_B*, QA_PIXEL, QA_RADSAT and MTL, each frame in the UTM zone of its centre; clouds and their shadows, snow, swath-edge fill and ETM+ scan-line gaps flagged in QA_PIXEL; docs/synthetic.md) by the geomedian with every default mask: `urban composite --scenes scenes --period YEAR --crs EPSG:{scene.Epsg} --bounds {bounds} --resolution {t.PixelWidth}`. The composite is compared with the scene's clear-sky surface on one 64-row strip in four."))
            .AppendLine()
            .AppendLine("| year | scenes | sensors | UTM zones | mean cloud cover | archive s | composite s | pixels with data | clear observations per pixel: median (share with at least 3) | median abs. error (B / R / NIR / SWIR1) |")
            .AppendLine("|---:|---:|---|---|---:|---:|---:|---:|---:|---|");
        foreach (int year in scene.Years)
        {
            var step = Stopwatch.StartNew();
            var options = new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = acquisitionsPerFrame, Seed = seed };
            IReadOnlyList<SyntheticArchiveScene> written = SyntheticArchiveWriter.Write(scene, year, archiveFolder, options, progress);
            double archiveSeconds = step.Elapsed.TotalSeconds;
            Reclaim(); // the archive's strip buffers must not stack up under the composite's readers
            step.Restart();
            var settings = new CompositeSettings
            {
                Scenes = archiveFolder,
                Period = year.ToString(CultureInfo.InvariantCulture),
                Crs = "EPSG:" + scene.Epsg.ToString(CultureInfo.InvariantCulture),
                Bounds = bounds,
                Resolution = t.PixelWidth,
            };
            CompositeSummary summary;
            // Half the tool's block-cache budget: a demo year is 12 scenes on a small grid, and the tour must stay
            // under 1 GB with the scene and its pictures beside the composite (the bytes do not depend on the budget).
            using (var reader = new ObservationReader(settings.CompositeImages(), settings.Grid(), settings.ReadOptions() with { BlockCacheBytes = DemoBlockCacheBytes }))
            {
                summary = new GeomedianCompositor(reader, settings.ToCompositeOptions(-1)).Write(files.Mosaic(year), countPath: CountPath(files, year), provenance: settings.Provenance());
            }

            (int medianCount, double atLeast3) = CountStatistics(CountPath(files, year));

            double compositeSeconds = step.Elapsed.TotalSeconds;
            SurfaceComparison c = SurfaceComparison.Measure(scene, year, files.Mosaic(year), everyNthStrip: 4);
            string sensors = string.Join(", ", written.GroupBy(s => s.Acquisition.Sensor).Select(g => Inv($"{g.Count()} {g.Key}")));
            string zones = string.Join(", ", written.Select(s => s.Grid.Epsg).Distinct().Order().Select(e => Inv($"{e % 100}")));
            double cloud = written.Count > 0 ? written.Average(s => s.CloudCover) : 0;
            long archiveBytes = written.Sum(s => FolderBytes(s.Folder));
            if (!keepScenes)
            {
                // The next year's composite scans the archive folder by period; only this year's scenes are in it.
                foreach (SyntheticArchiveScene s in written)
                {
                    Directory.Delete(s.Folder, recursive: true);
                }
            }

            log(Inv($"{year}: wrote {written.Count} synthetic scenes ({sensors}; UTM {zones}; {archiveBytes / 1e6:F0} MB{(keepScenes ? "" : ", deleted once composited")}) in {archiveSeconds:F1} s, composited them in {compositeSeconds:F1} s: {summary}; against the clear surface: {c}"));
            // A year's archive and composite leave hundreds of megabytes of large buffers behind; the collector would
            // let the heap climb year after year into the machine's memory before reclaiming them (a three-year demo
            // peaked at 1.85 GB for a live set that fits 640 MB). Reclaiming them between years keeps the demo's
            // footprint that of one year; it changes no value.
            Reclaim();
            report.AppendLine(Inv($"| {year} | {written.Count} | {sensors} | {zones} | {cloud:0.0}% | {archiveSeconds:F1} | {compositeSeconds:F1} | {(double)c.PixelsWithData / Math.Max(1, c.Pixels):P2} | {medianCount} ({atLeast3:P1}) | {c.MedianAbsoluteError[0]:0.0000} / {c.MedianAbsoluteError[2]:0.0000} / {c.MedianAbsoluteError[3]:0.0000} / {c.MedianAbsoluteError[4]:0.0000} |"));
        }

        report.AppendLine().AppendLine(keepScenes
            ? "The scenes are kept in `scenes/` (`--keep-scenes`)."
            : "Each year's scenes were deleted once composited (`urban demo --from-scenes --keep-scenes` keeps them in `scenes/` to open in QGIS).");
        report.AppendLine();
        if (!keepScenes && Directory.Exists(archiveFolder) && !Directory.EnumerateFileSystemEntries(archiveFolder).Any())
        {
            Directory.Delete(archiveFolder);
        }
    }

    private const long DemoBlockCacheBytes = 128L << 20;

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    /// <summary>Collects the heap, compacting the large-object heap once (a few milliseconds with the demo's small live set).</summary>
    private static void Reclaim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
    }

    /// <summary>Where the composite's COUNT (clear observations per pixel) of a year is written: beside its mosaic.</summary>
    public static string CountPath(SyntheticSceneFiles files, int year) =>
        Path.Combine(files.Folder, string.Create(CultureInfo.InvariantCulture, $"count_{year}.tif"));

    /// <summary>The median of a COUNT raster and the share of its pixels with at least 3 clear observations, read strip by strip.</summary>
    public static (int Median, double AtLeast3) CountStatistics(string countPath)
    {
        using GeoTiffReader reader = GeoTiffReader.Open(countPath);
        int w = reader.Info.Width, h = reader.Info.Height;
        var histogram = new long[ushort.MaxValue + 1];
        var rows = new ushort[256 * w];
        for (int y = 0; y < h; y += 256)
        {
            var window = new PixelWindow(0, y, w, Math.Min(256, h - y));
            Span<ushort> values = rows.AsSpan(0, (int)window.PixelCount);
            reader.Read<ushort>(window, values);
            foreach (ushort v in values)
            {
                histogram[v]++;
            }
        }

        long total = (long)w * h, seen = 0, below3 = histogram[0] + histogram[1] + histogram[2];
        int median = 0;
        while (median < ushort.MaxValue && (seen += histogram[median]) * 2 < total)
        {
            median++;
        }

        return (median, total == 0 ? 0 : (double)(total - below3) / total);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
