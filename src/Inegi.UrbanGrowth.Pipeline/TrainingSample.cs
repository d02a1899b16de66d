using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>One cell of a sample: its id, grid position and label.</summary>
/// <param name="CellId">Row * grid width + column.</param>
/// <param name="Row">Grid row.</param>
/// <param name="Column">Grid column.</param>
/// <param name="Label">Its label (0 non-urban, 1 urban, 255 none).</param>
public readonly record struct SampledCell(long CellId, int Row, int Column, byte Label);

/// <summary>A stratified training sample and what was seen while drawing it.</summary>
public sealed class TrainingSample
{
    /// <summary>The cells, class by class, each class in random order.</summary>
    public required IReadOnlyList<SampledCell> Cells { get; init; }

    /// <summary>Cells in the grid.</summary>
    public long GridCells { get; init; }

    /// <summary>Labelled cells per class in the grid (index = class).</summary>
    public required IReadOnlyList<long> LabelledPerClass { get; init; }

    /// <summary>Cells without a label (255).</summary>
    public long Undefined { get; init; }

    /// <summary>Candidates skipped because their patch leaves the mosaic or holds nodata (only when a mosaic was given).</summary>
    public long IncompleteSkipped { get; init; }

    /// <summary>Cells drawn per class (index = class).</summary>
    public required IReadOnlyList<int> DrawnPerClass { get; init; }

    /// <summary>The share of urban cells among labelled cells: the population prevalence of the grid.</summary>
    public double UrbanPrevalence => LabelledPerClass.Count > 1 && LabelledPerClass.Sum() > 0
        ? (double)LabelledPerClass[UrbanClass.Urban] / LabelledPerClass.Sum()
        : 0;

