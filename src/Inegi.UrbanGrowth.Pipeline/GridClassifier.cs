using System.Diagnostics;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Options of <see cref="GridClassifier"/>.</summary>
public sealed record ClassificationOptions
{
    /// <summary>Decision threshold on p(urban); the model's own when null.</summary>
    public float? Threshold { get; init; }

    /// <summary>Worker threads; all cores when -1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Rows of cells computed together (larger batches feed the threads better; memory grows with it). For a LeNet
    /// model, whose cells hold 29,403 pixel values, at most as many rows as fit in <see cref="PixelCellsPerBatch"/>
    /// cells (and at least one row) are taken.
    /// </summary>
    public int RowsPerBatch { get; init; } = 4;

    /// <summary>Most cells whose patch pixels are held at once for a LeNet model (1,024 cells = 120 MB).</summary>
    public int PixelCellsPerBatch { get; init; } = 1024;

    /// <summary>
    /// Reflectance scale and offset and tasseled-cap set of THIS mosaic when its sensor differs from the training
    /// mosaic's (e.g. a Landsat 8 OLI Collection 2 year classified with a model trained on a TM geomedian): the
    /// channels stay the model's, computed from this mosaic's own reflectance. Null: the model's settings.
    /// </summary>
    /// <remarks>Band order is a property of the mosaic file (<c>MosaicOptions.BandOrder</c>), not of the model.</remarks>
    public SensorSettings? Sensor { get; init; }

    /// <summary>
    /// Cells (row, column of the grid) left out of <see cref="ClassificationSummary.Confusion"/> but still mapped:
    /// typically the training sample. A fully grown forest predicts the cells it was fitted on almost perfectly, so
    /// counting them flatters the national figures (docs/accuracy.md). Null or empty: every labelled cell counts.
    /// </summary>
    public IReadOnlyCollection<(int Row, int Column)>? ExcludedFromConfusion { get; init; }

    /// <summary>
    /// Classify only this window of the grid (in cells: X column, Y row): a tile of a national run. The map then
    /// covers just the window, georeferenced at its corner, and its cells get the same values as in the whole-grid
    /// map, because each patch is still read from the whole mosaic, beyond the window where it must. Null: the whole grid.
    /// </summary>
    public PixelWindow? Cells { get; init; }

    /// <summary>
    /// Compute all 486 statistics of every cell, as <c>urban features</c> does, instead of only those the model reads
    /// (<see cref="UrbanModel.ColumnsRead"/>). The map is the same bytes either way; this is for checking that, and
    /// for timing the difference.
    /// </summary>
    public bool ComputeAllStatistics { get; init; }
}

/// <summary>How the digital numbers of one mosaic become reflectance, and which tasseled-cap table suits its sensor.</summary>
/// <param name="Scale">Reflectance = DN * Scale + Offset.</param>
/// <param name="Offset">Reflectance offset.</param>
/// <param name="TasseledCap">Tasseled-cap set: <c>tm</c> (Crist 1985), <c>etm</c> (Huang et al. 2002) or <c>oli</c> (Baig et al. 2014).</param>
public sealed record SensorSettings(float Scale, float Offset, string TasseledCap)
{
    /// <summary>The model's settings with this sensor's scale, offset and tasseled cap.</summary>
    /// <param name="model">The model's feature settings.</param>
    public FeatureExtractionSettings ApplyTo(FeatureExtractionSettings model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model with { Scale = Scale, Offset = Offset, TasseledCap = TasseledCap };
    }
}

/// <summary>What a classification run did.</summary>
public sealed class ClassificationSummary
{
    /// <summary>Cells in the grid.</summary>
    public long Cells { get; init; }

    /// <summary>Cells classified (complete patches).</summary>
    public long Classified { get; init; }

    /// <summary>Cells whose patch leaves the mosaic or holds nodata (written as nodata).</summary>
    public long Incomplete { get; init; }

