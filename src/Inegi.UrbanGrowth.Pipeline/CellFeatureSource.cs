using System.Buffers;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// The cells of a mosaic with their features, in batches: the one place that decides in which order cells are read
/// (storage order: row-major cell id, so each block of the mosaic is decoded once through the reader's cache), how
/// they are batched, where their labels come from and how their features are computed (in parallel, one scratch per
/// thread). <see cref="FeatureExtraction"/>, <see cref="PatchTable"/> and <see cref="GridClassifier"/> all read cells
/// through it.
/// </summary>
/// <remarks>
/// A batch's values depend only on its cells, never on the batch size or the thread count, so every consumer writes
/// the same bytes however it batches. Memory is bounded: one batch of features, rented once per enumeration and
/// returned when the enumeration ends (also when it stops early or throws).
/// </remarks>
public sealed class CellFeatureSource
{
    private readonly Mosaic _mosaic;
    private readonly CellGrid _grid;
    private readonly ParallelOptions _parallel;

    /// <summary>Creates the source.</summary>
    /// <param name="mosaic">The mosaic the patches are read from.</param>
    /// <param name="grid">The grid of cells over the mosaic (labels come from it where the cells carry none).</param>
    /// <param name="extractor">What is computed per cell (statistics or patch pixels).</param>
    /// <param name="maxDegreeOfParallelism">Threads (-1: all cores); the values never depend on it.</param>
    /// <param name="cancellationToken">Stops the reading between and within batches.</param>
    public CellFeatureSource(Mosaic mosaic, CellGrid grid, CellFeatureExtractor extractor, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(extractor);
        _mosaic = mosaic;
        _grid = grid;
        Extractor = extractor;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
    }

    /// <summary>What is computed per cell, and the schema of the features.</summary>
    public CellFeatureExtractor Extractor { get; }

    /// <summary>The listed cells in storage order (by cell id; cells with equal ids keep their list order).</summary>
    /// <param name="cells">Cells in any order.</param>
    public static SampledCell[] InStorageOrder(IReadOnlyList<SampledCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var order = new SampledCell[cells.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = cells[i];
        }

        // A stable sort: the order never depends on how the list was drawn beyond its ids.
        int[] position = new int[order.Length];
        for (int i = 0; i < position.Length; i++)
        {
            position[i] = i;
        }

        Array.Sort(position, (a, b) => order[a].CellId != order[b].CellId ? order[a].CellId.CompareTo(order[b].CellId) : a.CompareTo(b));
        var sorted = new SampledCell[order.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = order[position[i]];
        }

        return sorted;
    }

