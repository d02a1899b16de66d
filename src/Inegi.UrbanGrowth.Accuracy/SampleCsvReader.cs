using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>
/// Reads a sample CSV (the form of <see cref="SampleFiles.CsvHeader"/> and its relatives) row by row, with columns
/// found by name in any order and every problem a <see cref="DataFileException"/> naming the file and the line, so
/// that each reader of a sample checks its rows the same way.
/// </summary>
public sealed class SampleCsvReader : IDisposable
{
    private readonly StreamReader _reader;
    private readonly string[] _names;
    private readonly string _expectedHeader;
    private string[] _fields = [];

    private SampleCsvReader(string path, StreamReader reader, string[] names, string expectedHeader)
    {
        Path = path;
        _reader = reader;
        _names = names;
        _expectedHeader = expectedHeader;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based number of the line <see cref="Next"/> read last (1 before the first row).</summary>
    public int LineNumber { get; private set; } = 1;

    /// <summary>Opens the file and reads its header.</summary>
    /// <param name="path">The CSV file (UTF-8, a byte-order mark allowed).</param>
    /// <param name="expectedHeader">The header the messages suggest when the file has none or lacks a column.</param>
    /// <exception cref="DataFileException">The file is missing or empty.</exception>
    public static SampleCsvReader Open(string path, string expectedHeader)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(expectedHeader);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            reader.Dispose();
            throw new DataFileException(path, "empty file (expected the header " + expectedHeader + ")");
        }

        return new SampleCsvReader(path, reader, [.. header.Split(',').Select(s => s.Trim())], expectedHeader);
    }

    /// <summary>The index of a column (names compared without case), or -1 when an optional column is absent.</summary>
    /// <param name="name">The column's name.</param>
    /// <param name="required">Whether its absence is an error.</param>
    /// <exception cref="DataFileException">A required column is absent.</exception>
    public int Column(string name, bool required = true)
    {
        int index = Array.FindIndex(_names, s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        return index < 0 && required
            ? throw new DataFileException(Path, $"line 1: no '{name}' column in the header (expected {_expectedHeader})")
            : index;
    }

    /// <summary>Reads the next row that is not blank.</summary>
    /// <returns>False at the end of the file.</returns>
    /// <exception cref="DataFileException">The row has fewer fields than the header.</exception>
    public bool Next()
    {
        for (string? line = _reader.ReadLine(); line is not null; line = _reader.ReadLine())
        {
            LineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            _fields = line.Split(',');
            return _fields.Length >= _names.Length
                ? true
                : throw Error($"{_fields.Length} fields, expected {_names.Length}");
        }

        return false;
    }

    /// <summary>A field of the current row, trimmed.</summary>
    /// <param name="column">Its column index.</param>
    public string Field(int column) => _fields[column].Trim();

    /// <summary>A field of the current row as an integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    /// <param name="column">Its column index.</param>
    /// <param name="name">The column's name, for the message.</param>
    /// <param name="min">Smallest value allowed.</param>
    /// <param name="max">Largest value allowed.</param>
    /// <exception cref="DataFileException">The field is empty, not an integer, or out of range.</exception>
    public long WholeNumber(int column, string name, long min, long max)
    {
        string text = Field(column);
        if (text.Length == 0)
        {
            throw Error($"empty {name}");
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max
            ? v
            : throw Error($"{name} '{text}' is not an integer in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A field of the current row that must be a finite number, as written (so it round-trips exactly).</summary>
    /// <param name="column">Its column index.</param>
    /// <param name="name">The column's name, for the message.</param>
    /// <exception cref="DataFileException">The field is not a finite number.</exception>
    public string FiniteNumber(int column, string name)
    {
        string text = Field(column);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? text
            : throw Error($"{name} '{text}' is not a finite number");
    }

    /// <summary>A data error about the current line.</summary>
    /// <param name="message">What is wrong, without the file or line.</param>
    public DataFileException Error(string message) => new(Path, $"line {LineNumber.ToString(CultureInfo.InvariantCulture)}: {message}");

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