    /// <summary>Cells mapped urban.</summary>
    public long Urban { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Cells per second (all cells of the grid over the wall time).</summary>
    public double CellsPerSecond => Elapsed.TotalSeconds > 0 ? Cells / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// The confusion of the map against the grid's labels (rows: label, columns: mapped class), over cells that are
    /// labelled and classified; null when the grid has no labels.
    /// </summary>
    public ConfusionMatrix? Confusion { get; init; }

    /// <summary>Labelled cells that could not be classified (incomplete), left out of <see cref="Confusion"/>.</summary>
    public long LabelledIncomplete { get; init; }

    /// <summary>
    /// Labelled, classified cells left out of <see cref="Confusion"/> because they are in
    /// <see cref="ClassificationOptions.ExcludedFromConfusion"/>.
    /// </summary>
    public long LabelledExcluded { get; init; }

    /// <summary>The threshold used.</summary>
    public float Threshold { get; init; }
}

/// <summary>
/// Classifies every cell of a grid from a mosaic and writes the map of SPEC 7 (band 1 class, band 2 p(urban) in
/// percent; 255 nodata). The mosaic is streamed in bands of cell rows: each cell's 33 x 33 window is read once through
/// the reader's block cache, features and predictions run in parallel, and map rows are written in order, so memory
/// stays bounded whatever the mosaic's size. A LeNet model (<see cref="UrbanModel.FeatureKind"/> =
/// <see cref="CellFeatureKind.PatchPixels"/>) gets the channel planes of each cell instead of the statistics, and
/// predicts them in its own mini-batches.
/// </summary>
public static class GridClassifier
{
    /// <summary>Classifies the grid and writes the map atomically.</summary>
    /// <param name="mosaic">The mosaic.</param>
    /// <param name="grid">The grid opened over the mosaic (labels, if any, feed the confusion table).</param>
    /// <param name="model">The model.</param>
    /// <param name="outputPath">The map GeoTIFF to write.</param>
    /// <param name="options">Threshold and threads.</param>
    /// <param name="progress">Receives cells done.</param>
    /// <param name="cancellationToken">Stops the run (no map is left behind).</param>
    public static ClassificationSummary Classify(Mosaic mosaic, CellGrid grid, UrbanModel model, string outputPath,
        ClassificationOptions? options = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ClassificationOptions();
        float threshold = options.Threshold ?? model.Threshold;
        FeatureExtractionSettings settings = options.Sensor?.ApplyTo(model.Settings) ?? model.Settings;
        // Only the statistics the model reads are computed (each with the full computation's bits), unless asked otherwise.
        var extractor = new CellFeatureExtractor(settings, model.FeatureKind,
            model.FeatureKind == CellFeatureKind.Statistics && !options.ComputeAllStatistics ? model.ColumnsRead : null);
        model.InputSchema.EnsureCompatible(extractor.Schema, "the model");
        var source = new CellFeatureSource(mosaic, grid, extractor, options.MaxDegreeOfParallelism, cancellationToken);
        PixelWindow cells = options.Cells ?? new PixelWindow(0, 0, grid.Width, grid.Height);
        if (!cells.IsInside(grid.Width, grid.Height) || cells.Width < 1 || cells.Height < 1)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The cell window (x {cells.X}, y {cells.Y}, {cells.Width} x {cells.Height}) is not inside the {grid.Width} x {grid.Height} grid."), nameof(options));
        }

        int width = cells.Width, height = cells.Height;
        GeoTiffWriteOptions writeOptions = MapWriteOptions(grid.Info, cells);

        var stopwatch = Stopwatch.StartNew();
        long classified = 0, incomplete = 0, urban = 0, labelledIncomplete = 0, labelledExcluded = 0;
        HashSet<long> excluded = ExcludedCells(options.ExcludedFromConfusion, grid.Width, grid.Height);
        var confusion = new ConfusionMatrix(2);
        bool anyLabel = false;
        int rowsPerBatch = Math.Max(1, options.RowsPerBatch);
        if (model.FeatureKind == CellFeatureKind.PatchPixels)
        {
            rowsPerBatch = Math.Clamp(options.PixelCellsPerBatch / width, 1, rowsPerBatch);
        }

        float[] probability = new float[rowsPerBatch * width];
        byte[] mapRows = new byte[2 * width];

