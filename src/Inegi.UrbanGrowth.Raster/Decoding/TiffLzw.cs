namespace Inegi.UrbanGrowth.Raster.Decoding;

/// <summary>
/// Decodes TIFF LZW (TIFF 6.0 section 13, the "new" MSB-first codes that libtiff and GDAL write): codes of 9 to 12
/// bits, 256 = clear, 257 = end of information, the code width growing one code early (after code 2^n - 2 is added).
/// </summary>
/// <remarks>
/// Strings are kept as (prefix code, last byte, length, first byte) and written backwards straight into the
/// destination, so nothing is allocated per code. The "old" LSB-first codes of libtiff before 1995 are detected by
/// <see cref="IsOldStyle"/> and left to LibTiff.NET.
/// </remarks>
internal static class TiffLzw
{
    private const int Clear = 256, EndOfInformation = 257, FirstFree = 258, MaxCodes = 4096;

    /// <summary>Whether the data starts as libtiff's old-style (LSB-first) LZW, as libtiff detects it.</summary>
    public static bool IsOldStyle(ReadOnlySpan<byte> source) => source.Length >= 2 && source[0] == 0 && (source[1] & 1) != 0;

    /// <summary>
    /// Decodes into <paramref name="destination"/>; returns the bytes written (at most the destination's length: as
    /// libtiff, output beyond the block is dropped), or -1 when the codes are corrupt.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Span<short> prefix = stackalloc short[MaxCodes];
        Span<byte> suffix = stackalloc byte[MaxCodes];
        Span<byte> first = stackalloc byte[MaxCodes];
        Span<short> length = stackalloc short[MaxCodes];
        for (int c = 0; c < 256; c++)
        {
            prefix[c] = -1;
            suffix[c] = (byte)c;
            first[c] = (byte)c;
            length[c] = 1;
        }

        int width = 9, next = FirstFree, previous = -1, written = 0, position = 0;
        ulong bits = 0;
        int bitCount = 0;
        while (written < destination.Length)
        {
            while (bitCount < width)
            {
                if (position >= source.Length)
                {
                    // Out of codes without an end code: libtiff stops there too, with what it has.
                    return written;
                }

                bits = (bits << 8) | source[position++];
                bitCount += 8;
            }

            int code = (int)((bits >> (bitCount - width)) & ((1u << width) - 1));
            bitCount -= width;
            if (code == EndOfInformation)
            {
                break;
            }

            if (code == Clear)
            {
                width = 9;
                next = FirstFree;
                previous = -1;
                continue;
            }

            if (previous < 0)
            {
                if (code >= 256)
                {
                    return -1;
                }

                destination[written++] = (byte)code;
                previous = code;
                continue;
            }

            int emitted;
            byte head;
            if (code < next)
            {
                emitted = length[code];
                head = first[code];
                Emit(code, emitted, prefix, suffix, destination, written);
            }
            else if (code == next && next < MaxCodes)
            {
                // KwKwK: the string of the previous code plus its own first byte.
                emitted = length[previous] + 1;
                head = first[previous];
                Emit(previous, emitted - 1, prefix, suffix, destination, written);
                if (written + emitted - 1 < destination.Length)
                {
                    destination[written + emitted - 1] = head;
                }
            }
            else
            {
                return -1;
            }

            if (next < MaxCodes)
            {
                prefix[next] = (short)previous;
                suffix[next] = head;
                first[next] = first[previous];
                length[next] = (short)Math.Min(length[previous] + 1, short.MaxValue);
                next++;
                if (next >= (1 << width) - 1 && width < 12)
                {
                    width++;
                }
            }

            written = Math.Min(written + emitted, destination.Length);
            previous = code;
        }

        return written;
    }

    /// <summary>Writes the <paramref name="count"/> bytes of a code's string at <paramref name="at"/>, clipped to the destination.</summary>
    private static void Emit(int code, int count, ReadOnlySpan<short> prefix, ReadOnlySpan<byte> suffix, Span<byte> destination, int at)
    {
        int position = at + count - 1;
        while (code >= 0)
        {
            if (position < destination.Length)
            {
                destination[position] = suffix[code];
            }

            position--;
            code = prefix[code];
        }
    }
}
