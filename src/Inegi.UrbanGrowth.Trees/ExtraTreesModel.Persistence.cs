using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>Saving and loading the versioned binary model format.</summary>
/// <remarks>
/// Layout (all integers and floats little-endian; strings UTF-8 with a 7-bit-encoded length prefix, as
/// <see cref="BinaryWriter"/> writes them):
/// <code>
/// header   8 bytes  magic "IUGXTREE" (ASCII)
///          4        format version (uint32) = 1
///          4        reserved (0)
///          8        payload length L (int64)
/// payload  L bytes:
///          int32    feature count F, then F strings (schema names in order)
///          int32    class count K
///          options: int32 TreeCount; byte MaxFeatures kind; float64 MaxFeatures value; int32 MaxDepth (-1 = none);
///                   int32 MinSamplesSplit; int32 MinSamplesLeaf; byte ClassWeight kind; int32 W; W x float64 weights;
///                   int32 Seed   (MaxDegreeOfParallelism is not stored: it never changes the model)
///          int32    resolved max features
///          K x int64 class counts; K x float64 class priors
///          F x float64 feature importances
///          int32    tree count T; T x int32 root node index
///          int32    node count N; N x int32 feature (-1 leaf); N x float32 threshold; N x int32 child
///          int32    value count V; V x float32 leaf class fractions
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// A loader refuses a file whose magic differs (not a model), whose version is not 1, that is shorter than the
/// header says (truncated), whose checksum differs (corrupt), or whose payload is inconsistent.
/// </remarks>
public sealed partial class ExtraTreesModel
{
    /// <summary>The current format version.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "IUGXTREE"u8;

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
    /// <exception cref="DataFileException">Missing, not a model, another format version, truncated, or corrupt.</exception>
    public static ExtraTreesModel Load(string path)
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
    /// <exception cref="DataFileException">Not a model, another format version, truncated, or corrupt.</exception>
    public static ExtraTreesModel Load(Stream stream, string? sourceName = null) =>
        FileFrame.Read(stream, sourceName, Magic, FormatVersion, "Extra-Trees model", "an", ReadPayload);

    private void WritePayload(Stream destination)
    {
        using (var w = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Schema.Count);
            foreach (string s in Schema.Names)
            {
                w.Write(s);
            }

            w.Write(ClassCount);
            w.Write(Options.TreeCount);
            w.Write((byte)Options.MaxFeatures.Kind);
            w.Write(Options.MaxFeatures.Value);
            w.Write(Options.MaxDepth ?? -1);
            w.Write(Options.MinSamplesSplit);
            w.Write(Options.MinSamplesLeaf);
            w.Write((byte)Options.ClassWeight.Kind);
            w.Write(Options.ClassWeight.Weights.Count);
            foreach (double cw in Options.ClassWeight.Weights)
            {
                w.Write(cw);
            }

            w.Write(Options.Seed);
            w.Write(ResolvedMaxFeatures);
            foreach (long c in _classCounts)
            {
                w.Write(c);
            }

            foreach (double p in _classPriors)
            {
                w.Write(p);
            }

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

            w.Write(_values.Length);
            WriteArray(w, _values);
        }
    }

    /// <summary>Writes 4-byte values little-endian in one block (the node arrays hold millions of them).</summary>
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
        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(swapped), MemoryMarshal.Cast<byte, int>(swapped.AsSpan()));
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
            Span<int> words = MemoryMarshal.Cast<byte, int>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return values;
    }

    private static ExtraTreesModel ReadPayload(byte[] buffer, int length)
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
        int k = r.ReadInt32();
        if (k < 2 || k > 255)
        {
            throw new InvalidDataException($"class count {k} is out of range");
        }

        int treeCount = r.ReadInt32();
        var mfKind = (MaxFeaturesKind)r.ReadByte();
        double mfValue = r.ReadDouble();
        int maxDepth = r.ReadInt32();
        int minSplit = r.ReadInt32();
        int minLeaf = r.ReadInt32();
        var cwKind = (ClassWeightKind)r.ReadByte();
        int cwCount = Count(r.ReadInt32(), length, "class weight count");
        var cws = new double[cwCount];
        for (int i = 0; i < cwCount; i++)
        {
            cws[i] = r.ReadDouble();
        }

        int seed = r.ReadInt32();
        var options = new ExtraTreesOptions
        {
            TreeCount = treeCount,
            MaxFeatures = new MaxFeatures(mfKind, mfValue),
            MaxDepth = maxDepth < 0 ? null : maxDepth,
            MinSamplesSplit = minSplit,
            MinSamplesLeaf = minLeaf,
            ClassWeight = cwKind switch
            {
                ClassWeightKind.None => ClassWeight.None,
                ClassWeightKind.Balanced => ClassWeight.Balanced,
                ClassWeightKind.Explicit => ClassWeight.Explicit(cws),
                _ => throw new InvalidDataException($"class weight kind {(int)cwKind} is unknown"),
            },
            Seed = seed,
        };
        options.Validate();
        int resolved = r.ReadInt32();
        var counts = new long[k];
        for (int c = 0; c < k; c++)
        {
            counts[c] = r.ReadInt64();
        }

        var priors = new double[k];
        for (int c = 0; c < k; c++)
        {
            priors[c] = r.ReadDouble();
        }

        var importances = new double[nf];
        for (int f = 0; f < nf; f++)
        {
            importances[f] = r.ReadDouble();
        }

        int t = Count(r.ReadInt32(), length, "tree count");
        if (t != treeCount)
        {
            throw new InvalidDataException($"{t} trees stored but the options say {treeCount}");
        }

        int[] roots = ReadArray<int>(r, t);

        int n = Count(r.ReadInt32(), length, "node count");
        int[] feature = ReadArray<int>(r, n);
        float[] threshold = ReadArray<float>(r, n);
        int[] child = ReadArray<int>(r, n);

        int v = Count(r.ReadInt32(), length, "value count");
        float[] values = ReadArray<float>(r, v);

        if (ms.Position != length)
        {
            throw new InvalidDataException($"{length - ms.Position} unexpected bytes after the trees");
        }

        Validate(nf, k, roots, feature, child, v);
        return new ExtraTreesModel(schema, k, options, resolved, counts, priors, importances, roots, feature, threshold, child, values);
    }

    private static int Count(int value, int payloadLength, string what) =>
        value < 0 || value > payloadLength ? throw new InvalidDataException($"{what} {value} is out of range") : value;

    /// <summary>Checks that every tree is a well-formed tree inside its node range (children after parents, leaves inside the value array).</summary>
    private static void Validate(int nf, int k, int[] roots, int[] feature, int[] child, int valueCount)
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
            if (start < 0 || end > n || end <= start)
            {
                throw new InvalidDataException($"tree {t} has no nodes inside the {n} stored");
            }

            for (int i = start; i < end; i++)
            {
                int f = feature[i];
                if (f >= nf || f < -1)
                {
                    throw new InvalidDataException($"node {i} splits on feature {f} of {nf}");
                }

                if (f >= 0 ? (child[i] <= i || child[i] + 1 >= end) : (child[i] < 0 || child[i] > valueCount - k))
                {
                    throw new InvalidDataException($"node {i} points outside its tree");
                }
            }
        }
    }
}
