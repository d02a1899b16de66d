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
/// sidecar JSON file. Cells are read through a <see cref="CellFeatureSource"/>: in storage (cell-id) order, in parallel
/// batches; rows come out in cell-id order whatever the thread count.
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
        var source = new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(settings), maxDegreeOfParallelism, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        long total = cells?.Count ?? grid.CellCount;
        IEnumerable<CellFeatureBatch> batches = cells is not null
            ? source.ReadCells(cells, Batch)
            : source.ReadRows(null, Math.Max(1, Batch / grid.Width));
        long written = 0, incomplete = 0;
        using (var writer = new FeatureCsvWriter(outputPath, source.Extractor.Schema))
        {
            foreach (CellFeatureBatch batch in batches)
            {
                ReadOnlySpan<SampledCell> batchCells = batch.Cells;
                ReadOnlySpan<bool> complete = batch.Complete;
                for (int i = 0; i < batchCells.Length; i++)
                {
                    if (!complete[i])
                    {
                        incomplete++;
                        continue;
                    }

                    SampledCell cell = batchCells[i];
                    writer.WriteRow(cell.CellId, cell.Row, cell.Column, cell.Label, batch.Features(i));
                    written++;
                }

                progress?.Report(new PipelineProgress("features", batch.CellsDone, total, stopwatch.Elapsed));
            }

            writer.Commit(source.Extractor.Settings);
        }

        return new FeatureExtractionSummary(written, incomplete, stopwatch.Elapsed);
    }
}
