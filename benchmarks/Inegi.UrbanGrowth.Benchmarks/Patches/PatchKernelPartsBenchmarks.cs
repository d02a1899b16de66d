using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth.Patches;

namespace Inegi.UrbanGrowth.Benchmarks.Patches;

/// <summary>The three parts of the fused kernel on their own, per channel plane of 1,089 pixels (where the time goes).</summary>
[MemoryDiagnoser]
public class PatchKernelPartsBenchmarks
{
    private const int Planes = 27 * 64;
    private float[] _planes = null!;
    private PatchScratch _scratch = null!;
    private float[] _edges = null!;
    private int[] _counts = null!;

    /// <summary>The generic kernels' width (bits): 256 and 128 on AVX2 hardware, 512 where AVX-512 is there.</summary>
    [Params(128, 256)]
    public int Bits { get; set; }

    private VectorWidth Width => (VectorWidth)Bits;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _planes = new float[Planes * PatchGeometry.PixelCount];
        for (int i = 0; i < _planes.Length; i++)
        {
            _planes[i] = rng.Next(50) == 0 ? (float)(rng.NextDouble() * 5) : (float)(0.05 + (rng.NextDouble() * 0.3));
        }

        _scratch = new PatchScratch(PatchGeometry.PixelCount);
        _edges = new float[NumpyHistogram.EdgeBufferLength];
        _counts = new int[10];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Planes)]
    public float SortedMedian()
    {
        float s = 0;
        var copy = new float[PatchGeometry.PixelCount];
        for (int p = 0; p < Planes; p++)
        {
            _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount).CopyTo(copy);
            Array.Sort(copy);
            s += copy[PatchGeometry.PixelCount / 2];
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public double MinMaxSum()
    {
        double s = 0;
        for (int p = 0; p < Planes; p++)
        {
            PatchKernels.MinMaxSum(_planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount), Width, out _, out _, out double sum);
            s += sum;
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public double MomentsAndHistogram()
    {
        double s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            PatchKernels.MinMaxSum(x, Width, out float min, out float max, out double sum);
            NumpyHistogram.Setup(min, max, _edges, out float first, out float norm);
            _counts.AsSpan().Clear();
            PatchKernels.MomentsAndHistogram(x, sum / x.Length, _edges, first, norm, _counts, Width, out double m2, out _, out _);
            s += m2;
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public double MomentsAndHistogramBefore()
    {
        double s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            PatchKernels.MinMaxSum(x, Width, out float min, out float max, out double sum);
            NumpyHistogram.Setup(min, max, _edges, out float first, out float norm);
            _counts.AsSpan().Clear();
            PreviousPatchKernels.MomentsAndHistogram(x, sum / x.Length, _edges, first, norm, _counts, out double m2, out _, out _);
            s += m2;
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public float BucketMedianScalarBefore()
    {
        float s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            PatchKernels.MinMaxSum(x, Width, out float min, out float max, out _);
            s += PatchKernels.MedianScalar(x, min, max, _scratch);
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public float BucketMedian()
    {
        float s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            PatchKernels.MinMaxSum(x, Width, out float min, out float max, out _);
            s += PatchKernels.Median(x, min, max, _scratch, Width);
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public double MinMaxSumAvx2Before()
    {
        double s = 0;
        for (int p = 0; p < Planes; p++)
        {
            Avx2PatchKernels.MinMaxSum(_planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount), out _, out _, out double sum);
            s += sum;
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public double MomentsAndHistogramAvx2Before()
    {
        double s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            Avx2PatchKernels.MinMaxSum(x, out float min, out float max, out double sum);
            NumpyHistogram.Setup(min, max, _edges, out float first, out float norm);
            _counts.AsSpan().Clear();
            Avx2PatchKernels.MomentsAndHistogram(x, sum / x.Length, _edges, first, norm, _counts, out double m2, out _, out _);
            s += m2;
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = Planes)]
    public float BucketMedianAvx2Before()
    {
        float s = 0;
        for (int p = 0; p < Planes; p++)
        {
            var x = _planes.AsSpan(p * PatchGeometry.PixelCount, PatchGeometry.PixelCount);
            Avx2PatchKernels.MinMaxSum(x, out float min, out float max, out _);
            s += Avx2PatchKernels.Median(x, min, max, _scratch);
        }

        return s;
    }
}
