using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// The parser behind <see cref="FeatureCsv.Read(string, int)"/>: reads the file in blocks of whole lines and parses
/// each block's lines in parallel straight from UTF-8 bytes, so that a 40,000 x 486 table (380 MB of text) is not
/// bound by one core decoding characters. Every line is parsed on its own into its own row, so the table does not
/// depend on the thread count; of several bad lines, the first in the file is reported.
/// </summary>
internal static class FeatureCsvReader
{
    private const int BlockBytes = 4 << 20;
    private const int LinesPerTask = 32;

    public static FeatureTable Read(string path, int maxDegreeOfParallelism)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var blocks = new LineBlocks(stream);
        if (!blocks.Next(out ReadOnlyMemory<byte> first))
        {
            throw new DataFileException(path, "empty file: expected the header cell_id,row,col,label,<features>");
        }

        ReadOnlySpan<byte> firstSpan = first.Span;
        if (firstSpan.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || firstSpan.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new DataFileException(path, "the file is UTF-16 text; a features CSV is UTF-8");
        }

        int bom = firstSpan.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        int headerEnd = firstSpan.IndexOf((byte)'\n');
        int headerLength = (headerEnd < 0 ? firstSpan.Length : headerEnd) - bom;
        string header = Encoding.UTF8.GetString(TrimCarriageReturn(firstSpan.Slice(bom, headerLength)));
        FeatureSchema schema = ParseHeader(path, header);
        ReadOnlyMemory<byte> rest = headerEnd < 0 ? ReadOnlyMemory<byte>.Empty : first[(headerEnd + 1)..];

        int featureCount = schema.Count;
        var parsed = new List<ParsedBlock>();
        int lineNumber = 1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        do
        {
            ParsedBlock block = ParseBlock(path, rest, lineNumber + 1, schema, options);
            lineNumber += block.LineCount;
            if (block.RowCount > 0)
            {
                parsed.Add(block);
            }
        }
        while (blocks.Next(out rest));

        long total = parsed.Sum(b => (long)b.RowCount);
        if (total * featureCount > Array.MaxLength)
        {
            throw new DataFileException(path, $"{total:N0} rows x {featureCount} features do not fit in one table; split the file");
        }

        int n = (int)total;
        var ids = new long[n];
        var rows = new int[n];
        var cols = new int[n];
        var labels = new byte[n];
        var values = new float[(long)n * featureCount];
        int at = 0;
        foreach (ParsedBlock b in parsed)
        {
            b.Ids.AsSpan(0, b.RowCount).CopyTo(ids.AsSpan(at));
            b.Rows.AsSpan(0, b.RowCount).CopyTo(rows.AsSpan(at));
            b.Columns.AsSpan(0, b.RowCount).CopyTo(cols.AsSpan(at));
            b.Labels.AsSpan(0, b.RowCount).CopyTo(labels.AsSpan(at));
            b.Values.AsSpan(0, b.RowCount * featureCount).CopyTo(values.AsSpan(at * featureCount));
            at += b.RowCount;
        }

