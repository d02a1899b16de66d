using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Raster.Decoding;

namespace Inegi.UrbanGrowth.Benchmarks.Raster;

/// <summary>
/// Issue 21, point 1: decoding the tiles of a 2048 x 1024, 6-band UInt16 mosaic (256 x 256 tiles, pixel-interleaved,
/// 25.2 MB decoded), read as rows of tiles (every tile decoded once, copied once to the native type), one reading
/// thread. Baseline: the reader before issue 21 (<c>LegacyDecoding</c>). Deflate + predictor 2 as the synth mosaics
/// (our writer, zlib level 1) and as GDAL's default level 6; LZW + predictor 2 through LibTiff.NET vs ours.
/// </summary>
[MemoryDiagnoser]
public class TileDecodeBenchmarks
{
    private const int Width = 2048, Height = 1024, Bands = 6;
    private string _folder = "";
    private string _deflate = "";
    private string _deflate6 = "";
    private string _lzw = "";
    private ushort[] _rows = [];

    /// <summary>Samples decoded per scan (bytes = 2 x this).</summary>
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
            int x = i % Width, y = i / Width % Height, b = i / (Width * Height);
            data[i] = (ushort)(3000 + 300 * b + 800 * Math.Sin(x / 40.0) * Math.Cos(y / 25.0) + rng.Next(0, 200));
        }

        var gt = GeoTransform.NorthUp(2_500_000, 1_200_000, 30);
        var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = Bands, SampleType = RasterSampleType.UInt16, GeoTransform = gt, Epsg = 6372 };
        _deflate = Path.Combine(_folder, "deflate1.tif");
        _deflate6 = Path.Combine(_folder, "deflate6.tif");
        _lzw = Path.Combine(_folder, "lzw.tif");
        GeoTiffWriter.Write<ushort>(_deflate, options, data);
        GeoTiffWriter.Write<ushort>(_deflate6, options with { DeflateLevel = System.IO.Compression.CompressionLevel.Optimal }, data);
        GeoTiffWriter.Write<ushort>(_lzw, options with { Compression = RasterCompression.Lzw }, data);
        _rows = new ushort[Bands * Width * 256];
        if (!Inflate.HasLibDeflate)
        {
            Console.WriteLine("// libdeflate not found: the LibDeflate rows measure zlib-ng");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public long DeflateLevel1_Legacy() => Scan(_deflate, new GeoTiffReaderOptions { LegacyDecoding = true, MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long DeflateLevel1_ZlibNg() => Scan(_deflate, new GeoTiffReaderOptions { UseLibDeflate = false, MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long DeflateLevel1_LibDeflate() => Scan(_deflate, new GeoTiffReaderOptions { MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long DeflateLevel1_LibDeflate_TwoDecoders() => Scan(_deflate, new GeoTiffReaderOptions { MaxConcurrentDecoders = 2 });

    [Benchmark]
    public long DeflateLevel6_Legacy() => Scan(_deflate6, new GeoTiffReaderOptions { LegacyDecoding = true, MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long DeflateLevel6_LibDeflate() => Scan(_deflate6, new GeoTiffReaderOptions { MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long Lzw_Legacy() => Scan(_lzw, new GeoTiffReaderOptions { LegacyDecoding = true, MaxConcurrentDecoders = 1 });

    [Benchmark]
    public long Lzw_New() => Scan(_lzw, new GeoTiffReaderOptions { MaxConcurrentDecoders = 1 });

    private long Scan(string path, GeoTiffReaderOptions options)
    {
        using GeoTiffReader reader = GeoTiffReader.Open(path, options);
        long sum = 0;
        for (int y = 0; y < Height; y += 256)
        {
            reader.Read<ushort>(new PixelWindow(0, y, Width, 256), _rows);
            sum += _rows[y];
        }

        return sum;
    }
}

/// <summary>Undoing predictor 2 on one 256 x 256 x 6 UInt16 tile: the scalar loop (baseline) vs the vectorised one.</summary>
public class HorizontalPredictorBenchmarks
{
    private const int RowSamples = 256 * 6;
    private readonly byte[] _tile = new byte[256 * RowSamples * 2];

    [GlobalSetup]
    public void Setup() => new Random(2).NextBytes(_tile);

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        Span<ushort> values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(_tile.AsSpan());
        for (int start = 0; start < values.Length; start += RowSamples)
        {
            HorizontalPredictor.ScalarTail(values.Slice(start, RowSamples), 6, 0);
        }
    }

    [Benchmark]
    public void Vectorised() => HorizontalPredictor.Undo(_tile, 2, RowSamples, 6);
}
