using System.Buffers;
using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Reads and writes the features CSV of SPEC 8: header <c>cell_id,row,col,label,&lt;feature names&gt;</c>, one row per
/// cell, label 0, 1 or empty, invariant culture, UTF-8. Writing is streamed and atomic.
/// </summary>
public static class FeatureCsv
{
    /// <summary>The four identity columns that precede the features.</summary>
    public static IReadOnlyList<string> IdentityColumns { get; } = ["cell_id", "row", "col", "label"];

    /// <summary>Reads a whole features CSV, parsing on every core.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="DataFileException">The file is missing, empty, or malformed; the message names the file and line.</exception>
    public static FeatureTable Read(string path) => Read(path, -1);

    /// <summary>Reads a whole features CSV; the table is the same for every thread count.</summary>
    /// <param name="path">The CSV file (UTF-8, with or without a byte order mark; LF or CRLF line ends).</param>
    /// <param name="maxDegreeOfParallelism">Threads that parse lines; -1 for all cores.</param>
    /// <exception cref="DataFileException">The file is missing, empty, or malformed; the message names the file and the first bad line.</exception>
    public static FeatureTable Read(string path, int maxDegreeOfParallelism)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 (all cores) or a positive thread count.");
        }

        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        return FeatureCsvReader.Read(path, maxDegreeOfParallelism);
    }

    /// <summary>Writes a whole table atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="table">The rows.</param>
    public static void Write(string path, FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var writer = new FeatureCsvWriter(path, table.Features.Schema);
        for (int i = 0; i < table.RowCount; i++)
        {
            writer.WriteRow(table.CellIds[i], table.GridRows[i], table.GridColumns[i], table.Labels[i], table.Features.Row(i));
        }

        writer.Commit();
    }
}

/// <summary>
/// Streams rows to a features CSV (SPEC 8). The file appears under its name only after <see cref="Commit()"/>;
/// disposing without committing removes the partial file.
/// </summary>
/// <remarks>
/// Numbers are formatted straight to UTF-8 (<see cref="IUtf8SpanFormattable"/>, the same invariant "R" / integer
/// formatting as <c>ToString</c>, so the text is byte for byte what a string-based writer gives) into pooled
/// buffers, which are hashed (SHA-256 for the settings sidecar) and written to the file: no strings, no chars, no
/// encoder. Rows are held (up to 512, about 1 MB of floats) and formatted together on several cores
/// (<see cref="MaxDegreeOfParallelism"/>), since shortest round-trip float formatting is the writer's whole cost;
/// the chunks are written in row order, so the bytes do not depend on the thread count.
/// </remarks>
public sealed class FeatureCsvWriter : IDisposable
{
    /// <summary>Longest text of one float in "R" format ("-1.17549435E-38" is 15 bytes), with its comma and slack.</summary>
    private const int MaxFloatBytes = 24;

    /// <summary>Longest text of the identity columns: three integers of up to 20 bytes, a label, their commas and the line end.</summary>
    private const int MaxIdentityBytes = 96;

    private const int MinimumBufferBytes = 1 << 16;

    /// <summary>Most rows held before they are formatted (fewer for wide rows: at most about 4 MB of text at once).</summary>
    private const int PendingRowsMax = 512;

    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly FileStream _file;
    private readonly System.Security.Cryptography.IncrementalHash _hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    private readonly int _featureCount;
    private readonly int _maxRowBytes;
    private byte[] _buffer;
    private int _used;

    /// <summary>Rows accepted but not yet formatted (identities and values), formatted together on several cores.</summary>
    private readonly int _pendingCapacity;
    private long[] _pendingIds = [];
    private int[] _pendingRows = [];
    private int[] _pendingColumns = [];
    private byte[] _pendingLabels = [];
    private float[] _pendingValues = [];
    private int _pending;
    private bool _committed;
    private bool _disposed;

