using BenchmarkDotNet.Attributes;
using Inegi.UrbanGrowth.Patches;

namespace Inegi.UrbanGrowth.Benchmarks.Patches;

/// <summary>
/// SPEC 3 features of 27 channels x 1,089 pixels (486 features) per cell. Each invocation processes
/// <see cref="Cells"/> cells, so the reported time is per cell (cells/s = 1 / mean).
/// </summary>
[MemoryDiagnoser]
public class PatchFeatureBenchmarks
{
    private const int Cells = 256;
    private PatchFeatureExtractor _extractor = null!;
    private PatchFeatureExtractor _extractor128 = null!;
    private float[] _patches = null!;
    private float[] _output = null!;
    private PatchScratch _scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _extractor = new PatchFeatureExtractor();
        _extractor128 = new PatchFeatureExtractor { Width = VectorWidth.V128 };
        var rng = new Random(42);
        int perCell = _extractor.Layout.ValuesPerCell;
        _patches = new float[Cells * perCell];
        for (int i = 0; i < _patches.Length; i++)
        {
            // Reflectance-like values with the odd outlier, as real channels look.
            _patches[i] = rng.Next(50) == 0 ? (float)(rng.NextDouble() * 5) : (float)(0.05 + (rng.NextDouble() * 0.3));
        }

        _output = new float[Cells * _extractor.Layout.FeatureCount];
        _scratch = _extractor.CreateScratch();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Cells, Description = "Reference, 1 thread")]
    public void Reference()
    {
        int perCell = _extractor.Layout.ValuesPerCell;
        int features = _extractor.Layout.FeatureCount;
        for (int c = 0; c < Cells; c++)
        {
            ReferencePatchFeatures.Extract(_extractor.Layout, _patches.AsSpan(c * perCell, perCell), _output.AsSpan(c * features, features));
        }
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "Fused before (81f005b), 1 thread")]
    public void PreviousFusedOneThread()
    {
        int perCell = _extractor.Layout.ValuesPerCell;
        int features = _extractor.Layout.FeatureCount;
        for (int c = 0; c < Cells; c++)
        {
            PreviousPatchKernels.Extract(_extractor.Layout, _patches.AsSpan(c * perCell, perCell), _output.AsSpan(c * features, features), _scratch);
        }
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "Fused, 1 thread")]
    public void FusedOneThread()
    {
        int perCell = _extractor.Layout.ValuesPerCell;
        int features = _extractor.Layout.FeatureCount;
        for (int c = 0; c < Cells; c++)
        {
            _extractor.Extract(_patches.AsSpan(c * perCell, perCell), _output.AsSpan(c * features, features), _scratch);
        }
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "AVX2-only kernel before (9bcfde5), 1 thread")]
    public void Avx2BeforeOneThread()
    {
        int perCell = _extractor.Layout.ValuesPerCell;
        int features = _extractor.Layout.FeatureCount;
        for (int c = 0; c < Cells; c++)
        {
            Avx2PatchKernels.Extract(_extractor.Layout, _patches.AsSpan(c * perCell, perCell), _output.AsSpan(c * features, features), _scratch);
        }
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "Fused 128-bit, 1 thread")]
    public void Fused128OneThread()
    {
        int perCell = _extractor128.Layout.ValuesPerCell;
        int features = _extractor128.Layout.FeatureCount;
        for (int c = 0; c < Cells; c++)
        {
            _extractor128.Extract(_patches.AsSpan(c * perCell, perCell), _output.AsSpan(c * features, features), _scratch);
        }
    }

    [Benchmark(OperationsPerInvoke = Cells, Description = "Fused, ExtractMany all cores")]
    public void FusedAllCores() => _extractor.ExtractMany(_patches, _output, Cells);
}
