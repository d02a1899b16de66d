namespace Inegi.UrbanGrowth.Trees;

/// <summary>Predicts a run of row-major rows into their row-major probabilities.</summary>
/// <param name="rows">The rows' values.</param>
/// <param name="rowCount">Rows in <paramref name="rows"/>.</param>
/// <param name="probabilities">The rows' class probabilities.</param>
internal delegate void PredictRowRun(ReadOnlySpan<float> rows, int rowCount, Span<float> probabilities);

/// <summary>
/// The batch prediction both tree models share: the argument checks, then blocks of <see cref="BlockRows"/> rows in
/// parallel, each written to its own slice, so the result never depends on the degree of parallelism.
/// </summary>
internal static class RowBlocks
{
    /// <summary>Rows per parallel block.</summary>
    public const int BlockRows = 16384;

    public static unsafe void Predict(IClassifierModel model, string what, FeatureMatrix features, Span<float> probabilities, int maxDegreeOfParallelism, PredictRowRun predict)
    {
        ArgumentNullException.ThrowIfNull(features);
        model.Schema.EnsureCompatible(features.Schema, what);
        int rowCount = features.RowCount;
        int k = model.ClassCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(probabilities.Length, rowCount * k, nameof(probabilities));
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be -1 (all cores) or >= 1.");
        }

        int blocks = (rowCount + BlockRows - 1) / BlockRows;
        if (blocks <= 1 || maxDegreeOfParallelism == 1)
        {
            predict(features.Values, rowCount, probabilities);
            return;
        }

        int nf = model.Schema.Count;
        fixed (float* src = features.Values)
        fixed (float* dst = probabilities)
        {
            nint srcAddress = (nint)src;
            nint dstAddress = (nint)dst;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, b =>
            {
                int r0 = b * BlockRows;
                int count = Math.Min(BlockRows, rowCount - r0);
                var rows = new ReadOnlySpan<float>((float*)srcAddress + ((long)r0 * nf), count * nf);
                var dest = new Span<float>((float*)dstAddress + ((long)r0 * k), count * k);
                predict(rows, count, dest);
            });
        }
    }
}
