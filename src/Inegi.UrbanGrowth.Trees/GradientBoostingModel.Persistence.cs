using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>Saving and loading the versioned binary model format.</summary>
/// <remarks>
/// Layout (all integers and floats little-endian; strings UTF-8 with a 7-bit-encoded length prefix, as
/// <see cref="BinaryWriter"/> writes them):
/// <code>
/// header   8 bytes  magic "IUGHGBDT" (ASCII)
///          4        format version (uint32) = 1
///          4        reserved (0)
///          8        payload length L (int64)
/// payload  L bytes:
///          int32    feature count F, then F strings (schema names in order)
///          options: int32 MaxIterations; float64 LearningRate; int32 MaxLeafNodes; int32 MinSamplesLeaf;
///                   float64 L2Regularization; int32 MaxBins; int32 Seed
///                   (MaxDegreeOfParallelism is not stored: it never changes the model)
///          float64  baseline raw score
///          F x float64 feature importances
///          int32    tree count T (= MaxIterations); T x int32 root node index
///          int32    node count N; N x int32 feature (-1 leaf); N x float32 threshold; N x int32 child (-1 leaf);
///                   N x float64 value (leaf value, 0 for split nodes)
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// A loader refuses a file whose magic differs (not a model), whose version is not 1, that is shorter than the
/// header says (truncated), whose checksum differs (corrupt), or whose payload is inconsistent.
/// </remarks>
public sealed partial class GradientBoostingModel
{
    /// <summary>The current format version.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "IUGHGBDT"u8;

    /// <summary>Writes the model in the versioned binary format (see the type's remarks and docs/trees.md).</summary>
    /// <param name="stream">A writable stream.</param>
    public void Save(Stream stream) => FileFrame.Write(stream, Magic, FormatVersion, WritePayload);

