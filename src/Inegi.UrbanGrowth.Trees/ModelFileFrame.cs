using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>
/// The frame both model files share: 8 magic bytes, uint32 format version, uint32 reserved (0), int64 payload length,
/// the payload, then its SHA-256. One reader, so the two formats report damage in the same words.
/// </summary>
internal static class ModelFileFrame
{
    public const int HeaderLength = 24;
    public const int ChecksumLength = 32;

    /// <summary>Writes the header, then the payload through an incremental SHA-256, then the hash.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> magic, uint version, Action<Stream> writePayload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long length = HashedPayload.Measure(writePayload);
        Span<byte> header = stackalloc byte[HeaderLength];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], length);
        stream.Write(header);
        stream.Write(HashedPayload.WriteWithSha256(stream, writePayload, length));
    }

    /// <summary>
    /// Reads and checks the frame, then parses the payload with <paramref name="readPayload"/> (the buffer and the
    /// payload's length in it); every problem is a <see cref="DataFileException"/> naming the source.
    /// </summary>
    /// <param name="stream">The stream, at the frame's start.</param>
    /// <param name="sourceName">The name for errors; the file name of a <see cref="FileStream"/> when null.</param>
    /// <param name="magic">The expected magic bytes.</param>
    /// <param name="version">The only version read.</param>
    /// <param name="what">The kind of file in messages, e.g. "Extra-Trees model".</param>
    /// <param name="article">"a" or "an" before <paramref name="what"/>.</param>
    /// <param name="readPayload">Parses the payload.</param>
    public static T Read<T>(Stream stream, string? sourceName, ReadOnlySpan<byte> magic, uint version, string what, string article, Func<byte[], int, T> readPayload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string name = sourceName ?? (stream as FileStream)?.Name ?? "<stream>";
        byte[] header = new byte[HeaderLength];
        int got = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        int magicBytes = Math.Min(got, magic.Length);
        if (got == 0)
        {
            throw new DataFileException(name, $"empty file, not {article} {what}");
        }

        if (!header.AsSpan(0, magicBytes).SequenceEqual(magic[..magicBytes]))
        {
            throw new DataFileException(name, $"not an Inegi.UrbanGrowth {what} (wrong magic bytes)");
        }

        if (got < HeaderLength)
        {
            throw new DataFileException(name, $"truncated {what}: {got} bytes, shorter than the {HeaderLength}-byte header");
        }

        uint found = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        if (found != version)
        {
            throw new DataFileException(name, $"{what} format version {found} is not supported (this library reads version {version})");
        }

        long payloadLength = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16));
        if (payloadLength < 0 || payloadLength > int.MaxValue - ChecksumLength)
        {
            throw new DataFileException(name, $"corrupt {what}: payload length {payloadLength} is impossible");
        }

        // Check the declared length against what the file holds before allocating it: a damaged header must be a
        // one-line error, not an out-of-memory abort.
        if (stream.CanSeek && payloadLength + ChecksumLength > stream.Length - stream.Position)
        {
            throw new DataFileException(name, $"truncated {what}: the header announces {HeaderLength + payloadLength + ChecksumLength} bytes, the file holds {stream.Length - stream.Position + HeaderLength}");
        }

        byte[] rest = new byte[payloadLength + ChecksumLength];
        int read = stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false);
        if (read < rest.Length)
        {
            throw new DataFileException(name, $"truncated {what}: expected {HeaderLength + rest.Length} bytes, got {HeaderLength + read}");
        }

        if (!SHA256.HashData(rest.AsSpan(0, (int)payloadLength)).AsSpan().SequenceEqual(rest.AsSpan((int)payloadLength)))
        {
            throw new DataFileException(name, $"corrupt {what}: SHA-256 checksum mismatch");
        }

        try
        {
            return readPayload(rest, (int)payloadLength);
        }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException or InvalidDataException or OverflowException)
        {
            throw new DataFileException(name, $"corrupt {what}: " + e.Message, e);
        }
    }
}
