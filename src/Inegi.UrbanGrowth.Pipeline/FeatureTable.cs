namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Feature rows of grid cells with their identity and label: the in-memory form of the features CSV of SPEC 8
/// (<c>cell_id,row,col,label,&lt;features&gt;</c>).
/// </summary>
public sealed class FeatureTable
{
    /// <summary>Creates a table; all arrays must have <c>features.RowCount</c> entries.</summary>
    /// <param name="cellIds">Cell id of each row (grid row * grid width + grid column).</param>
    /// <param name="gridRows">Grid row of each cell.</param>
    /// <param name="gridColumns">Grid column of each cell.</param>
    /// <param name="labels">Label of each row: 0, 1 (or another class), or <see cref="UrbanClass.Undefined"/> for none.</param>
    /// <param name="features">The feature values.</param>
    public FeatureTable(long[] cellIds, int[] gridRows, int[] gridColumns, byte[] labels, FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(cellIds);
        ArgumentNullException.ThrowIfNull(gridRows);
        ArgumentNullException.ThrowIfNull(gridColumns);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(features);
        int n = features.RowCount;
        if (cellIds.Length != n || gridRows.Length != n || gridColumns.Length != n || labels.Length != n)
        {
            throw new ArgumentException($"All columns need {n} rows.", nameof(features));
        }

        CellIds = cellIds;
        GridRows = gridRows;
        GridColumns = gridColumns;
        Labels = labels;
        Features = features;
    }

    /// <summary>Cell id of each row.</summary>
    public long[] CellIds { get; }

    /// <summary>Grid row of each cell.</summary>
    public int[] GridRows { get; }

    /// <summary>Grid column of each cell.</summary>
    public int[] GridColumns { get; }

    /// <summary>Label of each row; <see cref="UrbanClass.Undefined"/> where the CSV's label is empty.</summary>
    public byte[] Labels { get; }

    /// <summary>The feature values, one row per cell.</summary>
    public FeatureMatrix Features { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Features.RowCount;

    /// <summary>The rows that carry a label (not <see cref="UrbanClass.Undefined"/>), in order.</summary>
    public FeatureTable LabelledRows()
    {
        int count = 0;
        foreach (byte l in Labels)
        {
            if (l != UrbanClass.Undefined)
            {
                count++;
            }
        }

        if (count == RowCount)
        {
            return this;
        }

        int[] keep = new int[count];
        for (int i = 0, k = 0; i < RowCount; i++)
        {
            if (Labels[i] != UrbanClass.Undefined)
            {
                keep[k++] = i;
            }
        }

        return SelectRows(keep);
    }

    /// <summary>A new table holding the given rows in the given order.</summary>
    /// <param name="rows">Row indices.</param>
    public FeatureTable SelectRows(ReadOnlySpan<int> rows)
    {
        long[] ids = new long[rows.Length];
        int[] r = new int[rows.Length];
        int[] c = new int[rows.Length];
        byte[] l = new byte[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            ids[i] = CellIds[rows[i]];
            r[i] = GridRows[rows[i]];
            c[i] = GridColumns[rows[i]];
            l[i] = Labels[rows[i]];
        }

        return new FeatureTable(ids, r, c, l, Features.SelectRows(rows));
    }
}
