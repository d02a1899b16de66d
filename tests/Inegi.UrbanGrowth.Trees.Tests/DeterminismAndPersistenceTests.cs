using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Trees.Tests;

public sealed class DeterminismAndPersistenceTests
{
    private static (FeatureMatrix X, byte[] Y) Data()
    {
        var d = Oracle.Load("bin", 100);
        return (d.Rows(0, 1500), d.Labels(0, 1500));
    }

    private static byte[] Bytes(ExtraTreesModel model)
    {
        using var ms = new MemoryStream();
        model.Save(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Fit_OneTwoFourThreads_IdenticalProbabilitiesAndModelBytes()
    {
        var (x, y) = Data();
        var test = Oracle.Load("bin", 100).Rows(4000, 500);
        ExtraTreesModel Fit(int threads) => new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 24, Seed = 42, MaxDegreeOfParallelism = threads }).Fit(x, y, TestContext.Current.CancellationToken);
        var m1 = Fit(1);
        var m2 = Fit(2);
        var m4 = Fit(4);
        byte[] b1 = Bytes(m1);
        Assert.Equal(b1, Bytes(m2));
        Assert.Equal(b1, Bytes(m4));
        float[] p1 = m1.PredictProbabilities(test);
        Assert.Equal(p1, m2.PredictProbabilities(test));
        Assert.Equal(p1, m4.PredictProbabilities(test));
        var p1Serial = new float[p1.Length];
        m4.PredictProbabilities(test, p1Serial, 1);
        Assert.Equal(p1, p1Serial);
    }

