using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth.Spectral;

namespace Inegi.UrbanGrowth.Benchmarks.Spectral;

/// <summary>All 27 standard channels: scalar reference vs the fused kernel at the machine's widest vector.</summary>
[MemoryDiagnoser]
public class SpectralAllChannelsBenchmarks
{
    private float[] _bands = [];
    private ushort[] _dn = [];
    private float[] _channels = [];
    private SpectralTransform _scalar = null!;
    private SpectralTransform _vector = null!;

    /// <summary>Pixels per call: one 33 x 33 patch, or a 1 Mi pixel block.</summary>
    [Params(1089, 1 << 20)]
    public int Pixels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _bands = new float[6 * Pixels];
        _dn = new ushort[6 * Pixels];
        for (int i = 0; i < _bands.Length; i++)
        {
            _dn[i] = (ushort)rng.Next(200, 6000);
            _bands[i] = _dn[i] * 0.0001f;
        }

        _channels = new float[27 * Pixels];
        _scalar = new SpectralTransform { Width = VectorWidth.Scalar };
        _vector = new SpectralTransform();
    }

    [Benchmark(Baseline = true)]
    public void Scalar27() => _scalar.Compute(_bands, Pixels, _channels);

    [Benchmark]
    public void Vector27() => _vector.Compute(_bands, Pixels, _channels);

    [Benchmark]
    public void Vector27FromUInt16() => _vector.ComputeFromDigitalNumbers<ushort>(_dn, Pixels, _channels);
}

/// <summary>One channel: scalar reference subset vs vector subset (computes all, stores one) vs a TensorPrimitives chain.</summary>
[MemoryDiagnoser]
public class SpectralSingleChannelBenchmarks
{
    private float[] _bands = [];
    private float[] _channels = [];
    private float[] _sum = [];
    private SpectralTransform _scalarNdvi = null!;
    private SpectralTransform _vectorNdvi = null!;
    private SpectralTransform _vectorNbai = null!;
    private SpectralTransform _expressionNdvi = null!;

    /// <summary>Pixels per call.</summary>
    [Params(1089, 1 << 20)]
    public int Pixels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _bands = new float[6 * Pixels];
        for (int i = 0; i < _bands.Length; i++)
        {
            _bands[i] = (float)(0.02 + (rng.NextDouble() * 0.5));
        }

        _channels = new float[Pixels];
        _sum = new float[Pixels];
        var ndvi = ChannelSet.Standard.Select("ndvi");
        _scalarNdvi = new SpectralTransform(ndvi) { Width = VectorWidth.Scalar };
        _vectorNdvi = new SpectralTransform(ndvi);
        _vectorNbai = new SpectralTransform(ChannelSet.Standard.Select("nbai"));
        _expressionNdvi = new SpectralTransform(ChannelSet.Standard.Select("blue").Add("ndvi2", "(nir - red) / (nir + red)").Select("ndvi2"));
    }

    [Benchmark(Baseline = true)]
    public void ScalarNdvi() => _scalarNdvi.Compute(_bands, Pixels, _channels);

    [Benchmark]
    public void VectorNdvi() => _vectorNdvi.Compute(_bands, Pixels, _channels);

    [Benchmark]
    public void VectorNbai() => _vectorNbai.Compute(_bands, Pixels, _channels);

    [Benchmark]
    public void ExpressionNdvi() => _expressionNdvi.Compute(_bands, Pixels, _channels);

    /// <summary>NDVI as a chain of TensorPrimitives calls (no zero rule fix-up), for comparison.</summary>
    [Benchmark]
    public void TensorPrimitivesNdviChain()
    {
        var red = _bands.AsSpan(2 * Pixels, Pixels);
        var nir = _bands.AsSpan(3 * Pixels, Pixels);
        TensorPrimitives.Add(nir, red, _sum);
        TensorPrimitives.Subtract(nir, red, _channels);
        TensorPrimitives.Divide(_channels, _sum, _channels);
    }
}
