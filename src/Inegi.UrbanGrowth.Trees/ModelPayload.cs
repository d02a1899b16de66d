using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// The pieces both tree model formats share inside their <see cref="FileFrame"/> payload: the feature names, the node
/// arrays written little-endian in one block, counts checked against the payload's length, and opening a model file
/// by path. One copy, so the Extra-Trees and gradient-boosting files cannot drift apart in how they encode the same
/// things.
/// </summary>
internal static class ModelPayload
{
    /// <summary>Writes the feature names: an int32 count, then each name as <see cref="BinaryWriter"/> writes strings.</summary>
    public static void WriteSchema(BinaryWriter w, FeatureSchema schema)
    {
        w.Write(schema.Count);
        foreach (string name in schema.Names)
        {
            w.Write(name);
        }
    }

    /// <summary>Reads what <see cref="WriteSchema"/> wrote.</summary>
    public static FeatureSchema ReadSchema(BinaryReader r, int payloadLength)
    {
        int count = Count(r.ReadInt32(), payloadLength, "feature count");
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = r.ReadString();
        }

        return new FeatureSchema(names);
    }

    /// <summary>Writes 4- or 8-byte values little-endian in one block (the node arrays hold millions of them).</summary>
    public static void WriteArray<T>(BinaryWriter w, T[] values)
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
    public static T[] ReadArray<T>(BinaryReader r, int count)
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

    /// <summary>A count read from the payload, refused when negative or larger than the payload could hold.</summary>
    public static int Count(int value, int payloadLength, string what) =>
        value < 0 || value > payloadLength ? throw new InvalidDataException($"{what} {value} is out of range") : value;

    /// <summary>Opens a model file and reads it with <paramref name="load"/>; a missing file is a <see cref="DataFileException"/>.</summary>
    public static TModel LoadFile<TModel>(string path, Func<Stream, string, TModel> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "model file not found");
        }

        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return load(fs, path);
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
}
