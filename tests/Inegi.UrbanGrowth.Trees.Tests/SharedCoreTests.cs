using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Trees.Tests;

/// <summary>
/// Core pieces the tree models rest on (issue 17 points 3 and 4): the remapped forests that read the selection's input
/// columns in place, feature matrices over pooled buffers, the one seeded generator and the one file frame.
/// </summary>
public sealed class SharedCoreTests
{
    /// <summary>A narrow training matrix of 6 features and a wide one of 15 columns holding them at <see cref="Columns"/>.</summary>
    private static readonly int[] Columns = [1, 4, 5, 9, 11, 14];

    private static (FeatureMatrix Narrow, FeatureMatrix Wide, byte[] Labels) Data(int rows, int seed)
    {
        var narrowSchema = new FeatureSchema(Columns.Select(c => $"c{c}"));
        var wideSchema = new FeatureSchema(Enumerable.Range(0, 15).Select(c => $"c{c}"));
        var random = new Random(seed);
        var narrow = new FeatureMatrix(rows, narrowSchema);
        var wide = new FeatureMatrix(rows, wideSchema);
        byte[] labels = new byte[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 15; c++)
            {
                wide[r, c] = (float)random.NextDouble();
            }

            for (int j = 0; j < Columns.Length; j++)
            {
                narrow[r, j] = wide[r, Columns[j]];
            }

            labels[r] = (byte)(narrow[r, 0] + narrow[r, 3] + (0.3 * random.NextDouble()) > 1.1 ? 1 : 0);
        }

