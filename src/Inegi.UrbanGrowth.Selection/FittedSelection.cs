using System.Text;

namespace Inegi.UrbanGrowth.Selection;

/// <summary>
/// A fitted column selection (the result of <see cref="SelectFwe"/>, <see cref="VarianceThreshold"/> or a
/// <see cref="SelectionChain"/>): the input schema, the kept column indices, and per input feature the statistics
/// and the verdict. Immutable; serialisable into a model file with <see cref="Write"/> / <see cref="Read"/>.
/// </summary>
/// <remarks>
/// <para>Binary format (little endian, <see cref="BinaryWriter"/> conventions, strings length-prefixed UTF-8):
/// the magic <c>"UGSEL"</c> as 5 bytes; int32 version (1); int32 input count m; m strings (input names);
/// int32 kept count q; q int32 kept indices (ascending); m records of (double F, double P, double log10 P,
/// double variance, byte verdict). Nothing follows, so the block can be embedded in a larger file.</para>
/// </remarks>
public sealed class FittedSelection : IFittedSelection
{
    /// <summary>The version of the binary form <see cref="Write"/> writes (stored in model files beside the classifier's).</summary>
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "UGSEL"u8.ToArray();

    private readonly int[] _indices;
    private readonly FeatureScore[] _scores;

    /// <summary>Creates a fitted selection from its parts.</summary>
    /// <param name="inputSchema">The schema the selection was fitted on.</param>
    /// <param name="scores">One score per input feature; the kept features are those whose verdict is <see cref="FeatureVerdict.Kept"/>.</param>
    /// <exception cref="ArgumentException">The number of scores differs from the number of input features.</exception>
    public FittedSelection(FeatureSchema inputSchema, IReadOnlyList<FeatureScore> scores)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != inputSchema.Count)
        {
            throw new ArgumentException($"Expected {inputSchema.Count} scores (one per input feature), got {scores.Count}.", nameof(scores));
        }

        InputSchema = inputSchema;
        _scores = [.. scores];
        var kept = new List<int>();
        for (int i = 0; i < _scores.Length; i++)
        {
            if (_scores[i].Verdict == FeatureVerdict.Kept)
            {
                kept.Add(i);
            }
        }

        _indices = [.. kept];
        OutputSchema = inputSchema.Select(_indices);
    }

    /// <inheritdoc/>
    public FeatureSchema InputSchema { get; }

    /// <inheritdoc/>
    public FeatureSchema OutputSchema { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Statistics and verdict of every input feature, in input order.</summary>
    public IReadOnlyList<FeatureScore> Scores => _scores;

    /// <summary>The names of the kept features, in order (the output schema's names).</summary>
    public IReadOnlyList<string> SelectedNames => OutputSchema.Names;

    /// <summary>Wraps any fitted selection: its scores are copied when it is a <see cref="FittedSelection"/>, otherwise
    /// kept features get <see cref="FeatureVerdict.Kept"/> and the others <see cref="FeatureVerdict.Dropped"/>.</summary>
    /// <param name="selection">A fitted selection.</param>
    public static FittedSelection From(IFittedSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection is FittedSelection fitted)
        {
            return fitted;
        }

        var scores = new FeatureScore[selection.InputSchema.Count];
        scores.AsSpan().Fill(FeatureScore.Empty(FeatureVerdict.Dropped));
        foreach (int i in selection.Indices)
        {
            scores[i] = FeatureScore.Empty(FeatureVerdict.Kept);
        }

        return new FittedSelection(selection.InputSchema, scores);
    }

    /// <summary>The selection that applies <paramref name="first"/> and then <paramref name="second"/>.</summary>
    /// <remarks>Kept indices map through: <c>result.Indices[j] = first.Indices[second.Indices[j]]</c>. A feature's
    /// statistics are those of the stage that computed them (a later stage's, mapped back, where both did); the
    /// verdict is the first stage's where it dropped the feature, otherwise the second's.</remarks>
    /// <param name="first">Fitted on the original features.</param>
    /// <param name="second">Fitted on the output of <paramref name="first"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="second"/> was not fitted on the output schema of <paramref name="first"/>.</exception>
    public static FittedSelection Compose(IFittedSelection first, IFittedSelection second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        first.OutputSchema.EnsureCompatible(second.InputSchema, "The first stage's output");
        FittedSelection a = From(first);
        FittedSelection b = From(second);
        var scores = new FeatureScore[a.InputSchema.Count];
        a._scores.CopyTo(scores, 0);
        for (int j = 0; j < a._indices.Length; j++)
        {
            int i = a._indices[j];
            FeatureScore s = scores[i];
            FeatureScore t = b._scores[j];
            scores[i] = new FeatureScore(
                double.IsNaN(t.F) ? s.F : t.F,
                double.IsNaN(t.P) ? s.P : t.P,
                double.IsNaN(t.Log10P) ? s.Log10P : t.Log10P,
                double.IsNaN(t.Variance) ? s.Variance : t.Variance,
                t.Verdict);
        }

        return new FittedSelection(a.InputSchema, scores);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The matrix's schema is not <see cref="InputSchema"/>.</exception>
    public FeatureMatrix Transform(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        InputSchema.EnsureCompatible(features.Schema, "The feature selection");
        var result = new FeatureMatrix(features.RowCount, OutputSchema);
        int m = features.ColumnCount;
        int q = _indices.Length;
        ReadOnlySpan<float> source = features.Values;
        Span<float> destination = result.Values;
        ReadOnlySpan<int> indices = _indices;
        for (int r = 0; r < features.RowCount; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * m, m);
            Span<float> outRow = destination.Slice(r * q, q);
            for (int j = 0; j < indices.Length; j++)
            {
                outRow[j] = row[indices[j]];
            }
        }

        return result;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The row is not <c>InputSchema.Count</c> long, or the destination is too short.</exception>
    public void Transform(ReadOnlySpan<float> row, Span<float> destination)
    {
        if (row.Length != InputSchema.Count)
        {
            throw new ArgumentException($"The feature selection expects rows of {InputSchema.Count} features, got {row.Length}.", nameof(row));
        }

        if (destination.Length < _indices.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {_indices.Length} are needed.", nameof(destination));
        }

        ReadOnlySpan<int> indices = _indices;
        for (int j = 0; j < indices.Length; j++)
        {
            destination[j] = row[indices[j]];
        }
    }

    /// <summary>A univariate report of this selection (feature, F, p, kept or why dropped), sorted by F descending.</summary>
    public SelectionReport CreateReport() => new(this);

    /// <summary>Writes the selection in its binary format (see remarks of the type).</summary>
    /// <param name="writer">Destination; left open.</param>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(InputSchema.Count);
        foreach (string name in InputSchema.Names)
        {
            writer.Write(name);
        }

        writer.Write(_indices.Length);
        foreach (int i in _indices)
        {
            writer.Write(i);
        }

        foreach (FeatureScore s in _scores)
        {
            writer.Write(s.F);
            writer.Write(s.P);
            writer.Write(s.Log10P);
            writer.Write(s.Variance);
            writer.Write((byte)s.Verdict);
        }
    }

    /// <summary>Reads a selection written by <see cref="Write"/>.</summary>
    /// <param name="reader">Source, positioned at the magic; left open and positioned after the block.</param>
    /// <exception cref="InvalidDataException">The block is not a fitted selection, of an unknown version, truncated or inconsistent.</exception>
    public static FittedSelection Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("Not a fitted feature selection (bad magic).");
            }

            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Fitted feature selection version {version} is not supported (expected {FormatVersion}).");
            }

            int m = reader.ReadInt32();
            if (m < 0 || m > 10_000_000)
            {
                throw new InvalidDataException($"Fitted feature selection: implausible feature count {m}.");
            }

            var names = new string[m];
            for (int i = 0; i < m; i++)
            {
                names[i] = reader.ReadString();
            }

            int q = reader.ReadInt32();
            if (q < 0 || q > m)
            {
                throw new InvalidDataException($"Fitted feature selection: {q} kept features out of {m}.");
            }

            var indices = new int[q];
            for (int j = 0; j < q; j++)
            {
                indices[j] = reader.ReadInt32();
                if (indices[j] < 0 || indices[j] >= m || (j > 0 && indices[j] <= indices[j - 1]))
                {
                    throw new InvalidDataException($"Fitted feature selection: kept index {indices[j]} is out of range or not ascending.");
                }
            }

            var scores = new FeatureScore[m];
            for (int i = 0; i < m; i++)
            {
                double f = reader.ReadDouble();
                double p = reader.ReadDouble();
                double log10P = reader.ReadDouble();
                double variance = reader.ReadDouble();
                byte verdict = reader.ReadByte();
                if (verdict > (byte)FeatureVerdict.Dropped)
                {
                    throw new InvalidDataException($"Fitted feature selection: unknown verdict {verdict} for feature {i}.");
                }

                scores[i] = new FeatureScore(f, p, log10P, variance, (FeatureVerdict)verdict);
            }

            FeatureSchema schema;
            try
            {
                schema = new FeatureSchema(names);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException("Fitted feature selection: " + e.Message, e);
            }

            var result = new FittedSelection(schema, scores);
            if (!result._indices.AsSpan().SequenceEqual(indices))
            {
                throw new InvalidDataException("Fitted feature selection: the kept indices disagree with the verdicts.");
            }

            return result;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Fitted feature selection is truncated.", e);
        }
    }

    /// <summary>Writes the selection to a file, atomically.</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        Write(writer);
    });

    /// <summary>Reads a selection saved by <see cref="Save"/>.</summary>
    /// <param name="path">Source file.</param>
    /// <exception cref="DataFileException">The file is missing, truncated or not a fitted selection.</exception>
    public static FittedSelection Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
            return Read(reader);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, e.Message, e);
        }
        catch (IOException e)
        {
            throw new DataFileException(path, e.Message, e);
        }
    }
}
