using System.Diagnostics;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>What a feature extraction run wrote.</summary>
/// <param name="Written">Rows written (complete cells).</param>
/// <param name="Incomplete">Cells skipped because their patch leaves the mosaic or holds nodata.</param>
/// <param name="Elapsed">Wall time.</param>
public readonly record struct FeatureExtractionSummary(long Written, long Incomplete, TimeSpan Elapsed);

/// <summary>
/// Computes the patch features of cells and streams them to a features CSV (SPEC 8), with the feature settings in a
/// sidecar JSON file. Cells are processed in parallel batches; rows come out in a deterministic order.
/// </summary>
public static class FeatureExtraction
{
    private const int Batch = 2048;

    /// <summary>Writes the features of the listed cells or of every cell of the grid, in cell-id (row-major) order.</summary>
    /// <param name="mosaic">The mosaic.</param>
    /// <param name="grid">The grid (labels come from it unless the list carries them).</param>
    /// <param name="cells">Cells to compute, or null for all cells.</param>
    /// <param name="outputPath">The features CSV.</param>
    /// <param name="settings">Feature settings (default when null).</param>
    /// <param name="maxDegreeOfParallelism">Threads (-1: all cores).</param>
    /// <param name="progress">Receives cells done.</param>
    /// <param name="cancellationToken">Stops the run (no CSV is left behind).</param>
    public static FeatureExtractionSummary WriteCsv(Mosaic mosaic, CellGrid grid, IReadOnlyList<SampledCell>? cells, string outputPath,
        FeatureExtractionSettings? settings = null, int maxDegreeOfParallelism = -1, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(grid);
        var extractor = new CellFeatureExtractor(settings);
        if (cells is not null)
        {
            // Row-major order reads each block of the mosaic once through the reader's cache; a random order would
            // decode a whole tile per cell.
            SampledCell[] sorted = [.. cells];
            Array.Sort(sorted, static (a, b) => a.CellId.CompareTo(b.CellId));
            cells = sorted;
        }

        var stopwatch = Stopwatch.StartNew();
        long total = cells?.Count ?? grid.CellCount;
        int featureCount = extractor.FeatureCount;
        float[] features = new float[Batch * featureCount];
        bool[] complete = new bool[Batch];
        var batchCells = new SampledCell[Batch];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        long written = 0, incomplete = 0;
        byte[] labelRow = new byte[grid.Width];
        int labelRowIndex = -1;

        using (var writer = new FeatureCsvWriter(outputPath, extractor.Schema))
        {
            for (long start = 0; start < total; start += Batch)
            {
                int n = (int)Math.Min(Batch, total - start);
                for (int i = 0; i < n; i++)
                {
                    long index = start + i;
                    if (cells is not null)
                    {
                        batchCells[i] = cells[(int)index];
                    }
                    else
                    {
                        int row = (int)(index / grid.Width), col = (int)(index % grid.Width);
                        if (row != labelRowIndex)
                        {
                            grid.ReadLabels(row, 1, labelRow);
                            labelRowIndex = row;
                        }

                        batchCells[i] = new SampledCell(index, row, col, labelRow[col]);
                    }
                }

                GridClassifier.ExtractCells(mosaic, grid, extractor, batchCells, n, features, complete, parallel);

                for (int i = 0; i < n; i++)
                {
                    if (!complete[i])
                    {
                        incomplete++;
                        continue;
                    }

                    SampledCell cell = batchCells[i];
                    byte label = cell.Label;
                    if (label == UrbanClass.Undefined && cells is not null)
                    {
                        grid.ReadLabels(cell.Row, 1, labelRow);
                        labelRowIndex = cell.Row;
                        label = labelRow[cell.Column];
                    }

                    writer.WriteRow(cell.CellId, cell.Row, cell.Column, label, features.AsSpan(i * featureCount, featureCount));
                    written++;
                }

                progress?.Report(new PipelineProgress("features", start + n, total, stopwatch.Elapsed));
            }

            writer.Commit(extractor.Settings);
        }

        return new FeatureExtractionSummary(written, incomplete, stopwatch.Elapsed);
    }
}
