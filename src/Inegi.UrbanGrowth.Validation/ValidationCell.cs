using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Accuracy;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>One cell of the validation sample, as <c>urban validation-sample</c> wrote it.</summary>
/// <param name="CellId">row * width + col of the map grid.</param>
/// <param name="Row">Grid row.</param>
/// <param name="Column">Grid column.</param>
/// <param name="Stratum">Stratum it was drawn from (hidden from interpreters unless the server is unblinded).</param>
/// <param name="MapClass">The map's class (hidden likewise).</param>
/// <param name="X">Cell centre, map units, as written in the file (kept as text so the export reproduces it).</param>
/// <param name="Y">Cell centre, map units, as written in the file.</param>
public sealed record ValidationCell(long CellId, int Row, int Column, byte Stratum, byte MapClass, string X, string Y)
{
    /// <summary>The centre's x as a number.</summary>
    public double CentreX => double.Parse(X, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The centre's y as a number.</summary>
    public double CentreY => double.Parse(Y, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the sample CSV of <c>urban validation-sample</c> (header <see cref="SampleFiles.CsvHeader"/>, any column
    /// order; the reference column may be empty or filled, it is ignored).
    /// </summary>
    /// <param name="path">The sample CSV.</param>
    /// <returns>The cells in file order.</returns>
    /// <exception cref="DataFileException">Missing file or column, a bad value, a repeated cell id, or no rows; the message
    /// names the file and the line.</exception>
    public static IReadOnlyList<ValidationCell> ReadCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new DataFileException(path, "empty file (expected the header " + SampleFiles.CsvHeader + ")");
        }

        string[] names = [.. header.Split(',').Select(s => s.Trim())];
        int Find(string name)
        {
            int index = Array.FindIndex(names, s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            return index < 0 ? throw new DataFileException(path, $"line 1: no '{name}' column in the header (expected {SampleFiles.CsvHeader})") : index;
        }

        int iId = Find("cell_id"), iRow = Find("row"), iCol = Find("col"), iStratum = Find("stratum"), iMap = Find("map_class"), iX = Find("x"), iY = Find("y");
        var cells = new List<ValidationCell>();
        var seen = new HashSet<long>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] f = line.Split(',');
            if (f.Length < names.Length)
            {
                throw new DataFileException(path, $"line {lineNumber}: {f.Length} fields, expected {names.Length}");
            }

            long id = Integer(path, lineNumber, "cell_id", f[iId], long.MaxValue);
            if (!seen.Add(id))
            {
                throw new DataFileException(path, $"line {lineNumber}: cell {id.ToString(CultureInfo.InvariantCulture)} appears twice");
            }

            string x = Coordinate(path, lineNumber, "x", f[iX]), y = Coordinate(path, lineNumber, "y", f[iY]);
            cells.Add(new ValidationCell(id, (int)Integer(path, lineNumber, "row", f[iRow], int.MaxValue), (int)Integer(path, lineNumber, "col", f[iCol], int.MaxValue),
                (byte)Integer(path, lineNumber, "stratum", f[iStratum], 254), (byte)Integer(path, lineNumber, "map_class", f[iMap], 254), x, y));
        }

        return cells.Count == 0 ? throw new DataFileException(path, "no sample rows after the header") : cells;
    }

    private static long Integer(string path, int line, string column, string text, long max)
    {
        text = text.Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v <= max
            ? v
            : throw new DataFileException(path, $"line {line}: {column} '{text}' is not an integer in 0..{max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static string Coordinate(string path, int line, string column, string text)
    {
        text = text.Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? text
            : throw new DataFileException(path, $"line {line}: {column} '{text}' is not a finite number");
    }
}
