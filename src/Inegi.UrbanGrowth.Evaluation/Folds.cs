namespace Inegi.UrbanGrowth.Evaluation;

/// <summary>The 1 km grid cell of a sample (SPEC 1.2: cell id = row * grid_width + col).</summary>
/// <param name="Row">Grid row.</param>
/// <param name="Col">Grid column.</param>
public readonly record struct GridCell(int Row, int Col);

/// <summary>One train / test split of a cross-validation.</summary>
public sealed class Fold
{
    /// <summary>Creates a fold.</summary>
    /// <param name="index">Fold number, 0-based.</param>
    /// <param name="train">Training row indices, ascending.</param>
    /// <param name="test">Test row indices, ascending.</param>
    public Fold(int index, int[] train, int[] test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        Index = index;
        Train = train;
        Test = test;
    }

    /// <summary>Fold number, 0-based.</summary>
    public int Index { get; }

    /// <summary>Training row indices, ascending.</summary>
    public ReadOnlyMemory<int> Train { get; }

    /// <summary>Test row indices, ascending.</summary>
    public ReadOnlyMemory<int> Test { get; }
}

/// <summary>Splits labelled rows into k train / test folds; every row is in exactly one test set.</summary>
public interface IFoldScheme
{
    /// <summary>Number of folds.</summary>
    int FoldCount { get; }

    /// <summary>Produces the folds.</summary>
    /// <param name="labels">Class of each row.</param>
    /// <param name="cells">Grid cell of each row, for schemes that use locations (like sklearn's <c>groups</c>); may be empty otherwise.</param>
    IReadOnlyList<Fold> Split(ReadOnlySpan<byte> labels, ReadOnlySpan<GridCell> cells);
}

/// <summary>Helpers shared by the fold schemes.</summary>
internal static class FoldBuilder
{
    /// <summary>Turns a fold assignment per row into folds (test = rows of the fold, train = the rest, both ascending).</summary>
    public static Fold[] FromAssignment(ReadOnlySpan<int> foldOfRow, int k)
    {
        var testCounts = new int[k];
        foreach (int f in foldOfRow)
        {
            testCounts[f]++;
        }

        var tests = new int[k][];
        var trains = new int[k][];
        for (int f = 0; f < k; f++)
        {
            tests[f] = new int[testCounts[f]];
            trains[f] = new int[foldOfRow.Length - testCounts[f]];
        }

        var testFill = new int[k];
        var trainFill = new int[k];
        for (int i = 0; i < foldOfRow.Length; i++)
        {
            int fold = foldOfRow[i];
            for (int f = 0; f < k; f++)
            {
                if (f == fold)
                {
                    tests[f][testFill[f]++] = i;
                }
                else
                {
                    trains[f][trainFill[f]++] = i;
                }
            }
        }

        var folds = new Fold[k];
        for (int f = 0; f < k; f++)
        {
            folds[f] = new Fold(f, trains[f], tests[f]);
        }

        return folds;
    }

    public static void Shuffle<T>(Span<T> items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>
/// Stratified k-fold (scikit-learn's <c>StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)</c> allocation):
/// every fold holds, for every class, a count within 1 of the other folds', and fold sizes differ by at most 1.
/// </summary>
/// <remarks>
/// The allocation is sklearn's: sort the labels and deal them to the folds in turn (position p goes to fold p mod k),
/// which fixes how many rows of each class each fold gets; then, per class, the fold numbers are shuffled with a
/// <see cref="Random"/> seeded by <see cref="Seed"/> and given to that class's rows in row order. The shuffle is not
/// numpy's, so the folds are not sklearn's row for row, only the same in balance. Deterministic given the seed.
/// </remarks>
public sealed class StratifiedKFold : IFoldScheme
{
    /// <summary>Creates the scheme.</summary>
    /// <param name="foldCount">k (at least 2; 10 by default).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public StratifiedKFold(int foldCount = 10, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        FoldCount = foldCount;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int FoldCount { get; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Fewer rows than folds, or a label is 255.</exception>
    public IReadOnlyList<Fold> Split(ReadOnlySpan<byte> labels, ReadOnlySpan<GridCell> cells = default)
    {
        int k = FoldCount;
        if (labels.Length < k)
        {
            throw new ArgumentException($"{k} folds need at least {k} rows; got {labels.Length}.", nameof(labels));
        }

        Span<int> classCounts = stackalloc int[256];
        classCounts.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == UrbanClass.Undefined)
            {
                throw new ArgumentException($"Row {i} has the undefined label 255.", nameof(labels));
            }

            classCounts[labels[i]]++;
        }

        var random = new Random(Seed);
        var foldOfRow = new int[labels.Length];
        int start = 0;
        var classFolds = new List<int>();
        for (int c = 0; c < 256; c++)
        {
            int count = classCounts[c];
            if (count == 0)
            {
                continue;
            }

            // Sorted positions start .. start + count - 1 of this class go to fold (position mod k).
            classFolds.Clear();
            for (int f = 0; f < k; f++)
            {
                int first = start + ((f - start % k) + k) % k;
                int n = first >= start + count ? 0 : ((start + count - 1 - first) / k) + 1;
                for (int t = 0; t < n; t++)
                {
                    classFolds.Add(f);
                }
            }

            Span<int> folds = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(classFolds);
            FoldBuilder.Shuffle(folds, random);
            int next = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == c)
                {
                    foldOfRow[i] = folds[next++];
                }
            }

