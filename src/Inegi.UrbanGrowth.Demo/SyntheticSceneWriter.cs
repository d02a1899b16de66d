using System.Diagnostics;
using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>The files of a synthetic scene written by <see cref="SyntheticSceneWriter"/>.</summary>
/// <param name="Folder">The output folder.</param>
/// <param name="Years">The years.</param>
public sealed record SyntheticSceneFiles(string Folder, IReadOnlyList<int> Years)
{
    /// <summary>The 6-band UInt16 mosaic of a year.</summary>
    /// <param name="year">The year.</param>
    public string Mosaic(int year) => Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"mosaic_{year}.tif"));

    /// <summary>The 1 km label grid of a year.</summary>
    /// <param name="year">The year.</param>
    public string Labels(int year) => Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"labels_{year}.tif"));

    /// <summary>The zone raster on the grid.</summary>
    public string Zones => Path.Combine(Folder, "zones.tif");
}

/// <summary>
/// Writes a <see cref="SyntheticScene"/> as the files of SPEC 8 (<c>urban synth</c>): for each year
/// <c>mosaic_Y.tif</c> (6-band UInt16, 30 m, EPSG:6372, nodata 0) and <c>labels_Y.tif</c> (the 1 km grid: 0, 1, 255),
/// plus <c>zones.tif</c> (UInt16 zone ids). The mosaic is rendered and written in strips, so scenes larger than memory work.
/// </summary>
public static class SyntheticSceneWriter
{
    /// <summary>Renders and writes every file of the scene.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="folder">The output folder (created if needed).</param>
    /// <param name="progress">Receives mosaic rows done.</param>
    /// <param name="cancellationToken">Stops the run (finished files stay; the one being written is removed).</param>
    public static SyntheticSceneFiles Write(SyntheticScene scene, string folder, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var files = new SyntheticSceneFiles(folder, scene.Years);
        WriteGridFiles(scene, files);
        var stopwatch = Stopwatch.StartNew();
        long totalRows = (long)scene.MosaicHeight * scene.Years.Count, doneRows = 0;
        foreach (int year in scene.Years)
        {
            WriteMosaic(scene, year, files.Mosaic(year), rows =>
            {
                doneRows += rows;
                progress?.Report(new PipelineProgress("synth", doneRows, totalRows, stopwatch.Elapsed));
            }, cancellationToken);
        }

        return files;
    }

    /// <summary>Writes the label grids of every year and the zone raster into <paramref name="folder"/>, without the mosaics (which then come from compositing a scene archive).</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="folder">The output folder (created if needed).</param>
    /// <returns>The file names; <see cref="SyntheticSceneFiles.Mosaic"/> names a file not written.</returns>
    public static SyntheticSceneFiles WriteGridFiles(SyntheticScene scene, string folder)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var files = new SyntheticSceneFiles(folder, scene.Years);
        WriteGridFiles(scene, files);
        return files;
    }

    /// <summary>Writes the label grids of every year and the zone raster.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="files">Where.</param>
    public static void WriteGridFiles(SyntheticScene scene, SyntheticSceneFiles files)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(files);
        int w = scene.GridWidth, h = scene.GridHeight;
        foreach (int year in scene.Years)
        {
            byte[] labels = new byte[w * h];
            Parallel.For(0, h, row => scene.RenderLabels(year, row, labels.AsSpan(row * w, w)));
            GeoTiffWriter.Write<byte>(files.Labels(year), GridOptions(scene, RasterSampleType.Byte, UrbanClass.Undefined), labels);
        }

        ushort[] zones = new ushort[w * h];
        for (int row = 0; row < h; row++)
        {
            scene.RenderZones(row, zones.AsSpan(row * w, w));
        }

        GeoTiffWriter.Write<ushort>(files.Zones, GridOptions(scene, RasterSampleType.UInt16, 0), zones);
    }

    /// <summary>Renders one year's mosaic strip by strip into a tiled, Deflate-compressed GeoTIFF.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="year">The year.</param>
    /// <param name="path">Destination.</param>
    /// <param name="rowsWritten">Called after each strip with its row count.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static void WriteMosaic(SyntheticScene scene, int year, string path, Action<int>? rowsWritten = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var options = new GeoTiffWriteOptions
        {
            Width = scene.MosaicWidth,
            Height = scene.MosaicHeight,
            BandCount = SyntheticScene.BandCount,
            SampleType = RasterSampleType.UInt16,
            GeoTransform = scene.MosaicTransform,
            Epsg = scene.Epsg,
            NoData = SyntheticScene.NoDataValue,
        };
        int strip = options.TileSize;
        ushort[] buffer = new ushort[(long)SyntheticScene.BandCount * strip * scene.MosaicWidth];
        using var writer = GeoTiffWriter.Create(path, options);
        for (int y = 0; y < scene.MosaicHeight; y += strip)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(strip, scene.MosaicHeight - y);
            var window = new PixelWindow(0, y, scene.MosaicWidth, rows);
            Span<ushort> planes = buffer.AsSpan(0, (int)(SyntheticScene.BandCount * window.PixelCount));
            scene.RenderMosaic(year, window, planes);
            writer.WriteRows<ushort>(planes);
            rowsWritten?.Invoke(rows);
        }

        writer.Commit();
    }

    private static GeoTiffWriteOptions GridOptions(SyntheticScene scene, RasterSampleType type, double noData) => new()
    {
        Width = scene.GridWidth,
        Height = scene.GridHeight,
        SampleType = type,
        GeoTransform = scene.GridTransform,
        Epsg = scene.Epsg,
        NoData = noData,
    };
}