    /// <summary>Starts a features CSV and writes its header.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="schema">Names of the feature columns.</param>
    public FeatureCsvWriter(string path, FeatureSchema schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        _path = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        _temporaryPath = AtomicFile.TemporaryPathFor(_path);
        _featureCount = schema.Count;
        _maxRowBytes = checked(MaxIdentityBytes + _featureCount * MaxFloatBytes);
        AtomicFile.RemoveStaleTemporaries(_path);
        try
        {
            // No FileStream buffer: the pooled buffer below is the only one, written in large chunks.
            _file = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _hash.Dispose();
            throw AtomicFile.WriteFailure(_path, _temporaryPath, e);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBufferBytes, 2 * _maxRowBytes));
        _pendingCapacity = Math.Clamp((1 << 22) / Math.Max(1, _maxRowBytes), 1, PendingRowsMax);
        _pendingIds = ArrayPool<long>.Shared.Rent(_pendingCapacity);
        _pendingRows = ArrayPool<int>.Shared.Rent(_pendingCapacity);
        _pendingColumns = ArrayPool<int>.Shared.Rent(_pendingCapacity);
        _pendingLabels = ArrayPool<byte>.Shared.Rent(_pendingCapacity);
        _pendingValues = ArrayPool<float>.Shared.Rent(_pendingCapacity * _featureCount);
        var header = new StringBuilder(string.Join(',', FeatureCsv.IdentityColumns));
        foreach (string name in schema.Names)
        {
            header.Append(',').Append(name);
        }

