using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Benchmarks.Compositing;

/// <summary>
/// The geomedian of one stack, single thread: the one-pixel-at-a-time reference (geomad's loop, baseline) against the
/// kernel vectorised four pixels per Vector256&lt;double&gt;. The stack is the synthetic one of docs/benchmarks.md
/// (30 dates, 6 bands, 20 % masked, 15 % bright cloud outliers, reflectance quantised to 1e-4); geomad's own time on
/// the very same values is measured by the Python one-liner in docs/benchmarks.md.
/// Run: dotnet run -c Release --project benchmarks/Inegi.UrbanGrowth.Benchmarks -- --filter '*Geomedian*'
/// </summary>
[MemoryDiagnoser]
public class GeomedianBenchmarks
{
    private const int Observations = 30, Bands = 6;
    private float[] _stack = [];
    private float[] _median = [];

    [Params(1089, 16384)]
    public int Pixels { get; set; }

    /// <summary>The benchmark stack, [obs][band][pixel], NaN masked; deterministic.</summary>
    public static float[] CreateStack(int observations, int bands, int pixels, int seed)
    {
        var rng = new Random(seed);
        var v = new float[observations * bands * pixels];
        for (int p = 0; p < pixels; p++)
        {
            double ground = 0.03 + (0.35 * rng.NextDouble());
            for (int o = 0; o < observations; o++)
            {
                bool masked = rng.NextDouble() < 0.2, cloud = rng.NextDouble() < 0.15;
                for (int b = 0; b < bands; b++)
                {
                    double x = ground + (0.02 * (b - 2.5) / 2.5) + (0.01 * (rng.NextDouble() - 0.5)) + (cloud ? 0.4 : 0);
                    v[((o * bands) + b) * pixels + p] = masked ? float.NaN : (float)(Math.Round(x * 10000) / 10000);
                }
            }
        }

        return v;
    }

    [GlobalSetup]
    public void Setup()
    {
        _stack = CreateStack(Observations, Bands, Pixels, 20);
        _median = new float[Bands * Pixels];
    }

    [Benchmark(Baseline = true)]
    public void ScalarReference() => GeomedianReference.Compute(new ObservationBlock(_stack, Observations, Bands, Pixels), _median, GeomedianOptions.Default);

    [Benchmark]
    public void Vectorised() => Geomedian.Compute(new ObservationBlock(_stack, Observations, Bands, Pixels), _median);
}