    /// <summary>Writes the model to a file atomically (temporary file in the same folder, then rename; <see cref="AtomicFile"/>).</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Save);
    }

    /// <summary>Reads a model file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="DataFileException">Missing, empty, not a gradient-boosting model, another format version, truncated, or corrupt.</exception>
    public static GradientBoostingModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "model file not found");
        }

        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(fs, path);
    }

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="stream">A readable stream positioned at the model.</param>
    /// <param name="sourceName">The name used in errors; defaults to the file name of a <see cref="FileStream"/>.</param>
    /// <returns>The model.</returns>
    /// <exception cref="DataFileException">Empty, not a gradient-boosting model, another format version, truncated, or corrupt.</exception>
    public static GradientBoostingModel Load(Stream stream, string? sourceName = null) =>
        FileFrame.Read(stream, sourceName, Magic, FormatVersion, "gradient-boosting model", "a", ReadPayload);

    private void WritePayload(Stream destination)
    {
        using var w = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        w.Write(Schema.Count);
        foreach (string s in Schema.Names)
        {
            w.Write(s);
        }

        w.Write(Options.MaxIterations);
        w.Write(Options.LearningRate);
        w.Write(Options.MaxLeafNodes);
        w.Write(Options.MinSamplesLeaf);
        w.Write(Options.L2Regularization);
        w.Write(Options.MaxBins);
        w.Write(Options.Seed);
        w.Write(BaselineScore);
        foreach (double v in _importances)
        {
            w.Write(v);
        }

        w.Write(_roots.Length);
        WriteArray(w, _roots);
        w.Write(_feature.Length);
        WriteArray(w, _feature);
        WriteArray(w, _threshold);
        WriteArray(w, _child);
        WriteArray(w, _value);
    }

    /// <summary>Writes 4- or 8-byte values little-endian in one block.</summary>
    private static void WriteArray<T>(BinaryWriter w, T[] values)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (BitConverter.IsLittleEndian)
        {
            w.Write(bytes);
            return;
        }

        byte[] swapped = bytes.ToArray();
        Swap<T>(swapped);
        w.Write(swapped);
    }

    /// <summary>Reads what <see cref="WriteArray{T}"/> wrote; a short payload is an <see cref="EndOfStreamException"/>.</summary>
    private static T[] ReadArray<T>(BinaryReader r, int count)
        where T : unmanaged
    {
        var values = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException($"the payload ends inside an array of {count} values");
        }

        if (!BitConverter.IsLittleEndian)
        {
            Swap<T>(bytes);
        }

        return values;
    }

    private static void Swap<T>(Span<byte> bytes)
        where T : unmanaged
    {
        if (Marshal.SizeOf<T>() == 8)
        {
            Span<long> words = MemoryMarshal.Cast<byte, long>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else
        {
            Span<int> words = MemoryMarshal.Cast<byte, int>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    private static GradientBoostingModel ReadPayload(byte[] buffer, int length)
    {
        using var ms = new MemoryStream(buffer, 0, length, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        int nf = Count(r.ReadInt32(), length, "feature count");
        var names = new string[nf];
        for (int i = 0; i < nf; i++)
        {
            names[i] = r.ReadString();
        }

        var schema = new FeatureSchema(names);
        var options = new GradientBoostingOptions
        {
            MaxIterations = r.ReadInt32(),
            LearningRate = r.ReadDouble(),
            MaxLeafNodes = r.ReadInt32(),
            MinSamplesLeaf = r.ReadInt32(),
            L2Regularization = r.ReadDouble(),
            MaxBins = r.ReadInt32(),
            Seed = r.ReadInt32(),
        };
        options.Validate();
        double baseline = r.ReadDouble();
        if (!double.IsFinite(baseline))
        {
            throw new InvalidDataException($"baseline score {baseline} is not finite");
        }

        var importances = new double[nf];
        for (int f = 0; f < nf; f++)
        {
            importances[f] = r.ReadDouble();
        }

        int t = Count(r.ReadInt32(), length, "tree count");
        if (t != options.MaxIterations)
        {
            throw new InvalidDataException($"{t} trees stored but the options say {options.MaxIterations}");
        }

        int[] roots = ReadArray<int>(r, t);
        int n = Count(r.ReadInt32(), length, "node count");
        int[] feature = ReadArray<int>(r, n);
        float[] threshold = ReadArray<float>(r, n);
        int[] child = ReadArray<int>(r, n);
        double[] value = ReadArray<double>(r, n);
        if (ms.Position != length)
        {
            throw new InvalidDataException($"{length - ms.Position} unexpected bytes after the trees");
        }

        Validate(nf, roots, feature, threshold, child, value);
        return new GradientBoostingModel(schema, options, baseline, importances, roots, feature, threshold, child, value);
    }

    private static int Count(int value, int payloadLength, string what) =>
        value < 0 || value > payloadLength ? throw new InvalidDataException($"{what} {value} is out of range") : value;

    /// <summary>Checks that every tree is a well-formed tree inside its node range (children after parents, finite numbers).</summary>
    private static void Validate(int nf, int[] roots, int[] feature, float[] threshold, int[] child, double[] value)
    {
        int n = feature.Length;
        if (roots.Length == 0 || roots[0] != 0)
        {
            throw new InvalidDataException("the first tree does not start at node 0");
        }

        for (int t = 0; t < roots.Length; t++)
        {
            int start = roots[t];
            int end = t + 1 < roots.Length ? roots[t + 1] : n;
            if (end <= start || end > n)
            {
                throw new InvalidDataException($"tree {t} has no nodes");
            }

            for (int i = start; i < end; i++)
            {
                int f = feature[i];
                if (f >= nf || f < -1)
                {
                    throw new InvalidDataException($"node {i} splits on feature {f} of {nf}");
                }

                bool ok = f >= 0
                    ? child[i] > i && child[i] + 1 < end && !float.IsNaN(threshold[i]) && value[i] == 0
                    : child[i] == -1 && double.IsFinite(value[i]);
                if (!ok)
                {
                    throw new InvalidDataException($"node {i} points outside its tree or holds an impossible value");
                }
            }
        }
    }
}
