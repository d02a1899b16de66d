using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cnn.Tests;

public sealed class LeNetModelFileTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void SaveLoad_RoundTrip_IdenticalProbabilitiesAndSettings()
    {
        using var dir = new TempDirectory();
        string path = dir.File("lenet.model");
        fixture.Model.Save(path);

        using LeNetModel loaded = LeNetModel.Load(path);

        var before = new float[fixture.Test.RowCount * 2];
        var after = new float[fixture.Test.RowCount * 2];
        fixture.Model.PredictProbabilities(fixture.Test, before);
        loaded.PredictProbabilities(fixture.Test, after);
        Assert.Equal(before, after);
        Assert.Equal(fixture.Model.Schema, loaded.Schema);
        Assert.Equal(fixture.Model.ChannelMeans, loaded.ChannelMeans);
        Assert.Equal(fixture.Model.ChannelStandardDeviations, loaded.ChannelStandardDeviations);
        Assert.Equal(fixture.Model.Options, loaded.Options);
        Assert.Equal(fixture.Model.Training, loaded.Training);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Load_FileReadByIndependentNumpyForward_GivesTheSameProbabilities()
    {
        // Python parses the documented file layout and runs conv / ReLU / max-pool / dense / softmax in numpy.
        using var dir = new TempDirectory();
        string model = dir.File("lenet.model");
        string rows = dir.File("rows.f32");
        fixture.Model.Save(model);
        FeatureMatrix x = SyntheticPatches.Rows(fixture.Test, 0, 12);
        File.WriteAllBytes(rows, System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>(x.Values).ToArray());

        string script = """
            import sys, struct, hashlib, numpy as np
            from numpy.lib.stride_tricks import sliding_window_view as win
            b = open(sys.argv[1], 'rb').read()
            assert b[:8] == b'UGLENET\0' and struct.unpack_from('<II', b, 8) == (2, 0)
            n = struct.unpack_from('<q', b, 16)[0]
            body = b[24:24 + n]
            assert hashlib.sha256(body).digest() == b[24 + n:]
            pos = 0
            def take(fmt):
                global pos
                v = struct.unpack_from('<' + fmt, body, pos); pos += struct.calcsize('<' + fmt); return v[0]
            def text():
                global pos
                length, shift = 0, 0
                while True:
                    c = body[pos]; pos += 1; length |= (c & 0x7f) << shift; shift += 7
                    if c < 0x80: break
                s = body[pos:pos + length].decode('utf-8'); pos += length; return s
            def floats(k):
                global pos
                a = np.frombuffer(body, '<f4', k, pos).astype(np.float64); pos += 4 * k; return a
            k, size, ch = take('i'), take('i'), take('i')
            names = [text() for _ in range(ch)]
            text()
            mean, std = floats(ch), floats(ch)
            take('i'); take('i'); take('d'); take('d'); take('d'); take('i'); take('i'); take('i'); text(); take('d')
            for _ in range(5): take('i')
            take('i'); take('i'); take('d'); take('d'); take('i'); take('i')
            w = {}
            for _ in range(take('i')):
                name = text(); rank = take('i'); shape = [take('q') for _ in range(rank)]
                w[name] = floats(int(np.prod(shape))).reshape(shape)
            x = np.fromfile(sys.argv[2], '<f4').astype(np.float64).reshape(-1, ch, size, size)
            x = (x - mean[None, :, None, None]) / std[None, :, None, None]
            def conv(x, wt, bias):
                kh = wt.shape[2]
                p = win(x, (kh, kh), axis=(2, 3))
                return np.einsum('nchwij,ocij->nohw', p, wt) + bias[None, :, None, None]
            def pool(x):
                h, ww = x.shape[2] // 2, x.shape[3] // 2
                return x[:, :, :2 * h, :2 * ww].reshape(x.shape[0], x.shape[1], h, 2, ww, 2).max(axis=(3, 5))
            convs = sorted({n.rsplit('.', 1)[0] for n in w if w[n].ndim == 4})
            dense = sorted({n.rsplit('.', 1)[0] for n in w if w[n].ndim == 2})
            for c in convs:
                x = pool(np.maximum(conv(x, w[c + '.weight'], w[c + '.bias']), 0))
            x = x.reshape(x.shape[0], -1)
            for i, d in enumerate(dense):
                x = x @ w[d + '.weight'].T + w[d + '.bias']
                if i < len(dense) - 1: x = np.maximum(x, 0)
            e = np.exp(x - x.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            print(' '.join(repr(v) for v in p.ravel()))
            """;
        double[] expected = Oracles.ParseNumbers(Oracles.RunPython(script, [model, rows]));

        var actual = new float[24];
        fixture.Model.PredictProbabilities(x, actual);
        Assert.Equal(24, expected.Length);
        for (int i = 0; i < 24; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4);
        }
    }

    [Fact]
    public void PredictProbabilities_OtherSchema_ThrowsArgumentException()
    {
        var other = new FeatureMatrix(2, PatchPixelLayout.CreateSchema(["blue", "green"], TrainedModelFixture.PatchSize));

        var e = Assert.Throws<ArgumentException>(() => fixture.Model.PredictProbabilities(other, new float[4]));

        Assert.Contains("expects 2312 features", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictProbabilities_DestinationTooShort_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => fixture.Model.PredictProbabilities(fixture.Test, new float[10]));

        Assert.Equal("probabilities", e.ParamName);
    }

    [Fact]
    public void Load_FlippedByte_ThrowsChecksumErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("flipped.model");
        byte[] bytes = SavedBytes();
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Truncated_ThrowsTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("short.model");
        byte[] bytes = SavedBytes();
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(path));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherFormatVersion_ThrowsVersionError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("v9.model");
        byte[] bytes = SavedBytes();
        bytes[8] = 9;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(path));

        Assert.Contains("version 9", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cell_id,row,col,label\n1,2,3,0\n")]
    public void Load_NotAModel_ThrowsDataFileException(string content)
    {
        using var dir = new TempDirectory();
        string path = dir.File("other.csv");
        File.WriteAllText(path, content);

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("LeNet model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsDataFileException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("absent.model");

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(path));

        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidChecksumButInconsistentContent_ThrowsCorrupt()
    {
        // Re-sign a payload whose class count is nonsense: the checksum passes, the content check must not.
        byte[] bytes = SavedBytes();
        int length = (int)BitConverter.ToInt64(bytes, 16);
        byte[] body = bytes[24..(24 + length)];
        BitConverter.GetBytes(1).CopyTo(body, 0);
        byte[] resigned = [.. bytes[..24], .. body, .. System.Security.Cryptography.SHA256.HashData(body)];

        var e = Assert.Throws<DataFileException>(() => LeNetModel.Load(new MemoryStream(resigned), "resigned.model"));

        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Equal("resigned.model", e.FilePath);
    }

    private byte[] SavedBytes()
    {
        using var stream = new MemoryStream();
        fixture.Model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Save_FileSize_IsHeaderPayloadAndChecksum()
    {
        byte[] bytes = SavedBytes();
        long payload = BitConverter.ToInt64(bytes, 16);

        Assert.Equal(LeNetModel.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(0, BitConverter.ToInt32(bytes, 12)); // the frame's reserved field
        Assert.Equal(FileFrame.HeaderLength + payload + FileFrame.ChecksumLength, bytes.Length);
        Assert.True(payload > fixture.Model.ParameterCount * 4, payload.ToString(CultureInfo.InvariantCulture));
    }
}
