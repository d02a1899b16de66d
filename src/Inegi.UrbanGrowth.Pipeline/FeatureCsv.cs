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
public sealed class FeatureCsvWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly StreamWriter _writer;
    private readonly System.Security.Cryptography.SHA256 _hash = System.Security.Cryptography.SHA256.Create();
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
        AtomicFile.RemoveStaleTemporaries(_path);
        FileStream file;
        try
        {
            file = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.WriteFailure(_path, _temporaryPath, e);
        }

        // The bytes pass through SHA-256 on their way to the file: the settings sidecar records the hash, so that a
        // reader can tell whether the two files were written by the same run.
        var hashing = new System.Security.Cryptography.CryptoStream(file, _hash, System.Security.Cryptography.CryptoStreamMode.Write);
        _writer = new StreamWriter(hashing, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
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
        _writer.Flush();
        _writer.Dispose();
        _disposed = true;
        if (settings is not null)
        {
            string hash = Convert.ToHexStringLower(_hash.Hash!);
            settings.WriteSidecar(_path, new FileInfo(_temporaryPath).Length, hash);
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
        _hash.Dispose();
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
        _hash.Dispose();
        AtomicFile.TryDelete(_temporaryPath);
    }
}
