using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Benchmarks.Raster;

/// <summary>
/// Writes a 6-band UInt16 raster (4096 x 2048, 96 MiB uncompressed) as tiled Deflate + predictor 2 GeoTIFF in bands
/// of 256 rows, as SyntheticSceneWriter streams a mosaic: LibTiff.NET's managed Deflate encoder (baseline, the path
/// used before) vs the fast path (own predictor + native zlib, level Fastest), one and two threads.
/// </summary>
[MemoryDiagnoser]
public class DeflateWriteBenchmarks
{
    private const int Width = 4096, Height = 2048, Bands = 6, RowsPerCall = 256;
    private string _folder = "";
    private ushort[] _data = [];
    private GeoTiffWriteOptions _options = null!;

    /// <summary>Uncompressed bytes written per operation (for MB/s).</summary>
    public static long Bytes => 2L * Width * Height * Bands;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "urbangrowth-wbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);

        // Band-planar, laid out as WriteRows takes it chunk by chunk: chunk c holds rows [256c, 256c + 256) of every band.
        _data = new ushort[(long)Width * Height * Bands];
        var rng = new Random(1);
        int chunks = Height / RowsPerCall;
        for (int c = 0; c < chunks; c++)
        {
            for (int b = 0; b < Bands; b++)
            {
                for (int r = 0; r < RowsPerCall; r++)
                {
                    int y = c * RowsPerCall + r;
                    long o = ((long)c * Bands * RowsPerCall + (long)b * RowsPerCall + r) * Width;
                    for (int x = 0; x < Width; x++)
                    {
                        _data[o + x] = (ushort)(3000 + 300 * b + 800 * Math.Sin(x / 40.0) * Math.Cos(y / 25.0) + rng.Next(0, 200));
                    }
                }
            }
        }

        _options = new GeoTiffWriteOptions
        {
            Width = Width, Height = Height, BandCount = Bands, SampleType = RasterSampleType.UInt16,
            GeoTransform = GeoTransform.NorthUp(2_500_000, 1_200_000, 30), Epsg = 6372, NoData = 0,
        };
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public long LibTiffDeflate() => Write(_options with { UseLibTiffDeflate = true });

    [Benchmark]
    public long NativeDeflateOneThread() => Write(_options with { MaxDegreeOfParallelism = 1 });

    [Benchmark]
    public long NativeDeflateTwoThreads() => Write(_options with { MaxDegreeOfParallelism = 2 });

    private long Write(GeoTiffWriteOptions options)
    {
        string path = Path.Combine(_folder, "out.tif");
        using (GeoTiffWriter writer = GeoTiffWriter.Create(path, options))
        {
            int chunk = Bands * RowsPerCall * Width;
            for (int c = 0; c < Height / RowsPerCall; c++)
            {
                writer.WriteRows<ushort>(_data.AsSpan(c * chunk, chunk));
            }

            writer.Commit();
        }

        return new FileInfo(path).Length;
    }
}