        header.Append('\n');
        WriteBytes(new UTF8Encoding(false).GetBytes(header.ToString()));
    }

    /// <summary>Number of rows written so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Appends one row.</summary>
    /// <param name="cellId">Cell id.</param>
    /// <param name="gridRow">Grid row.</param>
    /// <param name="gridColumn">Grid column.</param>
    /// <param name="label">Label, or <see cref="UrbanClass.Undefined"/> for an empty label.</param>
    /// <param name="features">The feature values, as many as the schema has.</param>
    public void WriteRow(long cellId, int gridRow, int gridColumn, byte label, ReadOnlySpan<float> features)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features.Length != _featureCount)
        {
            throw new ArgumentException($"Expected {_featureCount} features, got {features.Length}.", nameof(features));
        }

        _pendingIds[_pending] = cellId;
        _pendingRows[_pending] = gridRow;
        _pendingColumns[_pending] = gridColumn;
        _pendingLabels[_pending] = label;
        features.CopyTo(_pendingValues.AsSpan(_pending * _featureCount, _featureCount));
        _pending++;
        RowCount++;
        if (_pending == _pendingCapacity)
        {
            FormatPending();
        }
    }

    /// <summary>
    /// Most threads that format rows at once (default -1: all cores). Formatting the floats is most of the writer's
    /// time; the bytes are the same for any value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Formats the pending rows in contiguous chunks, one per worker, each into its own pooled buffer, then hashes and
    /// writes the chunks in row order: the file is the same bytes whatever the thread count.
    /// </summary>
    private void FormatPending()
    {
        int rows = _pending;
        if (rows == 0)
        {
            return;
        }

        _pending = 0;
        int workers = MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;
        int chunks = Math.Clamp(rows / 16, 1, Math.Max(1, workers));
        if (chunks == 1)
        {
            for (int r = 0; r < rows; r++)
            {
                if (_buffer.Length - _used < _maxRowBytes)
                {
                    FlushBuffer();
                }

                _used += FormatRow(r, _buffer.AsSpan(_used));
            }

            return;
        }

        var texts = new byte[chunks][];
        var lengths = new int[chunks];
        try
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
            {
                int first = (int)((long)rows * c / chunks), last = (int)((long)rows * (c + 1) / chunks);
                byte[] text = ArrayPool<byte>.Shared.Rent((last - first) * _maxRowBytes);
                texts[c] = text;
                int at = 0;
                for (int r = first; r < last; r++)
                {
                    at += FormatRow(r, text.AsSpan(at));
                }

                lengths[c] = at;
            });

            for (int c = 0; c < chunks; c++)
            {
                FlushBuffer();
                WriteThrough(texts[c].AsSpan(0, lengths[c]));
            }
        }
        finally
        {
            foreach (byte[]? text in texts)
            {
                if (text is not null)
                {
                    ArrayPool<byte>.Shared.Return(text);
                }
            }
        }
    }

    /// <summary>Formats pending row <paramref name="r"/> as one CSV line; returns its length in bytes.</summary>
    private int FormatRow(int r, Span<byte> free)
    {
        int at = 0;
        at += Format(_pendingIds[r], free);
        free[at++] = (byte)',';
        at += Format(_pendingRows[r], free[at..]);
        free[at++] = (byte)',';
        at += Format(_pendingColumns[r], free[at..]);
        free[at++] = (byte)',';
        if (_pendingLabels[r] != UrbanClass.Undefined)
        {
            at += Format(_pendingLabels[r], free[at..]);
        }

        foreach (float v in _pendingValues.AsSpan(r * _featureCount, _featureCount))
        {
            free[at++] = (byte)',';
            // Byte for byte float.ToString("R", InvariantCulture): shortest round-trip text, "NaN", "-0", "Infinity",
            // exponents as "1E-45" (ShortestFloatText: checked against .NET on every one of the 2^32 floats).
            at += ShortestFloatText.Format(v, free[at..]);
        }

        free[at++] = (byte)'\n';
        return at;
    }

    private static int Format(long value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("An integer's text exceeded its reserved room.");
        }

        return written;
    }

    /// <summary>Appends bytes of any length through the buffer.</summary>
    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _buffer.Length)
            {
                FlushBuffer();
            }

            int n = Math.Min(bytes.Length, _buffer.Length - _used);
            bytes[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Hashes and writes bytes that bypass the buffer (the buffer must be empty).</summary>
    private void WriteThrough(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        try
        {
            _file.Write(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.WriteFailure(_path, _temporaryPath, e);
        }
    }

    /// <summary>Hashes and writes the buffered bytes.</summary>
    private void FlushBuffer()
    {
        if (_used == 0)
        {
            return;
        }

        WriteThrough(_buffer.AsSpan(0, _used));
        _used = 0;
    }

    /// <summary>Flushes and renames the file into place.</summary>
    public void Commit() => Commit(null);

    /// <summary>
    /// Flushes the CSV, writes its settings sidecar (with the CSV's length and SHA-256) when settings are given, then
    /// renames the CSV into place. The sidecar goes first: a run killed between the two leaves a sidecar that does
    /// not match the CSV beside it, which readers refuse, rather than a new CSV beside an old sidecar.
    /// </summary>
    /// <param name="settings">The settings the features were computed with, or null for no sidecar.</param>
    public void Commit(FeatureExtractionSettings? settings)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FormatPending();
        FlushBuffer();
        long length = _file.Length;
        _file.Dispose();
        byte[] hashBytes = _hash.GetHashAndReset();
        Release();
        if (settings is not null)
        {
            settings.WriteSidecar(_path, length, Convert.ToHexStringLower(hashBytes));
        }

        try
        {
            File.Move(_temporaryPath, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AtomicFile.TryDelete(_temporaryPath);
            throw AtomicFile.WriteFailure(_path, _temporaryPath, e);
        }

        _committed = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            if (!_committed)
            {
                AtomicFile.TryDelete(_temporaryPath);
            }

            return;
        }

        _file.Dispose();
        Release();
        AtomicFile.TryDelete(_temporaryPath);
    }

    /// <summary>Returns the buffer to the pool and disposes the hash; the writer is unusable afterwards.</summary>
    private void Release()
    {
        _disposed = true;
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<long>.Shared.Return(_pendingIds);
        ArrayPool<int>.Shared.Return(_pendingRows);
        ArrayPool<int>.Shared.Return(_pendingColumns);
        ArrayPool<byte>.Shared.Return(_pendingLabels);
        ArrayPool<float>.Shared.Return(_pendingValues);
        _buffer = [];
        _pendingIds = [];
        _pendingRows = [];
        _pendingColumns = [];
        _pendingLabels = [];
        _pendingValues = [];
    }
}