    /// <summary>
    /// The features of the listed cells in storage order (<see cref="InStorageOrder"/>), in batches of
    /// <paramref name="cellsPerBatch"/> cells. A cell's label is the one it carries, or the grid's where it carries
    /// <see cref="UrbanClass.Undefined"/>; a cell off the grid is incomplete.
    /// </summary>
    /// <param name="cells">The cells.</param>
    /// <param name="cellsPerBatch">Cells per batch.</param>
    /// <returns>The batches; each is valid until the next is read.</returns>
    public IEnumerable<CellFeatureBatch> ReadCells(IReadOnlyList<SampledCell> cells, int cellsPerBatch)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfLessThan(cellsPerBatch, 1);
        return ReadCellsCore(InStorageOrder(cells), cellsPerBatch);
    }

    /// <summary>
    /// The features of every cell of a window of the grid (whole rows, row-major), <paramref name="rowsPerBatch"/>
    /// rows of the window per batch, each cell labelled from the grid.
    /// </summary>
    /// <param name="cells">The window of the grid, in cells; null for the whole grid.</param>
    /// <param name="rowsPerBatch">Rows of cells per batch.</param>
    /// <returns>The batches; each is valid until the next is read.</returns>
    /// <exception cref="ArgumentException">A window not inside the grid.</exception>
    public IEnumerable<CellFeatureBatch> ReadRows(PixelWindow? cells, int rowsPerBatch)
    {
        PixelWindow window = cells ?? new PixelWindow(0, 0, _grid.Width, _grid.Height);
        if (!window.IsInside(_grid.Width, _grid.Height) || window.Width < 1 || window.Height < 1)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The cell window (x {window.X}, y {window.Y}, {window.Width} x {window.Height}) is not inside the {_grid.Width} x {_grid.Height} grid."), nameof(cells));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerBatch, 1);
        return ReadRowsCore(window, rowsPerBatch);
    }

    private IEnumerable<CellFeatureBatch> ReadCellsCore(SampledCell[] cells, int cellsPerBatch)
    {
        var batch = new CellFeatureBatch(Math.Min(cellsPerBatch, Math.Max(cells.Length, 1)), Extractor.Schema);
        byte[] labelRow = new byte[_grid.Width];
        int labelRowIndex = -1;
        try
        {
            for (int start = 0; start < cells.Length; start += cellsPerBatch)
            {
                _parallel.CancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(cellsPerBatch, cells.Length - start);
                batch.Count = n;
                for (int i = 0; i < n; i++)
                {
                    SampledCell cell = cells[start + i];
                    if (cell.Label == UrbanClass.Undefined && OnGrid(cell))
                    {
                        // Cells come in storage order, so one label row read serves all the cells of that row.
                        if (cell.Row != labelRowIndex)
                        {
                            _grid.ReadLabels(cell.Row, 1, labelRow);
                            labelRowIndex = cell.Row;
                        }

                        cell = cell with { Label = labelRow[cell.Column] };
                    }

                    batch.CellArray[i] = cell;
                }

                Extract(batch);
                batch.CellsDone = start + n;
                yield return batch;
            }
        }
        finally
        {
            batch.Release();
        }
    }

    private IEnumerable<CellFeatureBatch> ReadRowsCore(PixelWindow window, int rowsPerBatch)
    {
        int width = window.Width;
        rowsPerBatch = Math.Min(rowsPerBatch, window.Height);
        var batch = new CellFeatureBatch(rowsPerBatch * width, Extractor.Schema);
        byte[] labels = new byte[rowsPerBatch * width];
        try
        {
            for (int firstRow = 0; firstRow < window.Height; firstRow += rowsPerBatch)
            {
                _parallel.CancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(rowsPerBatch, window.Height - firstRow);
                int n = rows * width;
                batch.Count = n;
                _grid.ReadLabels(window with { Y = window.Y + firstRow, Height = rows }, labels.AsSpan(0, n));
                for (int i = 0; i < n; i++)
                {
                    int row = window.Y + firstRow + (i / width), column = window.X + (i % width);
                    batch.CellArray[i] = new SampledCell(((long)row * _grid.Width) + column, row, column, labels[i]);
                }

                Extract(batch);
                batch.CellsDone = (long)(firstRow + rows) * width;
                yield return batch;
            }
        }
        finally
        {
            batch.Release();
        }
    }

    private bool OnGrid(SampledCell cell) => cell.Row >= 0 && cell.Column >= 0 && cell.Row < _grid.Height && cell.Column < _grid.Width;

    /// <summary>Computes the features of the batch's cells in parallel, each into its own row.</summary>
    private void Extract(CellFeatureBatch batch)
    {
        int featureCount = Extractor.FeatureCount;
        SampledCell[] cells = batch.CellArray;
        bool[] complete = batch.CompleteArray;
        float[] features = batch.Buffer;
        Parallel.For(0, batch.Count, _parallel, Extractor.CreateScratch, (i, _, scratch) =>
        {
            SampledCell cell = cells[i];
            complete[i] = OnGrid(cell) && TryExtract(cell.Row, cell.Column, scratch, features.AsSpan(i * featureCount, featureCount));
            return scratch;
        }, _ => { });
        batch.Compacted = false;
    }

    /// <summary>Reads one cell's window and computes its features; false when the cell's patch leaves the mosaic or holds nodata.</summary>
    private bool TryExtract(int row, int column, CellFeatureExtractor.Scratch scratch, Span<float> destination)
    {
        PixelWindow window = _grid.PatchWindow(row, column);
        if (!_mosaic.Info.Contains(window))
        {
            return false;
        }

        Span<float> values = scratch.Window;
        _mosaic.Read(window, values);
        if (_mosaic.ContainsNoData(values))
        {
            return false;
        }

        Extractor.Extract(values, destination, scratch);
        return true;
    }
}