            start += count;
        }

        return FoldBuilder.FromAssignment(foldOfRow, k);
    }
}

/// <summary>
/// Spatial block k-fold: the grid is cut into square blocks of <see cref="BlockSize"/> x <see cref="BlockSize"/> cells
/// and whole blocks go to folds, so that a test cell's neighbours (which look alike) are not in its training set;
/// random folds flatter a model on spatially autocorrelated data (Roberts et al. 2017, Ecography 40:913).
/// </summary>
/// <remarks>
/// Block of a cell: (row / B, col / B). Blocks are shuffled with a <see cref="Random"/> seeded by <see cref="Seed"/>,
/// sorted by sample count (largest first, stable, so the shuffle orders equal blocks), and each is given to the fold
/// with the fewest samples so far (ties: lowest fold number): fold sizes then differ by at most the largest block's
/// count. Classes are not stratified. Deterministic given the seed.
/// </remarks>
public sealed class SpatialBlockKFold : IFoldScheme
{
    /// <summary>Creates the scheme.</summary>
    /// <param name="blockSize">Block side in grid cells (50 = 50 km on the 1 km grid).</param>
    /// <param name="foldCount">k (at least 2; 10 by default).</param>
    /// <param name="seed">Seed of the block shuffle.</param>
    public SpatialBlockKFold(int blockSize = 50, int foldCount = 10, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        BlockSize = blockSize;
        FoldCount = foldCount;
        Seed = seed;
    }

    /// <summary>Block side in grid cells.</summary>
    public int BlockSize { get; }

    /// <inheritdoc/>
    public int FoldCount { get; }

    /// <summary>Seed of the block shuffle.</summary>
    public int Seed { get; }

    /// <summary>The block of a cell, as (block row, block column).</summary>
    /// <param name="cell">Grid cell.</param>
    public (int BlockRow, int BlockCol) BlockOf(GridCell cell) => (cell.Row / BlockSize, cell.Col / BlockSize);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The cells are missing or fewer than the rows, a coordinate is negative, or there are fewer blocks than folds.</exception>
    public IReadOnlyList<Fold> Split(ReadOnlySpan<byte> labels, ReadOnlySpan<GridCell> cells)
    {
        if (cells.Length != labels.Length)
        {
            throw new ArgumentException($"Spatial folds need the grid cell of every row: {labels.Length} rows, {cells.Length} cells.", nameof(cells));
        }

        var blockIds = new Dictionary<(int, int), int>();
        var blockOfRow = new int[cells.Length];
        var blockCounts = new List<int>();
        for (int i = 0; i < cells.Length; i++)
        {
            if (cells[i].Row < 0 || cells[i].Col < 0)
            {
                throw new ArgumentException($"Row {i} has negative grid coordinates ({cells[i].Row}, {cells[i].Col}).", nameof(cells));
            }

            var key = BlockOf(cells[i]);
            if (!blockIds.TryGetValue(key, out int id))
            {
                id = blockCounts.Count;
                blockIds.Add(key, id);
                blockCounts.Add(0);
            }

            blockOfRow[i] = id;
            blockCounts[id]++;
        }

        int k = FoldCount;
        if (blockCounts.Count < k)
        {
            throw new ArgumentException($"Only {blockCounts.Count} blocks of {BlockSize} x {BlockSize} cells hold samples; {k} folds need at least {k}. Use smaller blocks or fewer folds.", nameof(cells));
        }

        // Order blocks by first appearance (row order), shuffle, then stable-sort by count descending.
        var order = new int[blockCounts.Count];
        for (int b = 0; b < order.Length; b++)
        {
            order[b] = b;
        }

        FoldBuilder.Shuffle(order.AsSpan(), new Random(Seed));
        var rank = new int[order.Length];
        for (int r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        Array.Sort(order, (a, b) => blockCounts[a] != blockCounts[b] ? blockCounts[b].CompareTo(blockCounts[a]) : rank[a].CompareTo(rank[b]));
        var foldOfBlock = new int[order.Length];
        var sizes = new long[k];
        foreach (int b in order)
        {
            int best = 0;
            for (int f = 1; f < k; f++)
            {
                if (sizes[f] < sizes[best])
                {
                    best = f;
                }
            }

            foldOfBlock[b] = best;
            sizes[best] += blockCounts[b];
        }

        var foldOfRow = new int[cells.Length];
        for (int i = 0; i < foldOfRow.Length; i++)
        {
            foldOfRow[i] = foldOfBlock[blockOfRow[i]];
        }

        return FoldBuilder.FromAssignment(foldOfRow, k);
    }
}
