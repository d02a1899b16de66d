using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Inegi.UrbanGrowth;

/// <summary>
/// The frame of every binary file the libraries write: 8 magic bytes that name the kind of file, uint32 format version,
/// uint32 reserved (0), int64 payload length, the payload, then the SHA-256 of the payload. One writer and one reader,
/// so every format reports damage (empty, wrong kind, another version, truncated, corrupt) in the same words, as a
/// <see cref="DataFileException"/> naming the file.
/// </summary>
/// <remarks>
/// The payload is never held in memory to write it: on a seekable stream (a file, <see cref="AtomicFile"/>) it is written
/// once and the length patched into the header; on another stream it is written twice, once to count it
/// (<see cref="HashedPayload"/>). Reading either takes the payload whole (<see cref="Read{T}"/>, for models) or streams
/// it (<see cref="OpenPayload"/>, for tables of any size) and checks the hash at its end.
/// </remarks>
public static class FileFrame
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderLength = 24;

    /// <summary>Bytes after the payload (its SHA-256).</summary>
    public const int ChecksumLength = 32;

    /// <summary>Length of the magic bytes.</summary>
    public const int MagicLength = 8;

    /// <summary>Writes the header, then the payload through an incremental SHA-256, then the hash.</summary>
    /// <param name="stream">Destination, at the frame's start.</param>
    /// <param name="magic">8 magic bytes naming the kind of file.</param>
    /// <param name="version">The payload's format version.</param>
    /// <param name="writePayload">Writes the payload (twice on a stream that cannot seek: it must write the same bytes both times).</param>
    public static void Write(Stream stream, ReadOnlySpan<byte> magic, uint version, Action<Stream> writePayload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(writePayload);
        if (magic.Length != MagicLength)
        {
            throw new ArgumentException($"The magic must be {MagicLength} bytes.", nameof(magic));
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        if (!stream.CanSeek)
        {
            long length = HashedPayload.Measure(writePayload);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], length);
            stream.Write(header);
            stream.Write(HashedPayload.WriteWithSha256(stream, writePayload, length));
            return;
        }

        // Seekable: stream the payload once (a patch table is computed while it is written), then patch its length in.
        long start = stream.Position;
        stream.Write(header);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long payloadLength;
        using (var through = new HashedPayload.CountingStream(stream, hash))
        {
            writePayload(through);
            payloadLength = through.Length;
        }

        byte[] checksum = hash.GetHashAndReset();
        stream.Write(checksum);
        long end = stream.Position;
        stream.Position = start + 16;
        Span<byte> length8 = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length8, payloadLength);
        stream.Write(length8);
        stream.Position = end;
    }

    /// <summary>True when the stream begins with these magic bytes (the position is restored on a seekable stream).</summary>
    /// <param name="path">A file.</param>
    /// <param name="magic">The magic bytes.</param>
    public static bool HasMagic(string path, ReadOnlySpan<byte> magic)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[magic.Length];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(magic);
    }

    /// <summary>
    /// The version field (bytes 8 to 11) of a stream that begins with <paramref name="magic"/>, read without moving
    /// the stream: a format that had a header of its own before it moved onto the frame (the model files) keeps the
    /// version at the same place, so this tells its old versions from the framed ones before either is parsed.
    /// </summary>
    /// <param name="stream">A seekable stream at the file's start; its position is restored.</param>
    /// <param name="magic">The magic bytes.</param>
    /// <returns>The version, or null when the stream is shorter than 12 bytes or begins with other bytes.</returns>
    public static uint? PeekVersion(Stream stream, ReadOnlySpan<byte> magic)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("Peeking at the version needs a seekable stream.", nameof(stream));
        }

        long start = stream.Position;
        Span<byte> head = stackalloc byte[MagicLength + 4];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return got == head.Length && head[..MagicLength].SequenceEqual(magic)
            ? BinaryPrimitives.ReadUInt32LittleEndian(head[MagicLength..])
            : null;
    }

    /// <summary>
    /// Reads and checks the frame, then parses the payload with <paramref name="readPayload"/> (the buffer and the
    /// payload's length in it); every problem is a <see cref="DataFileException"/> naming the source.
    /// </summary>
    /// <typeparam name="T">What the payload parses to.</typeparam>
    /// <param name="stream">The stream, at the frame's start.</param>
    /// <param name="sourceName">The name for errors; the file name of a <see cref="FileStream"/> when null.</param>
    /// <param name="magic">The expected magic bytes.</param>
    /// <param name="version">The only version read.</param>
    /// <param name="what">The kind of file in messages, e.g. "Extra-Trees model".</param>
    /// <param name="article">"a" or "an" before <paramref name="what"/>.</param>
    /// <param name="readPayload">Parses the payload.</param>
    public static T Read<T>(Stream stream, string? sourceName, ReadOnlySpan<byte> magic, uint version, string what, string article, Func<byte[], int, T> readPayload)
    {
        ArgumentNullException.ThrowIfNull(readPayload);
        string name = sourceName ?? (stream as FileStream)?.Name ?? "<stream>";
        (_, long payloadLength) = ReadHeader(stream, name, magic, [version], what, article);
        if (payloadLength > int.MaxValue - ChecksumLength)
        {
            throw new DataFileException(name, $"corrupt {what}: payload length {payloadLength} is impossible");
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

    /// <summary>
    /// Checks the header and returns the payload as a read-only stream that hashes what is read: read the payload
    /// (all of it), then call <see cref="FramedPayloadStream.VerifyChecksum"/>. For payloads too large to hold at once.
    /// </summary>
    /// <param name="stream">The stream, at the frame's start (it stays owned by the caller).</param>
    /// <param name="sourceName">The name for errors.</param>
    /// <param name="magic">The expected magic bytes.</param>
    /// <param name="versions">The versions read.</param>
    /// <param name="what">The kind of file in messages, e.g. "patch table".</param>
    /// <param name="article">"a" or "an" before <paramref name="what"/>.</param>
    /// <exception cref="DataFileException">Empty, wrong magic, another version, or shorter than the header announces.</exception>
    public static FramedPayloadStream OpenPayload(Stream stream, string sourceName, ReadOnlySpan<byte> magic, ReadOnlySpan<uint> versions, string what, string article)
    {
        (uint version, long length) = ReadHeader(stream, sourceName, magic, versions, what, article);
        return new FramedPayloadStream(stream, sourceName, what, version, length);
    }

    private static (uint Version, long PayloadLength) ReadHeader(Stream stream, string name, ReadOnlySpan<byte> magic, ReadOnlySpan<uint> versions, string what, string article)
    {
        ArgumentNullException.ThrowIfNull(stream);
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
        if (!versions.Contains(found))
        {
            string supported = versions.Length == 1 ? $"version {versions[0]}" : $"versions {string.Join(", ", versions.ToArray())}";
            throw new DataFileException(name, $"{what} format version {found} is not supported (this library reads {supported})");
        }

        long payloadLength = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16));
        if (payloadLength < 0)
        {
            throw new DataFileException(name, $"corrupt {what}: payload length {payloadLength} is impossible");
        }

        // Check the declared length against what the file holds before allocating it: a damaged header must be a
        // one-line error, not an out-of-memory abort.
        if (stream.CanSeek && payloadLength + ChecksumLength > stream.Length - stream.Position)
        {
            throw new DataFileException(name, $"truncated {what}: the header announces {HeaderLength + payloadLength + ChecksumLength} bytes, the file holds {stream.Length - stream.Position + HeaderLength}");
        }

        return (found, payloadLength);
    }
}

