using System.Security.Cryptography;

namespace Inegi.UrbanGrowth;

/// <summary>
/// Writes a file section of the form <c>length, payload, SHA-256(payload)</c> without holding the payload in memory:
/// the payload is written twice, once to count its bytes and once to the destination through the hash.
/// </summary>
/// <remarks>
/// A fitted forest is tens of MB; buffering it (and growing the buffer) to learn its length first costs more than
/// serialising it twice, since the serialisation writes whole arrays at a time. The callback must write the same
/// bytes on both calls.
/// </remarks>
public static class HashedPayload
{
    /// <summary>The number of bytes <paramref name="write"/> produces.</summary>
    /// <param name="write">Writes the payload.</param>
    /// <returns>The payload's length in bytes.</returns>
    public static long Measure(Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var counter = new CountingStream(null, null);
        write(counter);
        return counter.Length;
    }

    /// <summary>Writes the payload to <paramref name="destination"/> and returns its SHA-256.</summary>
    /// <param name="destination">Where the payload goes.</param>
    /// <param name="write">Writes the payload.</param>
    /// <param name="expectedLength">The length <see cref="Measure"/> gave; a different length is a bug in the caller.</param>
    /// <returns>The 32-byte SHA-256 of the payload.</returns>
    /// <exception cref="InvalidOperationException">The callback wrote a different number of bytes than measured.</exception>
    public static byte[] WriteWithSha256(Stream destination, Action<Stream> write, long expectedLength)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(write);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var through = new CountingStream(destination, hash))
        {
            write(through);
            if (through.Length != expectedLength)
            {
                throw new InvalidOperationException($"The payload wrote {through.Length} bytes after measuring {expectedLength}.");
            }
        }

        return hash.GetHashAndReset();
    }

    /// <summary>A write-only stream that counts, and optionally hashes and forwards, what is written (also the hashing
    /// pass of <see cref="FileFrame.Write"/>).</summary>
    internal sealed class CountingStream(Stream? destination, IncrementalHash? hash) : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            hash?.AppendData(buffer);
            destination?.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => destination?.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
