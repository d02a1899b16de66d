using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Rendering;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Applies a model to a real Landsat scene that comes without a grid: lays a 1 km grid over the scene (origin at the
/// scene's top-left corner, in the scene's CRS), classifies its cells, and draws a true-colour quick-look with the
/// urban cells outlined.
/// </summary>
public static class RealScenes
{
    /// <summary>Writes a 1 km label grid (all cells 255, no labels) covering a mosaic.</summary>
    /// <param name="mosaic">The mosaic.</param>
    /// <param name="path">Where to write the grid.</param>
    /// <param name="cellSize">Cell size in map units (1000 m).</param>
    public static void WriteUnlabelledGrid(Mosaic mosaic, string path, double cellSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        GeoTransform m = mosaic.GeoTransform;
        if (!m.IsNorthUp)
        {
            throw new DataFileException(mosaic.Paths[0], "a grid can be laid only over a north-up mosaic");
        }

        int columns = (int)Math.Floor(mosaic.Width * Math.Abs(m.PixelWidth) / cellSize);
        int rows = (int)Math.Floor(mosaic.Height * Math.Abs(m.PixelHeight) / cellSize);
        if (columns < 1 || rows < 1)
        {
            throw new DataFileException(mosaic.Paths[0], "the mosaic is smaller than one grid cell");
        }

        byte[] labels = new byte[columns * rows];
        Array.Fill(labels, UrbanClass.Undefined);
        GeoTiffWriter.Write<byte>(path, new GeoTiffWriteOptions
        {
            Width = columns,
            Height = rows,
            SampleType = RasterSampleType.Byte,
            GeoTransform = GeoTransform.NorthUp(m.OriginX, m.OriginY, cellSize),
            Epsg = mosaic.Epsg,
            NoData = UrbanClass.Undefined,
        }, labels);
    }

    /// <summary>Classifies a scene on a fresh 1 km grid and writes the map and a true-colour PNG with the urban cells outlined.</summary>
    /// <param name="mosaic">The scene.</param>
    /// <param name="model">The model.</param>
    /// <param name="outputFolder">Folder for <c>NAME_grid.tif</c>, <c>NAME_map.tif</c> and <c>NAME.png</c>.</param>
    /// <param name="name">Short scene name.</param>
    /// <param name="title">Picture title.</param>
    public static ClassificationSummary ClassifyAndDraw(Mosaic mosaic, UrbanModel model, string outputFolder, string name, string title)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(outputFolder);
        string gridPath = Path.Combine(outputFolder, name + "_grid.tif");
        string mapPath = Path.Combine(outputFolder, name + "_map.tif");
        WriteUnlabelledGrid(mosaic, gridPath);
        ClassificationSummary summary;
        using (CellGrid grid = CellGrid.Open(gridPath, mosaic))
        {
            summary = GridClassifier.Classify(mosaic, grid, model, mapPath);
        }

        byte[] classes = MapFiles.ReadByteBand(mapPath);
        RasterInfo gridInfo = GeoTiffReader.ReadInfo(gridPath);
        float[] bands = new float[6L * mosaic.Width * mosaic.Height];
        mosaic.Read(new PixelWindow(0, 0, mosaic.Width, mosaic.Height), bands);
        float scale = model.Settings.Scale, offset = model.Settings.Offset;
        double? noData = mosaic.NoData;
        for (int i = 0; i < bands.Length; i++)
        {
            bands[i] = noData is { } nd && bands[i] == (float)nd ? float.NaN : (bands[i] * scale) + offset;
        }

        GeoTransform m = mosaic.GeoTransform;
        var overlay = new CellOverlay(classes, gridInfo.Width, gridInfo.Height, gridInfo.GeoTransform.PixelWidth / m.PixelWidth,
            (gridInfo.GeoTransform.OriginX - m.OriginX) / m.PixelWidth, (gridInfo.GeoTransform.OriginY - m.OriginY) / m.PixelHeight);
        PngFile.Write(Path.Combine(outputFolder, name + ".png"), QuickLook.TrueColor(bands, 6, mosaic.Width, mosaic.Height, title, overlay));
        return summary;
    }
}