/// <summary>
/// The payload of a <see cref="FileFrame"/> as a read-only stream that ends where the payload ends and hashes what is
/// read; <see cref="VerifyChecksum"/> then compares the hash with the file's.
/// </summary>
public sealed class FramedPayloadStream : Stream
{
    private readonly Stream _source;
    private readonly string _name;
    private readonly string _what;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    internal FramedPayloadStream(Stream source, string name, string what, uint version, long length)
    {
        _source = source;
        _name = name;
        _what = what;
        Version = version;
        Length = length;
    }

    /// <summary>The format version in the header.</summary>
    public uint Version { get; }

    /// <summary>The payload's length in bytes.</summary>
    public override long Length { get; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <summary>Bytes of the payload read so far.</summary>
    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, Length - _read);
        if (want <= 0)
        {
            return 0;
        }

        int got = _source.Read(buffer[..want]);
        if (got == 0)
        {
            throw new DataFileException(_name, $"truncated {_what}: the payload ends after {_read} of {Length} bytes");
        }

        _hash.AppendData(buffer[..got]);
        _read += got;
        return got;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Checks that the whole payload was read and that its SHA-256 is the one after it in the file.</summary>
    /// <exception cref="DataFileException">Payload left unread, a missing checksum or a checksum mismatch.</exception>
    public void VerifyChecksum()
    {
        if (_read != Length)
        {
            throw new DataFileException(_name, $"corrupt {_what}: the payload holds {Length - _read} bytes after its content");
        }

        Span<byte> stored = stackalloc byte[FileFrame.ChecksumLength];
        if (_source.ReadAtLeast(stored, stored.Length, throwOnEndOfStream: false) < stored.Length)
        {
            throw new DataFileException(_name, $"truncated {_what}: the SHA-256 checksum is missing");
        }

        if (!_hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
        {
            throw new DataFileException(_name, $"corrupt {_what}: SHA-256 checksum mismatch");
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