        return new FeatureTable(ids, rows, cols, labels, new FeatureMatrix(values, n, schema));
    }

    private static FeatureSchema ParseHeader(string path, string header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new DataFileException(path, "empty file: expected the header cell_id,row,col,label,<features>");
        }

        string[] columns = header.Split(',');
        IReadOnlyList<string> identity = FeatureCsv.IdentityColumns;
        for (int i = 0; i < identity.Count; i++)
        {
            if (columns.Length <= i || !string.Equals(columns[i].Trim(), identity[i], StringComparison.Ordinal))
            {
                throw new DataFileException(path, $"line 1: expected column {i + 1} to be '{identity[i]}' (header cell_id,row,col,label,<features>)");
            }
        }

        if (columns.Length == identity.Count)
        {
            throw new DataFileException(path, "line 1: no feature columns after cell_id,row,col,label");
        }

        try
        {
            return new FeatureSchema(columns.Skip(identity.Count).Select(c => c.Trim()));
        }
        catch (ArgumentException e)
        {
            throw new DataFileException(path, "line 1: " + e.Message, e);
        }
    }

    private sealed class ParsedBlock
    {
        public required int LineCount { get; init; }
        public required int RowCount { get; init; }
        public required long[] Ids { get; init; }
        public required int[] Rows { get; init; }
        public required int[] Columns { get; init; }
        public required byte[] Labels { get; init; }
        public required float[] Values { get; init; }
    }

    private static ParsedBlock ParseBlock(string path, ReadOnlyMemory<byte> text, int firstLineNumber, FeatureSchema schema, ParallelOptions options)
    {
        // Line starts, and the row each non-empty line fills: a sequential pass, cheap next to parsing numbers.
        var startList = new List<int>();
        var lengthList = new List<int>();
        ReadOnlySpan<byte> span = text.Span;
        int position = 0;
        while (position < span.Length)
        {
            int newline = span[position..].IndexOf((byte)'\n');
            int length = newline < 0 ? span.Length - position : newline;
            startList.Add(position);
            lengthList.Add(TrimCarriageReturn(span.Slice(position, length)).Length);
            position += length + 1;
        }

        int[] starts = [.. startList];
        int[] lengths = [.. lengthList];
        int lineCount = starts.Length;
        var rowOfLine = new int[lineCount];
        int rowCount = 0;
        for (int i = 0; i < lineCount; i++)
        {
            rowOfLine[i] = lengths[i] == 0 ? -1 : rowCount++;
        }

        int featureCount = schema.Count;
        var block = new ParsedBlock
        {
            LineCount = lineCount,
            RowCount = rowCount,
            Ids = new long[rowCount],
            Rows = new int[rowCount],
            Columns = new int[rowCount],
            Labels = new byte[rowCount],
            Values = new float[rowCount * featureCount],
        };

        int firstBad = int.MaxValue;
        string? firstError = null;
        var gate = new object();
        int tasks = (lineCount + LinesPerTask - 1) / LinesPerTask;
        Parallel.For(0, tasks, options, task =>
        {
            int end = Math.Min(lineCount, (task + 1) * LinesPerTask);
            for (int i = task * LinesPerTask; i < end; i++)
            {
                int row = rowOfLine[i];
                if (row < 0)
                {
                    continue;
                }

                string? error = ParseLine(text.Span.Slice(starts[i], lengths[i]), schema, block, row);
                if (error is not null)
                {
                    lock (gate)
                    {
                        if (i < firstBad)
                        {
                            firstBad = i;
                            firstError = error;
                        }
                    }

                    return;
                }
            }
        });

        if (firstError is not null)
        {
            throw new DataFileException(path, $"line {firstLineNumber + firstBad}: {firstError}");
        }

        return block;
    }

    /// <summary>Parses one line into row <paramref name="row"/> of the block; returns the problem, or null.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static string? ParseLine(ReadOnlySpan<byte> line, FeatureSchema schema, ParsedBlock block, int row)
    {
        ReadOnlySpan<byte> rest = line;
        ReadOnlySpan<byte> field = NextField(ref rest);
        if (!TryParseIdentity(field, out long id))
        {
            return $"cell_id '{Encoding.UTF8.GetString(field)}' is not a non-negative integer";
        }

        field = NextField(ref rest);
        if (!TryParseIdentity(field, out long gridRow) || gridRow > int.MaxValue)
        {
            return $"row '{Encoding.UTF8.GetString(field)}' is not a non-negative integer";
        }

        field = NextField(ref rest);
        if (!TryParseIdentity(field, out long gridColumn) || gridColumn > int.MaxValue)
        {
            return $"col '{Encoding.UTF8.GetString(field)}' is not a non-negative integer";
        }

        ReadOnlySpan<byte> labelText = NextField(ref rest).Trim((byte)' ');
        byte label;
        if (labelText.IsEmpty)
        {
            label = UrbanClass.Undefined;
        }
        else if (!byte.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out label) || label == UrbanClass.Undefined)
        {
            return $"label '{Encoding.UTF8.GetString(labelText)}' is not 0, 1 or empty";
        }

        int featureCount = schema.Count;
        Span<float> destination = block.Values.AsSpan(row * featureCount, featureCount);
        for (int f = 0; f < featureCount; f++)
        {
            if (rest.IsEmpty)
            {
                return $"{f} feature values, expected {featureCount}";
            }

            field = NextField(ref rest);
            if (!FastFloatParser.TryParse(field, out float v))
            {
                return $"'{Encoding.UTF8.GetString(field)}' in column '{schema.Names[f]}' is not a number";
            }

            if (!float.IsFinite(v))
            {
                return $"column '{schema.Names[f]}' is not finite ({Encoding.UTF8.GetString(field)})";
            }

            destination[f] = v;
        }

        if (!rest.IsEmpty || line[^1] == (byte)',')
        {
            return $"more than {featureCount} feature values";
        }

        block.Ids[row] = id;
        block.Rows[row] = (int)gridRow;
        block.Columns[row] = (int)gridColumn;
        block.Labels[row] = label;
        return null;
    }

    private static bool TryParseIdentity(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text.Trim((byte)' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= 0;

    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest)
    {
        int comma = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> field;
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

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>Hands out the file in blocks that end on a line break (or at the end of the file).</summary>
    private sealed class LineBlocks(Stream stream)
    {
        private byte[] _buffer = new byte[BlockBytes];
        private int _filled;
        private int _consumed;
        private bool _end;

        public bool Next(out ReadOnlyMemory<byte> block)
        {
            // Keep the partial line after the previous block, then fill the rest of the buffer.
            int carried = _filled - _consumed;
            Buffer.BlockCopy(_buffer, _consumed, _buffer, 0, carried);
            _filled = carried;
            _consumed = 0;
            while (true)
            {
                while (!_end && _filled < _buffer.Length)
                {
                    int got = stream.Read(_buffer, _filled, _buffer.Length - _filled);
                    _end = got == 0;
                    _filled += got;
                }

                if (_end)
                {
                    block = _buffer.AsMemory(0, _filled);
                    _consumed = _filled;
                    return _filled > 0;
                }

                int lastNewline = _buffer.AsSpan(0, _filled).LastIndexOf((byte)'\n');
                if (lastNewline >= 0)
                {
                    block = _buffer.AsMemory(0, lastNewline + 1);
                    _consumed = lastNewline + 1;
                    return true;
                }

                // One line longer than the buffer: grow it.
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
    }
}
