using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Benchmarks.Pipeline;

/// <summary>
/// Issue 21, point 3: writing 2,000 rows of the 486 features (patch statistics of a synthetic scene's magnitudes:
/// reflectances, indices, variances) as the features CSV, SHA-256 included. Baseline: the writer before issue 21
/// (StreamWriter over a CryptoStream, floats through chars), copied below as it was.
/// </summary>
[MemoryDiagnoser]
public class FeatureCsvWriteBenchmarks
{
    private const int Rows = 2000;
    private readonly FeatureSchema _schema = FeatureExtractionSettings.Default.CreateSchema();
    private float[] _values = [];
    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "urbangrowth-bench-csv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var rng = new Random(21);
        _values = new float[Rows * _schema.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            int kind = i % 18;
            _values[i] = kind switch
            {
                < 6 => (float)(rng.NextDouble() * 0.4),            // means, quantiles of reflectance
                < 12 => (float)(rng.NextDouble() * 2 - 1),         // indices
                < 16 => (float)(rng.NextDouble() * 1e-3),          // variances
                _ => (float)(rng.NextDouble() * 5000),             // DN-scale statistics
            };
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public long StringWriter_Before()
    {
        string path = Path.Combine(_folder, "old.csv");
        using (var writer = new PreviousFeatureCsvWriter(path, _schema))
        {
            for (int r = 0; r < Rows; r++)
            {
                writer.WriteRow(r, r / 100, r % 100, (byte)(r % 2), _values.AsSpan(r * _schema.Count, _schema.Count));
            }
        }

        return new FileInfo(path).Length;
    }

    [Benchmark]
    public long Utf8Writer_OneThread() => WriteUtf8(1);

    [Benchmark]
    public long Utf8Writer_AllCores() => WriteUtf8(-1);

    private long WriteUtf8(int threads)
    {
        string path = Path.Combine(_folder, "new.csv");
        using (var writer = new FeatureCsvWriter(path, _schema) { MaxDegreeOfParallelism = threads })
        {
            for (int r = 0; r < Rows; r++)
            {
                writer.WriteRow(r, r / 100, r % 100, (byte)(r % 2), _values.AsSpan(r * _schema.Count, _schema.Count));
            }

            writer.Commit();
        }

        return new FileInfo(path).Length;
    }

    /// <summary>The writer's hot path before issue 21 (without the atomic rename, which costs the same in both).</summary>
    private sealed class PreviousFeatureCsvWriter : IDisposable
    {
        private readonly StreamWriter _writer;
        private readonly SHA256 _hash = SHA256.Create();
        private readonly char[] _buffer = new char[64];

        public PreviousFeatureCsvWriter(string path, FeatureSchema schema)
        {
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            var hashing = new CryptoStream(file, _hash, CryptoStreamMode.Write);
            _writer = new StreamWriter(hashing, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            _writer.Write(string.Join(',', FeatureCsv.IdentityColumns));
            foreach (string name in schema.Names)
            {
                _writer.Write(',');
                _writer.Write(name);
            }

            _writer.Write('\n');
        }

        public void WriteRow(long cellId, int gridRow, int gridColumn, byte label, ReadOnlySpan<float> features)
        {
            WriteNumber(cellId);
            _writer.Write(',');
            WriteNumber(gridRow);
            _writer.Write(',');
            WriteNumber(gridColumn);
            _writer.Write(',');
            if (label != UrbanClass.Undefined)
            {
                WriteNumber(label);
            }

            foreach (float v in features)
            {
                _writer.Write(',');
                v.TryFormat(_buffer, out int written, "R", CultureInfo.InvariantCulture);
                _writer.Write(_buffer, 0, written);
            }

            _writer.Write('\n');
        }

        private void WriteNumber(long value)
        {
            value.TryFormat(_buffer, out int written, default, CultureInfo.InvariantCulture);
            _writer.Write(_buffer, 0, written);
        }

        public void Dispose()
        {
            _writer.Dispose();
            _hash.Dispose();
        }
    }
}
