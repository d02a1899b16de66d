using System.Buffers.Binary;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// Walks a TIFF's directories before LibTiff.NET reads them and refuses an entry whose values would lie beyond the end
/// of the file: LibTiff.NET allocates what a directory declares, so a corrupt or hostile count asked it for
/// gigabytes (found by afl++, fuzz/open-findings).
/// </summary>
internal static class TiffDirectoryCheck
{
    private const int MaxDirectories = 4096;

    /// <summary>Throws <see cref="DataFileException"/> when a directory entry cannot fit in the file.</summary>
    /// <param name="path">The TIFF file.</param>
    public static void Validate(string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
        long length = file.Length;
        Span<byte> header = stackalloc byte[16];
        if (RandomAccess.Read(file.SafeFileHandle, header, 0) < 8)
        {
            return; // too short: the caller reports it
        }

        bool little = header[0] == (byte)'I';
        if (!(header[0] == header[1] && (header[0] == (byte)'I' || header[0] == (byte)'M')))
        {
            return; // not a TIFF: LibTiff.NET's own message says so
        }

        ushort version = little ? BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) : BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        bool big = version == 43;
        long next = big ? Read64(header[8..], little) : Read32(header[4..], little);
        int entrySize = big ? 20 : 12, countSize = big ? 8 : 2;
        byte[] entry = new byte[entrySize];
        Span<byte> countBytes = stackalloc byte[8];
        Span<byte> link = stackalloc byte[8];
        for (int d = 0; d < MaxDirectories && next > 0 && next < length; d++)
        {
            countBytes.Clear();
            if (RandomAccess.Read(file.SafeFileHandle, countBytes[..countSize], next) < countSize)
            {
                return;
            }

            long entries = big ? Read64(countBytes, little) : (little ? BinaryPrimitives.ReadUInt16LittleEndian(countBytes) : BinaryPrimitives.ReadUInt16BigEndian(countBytes));
            long first = next + countSize;
            if (entries < 0 || first + (entries * entrySize) > length)
            {
                return; // a truncated directory: LibTiff.NET reports it
            }

            for (long e = 0; e < entries; e++)
            {
                RandomAccess.Read(file.SafeFileHandle, entry, first + (e * entrySize));
                ushort type = little ? BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(2)) : BinaryPrimitives.ReadUInt16BigEndian(entry.AsSpan(2));
                long count = big ? Read64(entry.AsSpan(4), little) : Read32(entry.AsSpan(4), little);
                long size = TypeSize(type);
                if (size == 0 || count < 0)
                {
                    continue; // an unknown type: LibTiff.NET skips the entry
                }

                if (count > length || count * size > length)
                {
                    ushort tag = little ? BinaryPrimitives.ReadUInt16LittleEndian(entry) : BinaryPrimitives.ReadUInt16BigEndian(entry);
                    throw new DataFileException(path, $"corrupt TIFF directory: tag {tag} declares {count} values, more than the file's {length} bytes hold");
                }

            }

            int linkSize = big ? 8 : 4;
            if (RandomAccess.Read(file.SafeFileHandle, link[..linkSize], first + (entries * entrySize)) < linkSize)
            {
                return;
            }

            long following = big ? Read64(link, little) : Read32(link, little);
            if (following == next)
            {
                return;
            }

            next = following;
        }
    }

    private static long TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private static long Read32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static long Read64(ReadOnlySpan<byte> b, bool little)
    {
        ulong v = little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
        return v > long.MaxValue ? -1 : (long)v;
    }
}