        return (narrow, wide, labels);
    }

    [Fact]
    public void ExtraTrees_ReadingColumnsOf_WideRowsGiveTheNarrowProbabilitiesBitForBit()
    {
        (FeatureMatrix narrow, _, byte[] labels) = Data(400, 1);
        ExtraTreesModel model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 25, Seed = 3 }).Fit(narrow, labels, TestContext.Current.CancellationToken);
        (FeatureMatrix test, FeatureMatrix wide, _) = Data(20_000, 2); // more rows than one parallel block
        IClassifierModel remapped = model.ReadingColumnsOf(wide.Schema, Columns);
        Assert.Equal(wide.Schema, remapped.Schema);
        float[] expected = model.PredictProbabilities(test);
        float[] actual = new float[expected.Length];
        remapped.PredictProbabilities(wide, actual);
        Assert.Equal(expected, actual);
        Assert.Contains(expected, p => p is > 0.2f and < 0.8f);
    }

    [Fact]
    public void GradientBoosting_ReadingColumnsOf_WideRowsGiveTheNarrowProbabilitiesBitForBit()
    {
        (FeatureMatrix narrow, _, byte[] labels) = Data(400, 4);
        GradientBoostingModel model = new GradientBoostingLearner(new GradientBoostingOptions { MaxIterations = 30, Seed = 5 }).Fit(narrow, labels, TestContext.Current.CancellationToken);
        (FeatureMatrix test, FeatureMatrix wide, _) = Data(3000, 6);
        IClassifierModel remapped = model.ReadingColumnsOf(wide.Schema, Columns);
        float[] expected = model.PredictProbabilities(test);
        float[] actual = new float[expected.Length];
        remapped.PredictProbabilities(wide, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ReadingColumnsOf_ColumnsThatDoNotNameTheFeatures_AreRefused()
    {
        (FeatureMatrix narrow, FeatureMatrix wide, byte[] labels) = Data(200, 7);
        ExtraTreesModel model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 3, Seed = 1 }).Fit(narrow, labels, TestContext.Current.CancellationToken);
        Assert.Contains("is 'c2', but the model's feature 1 is 'c4'", Assert.Throws<ArgumentException>(() => model.ReadingColumnsOf(wide.Schema, [1, 2, 5, 9, 11, 14])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.ReadingColumnsOf(wide.Schema, [1, 4, 5]));
        Assert.Throws<ArgumentException>(() => model.ReadingColumnsOf(wide.Schema, [1, 4, 5, 9, 11, 15]));
    }

    [Fact]
    public void FeatureMatrix_OverBuffer_UsesOnlyTheFrontOfALongerBuffer()
    {
        var schema = new FeatureSchema(["a", "b", "c"]);
        float[] buffer = System.Buffers.ArrayPool<float>.Shared.Rent(100);
        try
        {
            buffer.AsSpan().Fill(-1);
            FeatureMatrix m = FeatureMatrix.OverBuffer(buffer, 4, schema);
            Assert.Equal(12, m.Values.Length);
            Assert.Equal(12, m.ValuesMemory.Length);
            m[3, 2] = 7;
            Assert.Equal(7, buffer[11]);
            Assert.Equal([-1f, -1f, 7f], m.Row(3).ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(4).ToArray());
            Assert.Throws<ArgumentException>(() => FeatureMatrix.OverBuffer(new float[11], 4, schema));
            Assert.Throws<ArgumentException>(() => new FeatureMatrix(new float[13], 4, schema)); // the exact-length constructor stays exact
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        }
    }

    [Fact]
    public void SplitMix64_StreamAndHashes_MatchAnIndependentPythonImplementation()
    {
        var g = new SplitMix64(20261207);
        string ours = string.Join(' ', Enumerable.Range(0, 5).Select(_ => g.Next().ToString(CultureInfo.InvariantCulture)))
            + " " + SplitMix64.Hash(12345).ToString(CultureInfo.InvariantCulture)
            + " " + SplitMix64.Hash(7, 3).ToString(CultureInfo.InvariantCulture)
            + " " + new SplitMix64(1).NextDouble().ToString("R", CultureInfo.InvariantCulture);
        string python = Oracles.RunPython("""
            M = (1 << 64) - 1
            def mix(z):
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
                return z ^ (z >> 31)
            s = 20261207
            out = []
            for _ in range(5):
                s = (s + 0x9E3779B97F4A7C15) & M
                out.append(mix(s))
            out.append(mix((12345 + 0x9E3779B97F4A7C15) & M))
            out.append(mix(((7 ^ ((3 * 0xD1B54A32D192ED03) & M)) + 0x9E3779B97F4A7C15) & M))
            print(' '.join(str(v) for v in out), repr((mix((1 + 0x9E3779B97F4A7C15) & M) >> 11) * (1.0 / (1 << 53))))
            """).Trim();
        Assert.Equal(python, ours);
    }

    private static void Payload(Stream s)
    {
        using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write("frame");
        w.Write(new byte[70_000]);
        w.Write(3.5);
    }

    [Fact]
    public void FileFrame_SeekableAndForwardOnlyStreams_WriteTheSameBytes_AndTheStreamingReaderChecksThem()
    {
        using var seekable = new MemoryStream();
        seekable.Write("prefix"u8);
        FileFrame.Write(seekable, "UGTESTS\0"u8, 3, Payload);
        byte[] a = seekable.ToArray()[6..];
        using var forward = new ForwardOnlyStream();
        FileFrame.Write(forward, "UGTESTS\0"u8, 3, Payload);
        Assert.Equal(a, forward.Inner.ToArray());
        Assert.Equal(3, BitConverter.ToInt32(a, 8));
        Assert.Equal(a.Length - 24 - 32, BitConverter.ToInt64(a, 16));

        using (FramedPayloadStream payload = FileFrame.OpenPayload(new MemoryStream(a), "t.bin", "UGTESTS\0"u8, [2, 3], "test file", "a"))
        {
            Assert.Equal(3u, payload.Version);
            using var r = new BinaryReader(payload);
            Assert.Equal("frame", r.ReadString());
            r.ReadBytes(70_000);
            Assert.Equal(3.5, r.ReadDouble());
            payload.VerifyChecksum();
        }

        a[40] ^= 1;
        using FramedPayloadStream damaged = FileFrame.OpenPayload(new MemoryStream(a), "t.bin", "UGTESTS\0"u8, [3], "test file", "a");
        damaged.CopyTo(Stream.Null);
        var e = Assert.Throws<DataFileException>(damaged.VerifyChecksum);
        Assert.Equal("t.bin", e.FilePath);
        Assert.Contains("corrupt test file: SHA-256 checksum mismatch", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<DataFileException>(() => FileFrame.OpenPayload(new MemoryStream(a), "t.bin", "UGTESTS\0"u8, [4], "test file", "a"));
        Assert.Contains("test file format version 3 is not supported (this library reads version 4)", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that cannot seek, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream : Stream
    {
        public MemoryStream Inner { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }
}
