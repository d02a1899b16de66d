using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Benchmarks.Compositing;

/// <summary>
/// The geomedian of a real stack, single thread: Harvard Forest row 50 (shared/data/harvard-forest-landsat-row: 423
/// dates x 300 pixels, Fmask 0/1 kept, reflectance &lt;= 0 dropped), the same values the geomad timing in
/// docs/benchmarks.md uses. Scalar reference (geomad's loop in C#) as baseline, and the vectorised kernel.
/// </summary>
[MemoryDiagnoser]
public class GeomedianRealStackBenchmarks
{
    private const int Bands = 6;
    private float[] _stack = [];
    private float[] _median = [];
    private int _observations;
    private int _pixels;

    /// <summary>Reads Y (int16, 8 x 423 x 300) from the npz and masks it as the Compositing tests' oracle script does.</summary>
    public static (float[] Stack, int Observations, int Pixels) HarvardForest()
    {
        string root = AppContext.BaseDirectory;
        string? data = null;
        for (var dir = new DirectoryInfo(root); dir is not null && data is null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "harvard-forest-landsat-row", "p013r030_r50_n423_b8.npz");
            data = File.Exists(candidate) ? candidate : null;
        }

        using ZipArchive zip = ZipFile.OpenRead(data ?? throw new FileNotFoundException("shared/data/harvard-forest-landsat-row not found above " + root));
        using var stream = new MemoryStream();
        using (Stream y = zip.GetEntry("Y.npy")!.Open())
        {
            y.CopyTo(stream);
        }

        byte[] npy = stream.ToArray();
        int headerLength = BitConverter.ToUInt16(npy, 8);
        ReadOnlySpan<short> values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(npy.AsSpan(10 + headerLength));
        const int n = 423, pixels = 300; // Y is (8 layers, n, pixels), C order
        var stack = new float[n * Bands * pixels];
        for (int o = 0; o < n; o++)
        {
            for (int p = 0; p < pixels; p++)
            {
                short fmask = values[(7 * n * pixels) + (o * pixels) + p];
                bool keep = fmask is 0 or 1;
                for (int b = 0; b < Bands; b++)
                {
                    keep &= values[(b * n * pixels) + (o * pixels) + p] > 0;
                }

                for (int b = 0; b < Bands; b++)
                {
                    stack[((o * Bands) + b) * pixels + p] = keep ? values[(b * n * pixels) + (o * pixels) + p] * 1e-4f : float.NaN;
                }
            }
        }

        return (stack, n, pixels);
    }

    [GlobalSetup]
    public void Setup()
    {
        (_stack, _observations, _pixels) = HarvardForest();
        _median = new float[Bands * _pixels];
    }

    [Benchmark(Baseline = true)]
    public void ScalarReference() => GeomedianReference.Compute(new ObservationBlock(_stack, _observations, Bands, _pixels), _median, GeomedianOptions.Default);

    [Benchmark]
    public void Vectorised() => Geomedian.Compute(new ObservationBlock(_stack, _observations, Bands, _pixels), _median);
}
