using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Benchmarks.Raster;

/// <summary>
/// Scans a 6-band UInt16 raster (2048 x 1024, 24 MiB decoded) in full-width bands of 33 rows, as the pipeline does,
/// converting to float: uncompressed tiles (baseline) vs Deflate + predictor 2 tiles, one thread vs two threads
/// (each thread scans half of the bands of rows from the same reader).
/// </summary>
[MemoryDiagnoser]
public class WindowReadBenchmarks
{
    private const int Width = 2048, Height = 1024, Bands = 6;
    private string _folder = "";
    private string _plain = "";
    private string _deflate = "";

    /// <summary>Pixels decoded per scan, all bands (for MB/s: bytes = 2 x this).</summary>
    public static long Samples => (long)Width * Height * Bands;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "urbangrowth-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var data = new ushort[Samples];
        var rng = new Random(1);
        for (int i = 0; i < data.Length; i++)
        {
            int x = i % Width, y = i / Width % Height;
            data[i] = (ushort)(3000 + 800 * Math.Sin(x / 40.0) * Math.Cos(y / 25.0) + rng.Next(0, 200));
        }

        var gt = GeoTransform.NorthUp(2_500_000, 1_200_000, 30);
        _plain = Path.Combine(_folder, "plain.tif");
        _deflate = Path.Combine(_folder, "deflate.tif");
        var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = Bands, SampleType = RasterSampleType.UInt16, GeoTransform = gt, Epsg = 6372 };
        GeoTiffWriter.Write<ushort>(_plain, options with { Compression = RasterCompression.None }, data);
        GeoTiffWriter.Write<ushort>(_deflate, options, data);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public float UncompressedOneThread() => Scan(_plain, 1);

    [Benchmark]
    public float DeflateOneThread() => Scan(_deflate, 1);

    [Benchmark]
    public float UncompressedTwoThreads() => Scan(_plain, 2);

    [Benchmark]
    public float DeflateTwoThreads() => Scan(_deflate, 2);

    private static float Scan(string path, int threads)
    {
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        int bandsOfRows = (Height + 32) / 33;
        float[] sums = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var buffer = new float[Bands * Width * 33];
            for (int k = t; k < bandsOfRows; k += threads)
            {
                int y = k * 33, h = Math.Min(33, Height - y);
                reader.ReadAsFloat(new PixelWindow(0, y, Width, h), buffer.AsSpan(0, Bands * Width * h));
                sums[t] += buffer[0];
            }
        });
        return sums.Sum();
    }
}