    [Fact]
    public void Fit_ColumnReadsRowReadsOrMixed_IdenticalModelBytes()
    {
        // 4,000 x 100: the default budget reads rows from the root here; 16 KB switches at 40 samples, 400 KB at 1,024,
        // 0 never: each mix must give the same forest, byte for byte.
        var d = Oracle.Load("bin", 100);
        var x = d.Rows(0, 4000);
        var y = d.Labels(0, 4000);
        byte[] Fit(long rowBytes) => Bytes(new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 8, Seed = 7 }) { RowMajorSubtreeBytes = rowBytes }.Fit(x, y, TestContext.Current.CancellationToken));
        byte[] columnsOnly = Fit(0);
        Assert.Equal(columnsOnly, Fit(16 << 10));
        Assert.Equal(columnsOnly, Fit(400 << 10));
        Assert.Equal(columnsOnly, Fit(long.MaxValue));
    }

    [Fact]
    public void Fit_DifferentSeeds_DifferentForests()
    {
        var (x, y) = Data();
        var a = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 5, Seed = 1 }).Fit(x, y, TestContext.Current.CancellationToken);
        var b = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 5, Seed = 2 }).Fit(x, y, TestContext.Current.CancellationToken);
        Assert.NotEqual(Bytes(a), Bytes(b));
    }

    [Fact]
    public void PredictRowRowsMatrix_SameRows_BitIdentical()
    {
        var (x, y) = Data();
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 20, Seed = 9 }).Fit(x, y, TestContext.Current.CancellationToken);
        var test = Oracle.Load("bin", 100).Rows(4000, 309); // 9 x 32 rows in the 32-row walk over 8-byte nodes, 21 scalar
        float[] batch = model.PredictProbabilities(test);
        var rows = new float[batch.Length];
        model.PredictRows(test.Values, rows);
        Assert.Equal(batch, rows);
        var one = new float[2];
        for (int i = 0; i < test.RowCount; i++)
        {
            model.PredictRow(test.Row(i), one);
            Assert.Equal(batch[2 * i], one[0]);
            Assert.Equal(batch[(2 * i) + 1], one[1]);
        }
    }

    [Fact]
    public void Predict_TooManyFeaturesForEightByteNodes_SixteenByteWalkAgreesWithPredictRow()
    {
        // 1,100 columns: the feature field of the 8-byte nodes (10 bits) cannot hold them, so batches take the 16-row
        // walk over 16-byte nodes; it must give PredictRow's sums bit for bit.
        const int Rows = 600, Columns = 1100;
        var random = new Random(11);
        var x = new FeatureMatrix(Rows, new FeatureSchema(Enumerable.Range(0, Columns).Select(i => $"c{i}")));
        var y = new byte[Rows];
        for (int r = 0; r < Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < Columns; c++)
            {
                row[c] = (float)random.NextDouble();
            }

            y[r] = (byte)(row[3] + row[1050] + (0.3 * random.NextDouble()) > 1.15 ? 1 : 0);
        }

        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 12, Seed = 4 }).Fit(x, y, TestContext.Current.CancellationToken);
        float[] batch = model.PredictProbabilities(x);
        var one = new float[2];
        for (int i = 0; i < Rows; i++)
        {
            model.PredictRow(x.Row(i), one);
            Assert.Equal(batch[2 * i], one[0]);
            Assert.Equal(batch[(2 * i) + 1], one[1]);
        }

        Assert.True(model.FeatureImportances[3] > 5.0 / Columns && model.FeatureImportances[1050] > 5.0 / Columns, "the two informative columns matter");
    }

    [Fact]
    public void SaveLoad_RoundTrip_IdenticalModelAndProbabilities()
    {
        var (x, y) = Data();
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 15, Seed = 7, MaxFeatures = MaxFeatures.Fraction(0.2), MinSamplesLeaf = 2, ClassWeight = ClassWeight.Explicit(1, 3) }).Fit(x, y, TestContext.Current.CancellationToken);
        using var dir = new TempDirectory();
        string path = dir.File("model.xtrees");
        model.Save(path);
        var loaded = ExtraTreesModel.Load(path);
        Assert.Equal(model.Schema, loaded.Schema);
        Assert.Equal(model.Options with { MaxDegreeOfParallelism = -1 }, loaded.Options);
        Assert.Equal(model.ClassPriors, loaded.ClassPriors);
        Assert.Equal(model.ClassCounts, loaded.ClassCounts);
        Assert.Equal(model.FeatureImportances, loaded.FeatureImportances);
        Assert.Equal(model.ResolvedMaxFeatures, loaded.ResolvedMaxFeatures);
        Assert.Equal(File.ReadAllBytes(path), Bytes(loaded));
        var test = Oracle.Load("bin", 100).Rows(4000, 400);
        Assert.Equal(model.PredictProbabilities(test), loaded.PredictProbabilities(test));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary left behind
    }

    private static string SavedModel(TempDirectory dir)
    {
        var (x, y) = Data();
        var model = new ExtraTreesLearner(new ExtraTreesOptions { TreeCount = 3, Seed = 1 }).Fit(x, y, TestContext.Current.CancellationToken);
        string path = dir.File("m.xtrees");
        model.Save(path);
        return path;
    }

    [Fact]
    public void Load_FlippedPayloadByte_ChecksumError()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        b[b.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(-1)]
    public void Load_TruncatedFile_TruncatedError(int keep)
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(keep < 0 ? b.Length - 1 : keep)]);
        var e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherFile_WrongMagicError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("not-a-model.csv");
        File.WriteAllText(path, "cell_id,row,col,label\n1,2,3,0\n");
        var e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path)).Message, StringComparison.Ordinal);
        Assert.Contains("not found", Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(dir.File("missing"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherVersion_VersionError()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        b[8] = 2;
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidChecksumButBrokenTree_CorruptError()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] b = File.ReadAllBytes(path);
        int payloadLength = b.Length - 24 - 32;
        byte[] payload = b[24..(24 + payloadLength)];
        // Point the last leaf's value offset far outside the value array, then re-sign the payload.
        int valueCount = CountValues(payload, payloadLength);
        int lastChild = payloadLength - 4 - (4 * valueCount) - 4;
        BitConverter.GetBytes(int.MaxValue - 1).CopyTo(payload, lastChild);
        payload.CopyTo(b, 24);
        System.Security.Cryptography.SHA256.HashData(payload).CopyTo(b, 24 + payloadLength);
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    // The value array is the payload's tail: int32 V then V float32. Find V by scanning back for a consistent count.
    private static int CountValues(byte[] payload, int length)
    {
        for (int v = 1; v < length / 4; v++)
        {
            int at = length - (4 * v) - 4;
            if (at >= 0 && BitConverter.ToInt32(payload, at) == v)
            {
                return v;
            }
        }

        throw new InvalidOperationException("value count not found");
    }
}
