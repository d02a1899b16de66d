using System.Collections.Concurrent;

namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// Computes the patch features of SPEC 3: for each channel plane of a cell's patch, 18 statistics
/// (<see cref="PatchStatistics.Names"/>), channel-major, named <c>&lt;channel&gt;_&lt;statistic&gt;</c>.
/// Thread-safe: one instance serves every thread.
/// </summary>
/// <remarks>
/// <para>Definitions (they match numpy / scipy.stats defaults, computed from the float32 values in float64):
/// mean = sum / n; variance = m2; median = the value of rank n / 2 (n is odd); variation = sqrt(m2) / mean, 0 where
/// mean = 0; skewness = m3 / m2^1.5 and kurtosis = m4 / m2^2 - 3, both 0 where m2 = 0 (m_k = sum((x - mean)^k) / n);
/// hist0..hist9 = <c>numpy.histogram(values, bins=10)</c> counts (float32 edges, exactly as numpy 1.24 bins a
/// float32 array, see docs/patches.md); entropy = <c>scipy.stats.entropy(counts)</c> = -sum p ln p, p = count / n;
/// center = the value of the centre pixel.</para>
/// <para>A channel plane holding NaN or an infinity gets NaN for all 18 of its statistics (numpy would refuse
/// the histogram); the spectral stage never produces such values.</para>
/// <para>Cost: two vectorised passes per channel (min/max/sum; then moments and histogram together) and a
/// bucket selection for the median on a scratch copy. Nothing is allocated per cell once a thread has its
/// <see cref="PatchScratch"/>.</para>
/// </remarks>
public sealed class PatchFeatureExtractor : IPatchFeatureExtractor
{
    [ThreadStatic]
    private static PatchScratch? _threadScratch;

    /// <summary>Creates the SPEC 3 extractor: 27 standard channels, 33 x 33 patches, 486 features.</summary>
    public PatchFeatureExtractor()
        : this(PatchFeatureLayout.Standard)
    {
    }

    /// <summary>Creates an extractor for the given channels and patch size.</summary>
    /// <param name="layout">Channels, patch side and feature names.</param>
    public PatchFeatureExtractor(PatchFeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
    }

    /// <summary>Creates an extractor for the given channel names and patch side.</summary>
    /// <param name="channelNames">Channel names in plane order.</param>
    /// <param name="patchSize">Odd patch side in pixels (default 33).</param>
    public PatchFeatureExtractor(IReadOnlyList<string> channelNames, int patchSize = PatchGeometry.Size)
        : this(new PatchFeatureLayout(channelNames, patchSize))
    {
    }

    /// <summary>Channels, patch size and feature columns.</summary>
    public PatchFeatureLayout Layout { get; }

    /// <summary>
    /// The vector width this instance's kernels use (default: the widest the hardware accelerates). Every width gives
    /// the same bits; tests set each one (a width the CPU lacks still runs, emulated).
    /// </summary>
    internal VectorWidth Width { get; init; } = PatchKernels.BestWidth;

    /// <summary>The feature names, in output order (<see cref="PatchFeatureLayout.Schema"/>).</summary>
    public FeatureSchema Schema => Layout.Schema;

    /// <summary>A scratch buffer sized for this extractor's patches, for <see cref="Extract(ReadOnlySpan{float}, Span{float}, PatchScratch)"/>.</summary>
    public PatchScratch CreateScratch() => new(Layout.PixelCount);

    /// <summary>Computes the features of one patch, with a per-thread scratch buffer.</summary>
    /// <param name="channelPlanes">At least <see cref="PatchFeatureLayout.ValuesPerCell"/> values: channel c's
    /// row-major plane at <c>[c * n, (c + 1) * n)</c>, n = <see cref="PatchFeatureLayout.PixelCount"/>.</param>
    /// <param name="destination">At least <see cref="PatchFeatureLayout.FeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Extract(ReadOnlySpan<float> channelPlanes, Span<float> destination)
    {
        var scratch = _threadScratch;
        if (scratch is null || scratch.PixelCount < Layout.PixelCount)
        {
            scratch = new PatchScratch(Layout.PixelCount);
            _threadScratch = scratch;
        }

        Extract(channelPlanes, destination, scratch);
    }

    /// <summary>Computes the features of one patch using the caller's scratch buffer (no allocation).</summary>
    /// <param name="channelPlanes">At least <see cref="PatchFeatureLayout.ValuesPerCell"/> channel-planar values.</param>
    /// <param name="destination">At least <see cref="PatchFeatureLayout.FeatureCount"/> values.</param>
    /// <param name="scratch">Working memory of at least <see cref="PatchFeatureLayout.PixelCount"/> pixels, used by one thread at a time.</param>
    /// <exception cref="ArgumentException">A span or the scratch is too small.</exception>
    public void Extract(ReadOnlySpan<float> channelPlanes, Span<float> destination, PatchScratch scratch) =>
        Extract(channelPlanes, destination, scratch, null);

    /// <summary>
    /// Computes the features of one patch that <paramref name="plan"/> keeps, using the caller's scratch buffer (no
    /// allocation): each kept feature has the bits <see cref="Extract(ReadOnlySpan{float}, Span{float}, PatchScratch)"/>
    /// gives it, every other column is NaN, and the work a channel's kept statistics do not need is skipped.
    /// </summary>
    /// <param name="channelPlanes">At least <see cref="PatchFeatureLayout.ValuesPerCell"/> channel-planar values.</param>
    /// <param name="destination">At least <see cref="PatchFeatureLayout.FeatureCount"/> values.</param>
    /// <param name="scratch">Working memory of at least <see cref="PatchFeatureLayout.PixelCount"/> pixels, used by one thread at a time.</param>
    /// <param name="plan">Which features to compute (made for a layout with this extractor's channel count); null for all.</param>
    /// <exception cref="ArgumentException">A span or the scratch is too small, or a plan for another channel count.</exception>
    public void Extract(ReadOnlySpan<float> channelPlanes, Span<float> destination, PatchScratch scratch, PatchFeaturePlan? plan)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (plan is not null && plan.ChannelCount != Layout.ChannelCount)
        {
            throw new ArgumentException($"The plan was made for {plan.ChannelCount} channels; this layout has {Layout.ChannelCount}.", nameof(plan));
        }