/// <summary>
/// One batch of <see cref="CellFeatureSource"/>: its cells (labels resolved), which of them are complete, and their
/// features, in pooled memory that the next batch reuses.
/// </summary>
public sealed class CellFeatureBatch
{
    internal CellFeatureBatch(int capacity, FeatureSchema schema)
    {
        Schema = schema;
        CellArray = ArrayPool<SampledCell>.Shared.Rent(capacity);
        CompleteArray = ArrayPool<bool>.Shared.Rent(capacity);
        Buffer = ArrayPool<float>.Shared.Rent(checked(capacity * schema.Count));
    }

    /// <summary>The names of each cell's features.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Cells in the batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Cells of the enumeration done, this batch included (for progress).</summary>
    public long CellsDone { get; internal set; }

    /// <summary>The cells, in storage order, each with its label (the listed one, else the grid's).</summary>
    public ReadOnlySpan<SampledCell> Cells => CellArray.AsSpan(0, Count);

    /// <summary>Per cell: true when its patch lies in the mosaic without nodata (its features are then valid).</summary>
    public ReadOnlySpan<bool> Complete => CompleteArray.AsSpan(0, Count);

    internal SampledCell[] CellArray { get; }

    internal bool[] CompleteArray { get; }

    internal float[] Buffer { get; }

    internal bool Compacted { get; set; }

    /// <summary>The features of the cell at <paramref name="index"/> (meaningful when it is complete).</summary>
    /// <param name="index">The cell's index in the batch.</param>
    /// <exception cref="InvalidOperationException">After <see cref="CompleteRows"/> moved the rows.</exception>
    public ReadOnlySpan<float> Features(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (Compacted)
        {
            throw new InvalidOperationException("The rows of this batch were moved by CompleteRows.");
        }

        return Buffer.AsSpan(index * Schema.Count, Schema.Count);
    }

    /// <summary>
    /// The features of the complete cells, in order, as a matrix over the batch's own pooled buffer: the rows are moved
    /// to the front in place (no second buffer, no copy to an exact-length array). <see cref="Features"/> is invalid
    /// afterwards; the matrix is valid until the next batch.
    /// </summary>
    public FeatureMatrix CompleteRows()
    {
        int featureCount = Schema.Count;
        int k = 0;
        if (!Compacted)
        {
            for (int i = 0; i < Count; i++)
            {
                if (CompleteArray[i])
                {
                    if (k != i)
                    {
                        // k < i, so the destination row is one already consumed: a forward move never overwrites a row still to come.
                        Buffer.AsSpan(i * featureCount, featureCount).CopyTo(Buffer.AsSpan(k * featureCount, featureCount));
                    }

                    k++;
                }
            }

            Compacted = true;
        }
        else
        {
            foreach (bool complete in Complete)
            {
                k += complete ? 1 : 0;
            }
        }

        return FeatureMatrix.OverBuffer(Buffer, k, Schema);
    }

    /// <summary>Returns the pooled memory; the enumeration that made the batch does it when it ends (also on an early stop or an error).</summary>
    internal void Release()
    {
        ArrayPool<SampledCell>.Shared.Return(CellArray);
        ArrayPool<bool>.Shared.Return(CompleteArray);
        ArrayPool<float>.Shared.Return(Buffer);
    }
}