    /// <summary>A one-paragraph description.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cells.Count:N0} cells drawn ({string.Join(", ", DrawnPerClass.Select((n, c) => $"{UrbanClass.Names[c]} {n:N0}"))}) from {GridCells:N0} grid cells: " +
        $"{string.Join(", ", LabelledPerClass.Select((n, c) => $"{UrbanClass.Names[c]} {n:N0}"))}, undefined {Undefined:N0}; incomplete candidates skipped {IncompleteSkipped:N0}");

    /// <summary>Draws <paramref name="perClass"/> cells of each class at random (seeded), skipping incomplete cells when a mosaic is given.</summary>
    /// <param name="grid">The labelled grid.</param>
    /// <param name="perClass">Cells per class (all the class has, when it has fewer).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="mosaic">The mosaic, to keep complete cells only; null to sample from labels alone.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the completeness checks.</param>
    public static TrainingSample Draw(CellGrid grid, int perClass, int seed, Mosaic? mosaic = null, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        return DrawCounts(grid, perClass, perClass, seed, mosaic, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Draws <paramref name="nonUrban"/> non-urban and <paramref name="urban"/> urban cells at random (seeded), skipping
    /// incomplete cells when a mosaic is given. Each class has its own generator: the urban cells drawn do not depend on
    /// the non-urban count, so a larger non-urban sample keeps the same urban cells as the balanced one.
    /// </summary>
    /// <param name="grid">The labelled grid.</param>
    /// <param name="nonUrban">Non-urban cells (all the class has, when it has fewer).</param>
    /// <param name="urban">Urban cells (all the class has, when it has fewer).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="mosaic">The mosaic, to keep complete cells only; null to sample from labels alone.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the completeness checks.</param>
    /// <remarks>
    /// Within each class the cells are a simple random sample, so the class priors of the sample are the only
    /// difference from the population: <c>ThresholdOptions.ForPopulation</c> and prior correction stay valid.
    /// </remarks>
    public static TrainingSample DrawCounts(CellGrid grid, int nonUrban, int urban, int seed, Mosaic? mosaic = null, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(nonUrban, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(urban, 1);
        int[] wanted = [nonUrban, urban];
        byte[] labels = grid.ReadAllLabels();
        var perClassCells = new List<int>[2] { [], [] };
        long undefined = 0, other = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            byte l = labels[i];
            if (l <= UrbanClass.Urban)
            {
                perClassCells[l].Add(i);
            }
            else if (l == UrbanClass.Undefined)
            {
                undefined++;
            }
            else
            {
                other++;
            }
        }

        if (other > 0)
        {
            throw new DataFileException(grid.Info.Path, string.Create(CultureInfo.InvariantCulture, $"{other} cells hold a label other than 0, 1 or 255"));
        }

        var cells = new List<SampledCell>(nonUrban + urban);
        int[] drawn = new int[2];
        long skipped = 0;
        for (int c = 0; c < 2; c++)
        {
            // One generator per class, so that the urban sample does not change when the non-urban count does. The seed
            // mix must be stable across processes (HashCode.Combine is randomised per process).
            var random = new Random(unchecked((seed * 1_000_003) + (c * 7919) + 0x5EED));
            int[] candidates = [.. perClassCells[c]];
            int perClass = wanted[c];
            int taken = 0, next = 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            while (taken < perClass && next < candidates.Length)
            {
                // Partial Fisher-Yates: shuffle just the batch about to be examined.
                int batch = Math.Min(Math.Max(64, (perClass - taken) * 2), candidates.Length - next);
                for (int i = next; i < next + batch; i++)
                {
                    int j = random.Next(i, candidates.Length);
                    (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
                }

                bool[] ok = new bool[batch];
                int start = next;
                if (mosaic is null)
                {
                    Array.Fill(ok, true);
                }
                else
                {
                    Parallel.For(0, batch, parallel, i =>
                    {
                        int id = candidates[start + i];
                        ok[i] = grid.IsPatchInside(id / grid.Width, id % grid.Width) && grid.IsComplete(id / grid.Width, id % grid.Width, mosaic);
                    });
                }

                for (int i = 0; i < batch && taken < perClass; i++)
                {
                    int id = candidates[start + i];
                    if (ok[i])
                    {
                        cells.Add(new SampledCell(id, id / grid.Width, id % grid.Width, (byte)c));
                        taken++;
                    }
                    else
                    {
                        skipped++;
                    }
                }

                next += batch;
            }

            drawn[c] = taken;
        }

        return new TrainingSample
        {
            Cells = cells,
            GridCells = labels.Length,
            LabelledPerClass = [perClassCells[0].Count, perClassCells[1].Count],
            Undefined = undefined,
            IncompleteSkipped = skipped,
            DrawnPerClass = drawn,
        };
    }

    /// <summary>Writes the sample as CSV (<c>cell_id,row,col,label</c>), atomically.</summary>
    /// <param name="path">Destination.</param>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder("cell_id,row,col,label\n");
        foreach (SampledCell cell in Cells)
        {
            text.Append(CultureInfo.InvariantCulture, $"{cell.CellId},{cell.Row},{cell.Column},{cell.Label}\n");
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads the cells of a sample CSV (<c>cell_id,row,col[,label]</c>; extra columns are ignored).</summary>
    /// <param name="path">The CSV.</param>
    /// <param name="gridWidth">Grid width, to check that ids and positions agree.</param>
    public static IReadOnlyList<SampledCell> ReadCsv(string path, int gridWidth)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new DataFileException(path, "empty file: expected the header cell_id,row,col,label");
        }

        string[] names = header.Split(',');
        if (names.Length < 3 || names[0].Trim() != "cell_id" || names[1].Trim() != "row" || names[2].Trim() != "col")
        {
            throw new DataFileException(path, "line 1: expected the header cell_id,row,col[,label,...]");
        }

        bool hasLabel = names.Length > 3 && names[3].Trim() == "label";
        var cells = new List<SampledCell>();
        string? line;
        int lineNumber = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split(',');
            if (f.Length < 3
                || !long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out long id)
                || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int row)
                || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int col))
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: expected non-negative integers cell_id,row,col"));
            }

            if (col >= gridWidth || id != ((long)row * gridWidth) + col)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: cell {id} at row {row}, col {col} does not belong to a grid {gridWidth} cells wide"));
            }

            byte label = UrbanClass.Undefined;
            if (hasLabel && f.Length > 3 && f[3].Length > 0 && !byte.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out label))
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: label '{f[3]}' is not a number"));
            }

            cells.Add(new SampledCell(id, row, col, label));
        }

        return cells;
    }
}
