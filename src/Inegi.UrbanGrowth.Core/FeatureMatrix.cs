namespace Inegi.UrbanGrowth;

/// <summary>
/// A dense row-major float32 matrix of observations (rows) by features (columns), with the schema that names
/// the columns. Rows are contiguous, so a row is a span and a block of rows is a span too. The values may be the
/// front of a longer buffer (<see cref="OverBuffer"/>), such as one rented from <see cref="System.Buffers.ArrayPool{T}"/>.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly float[] _values;
    private readonly int _length;

    /// <summary>Creates a zero-filled matrix.</summary>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="schema">Names of the columns.</param>
    public FeatureMatrix(int rowCount, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        Schema = schema;
        RowCount = rowCount;
        _values = new float[checked((long)rowCount * schema.Count)];
        _length = _values.Length;
    }

    /// <summary>Wraps existing row-major values (no copy).</summary>
    /// <param name="values">Row-major values; length must be <c>rowCount * schema.Count</c>.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="schema">Names of the columns.</param>
    public FeatureMatrix(float[] values, int rowCount, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (values.LongLength != (long)rowCount * schema.Count)
        {
            throw new ArgumentException($"Expected {(long)rowCount * schema.Count} values for {rowCount} x {schema.Count}, got {values.LongLength}.", nameof(values));
        }

        Schema = schema;
        RowCount = rowCount;
        _values = values;
        _length = values.Length;
    }

    private FeatureMatrix(float[] buffer, int length, int rowCount, FeatureSchema schema)
    {
        Schema = schema;
        RowCount = rowCount;
        _values = buffer;
        _length = length;
    }

    /// <summary>
    /// Wraps the first <c>rowCount * schema.Count</c> values of a buffer that may be longer (no copy): a pooled buffer
    /// rented once for the largest batch serves every batch, the last and shorter one included.
    /// </summary>
    /// <param name="buffer">Row-major values in its first <c>rowCount * schema.Count</c> elements; the rest is ignored.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="schema">Names of the columns.</param>
    /// <exception cref="ArgumentException">The buffer is shorter than the rows need.</exception>
    public static FeatureMatrix OverBuffer(float[] buffer, int rowCount, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        long length = (long)rowCount * schema.Count;
        if (buffer.LongLength < length || length > Array.MaxLength)
        {
            throw new ArgumentException($"Expected at least {length} values for {rowCount} x {schema.Count}, got {buffer.LongLength}.", nameof(buffer));
        }

        return new FeatureMatrix(buffer, (int)length, rowCount, schema);
    }

    /// <summary>Names of the columns.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Number of rows (observations).</summary>
    public int RowCount { get; }

    /// <summary>Number of columns (features).</summary>
    public int ColumnCount => Schema.Count;

    /// <summary>All values, row-major.</summary>
    public Span<float> Values => _values.AsSpan(0, _length);

    /// <summary>All values, row-major, as memory that can be held beyond a stack frame (across threads, in a field); no copy.</summary>
    public Memory<float> ValuesMemory => _values.AsMemory(0, _length);

    /// <summary>The values of one row.</summary>
    /// <param name="row">Row index.</param>
    public Span<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return _values.AsSpan(row * ColumnCount, ColumnCount);
    }

    /// <summary>The value at a row and column.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    public float this[int row, int column]
    {
        get => Values[(row * ColumnCount) + column];
        set => Values[(row * ColumnCount) + column] = value;
    }

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    /// <param name="rows">Row indices.</param>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new FeatureMatrix(rows.Length, Schema);
        for (int i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(result.Row(i));
        }

        return result;
    }

    /// <summary>Copies one column into <paramref name="destination"/>.</summary>
    /// <param name="column">Column index.</param>
    /// <param name="destination">At least <see cref="RowCount"/> values.</param>
    public void CopyColumn(int column, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, ColumnCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, RowCount);
        int stride = ColumnCount;
        for (int r = 0; r < RowCount; r++)
        {
            destination[r] = _values[r * stride + column];
        }
    }
}
