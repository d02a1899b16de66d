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

    /// <summary>Reads a whole features CSV.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="DataFileException">The file is missing, empty, or malformed; the message names the file and line.</exception>
    public static FeatureTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new DataFileException(path, "empty file: expected the header cell_id,row,col,label,<features>");
        }

        string[] columns = header.Split(',');
        for (int i = 0; i < IdentityColumns.Count; i++)
        {
            if (columns.Length <= i || !string.Equals(columns[i].Trim(), IdentityColumns[i], StringComparison.Ordinal))
            {
                throw new DataFileException(path, $"line 1: expected column {i + 1} to be '{IdentityColumns[i]}' (header cell_id,row,col,label,<features>)");
            }
        }

        if (columns.Length == IdentityColumns.Count)
        {
            throw new DataFileException(path, "line 1: no feature columns after cell_id,row,col,label");
        }

        FeatureSchema schema;
        try
        {
            schema = new FeatureSchema(columns.Skip(IdentityColumns.Count).Select(c => c.Trim()));
        }
        catch (ArgumentException e)
        {
            throw new DataFileException(path, "line 1: " + e.Message, e);
        }

        int featureCount = schema.Count;
        var ids = new List<long>();
        var rows = new List<int>();
        var cols = new List<int>();
        var labels = new List<byte>();
        var values = new List<float[]>();
        const int ChunkRows = 1024;
        float[] chunk = new float[ChunkRows * featureCount];
        int inChunk = 0;
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            ReadOnlySpan<char> rest = line;
            ids.Add(ParseLong(path, lineNumber, "cell_id", NextField(ref rest)));
            rows.Add((int)ParseLong(path, lineNumber, "row", NextField(ref rest)));
            cols.Add((int)ParseLong(path, lineNumber, "col", NextField(ref rest)));
            ReadOnlySpan<char> labelText = NextField(ref rest).Trim();
            if (labelText.IsEmpty)
            {
                labels.Add(UrbanClass.Undefined);
            }
            else if (byte.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out byte label) && label != UrbanClass.Undefined)
            {
                labels.Add(label);
            }
            else
            {
                throw new DataFileException(path, $"line {lineNumber}: label '{labelText}' is not 0, 1 or empty");
            }

            Span<float> destination = chunk.AsSpan(inChunk * featureCount, featureCount);
            for (int f = 0; f < featureCount; f++)
            {
                if (rest.IsEmpty && f < featureCount)
                {
                    throw new DataFileException(path, $"line {lineNumber}: {f} feature values, expected {featureCount}");
                }

                ReadOnlySpan<char> field = NextField(ref rest);
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                {
                    throw new DataFileException(path, $"line {lineNumber}: '{field}' in column '{schema.Names[f]}' is not a number");
                }

                if (!float.IsFinite(v))
                {
                    throw new DataFileException(path, $"line {lineNumber}: column '{schema.Names[f]}' is not finite ({field})");
                }

                destination[f] = v;
            }

            if (!rest.IsEmpty || line.EndsWith(','))
            {
                throw new DataFileException(path, $"line {lineNumber}: more than {featureCount} feature values");
            }

            if (++inChunk == ChunkRows)
            {
                values.Add(chunk);
                chunk = new float[ChunkRows * featureCount];
                inChunk = 0;
            }
        }

        int n = ids.Count;
        float[] all = new float[(long)n * featureCount];
        int offset = 0;
        foreach (float[] c in values)
        {
            c.CopyTo(all, offset);
            offset += c.Length;
        }

        Array.Copy(chunk, 0, all, offset, inChunk * featureCount);
        return new FeatureTable([.. ids], [.. rows], [.. cols], [.. labels], new FeatureMatrix(all, n, schema));
    }

    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)
    {
        int comma = rest.IndexOf(',');
        ReadOnlySpan<char> field;
        if (comma < 0)
        {
            field = rest;
            rest = [];
        }
        else
        {
            field = rest[..comma];
            rest = rest[(comma + 1)..];
        }

        return field;
    }

    private static long ParseLong(string path, int line, string column, ReadOnlySpan<char> text)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v < 0)
        {
            throw new DataFileException(path, $"line {line}: {column} '{text}' is not a non-negative integer");
        }

        return v;
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
/// Streams rows to a features CSV (SPEC 8). The file appears under its name only after <see cref="Commit"/>;
/// disposing without committing removes the partial file.
/// </summary>
public sealed class FeatureCsvWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly StreamWriter _writer;
    private readonly int _featureCount;
    private readonly char[] _buffer = new char[64];
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
        _writer = new StreamWriter(_temporaryPath, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        _writer.Write(string.Join(',', FeatureCsv.IdentityColumns));
        foreach (string name in schema.Names)
        {
            _writer.Write(',');
            _writer.Write(name);
        }

        _writer.Write('\n');
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

        WriteNumber(cellId);
        _writer.Write(',');
        WriteNumber(gridRow);
        _writer.Write(',');
        WriteNumber(gridColumn);
        _writer.Write(',');
        if (label != UrbanClass.Undefined)
        {
            WriteNumber(label);
        }

        foreach (float v in features)
        {
            _writer.Write(',');
            v.TryFormat(_buffer, out int written, "R", CultureInfo.InvariantCulture);
            _writer.Write(_buffer, 0, written);
        }

        _writer.Write('\n');
        RowCount++;
    }

    private void WriteNumber(long value)
    {
        value.TryFormat(_buffer, out int written, default, CultureInfo.InvariantCulture);
        _writer.Write(_buffer, 0, written);
    }

    /// <summary>Flushes and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
        _writer.Dispose();
        File.Move(_temporaryPath, _path, overwrite: true);
        _committed = true;
        _disposed = true;
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

        _disposed = true;
        _writer.Dispose();
        AtomicFile.TryDelete(_temporaryPath);
    }
}
