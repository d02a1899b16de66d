using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// The per-pixel geometric median of a stack of multi-band observations (Roberts, Mueller and McIntyre 2017,
/// IEEE TGRS 55(11)) and its median absolute deviations, with the semantics of Geoscience Australia's geomad
/// (<c>geomad/pcm.pyx</c>, Apache-2.0).
/// </summary>
/// <remarks>
/// <para>Weiszfeld iteration from the per-band mean of the usable observations, with geomad's zero-distance rule:
/// an observation that coincides with the estimate gets weight 1 in the weighted mean T, and when k of them
/// coincide the step is Vardi and Zhang's: y' = max(0, 1 - k/r) T + min(1, k/r) y with r = |(T - y) sum 1/d|.
/// The iteration stops when y moves by less than <see cref="GeomedianOptions.Epsilon"/> or after
/// <see cref="GeomedianOptions.MaxIterations"/> steps.</para>
/// <para>Sums are float64 and every intermediate geomad stores as float32 (estimate, weights, weighted mean) is
/// rounded to float32 at the same point, so results agree with geomad to float32 rounding.</para>
/// <para>Vectorised across pixels: four neighbouring pixels iterate together in the lanes of a
/// <see cref="Vector256{T}"/> of doubles (each lane stops on its own rule; finished lanes are frozen).
/// The result is bit-identical to the one-pixel-at-a-time reference, so it does not depend on how pixels are
/// grouped into blocks, tiles or threads.</para>
/// <para>Quirk dropped: geomad starts every pixel but the first of each row from the zero vector (it zeroes the
/// estimate and only re-seeds with the mean after a NaN result), which makes a pixel's value depend on its
/// neighbour. Here every pixel starts from its mean, as geomad does for the first pixel of each row.</para>
/// </remarks>
public static class Geomedian
{
    private const int Lanes = 4;

    /// <summary>Computes the geometric median of every pixel of <paramref name="stack"/>.</summary>
    /// <param name="stack">The observations (NaN = masked).</param>
    /// <param name="median">Band-planar result, <c>[b * PixelCount + p]</c>; NaN where a pixel has no usable observation.</param>
    /// <param name="options">Stopping rule; geomad's defaults when null.</param>
    public static void Compute(ObservationBlock stack, Span<float> median, GeomedianOptions? options = null)
    {
        options ??= GeomedianOptions.Default;
        options.Validate();
        int planes = stack.BandCount * stack.PixelCount;
        if (median.Length < planes)
        {
            throw new ArgumentException($"The median needs {planes} values; got {median.Length}.", nameof(median));
        }

        ComputeRange(stack, median, options, 0, stack.PixelCount);
    }

    /// <summary>The median of pixels [<paramref name="start"/>, <paramref name="end"/>) only (for parallel callers).</summary>
    internal static void ComputeRange(ObservationBlock stack, Span<float> median, GeomedianOptions options, int start, int end)
    {
        var scratch = new BlockScratch(stack.ObservationCount, stack.BandCount);
        try
        {
            for (int p0 = start; p0 < end; p0 += Lanes)
            {
                scratch.Load(stack, p0);
                MedianBlock(scratch, scratch.Kept, stack.ObservationCount, stack.BandCount, options.Epsilon, options.MaxIterations);
                scratch.StoreMedian(median, p0, stack.PixelCount, end);
            }
        }
        finally
        {
            scratch.Dispose();
        }
    }

    /// <summary>
    /// Computes the median absolute deviations of every pixel from its geometric median, and the number of usable
    /// observations, as geomad's <c>emad</c>, <c>smad</c> and <c>bcmad</c>: the median over the usable observations
    /// of the Euclidean distance, the cosine distance (1 - cos) and the Bray-Curtis dissimilarity to the median.
    /// </summary>
    /// <param name="stack">The observations (NaN = masked).</param>
    /// <param name="median">The geometric median from <see cref="Compute"/>, band-planar.</param>
    /// <param name="deviations">The result: EMAD, SMAD and BCMAD planes, <c>[k * PixelCount + p]</c> for k = 0, 1, 2; NaN where COUNT is 0.</param>
    /// <param name="count">Usable observations per pixel.</param>
    public static void ComputeDeviations(ObservationBlock stack, ReadOnlySpan<float> median, Span<float> deviations, Span<ushort> count)
    {
        int p = stack.PixelCount;
        if (median.Length < stack.BandCount * p || deviations.Length < 3 * p || count.Length < p)
        {
            throw new ArgumentException($"Buffers too short for {p} pixels of {stack.BandCount} bands (median {stack.BandCount * p}, deviations {3 * p}, count {p}).");
        }

        if (stack.ObservationCount > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(stack), stack.ObservationCount, "COUNT is stored as UInt16: at most 65535 observations.");
        }

