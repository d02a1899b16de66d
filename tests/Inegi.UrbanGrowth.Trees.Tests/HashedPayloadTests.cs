using System.Security.Cryptography;

namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>The measure-then-stream writer that model files use (Core's <see cref="HashedPayload"/>).</summary>
public sealed class HashedPayloadTests
{
    private static void Payload(Stream s)
    {
        using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write("ñandú");
        w.Write(42);
        s.WriteByte(7);
        var big = new byte[3_000_000];
        new Random(5).NextBytes(big);
        w.Write(big);
    }

    [Fact]
    public void MeasureThenWrite_SameBytesAsBuffering_AndTheirSha256()
    {
        using var buffered = new MemoryStream();
        Payload(buffered);
        byte[] expected = buffered.ToArray();

        long length = HashedPayload.Measure(Payload);
        using var destination = new MemoryStream();
        byte[] hash = HashedPayload.WriteWithSha256(destination, Payload, length);

        Assert.Equal(expected.Length, length);
        Assert.Equal(expected, destination.ToArray());
        Assert.Equal(SHA256.HashData(expected), hash);
    }

    [Fact]
    public void WriteWithSha256_LengthDiffersFromMeasure_Throws()
    {
        long length = HashedPayload.Measure(Payload);
        var e = Assert.Throws<InvalidOperationException>(() => HashedPayload.WriteWithSha256(Stream.Null, Payload, length + 1));
        Assert.Contains($"{length} bytes", e.Message, StringComparison.Ordinal);
    }
}