        using var writer = GeoTiffWriter.Create(outputPath, writeOptions);
        foreach (CellFeatureBatch batch in source.ReadRows(cells, rowsPerBatch))
        {
            ReadOnlySpan<bool> complete = batch.Complete;
            ReadOnlySpan<SampledCell> batchCells = batch.Cells;
            FeatureMatrix completeRows = batch.CompleteRows();
            if (completeRows.RowCount > 0)
            {
                model.PredictUrbanProbability(completeRows, probability);
            }

            // Rows of the map in order: cell i of the batch is its (i / width)-th row, (i % width)-th column.
            for (int i = 0, k = 0; i < batch.Count; i += width)
            {
                Span<byte> classRow = mapRows.AsSpan(0, width);
                Span<byte> probabilityRow = mapRows.AsSpan(width, width);
                for (int c = 0; c < width; c++)
                {
                    SampledCell cell = batchCells[i + c];
                    byte label = cell.Label;
                    if (!complete[i + c])
                    {
                        classRow[c] = UrbanClass.Undefined;
                        probabilityRow[c] = UrbanClass.Undefined;
                        incomplete++;
                        if (label <= UrbanClass.Urban)
                        {
                            labelledIncomplete++;
                        }

                        continue;
                    }

                    float p = probability[k++];
                    byte mapped = p >= threshold ? UrbanClass.Urban : UrbanClass.NonUrban;
                    classRow[c] = mapped;
                    probabilityRow[c] = (byte)Math.Clamp((int)MathF.Round(p * 100f), 0, 100);
                    classified++;
                    if (mapped == UrbanClass.Urban)
                    {
                        urban++;
                    }

                    if (label <= UrbanClass.Urban)
                    {
                        anyLabel = true;
                        if (excluded.Count > 0 && excluded.Contains(cell.CellId))
                        {
                            labelledExcluded++;
                        }
                        else
                        {
                            confusion.Add(label, mapped);
                        }
                    }
                }

                writer.WriteRows<byte>(mapRows);
            }

            progress?.Report(new PipelineProgress("classify", batch.CellsDone, (long)width * height, stopwatch.Elapsed));
        }

        writer.Commit();
        return new ClassificationSummary
        {
            Cells = (long)width * height,
            Classified = classified,
            Incomplete = incomplete,
            Urban = urban,
            Elapsed = stopwatch.Elapsed,
            Confusion = anyLabel ? confusion : null,
            LabelledIncomplete = labelledIncomplete,
            LabelledExcluded = labelledExcluded,
            Threshold = threshold,
        };
    }

    /// <summary>The geotransform of a window's raster: the same pixels, the origin moved to the window's corner.</summary>
    /// <summary>
    /// The GeoTIFF layout of a class map of some cells of a grid, as <see cref="Classify"/> writes it: band 1 the class
    /// (0 / 1 / 255), band 2 p(urban) 0..100, Byte, nodata 255, georeferenced at the window's corner. Tiled steps use it
    /// to stitch tiles into the same file a whole-grid run writes.
    /// </summary>
    /// <param name="grid">The cell grid.</param>
    /// <param name="cells">The cells the map covers.</param>
    public static GeoTiffWriteOptions MapWriteOptions(RasterInfo grid, PixelWindow cells)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return new GeoTiffWriteOptions
        {
            Width = cells.Width,
            Height = cells.Height,
            BandCount = 2,
            SampleType = RasterSampleType.Byte,
            GeoTransform = CornerOf(grid.GeoTransform, cells),
            Epsg = grid.Epsg,
            NoData = UrbanClass.Undefined,
        };
    }

    private static GeoTransform CornerOf(GeoTransform grid, PixelWindow window)
    {
        (double x, double y) = grid.PixelToMap(window.X, window.Y);
        return grid with { OriginX = x, OriginY = y };
    }

    private static HashSet<long> ExcludedCells(IReadOnlyCollection<(int Row, int Column)>? cells, int width, int height)
    {
        var set = new HashSet<long>();
        if (cells is null)
        {
            return set;
        }

        foreach ((int row, int column) in cells)
        {
            if (row < 0 || row >= height || column < 0 || column >= width)
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The excluded cell (row {row}, column {column}) lies outside the {width} x {height} grid."), nameof(cells));
            }

            set.Add(((long)row * width) + column);
        }

        return set;
    }
}
