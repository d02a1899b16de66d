using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// <para>Vectorised across pixels: eight neighbouring pixels iterate together, their observations in the float32
/// lanes of a <see cref="Vector256{T}"/> and their float64 sums in two vectors of four doubles (each lane stops on
/// its own rule; finished lanes are frozen).
/// The result is bit-identical to the one-pixel-at-a-time reference, so it does not depend on how pixels are
/// grouped into blocks, tiles or threads.</para>
/// <para>Quirk dropped: geomad starts every pixel but the first of each row from the zero vector (it zeroes the
/// estimate and only re-seeds with the mean after a NaN result), which makes a pixel's value depend on its
/// neighbour. Here every pixel starts from its mean, as geomad does for the first pixel of each row.</para>
/// </remarks>
public static class Geomedian
{
    private const int Lanes = 4;

    /// <summary>Pixels per block of the median: eight float32 lanes, each half iterated in a vector of four doubles.</summary>
    private const int MedianLanes = 8;

    /// <summary>Pixels ahead of the block being loaded whose cache lines <see cref="MedianScratch.Load"/> prefetches: 128 bytes, four blocks (two blocks ahead: 5-8% off the synthetic benchmark stack, four: 10%, eight: the same).</summary>
    private const int PrefetchAhead = 4 * MedianLanes;

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
        var scratch = new MedianScratch(stack.ObservationCount, stack.BandCount);
        try
        {
            for (int p0 = start; p0 < end; p0 += MedianLanes)
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

    /// <summary>
    /// Whether the weights of the Weiszfeld loop are products by the sum's reciprocal instead of divisions (x86 with AVX),
    /// their float32 rounding checked against the exact quotient's (<see cref="NearHalfWay"/>).
    /// </summary>
    /// <remarks>
    /// Measured on a Zen 4 core (docs/benchmarks.md): 5-7% off the kernel. The other float64 reciprocal of the loop,
    /// <c>1 / sqrt(D^2)</c>, was tried the same way (a 12- or 14-bit estimate, two or three Newton steps with fused
    /// multiply-adds, the same check) and was 10-20% slower than the square root and division it replaced.
    /// </remarks>
    internal static readonly bool FastReciprocals = Avx.IsSupported;

    // A float64 becomes float32 by dropping its 29 low significand bits, rounding to nearest: two float64 values a few
    // units in the last place apart round to the same float32 unless those bits lie near the half-way pattern 1 << 28.
    private const ulong DroppedBits = (1UL << 29) - 1, HalfWay = 1UL << 28, HalfWayMargin = 64;

    // Below this a quotient is near float32's subnormal range, where rounding drops more than 29 bits.
    private const double SafeQuotientMin = 1e-36;

    /// <summary>
    /// Lanes whose value lies within <see cref="HalfWayMargin"/> float64 units in the last place of a float32 rounding
    /// boundary: there an approximation a few units off could round to another float32 than the exact value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> NearHalfWay(Vector256<double> v)
    {
        Vector256<ulong> low = v.AsUInt64() & Vector256.Create(DroppedBits);
        return Vector256.LessThanOrEqual(low - Vector256.Create(HalfWay - HalfWayMargin), Vector256.Create(2 * HalfWayMargin)).AsDouble();
    }

    /// <summary>
    /// geomad's weight <c>(float)(d / sum)</c> for eight lanes: with <see cref="FastReciprocals"/> the product by the
    /// sum's reciprocal (computed once per iteration, within two float64 units in the last place of the quotient),
    /// and the exact division of the whole vector where a lane could round otherwise (<see cref="NearHalfWay"/>, about
    /// one lane in four million) or falls below float32's normal range: the same bits as dividing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Quotient(Vector256<double> dLo, Vector256<double> dHi, Vector256<double> sumLo, Vector256<double> sumHi, Vector256<double> sumInverseLo, Vector256<double> sumInverseHi)
    {
        if (FastReciprocals)
        {
            Vector256<double> qLo = dLo * sumInverseLo, qHi = dHi * sumInverseHi;
            Vector256<double> tiny = Vector256.Create(SafeQuotientMin), zero = Vector256<double>.Zero;
            Vector256<double> doubt = NearHalfWay(qLo) | NearHalfWay(qHi)
                | (Vector256.LessThan(qLo, tiny) & ~Vector256.Equals(qLo, zero))
                | (Vector256.LessThan(qHi, tiny) & ~Vector256.Equals(qHi, zero));
            if (doubt == Vector256<double>.Zero)
            {
                return Vector256.Narrow(qLo, qHi);
            }
        }

        return Vector256.Narrow(dLo / sumLo, dHi / sumHi);
    }

    /// <summary>Rounds each lane to float32 and back: the point where geomad stores into a float32 buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> R32(Vector256<double> v) => Vector256.WidenLower(Vector256.Narrow(v, v));

    /// <summary>Widens eight float32 lanes to two vectors of four doubles (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lower, Vector256<double> Upper) Widen(Vector256<float> v) =>
        (Vector256.WidenLower(v), Vector256.WidenUpper(v));

    /// <param name="s">The block of eight pixels, holding only the observations usable in at least one lane.</param>
    /// <param name="n">Observations held (<see cref="MedianScratch.Kept"/>).</param>
    /// <param name="stackCount">Observations in the whole stack: geomad's "all coincide" test compares with it.</param>
    /// <param name="bands">Bands per observation.</param>
    /// <param name="epsilon">Stopping distance.</param>
    /// <param name="maxIterations">Iteration cap.</param>
    /// <remarks>
    /// The observations stay float32 (half the memory of float64 lanes) and are widened where geomad computes in
    /// float64. geomad's float32 product <c>w * x</c> is done as a float32 multiplication on eight lanes: the product of
    /// two float32 values is exact in float64, so rounding it to float32 is exactly the float32 product, the same bits.
    /// The float64 state (estimate, sums) is held as two vectors of four lanes, lower and upper, indexed [2 b + h].
    /// </remarks>
    private static void MedianBlock(MedianScratch s, int n, int stackCount, int bands, float epsilon, int maxIterations)
    {
        Span<Vector256<float>> x = s.X;
        Span<Vector256<float>> validF = s.ValidSingle;
        Span<Vector256<double>> valid = s.Valid;
        Span<Vector256<float>> dinv = s.Dinv;
        Span<Vector256<double>> y = s.Y;
        Span<Vector256<double>> t = s.T;
        Span<Vector256<double>> y1 = s.Y1;
        Vector256<double> one = Vector256<double>.One;
        Vector256<double> zero = Vector256<double>.Zero;

        // Start: per-band mean of the usable observations (float64 sum, stored as float32).
        Vector256<double> kLo = zero, kHi = zero;
        for (int o = 0; o < n; o++)
        {
            kLo += valid[2 * o] & one;
            kHi += valid[(2 * o) + 1] & one;
        }

        for (int b = 0; b < bands; b++)
        {
            Vector256<double> sumLo = zero, sumHi = zero;
            for (int o = 0; o < n; o++)
            {
                (Vector256<double> lo, Vector256<double> hi) = Widen(x[(o * bands) + b]);
                sumLo += lo;
                sumHi += hi;
            }

            y[2 * b] = R32(sumLo / kLo);
            y[(2 * b) + 1] = R32(sumHi / kHi);
        }

        Vector256<double> activeLo = Vector256.GreaterThan(kLo, zero), activeHi = Vector256.GreaterThan(kHi, zero);
        Vector256<double> total = Vector256.Create((double)stackCount);
        Vector256<double> eps = Vector256.Create((double)epsilon);
        for (int iteration = 0; iteration < maxIterations && (activeLo | activeHi) != zero; iteration++)
        {
            Vector256<double> sumLo = zero, sumHi = zero, zerosLo = zero, zerosHi = zero;
            for (int o = 0; o < n; o++)
            {
                Vector256<double> sqLo = zero, sqHi = zero;
                for (int b = 0; b < bands; b++)
                {
                    (Vector256<double> lo, Vector256<double> hi) = Widen(x[(o * bands) + b]);
                    Vector256<double> dLo = lo - y[2 * b];
                    Vector256<double> dHi = hi - y[(2 * b) + 1];
                    sqLo += dLo * dLo;
                    sqHi += dHi * dHi;
                }

                Vector256<double> distLo = Vector256.Sqrt(sqLo), distHi = Vector256.Sqrt(sqHi);
                Vector256<double> atZeroLo = Vector256.Equals(distLo, zero), atZeroHi = Vector256.Equals(distHi, zero);

                // geomad: Dinv = w / D, or w where D = 0 (w = 1), stored as float32; masked observations add nothing.
                Vector256<float> inverse = Vector256.Narrow(
                    Vector256.ConditionalSelect(atZeroLo, one, one / distLo),
                    Vector256.ConditionalSelect(atZeroHi, one, one / distHi)) & validF[o];
                dinv[o] = inverse;
                (Vector256<double> iLo, Vector256<double> iHi) = Widen(inverse);
                sumLo += iLo;
                sumHi += iHi;
                zerosLo += atZeroLo & valid[2 * o] & one;
                zerosHi += atZeroHi & valid[(2 * o) + 1] & one;
            }

            for (int i = 0; i < 2 * bands; i++)
            {
                t[i] = zero;
            }

            Vector256<double> sumInverseLo = one / sumLo, sumInverseHi = one / sumHi;
            for (int o = 0; o < n; o++)
            {
                (Vector256<double> dLo, Vector256<double> dHi) = Widen(dinv[o]);
                Vector256<float> w = Quotient(dLo, dHi, sumLo, sumHi, sumInverseLo, sumInverseHi);
                for (int b = 0; b < bands; b++)
                {
                    // float32 product on eight lanes (the same bits as rounding the exact float64 product), summed in float64.
                    (Vector256<double> lo, Vector256<double> hi) = Widen(w * x[(o * bands) + b]);
                    t[2 * b] += lo;
                    t[(2 * b) + 1] += hi;
                }
            }

            Vector256<double> doneLo = Step(y, t, y1, bands, 0, sumLo, zerosLo, total, eps, activeLo);
            Vector256<double> doneHi = Step(y, t, y1, bands, 1, sumHi, zerosHi, total, eps, activeHi);
            activeLo = Vector256.AndNot(activeLo, doneLo);
            activeHi = Vector256.AndNot(activeHi, doneHi);
        }

        // Lanes without a usable observation are NaN (geomad: nanmean of nothing).
        Vector256<double> noneLo = Vector256.Equals(kLo, zero), noneHi = Vector256.Equals(kHi, zero);
        Vector256<double> nan = Vector256.Create(double.NaN);
        for (int b = 0; b < bands; b++)
        {
            y[2 * b] = Vector256.ConditionalSelect(noneLo, nan, y[2 * b]);
            y[(2 * b) + 1] = Vector256.ConditionalSelect(noneHi, nan, y[(2 * b) + 1]);
        }
    }

    /// <summary>
    /// One half's Weiszfeld / Vardi-Zhang update from the weighted mean T: moves the active lanes of y and returns
    /// the lanes that stop (all observations coincide, NaN step, or a step below eps).
    /// </summary>
    private static Vector256<double> Step(Span<Vector256<double>> y, Span<Vector256<double>> t, Span<Vector256<double>> y1, int bands, int half,
        Vector256<double> dinvSum, Vector256<double> zeros, Vector256<double> total, Vector256<double> eps, Vector256<double> active)
    {
        Vector256<double> one = Vector256<double>.One;
        Vector256<double> zero = Vector256<double>.Zero;

        // Every observation coincides with y (only possible when none is masked): y is the answer.
        Vector256<double> allAtZero = Vector256.Equals(zeros, total);
        Vector256<double> noneAtZero = Vector256.Equals(zeros, zero);
        Vector256<double> rNorm = zero;
        for (int b = 0; b < bands; b++)
        {
            int i = (2 * b) + half;
            t[i] = R32(t[i]);
            Vector256<double> rb = R32(R32(t[i] - y[i]) * dinvSum);
            rNorm += rb * rb;
        }

        rNorm = Vector256.Sqrt(rNorm);
        Vector256<double> rInverse = Vector256.ConditionalSelect(Vector256.GreaterThan(rNorm, zero), zeros / rNorm, zero);
        Vector256<double> tWeight = Vector256.Max(zero, one - rInverse);
        Vector256<double> yWeight = Vector256.Min(one, rInverse);
        Vector256<double> step = zero;
        for (int b = 0; b < bands; b++)
        {
            int i = (2 * b) + half;
            Vector256<double> next = Vector256.ConditionalSelect(noneAtZero, t[i], R32((tWeight * t[i]) + (yWeight * y[i])));
            next = Vector256.ConditionalSelect(allAtZero, y[i], next);
            y1[i] = next;
            Vector256<double> d = R32(y[i] - next);
            step += d * d;
        }

        step = Vector256.Sqrt(step);
        for (int b = 0; b < bands; b++)
        {
            int i = (2 * b) + half;
            y[i] = Vector256.ConditionalSelect(active, y1[i], y[i]);
        }

        return allAtZero | ~Vector256.Equals(step, step) | Vector256.LessThan(step, eps);
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

    /// <summary>The median's working set for eight pixels: the stack as float32 lanes, the float64 state as lower / upper halves.</summary>
    private sealed class MedianScratch : IDisposable
    {
        private readonly Vector256<float>[] _x;
        private readonly Vector256<float>[] _validSingle;
        private readonly Vector256<double>[] _valid;
        private readonly Vector256<float>[] _dinv;
        private readonly int _n;
        private readonly int _bands;

        public MedianScratch(int observations, int bands)
        {
            _n = observations;
            _bands = bands;
            _x = ArrayPool<Vector256<float>>.Shared.Rent(Math.Max(1, observations * bands));
            _validSingle = ArrayPool<Vector256<float>>.Shared.Rent(Math.Max(1, observations));
            _valid = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(2, 2 * observations));
            _dinv = ArrayPool<Vector256<float>>.Shared.Rent(Math.Max(1, observations));
            Y = new Vector256<double>[2 * bands];
            Y1 = new Vector256<double>[2 * bands];
            T = new Vector256<double>[2 * bands];
        }

        /// <summary>Observations loaded: those usable in at least one lane (the others add exact zeros to every sum).</summary>
        public int Kept { get; private set; }

        /// <summary>The observations, <c>[o * bands + b]</c>; masked lanes hold zero.</summary>
        public Span<Vector256<float>> X => _x.AsSpan(0, Kept * _bands);

        /// <summary>Per observation, all bits set in the lanes where every band is usable.</summary>
        public Span<Vector256<float>> ValidSingle => _validSingle.AsSpan(0, Kept);

        /// <summary>The same masks as float64 lanes, <c>[2 o + h]</c> for the lower (h = 0) and upper four pixels.</summary>
        public Span<Vector256<double>> Valid => _valid.AsSpan(0, 2 * Kept);

        public Span<Vector256<float>> Dinv => _dinv.AsSpan(0, Kept);

        public Vector256<double>[] Y { get; }

        public Vector256<double>[] Y1 { get; }

        public Vector256<double>[] T { get; }

        /// <summary>Loads pixels p0..p0+7 (NaN beyond the end); masked observations become all-zero with a zero mask.</summary>
        public void Load(ObservationBlock stack, int p0)
        {
            Span<float> tail = stackalloc float[MedianLanes];
            Vector256<float> limit = Vector256.Create(float.PositiveInfinity);
            int pixels = stack.PixelCount;
            int kept = 0;

            // Each block reads 32 bytes from every (observation, band) plane, far more streams than the hardware
            // prefetcher follows; ask for the line four blocks ahead while this one iterates (once per 64-byte line).
            bool prefetch = Sse.IsSupported && (p0 & 15) == 0 && p0 + PrefetchAhead < pixels;
            for (int o = 0; o < _n; o++)
            {
                Vector256<float> ok = Vector256<float>.AllBitsSet;
                for (int b = 0; b < _bands; b++)
                {
                    ReadOnlySpan<float> plane = stack.Plane(o, b);
                    Vector256<float> v;
                    if (p0 + MedianLanes <= pixels)
                    {
                        v = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(plane), (nuint)p0);
                    }
                    else
                    {
                        tail.Fill(float.NaN);
                        plane[p0..].CopyTo(tail);
                        v = Vector256.Create((ReadOnlySpan<float>)tail);
                    }

                    _x[(kept * _bands) + b] = v;
                    ok &= Vector256.LessThan(Vector256.Abs(v), limit);
                    if (prefetch)
                    {
                        unsafe
                        {
                            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), p0 + PrefetchAhead)));
                        }
                    }
                }

                if (ok == Vector256<float>.Zero)
                {
                    continue;
                }

                _validSingle[kept] = ok;
                Vector256<int> mask = ok.AsInt32();
                _valid[2 * kept] = Vector256.WidenLower(mask).AsDouble();
                _valid[(2 * kept) + 1] = Vector256.WidenUpper(mask).AsDouble();
                for (int b = 0; b < _bands; b++)
                {
                    _x[(kept * _bands) + b] &= ok;
                }

                kept++;
            }

            Kept = kept;
        }

        public void StoreMedian(Span<float> median, int p0, int pixels, int end)
        {
            Span<float> lanes = stackalloc float[MedianLanes];
            int count = Math.Min(MedianLanes, end - p0);
            for (int b = 0; b < _bands; b++)
            {
                Vector256<float> v = Vector256.Narrow(Y[2 * b], Y[(2 * b) + 1]);
                if (count == MedianLanes)
                {
                    v.StoreUnsafe(ref MemoryMarshal.GetReference(median), (nuint)((b * pixels) + p0));
                }
                else
                {
                    v.CopyTo(lanes);
                    lanes[..count].CopyTo(median.Slice((b * pixels) + p0, count));
                }
            }
        }

        public void Dispose()
        {
            ArrayPool<Vector256<float>>.Shared.Return(_x);
            ArrayPool<Vector256<float>>.Shared.Return(_validSingle);
            ArrayPool<Vector256<double>>.Shared.Return(_valid);
            ArrayPool<Vector256<float>>.Shared.Return(_dinv);
        }
    }

    /// <summary>The deviations' working set: the stack of four pixels widened to float64, and their median.</summary>
    private sealed class BlockScratch : IDisposable
    {
        private readonly Vector256<double>[] _x;
        private readonly Vector256<double>[] _valid;
        private readonly int _n;
        private readonly int _bands;

        public BlockScratch(int observations, int bands)
        {
            _n = observations;
            _bands = bands;
            _x = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(1, observations * bands));
            _valid = ArrayPool<Vector256<double>>.Shared.Rent(Math.Max(1, observations));
            Y = new Vector256<double>[bands];
        }

        /// <summary>Observations loaded: those usable in at least one lane (the others add exact zeros to every sum).</summary>
        public int Kept { get; private set; }

        public Span<Vector256<double>> X => _x.AsSpan(0, Kept * _bands);

        public Span<Vector256<double>> Valid => _valid.AsSpan(0, Kept);

        public Vector256<double>[] Y { get; }

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

        public void Dispose()
        {
            ArrayPool<Vector256<double>>.Shared.Return(_x);
            ArrayPool<Vector256<double>>.Shared.Return(_valid);
        }
    }
}
