using System.Diagnostics;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>What a feature extraction run wrote.</summary>
/// <param name="Written">Rows written (complete cells).</param>
/// <param name="Incomplete">Cells skipped because their patch leaves the mosaic or holds nodata.</param>
/// <param name="Elapsed">Wall time.</param>
public readonly record struct FeatureExtractionSummary(long Written, long Incomplete, TimeSpan Elapsed);

/// <summary>One mosaic's share of a features CSV.</summary>
/// <param name="Mosaic">The mosaic the features are computed on.</param>
/// <param name="Grid">The cell grid, opened against that mosaic.</param>
/// <param name="Cells">The cells to compute with their labels, or null for every cell of the grid.</param>
public sealed record FeaturePart(Mosaic Mosaic, CellGrid Grid, IReadOnlyList<SampledCell>? Cells);

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
        return Write([new FeaturePart(mosaic, grid, cells)], outputPath, settings, maxDegreeOfParallelism, progress, cancellationToken);
    }

    /// <summary>
    /// Writes one features CSV from several mosaics of the same grid (e.g. the census year's cells followed by the
    /// cells whose labels <see cref="LabelCarrying"/> carries to other years): the parts' rows one after the other,
    /// each part in cell-id order. Only one batch of cells is in memory at a time.
    /// </summary>
    /// <param name="parts">The mosaics and their cells, in the order their rows are written.</param>
    /// <param name="outputPath">The features CSV.</param>
    /// <param name="settings">Feature settings (default when null).</param>
    /// <param name="maxDegreeOfParallelism">Threads (-1: all cores).</param>
    /// <param name="progress">Receives cells done over all parts.</param>
    /// <param name="cancellationToken">Stops the run (no CSV is left behind).</param>
    public static FeatureExtractionSummary WriteCsv(IReadOnlyList<FeaturePart> parts, string outputPath,
        FeatureExtractionSettings? settings = null, int maxDegreeOfParallelism = -1, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || parts.Any(p => p is null))
        {
            throw new ArgumentException("at least one part is needed, and none may be null", nameof(parts));
        }

        return Write(parts, outputPath, settings, maxDegreeOfParallelism, progress, cancellationToken);
    }

    private static FeatureExtractionSummary Write(IReadOnlyList<FeaturePart> parts, string outputPath,
        FeatureExtractionSettings? settings, int maxDegreeOfParallelism, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var extractor = new CellFeatureExtractor(settings);
        var stopwatch = Stopwatch.StartNew();
        long total = parts.Sum(p => p.Cells?.Count ?? p.Grid.CellCount);
        long written = 0, incomplete = 0, donePartsCells = 0;
        using (var writer = new FeatureCsvWriter(outputPath, extractor.Schema))
        {
            foreach (FeaturePart part in parts)
            {
                var source = new CellFeatureSource(part.Mosaic, part.Grid, extractor, maxDegreeOfParallelism, cancellationToken);
                IEnumerable<CellFeatureBatch> batches = part.Cells is not null
                    ? source.ReadCells(part.Cells, Batch)
                    : source.ReadRows(null, Math.Max(1, Batch / part.Grid.Width));
                long partDone = 0;
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

                    partDone = batch.CellsDone;
                    progress?.Report(new PipelineProgress("features", donePartsCells + partDone, total, stopwatch.Elapsed));
                }

                donePartsCells += part.Cells?.Count ?? part.Grid.CellCount;
            }

            writer.Commit(extractor.Settings);
        }

        return new FeatureExtractionSummary(written, incomplete, stopwatch.Elapsed);
    }
}