        ComputeDeviationsRange(stack, median, deviations, count, 0, p);
    }

    /// <summary>The deviations of pixels [<paramref name="start"/>, <paramref name="end"/>) only (for parallel callers).</summary>
    internal static void ComputeDeviationsRange(ObservationBlock stack, ReadOnlySpan<float> median, Span<float> deviations, Span<ushort> count, int start, int end)
    {
        int p = stack.PixelCount;
        var scratch = new BlockScratch(stack.ObservationCount, stack.BandCount);
        float[] distances = ArrayPool<float>.Shared.Rent(3 * Lanes * Math.Max(1, stack.ObservationCount));
        try
        {
            for (int p0 = start; p0 < end; p0 += Lanes)
            {
                scratch.Load(stack, p0);
                scratch.LoadMedian(median, p0, p);
                DeviationBlock(scratch, scratch.Kept, stack.ObservationCount, stack.BandCount, distances, deviations, count, p0, p, end);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(distances);
            scratch.Dispose();
        }
    }

    /// <summary>COUNT alone for pixels [<paramref name="start"/>, <paramref name="end"/>): the observations with every band finite, as <see cref="ComputeDeviations"/> counts them.</summary>
    internal static void CountRange(ObservationBlock stack, Span<ushort> count, int start, int end)
    {
        int n = stack.ObservationCount, bands = stack.BandCount, pixels = stack.PixelCount;
        ReadOnlySpan<float> values = stack.Values;
        for (int p = start; p < end; p++)
        {
            int usable = 0;
            for (int o = 0; o < n; o++)
            {
                int at = (o * bands * pixels) + p;
                bool ok = true;
                for (int b = 0; b < bands && ok; b++)
                {
                    ok = float.IsFinite(values[at + (b * pixels)]);
                }

                usable += ok ? 1 : 0;
            }

            count[p] = (ushort)usable;
        }
    }

    /// <summary>Rounds each lane to float32 and back: the point where geomad stores into a float32 buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> R32(Vector256<double> v) => Vector256.WidenLower(Vector256.Narrow(v, v));

    /// <param name="s">The block, holding only the observations usable in at least one lane.</param>
    /// <param name="n">Observations held (<see cref="BlockScratch.Kept"/>).</param>
    /// <param name="stackCount">Observations in the whole stack: geomad's "all coincide" test compares with it.</param>
    /// <param name="bands">Bands per observation.</param>
    /// <param name="epsilon">Stopping distance.</param>
    /// <param name="maxIterations">Iteration cap.</param>
    private static void MedianBlock(BlockScratch s, int n, int stackCount, int bands, float epsilon, int maxIterations)
    {
        Span<Vector256<double>> x = s.X;
        Span<Vector256<double>> valid = s.Valid;
        Span<Vector256<double>> dinv = s.Dinv;
        Span<Vector256<double>> y = s.Y;
        Span<Vector256<double>> t = s.T;
        Span<Vector256<double>> y1 = s.Y1;
        Vector256<double> one = Vector256<double>.One;
        Vector256<double> zero = Vector256<double>.Zero;

        // Start: per-band mean of the usable observations (float64 sum, stored as float32).
        Vector256<double> k = zero;
        for (int o = 0; o < n; o++)
        {
            k += valid[o] & one;
        }

        for (int b = 0; b < bands; b++)
        {
            Vector256<double> sum = zero;
            for (int o = 0; o < n; o++)
            {
                sum += x[(o * bands) + b];
            }

            y[b] = R32(sum / k);
        }

        Vector256<double> active = Vector256.GreaterThan(k, zero);
        Vector256<double> total = Vector256.Create((double)stackCount);
        Vector256<double> eps = Vector256.Create((double)epsilon);
        for (int iteration = 0; iteration < maxIterations && active != zero; iteration++)
        {
            Vector256<double> dinvSum = zero;
            Vector256<double> zeros = zero;
            for (int o = 0; o < n; o++)
            {
                Vector256<double> sq = zero;
                for (int b = 0; b < bands; b++)
                {
                    Vector256<double> d = x[(o * bands) + b] - y[b];
                    sq += d * d;
                }

                Vector256<double> dist = Vector256.Sqrt(sq);
                Vector256<double> atZero = Vector256.Equals(dist, zero);

                // geomad: Dinv = w / D, or w where D = 0 (w = 1), stored as float32; masked observations add nothing.
                Vector256<double> inverse = R32(Vector256.ConditionalSelect(atZero, one, one / dist)) & valid[o];
                dinv[o] = inverse;
                dinvSum += inverse;
                zeros += atZero & valid[o] & one;
            }

            for (int b = 0; b < bands; b++)
            {
                t[b] = zero;
            }

            for (int o = 0; o < n; o++)
            {
                Vector256<double> w = R32(dinv[o] / dinvSum);
                for (int b = 0; b < bands; b++)
                {
                    // float32 product (exact in float64, then rounded once), summed in float64.
                    t[b] += R32(w * x[(o * bands) + b]);
                }
            }

            // Every observation coincides with y (only possible when none is masked): y is the answer.
            Vector256<double> allAtZero = Vector256.Equals(zeros, total);
            Vector256<double> noneAtZero = Vector256.Equals(zeros, zero);
            Vector256<double> rNorm = zero;
            for (int b = 0; b < bands; b++)
            {
                t[b] = R32(t[b]);
                Vector256<double> rb = R32(R32(t[b] - y[b]) * dinvSum);
                rNorm += rb * rb;
            }

            rNorm = Vector256.Sqrt(rNorm);
            Vector256<double> rInverse = Vector256.ConditionalSelect(Vector256.GreaterThan(rNorm, zero), zeros / rNorm, zero);
            Vector256<double> tWeight = Vector256.Max(zero, one - rInverse);
            Vector256<double> yWeight = Vector256.Min(one, rInverse);
            Vector256<double> step = zero;
            for (int b = 0; b < bands; b++)
            {
                Vector256<double> next = Vector256.ConditionalSelect(noneAtZero, t[b], R32((tWeight * t[b]) + (yWeight * y[b])));
                next = Vector256.ConditionalSelect(allAtZero, y[b], next);
                y1[b] = next;
                Vector256<double> d = R32(y[b] - next);
                step += d * d;
            }

            step = Vector256.Sqrt(step);
            for (int b = 0; b < bands; b++)
            {
                y[b] = Vector256.ConditionalSelect(active, y1[b], y[b]);
            }

            // A lane stops when all its observations coincide, when the step is NaN, or when it is below eps.
            Vector256<double> done = allAtZero | ~Vector256.Equals(step, step) | Vector256.LessThan(step, eps);
            active = Vector256.AndNot(active, done);
        }

        // Lanes without a usable observation are NaN (geomad: nanmean of nothing).
        Vector256<double> none = Vector256.Equals(k, zero);
        for (int b = 0; b < bands; b++)
        {
            y[b] = Vector256.ConditionalSelect(none, Vector256.Create(double.NaN), y[b]);
        }
    }

    private static void DeviationBlock(BlockScratch s, int kept, int n, int bands, float[] distances, Span<float> deviations, Span<ushort> count, int p0, int pixels, int end)
    {
        Span<Vector256<double>> x = s.X;
        Span<Vector256<double>> y = s.Y;
        Vector256<double> zero = Vector256<double>.Zero;
        Vector256<double> normB = zero;
        for (int b = 0; b < bands; b++)
        {
            normB += R32(y[b] * y[b]);
        }

        normB = Vector256.Sqrt(normB);
        Span<double> e = stackalloc double[Lanes];
        Span<double> c = stackalloc double[Lanes];
        Span<double> bc = stackalloc double[Lanes];
        Span<int> used = stackalloc int[Lanes];
        used.Clear();
        for (int o = 0; o < kept; o++)
        {
            Vector256<double> sq = zero, dot = zero, normA = zero, absDiff = zero, absSum = zero;
            for (int b = 0; b < bands; b++)
            {
                Vector256<double> xv = x[(o * bands) + b];
                // geomad subtracts in float32 here (both operands are float32 buffers).
                Vector256<double> d = R32(xv - y[b]);
                sq += d * d;
                dot += R32(xv * y[b]);
                normA += R32(xv * xv);
                absDiff += Vector256.Abs(d);
                absSum += Vector256.Abs(R32(xv + y[b]));
            }

            R32(Vector256.Sqrt(sq)).CopyTo(e);
            R32(Vector256<double>.One - (dot / (Vector256.Sqrt(normA) * normB))).CopyTo(c);
            R32(absDiff / absSum).CopyTo(bc);
            Vector256<double> v = s.Valid[o];
            for (int lane = 0; lane < Lanes; lane++)
            {
                if (v.GetElement(lane) != 0)
                {
                    int at = (lane * 3 * n) + used[lane];
                    distances[at] = (float)e[lane];
                    distances[at + n] = (float)c[lane];
                    distances[at + (2 * n)] = (float)bc[lane];
                    used[lane]++;
                }
            }
        }

        int lanes = Math.Min(Lanes, end - p0);
        for (int lane = 0; lane < lanes; lane++)
        {
            int m = used[lane];
            count[p0 + lane] = (ushort)m;
            for (int kind = 0; kind < 3; kind++)
            {
                deviations[(kind * pixels) + p0 + lane] = MedianInPlace(distances.AsSpan((lane * 3 * n) + (kind * n), m));
            }
        }
    }

    /// <summary>numpy's median of float32 values: the middle value, or the float32 mean of the two middle ones; NaN when empty.</summary>
    internal static float MedianInPlace(Span<float> values)
    {
        if (values.IsEmpty)
        {
            return float.NaN;
        }

        values.Sort();
        int half = values.Length / 2;
        return (values.Length & 1) == 1 ? values[half] : (values[half - 1] + values[half]) / 2f;
    }

    /// <summary>Per-block working set: the stack of four pixels widened to float64, and the iteration's vectors.</summary>
    private sealed class BlockScratch : IDisposable
    {
        private readonly Vector256<double>[] _x;
        private readonly Vector256<double>[] _valid;
        private readonly Vector256<double>[] _dinv;
        private readonly int _n;
        private readonly int _bands;

        public BlockScratch(int observations, int bands)
        {
            _n = observations;
            _bands = bands;
            _x = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(1, observations * bands));
            _valid = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(1, observations));
            _dinv = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(1, observations));
            Y = new Vector256<double>[bands];
            Y1 = new Vector256<double>[bands];
            T = new Vector256<double>[bands];
        }

        /// <summary>Observations loaded: those usable in at least one lane (the others add exact zeros to every sum).</summary>
        public int Kept { get; private set; }

        public Span<Vector256<double>> X => _x.AsSpan(0, Kept * _bands);

        public Span<Vector256<double>> Valid => _valid.AsSpan(0, Kept);

        public Span<Vector256<double>> Dinv => _dinv.AsSpan(0, Kept);

        public Vector256<double>[] Y { get; }

        public Vector256<double>[] Y1 { get; }

        public Vector256<double>[] T { get; }

        /// <summary>Loads pixels p0..p0+3 (NaN beyond the end); masked observations become all-zero with a zero mask.</summary>
        public void Load(ObservationBlock stack, int p0)
        {
            Span<float> tail = stackalloc float[Lanes];
            Vector256<double> limit = Vector256.Create(double.PositiveInfinity);
            int pixels = stack.PixelCount;
            int kept = 0;
            for (int o = 0; o < _n; o++)
            {
                Vector256<double> ok = Vector256<double>.AllBitsSet;
                for (int b = 0; b < _bands; b++)
                {
                    ReadOnlySpan<float> plane = stack.Plane(o, b);
                    Vector128<float> v;
                    if (p0 + Lanes <= pixels)
                    {
                        v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(plane), (nuint)p0);
                    }
                    else
                    {
                        tail.Fill(float.NaN);
                        plane[p0..].CopyTo(tail);
                        v = Vector128.Create((ReadOnlySpan<float>)tail);
                    }

                    Vector256<double> wide = Vector256.Create(Vector128.WidenLower(v), Vector128.WidenUpper(v));
                    _x[(kept * _bands) + b] = wide;
                    ok &= Vector256.LessThan(Vector256.Abs(wide), limit);
                }

                if (ok == Vector256<double>.Zero)
                {
                    continue;
                }

                _valid[kept] = ok;
                for (int b = 0; b < _bands; b++)
                {
                    _x[(kept * _bands) + b] &= ok;
                }

                kept++;
            }

            Kept = kept;
        }

        public void LoadMedian(ReadOnlySpan<float> median, int p0, int pixels)
        {
            Span<double> lanes = stackalloc double[Lanes];
            for (int b = 0; b < _bands; b++)
            {
                for (int lane = 0; lane < Lanes; lane++)
                {
                    lanes[lane] = p0 + lane < pixels ? median[(b * pixels) + p0 + lane] : double.NaN;
                }

                Y[b] = Vector256.Create((ReadOnlySpan<double>)lanes);
            }
        }

        public void StoreMedian(Span<float> median, int p0, int pixels, int end)
        {
            Span<double> lanes = stackalloc double[Lanes];
            int count = Math.Min(Lanes, end - p0);
            for (int b = 0; b < _bands; b++)
            {
                Y[b].CopyTo(lanes);
                for (int lane = 0; lane < count; lane++)
                {
                    median[(b * pixels) + p0 + lane] = (float)lanes[lane];
                }
            }
        }

        public void Dispose()
        {
            ArrayPool<Vector256<double>>.Shared.Return(_x);
            ArrayPool<Vector256<double>>.Shared.Return(_valid);
            ArrayPool<Vector256<double>>.Shared.Return(_dinv);
        }
    }
}