        int n = Layout.PixelCount;
        if (channelPlanes.Length < Layout.ValuesPerCell)
        {
            throw new ArgumentException($"Expected {Layout.ValuesPerCell} values ({Layout.ChannelCount} channels x {n} pixels), got {channelPlanes.Length}.", nameof(channelPlanes));
        }

        if (destination.Length < Layout.FeatureCount)
        {
            throw new ArgumentException($"Expected room for {Layout.FeatureCount} features, got {destination.Length}.", nameof(destination));
        }

        if (scratch.PixelCount < n)
        {
            throw new ArgumentException($"The scratch holds {scratch.PixelCount} pixels; this layout needs {n}.", nameof(scratch));
        }

        int center = Layout.CenterIndex;
        for (int c = 0; c < Layout.ChannelCount; c++)
        {
            PatchKernels.ComputeChannel(channelPlanes.Slice(c * n, n), center, destination.Slice(c * PatchStatistics.Count, PatchStatistics.Count), scratch, Width,
                plan?.MaskOf(c) ?? ((1 << PatchStatistics.Count) - 1));
        }
    }

    /// <summary>Computes the features of many patches into a new matrix, in parallel; row i is cell i.</summary>
    /// <param name="patches">The cells' channel planes, one cell after the other (<see cref="PatchFeatureLayout.ValuesPerCell"/> each).</param>
    /// <param name="cellCount">Number of cells.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the work between cells.</param>
    public FeatureMatrix ExtractMany(ReadOnlyMemory<float> patches, int cellCount, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cellCount);
        var matrix = new FeatureMatrix(cellCount, Schema);
        ExtractMany(patches, matrix, maxDegreeOfParallelism, cancellationToken);
        return matrix;
    }

    /// <summary>Computes the features of many patches into an existing matrix, in parallel; row i is cell i.</summary>
    /// <param name="patches">The cells' channel planes, one cell after the other; <c>destination.RowCount</c> cells.</param>
    /// <param name="destination">A matrix whose schema is <see cref="Schema"/>; one row per cell.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the work between cells.</param>
    /// <remarks>Every cell is computed independently, so the result never depends on the thread count. Memory
    /// beyond the output: one <see cref="PatchScratch"/> (about 9 bytes per pixel) per worker.</remarks>
    public void ExtractMany(ReadOnlyMemory<float> patches, FeatureMatrix destination, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Schema.EnsureCompatible(destination.Schema, "The patch feature extractor");
        int cells = destination.RowCount;
        CheckBatch(patches.Length, cells);
        Run(cells, maxDegreeOfParallelism, (cell, scratch) =>
            Extract(patches.Span.Slice(cell * Layout.ValuesPerCell, Layout.ValuesPerCell), destination.Row(cell), scratch), cancellationToken);
    }

    /// <summary>Computes the features of many patches into row-major memory, in parallel; row i is cell i.</summary>
    /// <param name="patches">The cells' channel planes, one cell after the other.</param>
    /// <param name="destination">At least <c>cellCount * FeatureCount</c> values, row-major.</param>
    /// <param name="cellCount">Number of cells.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the work between cells.</param>
    public void ExtractMany(ReadOnlyMemory<float> patches, Memory<float> destination, int cellCount, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cellCount);
        CheckBatch(patches.Length, cellCount);
        int features = Layout.FeatureCount;
        if (destination.Length < (long)cellCount * features)
        {
            throw new ArgumentException($"Expected room for {(long)cellCount * features} values ({cellCount} cells x {features} features), got {destination.Length}.", nameof(destination));
        }

        Run(cellCount, maxDegreeOfParallelism, (cell, scratch) =>
            Extract(patches.Span.Slice(cell * Layout.ValuesPerCell, Layout.ValuesPerCell), destination.Span.Slice(cell * features, features), scratch), cancellationToken);
    }

    private void CheckBatch(int patches, int cells)
    {
        long needed = (long)cells * Layout.ValuesPerCell;
        if (needed > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(cells), cells, "Too many cells for one batch; split it.");
        }

        if (patches < needed)
        {
            throw new ArgumentException($"Expected {needed} values ({cells} cells x {Layout.ValuesPerCell}), got {patches}.", nameof(patches));
        }
    }

    private void Run(int cells, int maxDegreeOfParallelism, Action<int, PatchScratch> body, CancellationToken cancellationToken)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for all cores or a positive thread count.");
        }

        if (cells == 0)
        {
            return;
        }

        int workers = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        if (workers == 1 || cells == 1)
        {
            var scratch = CreateScratch();
            for (int cell = 0; cell < cells; cell++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(cell, scratch);
            }

            return;
        }

        // Ranges of cells, several per worker so that uneven cells balance out; one scratch per worker task.
        int rangeSize = Math.Max(1, cells / (workers * 8));
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.ForEach(
            Partitioner.Create(0, cells, rangeSize),
            options,
            CreateScratch,
            (range, _, scratch) =>
            {
                for (int cell = range.Item1; cell < range.Item2; cell++)
                {
                    body(cell, scratch);
                }

                return scratch;
            },
            _ => { });
    }
}
