namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// Reusable working memory for extracting the features of one patch at a time: a copy of one channel for the
/// median selection, bucket indices and counts. Create one per thread and pass it to
/// <see cref="PatchFeatureExtractor.Extract(ReadOnlySpan{float}, Span{float}, PatchScratch)"/> so that no
/// call allocates; not thread-safe.
/// </summary>
public sealed class PatchScratch
{
    /// <summary>Buckets of the median's selection passes.</summary>
    internal const int Buckets = 64;

    /// <summary>Creates scratch space for planes of <paramref name="pixelCount"/> pixels.</summary>
    /// <param name="pixelCount">Pixels per channel plane (1,089 for a 33 x 33 patch).</param>
    public PatchScratch(int pixelCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelCount, 1);
        PixelCount = pixelCount;
        Work = new float[pixelCount];
        Ids = new byte[pixelCount];
        BucketIds = new int[pixelCount];
    }

    /// <summary>Pixels per channel plane this scratch holds.</summary>
    public int PixelCount { get; }

    internal float[] Work { get; }

    internal byte[] Ids { get; }

    internal int[] BucketIds { get; }

    /// <summary>Four interleaved tables of <see cref="Buckets"/> counts (the scalar path uses the first).</summary>
    internal int[] Counts { get; } = new int[4 * Buckets];

    internal float[] Edges { get; } = new float[NumpyHistogram.EdgeBufferLength];
}
