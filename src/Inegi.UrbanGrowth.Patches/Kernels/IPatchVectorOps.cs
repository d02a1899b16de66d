using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Patches.Kernels;

/// <summary>
/// The vector operations the patch kernels need, one implementation per width, so that each kernel is written once
/// over <typeparamref name="TFloat"/> and the JIT specialises it for 128-, 256- and 512-bit vectors (static abstract
/// members on struct type arguments, the pattern of Spectral's <c>ISimdOps</c> and TensorPrimitives' operators).
/// </summary>
/// <remarks>
/// Sums in float64 must not depend on the width, so they are kept in <em>eight</em> lanes whatever the width
/// (<typeparamref name="TEight"/>: lane j adds the values whose index is j modulo 8, in index order) and reduced in
/// one fixed order (<see cref="PatchKernels.ReduceEight"/>). That is the order of the AVX2 kernel that wrote every
/// feature table so far, so all widths, and the scalar reference, give its bits. Hence a vector holds at least 8
/// floats: the 128-bit implementation works on pairs of <see cref="Vector128{T}"/>.
/// </remarks>
/// <typeparam name="TFloat">A vector of <see cref="Count"/> floats.</typeparam>
/// <typeparam name="TInt">A vector of <see cref="Count"/> ints (also lane masks: all ones or zero).</typeparam>
/// <typeparam name="TEight">Eight doubles, one per sum lane.</typeparam>
internal interface IPatchVectorOps<TFloat, TInt, TEight>
    where TFloat : struct
    where TInt : struct
    where TEight : struct
{
    /// <summary>Floats per <typeparamref name="TFloat"/>: 8 or 16.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> floats.</summary>
    static abstract TFloat Load(ref float source);

    /// <summary>Loads <see cref="Count"/> ints.</summary>
    static abstract TInt LoadInt(ref int source);

    /// <summary>Stores <see cref="Count"/> ints.</summary>
    static abstract void StoreInt(TInt value, ref int destination);

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TFloat Create(float value);

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TInt CreateInt(int value);

    /// <summary>Lane-wise minimum (IEEE: -0 below +0, as <see cref="Math.Min(float, float)"/>).</summary>
    static abstract TFloat Min(TFloat x, TFloat y);

    /// <summary>Lane-wise maximum (as <see cref="Math.Max(float, float)"/>).</summary>
    static abstract TFloat Max(TFloat x, TFloat y);

    /// <summary>x - y.</summary>
    static abstract TFloat Subtract(TFloat x, TFloat y);

    /// <summary>x * y.</summary>
    static abstract TFloat Multiply(TFloat x, TFloat y);

    /// <summary>x where <paramref name="mask"/> is set, else y.</summary>
    static abstract TFloat Select(TInt mask, TFloat x, TFloat y);

    /// <summary>Truncation to int, saturating (NaN to 0), as the C# cast <c>(int)x</c>.</summary>
    static abstract TInt ConvertToInt32(TFloat x);

    /// <summary>x + y.</summary>
    static abstract TInt AddInt(TInt x, TInt y);

    /// <summary>x - y.</summary>
    static abstract TInt SubtractInt(TInt x, TInt y);

    /// <summary>x &lt;&lt; count.</summary>
    static abstract TInt ShiftLeftInt(TInt x, int count);

    /// <summary>Lane-wise minimum.</summary>
    static abstract TInt MinInt(TInt x, TInt y);

    /// <summary>Lane-wise maximum.</summary>
    static abstract TInt MaxInt(TInt x, TInt y);

    /// <summary>x &amp; ~y.</summary>
    static abstract TInt AndNot(TInt x, TInt y);

    /// <summary>All ones where x == y.</summary>
    static abstract TInt EqualsInt(TInt x, TInt y);

    /// <summary>All ones where x &lt; y.</summary>
    static abstract TInt LessThan(TFloat x, TFloat y);

    /// <summary>All ones where x &gt;= y.</summary>
    static abstract TInt GreaterThanOrEqual(TFloat x, TFloat y);

    /// <summary>
    /// <c>table[index]</c> and <c>table[index + 1]</c> per lane, every index 0..9 (the histogram's edges and next
    /// edges); may read the first 17 floats of the table.
    /// </summary>
    static abstract void LookupPair(ref float table, TInt index, out TFloat atIndex, out TFloat atNext);

    /// <summary>
    /// Stores the lanes of <paramref name="value"/> where <paramref name="keep"/> is set, in lane order, at the front
    /// of <paramref name="destination"/>, and returns how many. May write up to <see cref="Count"/> floats.
    /// </summary>
    static abstract int CompressStore(TFloat value, TInt keep, ref float destination);

    /// <summary>The eight doubles of lanes 8 * <paramref name="block"/> .. + 7 (block 1 only where Count is 16).</summary>
    static abstract TEight Widen(TFloat value, int block);

    /// <summary>Eight floats from memory, as doubles.</summary>
    static abstract TEight LoadEight(ref float source);

    /// <summary>All eight lanes <paramref name="value"/>.</summary>
    static abstract TEight CreateEight(double value);

    /// <summary>x + y.</summary>
    static abstract TEight Add(TEight x, TEight y);

    /// <summary>x - y.</summary>
    static abstract TEight Subtract(TEight x, TEight y);

    /// <summary>x * y.</summary>
    static abstract TEight Multiply(TEight x, TEight y);

    /// <summary>2^e as doubles for the ints e (0..62) of lanes 8 * <paramref name="block"/> .. + 7.</summary>
    static abstract TEight PowerOfTwo(TInt exponent, int block);

    /// <summary>The smallest lane (IEEE: NaN if any lane is NaN, -0 below +0, as <see cref="Math.Min(float, float)"/> over the lanes).</summary>
    static abstract float MinAcross(TFloat value);

    /// <summary>The largest lane (as <see cref="Math.Max(float, float)"/> over the lanes).</summary>
    static abstract float MaxAcross(TFloat value);

    /// <summary>
    /// The eight lanes summed in the one canonical order, <c>((e0 + e4) + (e1 + e5)) + ((e2 + e6) + (e3 + e7))</c>
    /// (<see cref="PatchKernels.ReduceEight"/>), in registers: add the two halves of four, then each pair.
    /// </summary>
    static abstract double Sum(TEight value);

    /// <summary>
    /// For lanes holding exact integers below 2^51: the sum over the eight lanes of <c>(lane &gt;&gt; shift) &amp; mask</c>,
    /// computed in 64-bit integers (the histogram's packed counts, <see cref="PatchKernels"/>' UnpackCounts).
    /// </summary>
    static abstract long SumFields(TEight value, int shift, long mask);
}

/// <summary>The across-lane steps shared by the implementations (halves of 128 bits, then lanes within them).</summary>
internal static class AcrossLanes
{
    /// <summary>2^52 as a double: adding it to an integer below 2^51 puts that integer in the low mantissa bits.</summary>
    private const double IntegerBias = 4503599627370496.0;

    /// <summary>IEEE minimum of four lanes (Vector128.Min is <see cref="Math.Min(float, float)"/> lane by lane; min is
    /// associative and commutative under those rules, so any pairing gives the same value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(Vector128<float> v)
    {
        v = Vector128.Min(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
        return Vector128.Min(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    /// <summary>IEEE maximum of four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(Vector128<float> v)
    {
        v = Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
        return Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    /// <summary><c>(p0 + p1) + (p2 + p3)</c> for p = (e0 + e4, e1 + e5) in <paramref name="low"/> and (e2 + e6, e3 + e7) in <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> low, Vector128<double> high) =>
        (low.ToScalar() + low.GetElement(1)) + (high.ToScalar() + high.GetElement(1));

    /// <summary>The exact integers of the lanes (each below 2^51) as 64-bit integers, by the 2^52 bias (no conversion instruction needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<long> ToInt64(Vector128<double> v) =>
        (v + Vector128.Create(IntegerBias)).AsInt64() - Vector128.Create(IntegerBias).AsInt64();

    /// <summary>The exact integers of the lanes (each below 2^51) as 64-bit integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<long> ToInt64(Vector256<double> v) =>
        (v + Vector256.Create(IntegerBias)).AsInt64() - Vector256.Create(IntegerBias).AsInt64();

    /// <summary>The exact integers of the lanes (each below 2^51) as 64-bit integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<long> ToInt64(Vector512<double> v) =>
        (v + Vector512.Create(IntegerBias)).AsInt64() - Vector512.Create(IntegerBias).AsInt64();
}

/// <summary>Two <see cref="Vector128{T}"/> as one vector of eight 32-bit lanes (lanes 0-3 in <see cref="Lower"/>).</summary>
/// <typeparam name="T">float or int.</typeparam>
/// <param name="Lower">Lanes 0-3.</param>
/// <param name="Upper">Lanes 4-7.</param>
internal readonly record struct Vector128Pair<T>(Vector128<T> Lower, Vector128<T> Upper);

/// <summary>Eight doubles in four <see cref="Vector128{T}"/> (lanes 0-1, 2-3, 4-5, 6-7).</summary>
internal readonly record struct Vector128Quad(Vector128<double> A, Vector128<double> B, Vector128<double> C, Vector128<double> D);

/// <summary>Eight doubles in two <see cref="Vector256{T}"/> (lanes 0-3, 4-7).</summary>
internal readonly record struct Vector256Pair(Vector256<double> Lower, Vector256<double> Upper);

/// <summary>Lane-compaction tables: for each lane mask, the indices that move the set lanes to the front, in order.</summary>
internal static class CompressTables
{
    /// <summary>256 masks x 8 indices, for 8-lane vectors.</summary>
    public static readonly int[] Eight = Build(8);

    /// <summary>16 masks x 4 indices, for 4-lane vectors.</summary>
    public static readonly int[] Four = Build(4);

    private static int[] Build(int lanes)
    {
        var table = new int[(1 << lanes) * lanes];
        for (int mask = 0; mask < (1 << lanes); mask++)
        {
            int p = 0;
            for (int lane = 0; lane < lanes; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    table[(mask * lanes) + p++] = lane;
                }
            }
        }

        return table;
    }
}

/// <summary>128-bit vectors (SSE, NEON), two registers per 8 lanes.</summary>
internal readonly struct PatchOps128 : IPatchVectorOps<Vector128Pair<float>, Vector128Pair<int>, Vector128Quad>
{
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Load(ref float source) =>
        new(Vector128.LoadUnsafe(ref source), Vector128.LoadUnsafe(ref source, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> LoadInt(ref int source) =>
        new(Vector128.LoadUnsafe(ref source), Vector128.LoadUnsafe(ref source, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt(Vector128Pair<int> value, ref int destination)
    {
        value.Lower.StoreUnsafe(ref destination);
        value.Upper.StoreUnsafe(ref destination, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Create(float value) => new(Vector128.Create(value), Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> CreateInt(int value) => new(Vector128.Create(value), Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Min(Vector128Pair<float> x, Vector128Pair<float> y) =>
        new(Vector128.Min(x.Lower, y.Lower), Vector128.Min(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Max(Vector128Pair<float> x, Vector128Pair<float> y) =>
        new(Vector128.Max(x.Lower, y.Lower), Vector128.Max(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Subtract(Vector128Pair<float> x, Vector128Pair<float> y) => new(x.Lower - y.Lower, x.Upper - y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Multiply(Vector128Pair<float> x, Vector128Pair<float> y) => new(x.Lower * y.Lower, x.Upper * y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<float> Select(Vector128Pair<int> mask, Vector128Pair<float> x, Vector128Pair<float> y) =>
        new(Vector128.ConditionalSelect(mask.Lower.AsSingle(), x.Lower, y.Lower), Vector128.ConditionalSelect(mask.Upper.AsSingle(), x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> ConvertToInt32(Vector128Pair<float> x) =>
        new(Vector128.ConvertToInt32(x.Lower), Vector128.ConvertToInt32(x.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> AddInt(Vector128Pair<int> x, Vector128Pair<int> y) => new(x.Lower + y.Lower, x.Upper + y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> SubtractInt(Vector128Pair<int> x, Vector128Pair<int> y) => new(x.Lower - y.Lower, x.Upper - y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> ShiftLeftInt(Vector128Pair<int> x, int count) => new(x.Lower << count, x.Upper << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> MinInt(Vector128Pair<int> x, Vector128Pair<int> y) =>
        new(Vector128.Min(x.Lower, y.Lower), Vector128.Min(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> MaxInt(Vector128Pair<int> x, Vector128Pair<int> y) =>
        new(Vector128.Max(x.Lower, y.Lower), Vector128.Max(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> AndNot(Vector128Pair<int> x, Vector128Pair<int> y) =>
        new(Vector128.AndNot(x.Lower, y.Lower), Vector128.AndNot(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> EqualsInt(Vector128Pair<int> x, Vector128Pair<int> y) =>
        new(Vector128.Equals(x.Lower, y.Lower), Vector128.Equals(x.Upper, y.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> LessThan(Vector128Pair<float> x, Vector128Pair<float> y) =>
        new(Vector128.LessThan(x.Lower, y.Lower).AsInt32(), Vector128.LessThan(x.Upper, y.Upper).AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Pair<int> GreaterThanOrEqual(Vector128Pair<float> x, Vector128Pair<float> y) =>
        new(Vector128.GreaterThanOrEqual(x.Lower, y.Lower).AsInt32(), Vector128.GreaterThanOrEqual(x.Upper, y.Upper).AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LookupPair(ref float table, Vector128Pair<int> index, out Vector128Pair<float> atIndex, out Vector128Pair<float> atNext)
    {
        ref float next = ref Unsafe.Add(ref table, 1);
        atIndex = new(Lookup4(ref table, index.Lower), Lookup4(ref table, index.Upper));
        atNext = new(Lookup4(ref next, index.Lower), Lookup4(ref next, index.Upper));
    }

    /// <summary>table[index] for 4 lanes: a shuffle of each 4-float quarter of the table, chosen by index / 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Lookup4(ref float table, Vector128<int> index)
    {
        var three = Vector128.Create(3);
        Vector128<int> inQuarter = index & three;
        Vector128<int> quarter = Vector128.ShiftRightLogical(index, 2);
        Vector128<float> r = Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table), inQuarter);
        r = Vector128.ConditionalSelect(Vector128.Equals(quarter, Vector128.Create(1)).AsSingle(), Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table, 4), inQuarter), r);
        r = Vector128.ConditionalSelect(Vector128.Equals(quarter, Vector128.Create(2)).AsSingle(), Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table, 8), inQuarter), r);
        return Vector128.ConditionalSelect(Vector128.Equals(quarter, three).AsSingle(), Vector128.ShuffleNative(Vector128.LoadUnsafe(ref table, 12), inQuarter), r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompressStore(Vector128Pair<float> value, Vector128Pair<int> keep, ref float destination)
    {
        int low = Compress4(value.Lower, keep.Lower, ref destination);
        return low + Compress4(value.Upper, keep.Upper, ref Unsafe.Add(ref destination, low));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Compress4(Vector128<float> value, Vector128<int> keep, ref float destination)
    {
        uint bits = keep.ExtractMostSignificantBits();
        var permutation = Vector128.LoadUnsafe(ref MemoryMarshalHelpers.TableReference(CompressTables.Four), bits * 4);
        Vector128.ShuffleNative(value, permutation).StoreUnsafe(ref destination);
        return System.Numerics.BitOperations.PopCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Widen(Vector128Pair<float> value, int block) =>
        new(Vector128.WidenLower(value.Lower), Vector128.WidenUpper(value.Lower), Vector128.WidenLower(value.Upper), Vector128.WidenUpper(value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad LoadEight(ref float source) => Widen(Load(ref source), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad CreateEight(double value)
    {
        var v = Vector128.Create(value);
        return new(v, v, v, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Add(Vector128Quad x, Vector128Quad y) => new(x.A + y.A, x.B + y.B, x.C + y.C, x.D + y.D);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Subtract(Vector128Quad x, Vector128Quad y) => new(x.A - y.A, x.B - y.B, x.C - y.C, x.D - y.D);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Multiply(Vector128Quad x, Vector128Quad y) => new(x.A * y.A, x.B * y.B, x.C * y.C, x.D * y.D);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad PowerOfTwo(Vector128Pair<int> exponent, int block) =>
        new(PowerOfTwo2(Vector128.WidenLower(exponent.Lower)), PowerOfTwo2(Vector128.WidenUpper(exponent.Lower)),
            PowerOfTwo2(Vector128.WidenLower(exponent.Upper)), PowerOfTwo2(Vector128.WidenUpper(exponent.Upper)));

    /// <summary>2^e built from its bits: biased exponent e + 1023 in bits 52..62, zero mantissa.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> PowerOfTwo2(Vector128<long> e) => ((e + Vector128.Create(1023L)) << 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector128Pair<float> value) => AcrossLanes.Min(Vector128.Min(value.Lower, value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128Pair<float> value) => AcrossLanes.Max(Vector128.Max(value.Lower, value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128Quad value) => AcrossLanes.Sum(value.A + value.C, value.B + value.D);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumFields(Vector128Quad value, int shift, long mask)
    {
        var m = Vector128.Create(mask);
        Vector128<long> s = (Vector128.ShiftRightLogical(AcrossLanes.ToInt64(value.A), shift) & m) + (Vector128.ShiftRightLogical(AcrossLanes.ToInt64(value.B), shift) & m)
            + (Vector128.ShiftRightLogical(AcrossLanes.ToInt64(value.C), shift) & m) + (Vector128.ShiftRightLogical(AcrossLanes.ToInt64(value.D), shift) & m);
        return s.ToScalar() + s.GetElement(1);
    }
}

/// <summary>256-bit vectors (AVX2), 8 lanes.</summary>
internal readonly struct PatchOps256 : IPatchVectorOps<Vector256<float>, Vector256<int>, Vector256Pair>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadInt(ref int source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt(Vector256<int> value, ref int destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> CreateInt(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> x, Vector256<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<int> mask, Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(mask.AsSingle(), x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ConvertToInt32(Vector256<float> x) => Vector256.ConvertToInt32(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AddInt(Vector256<int> x, Vector256<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> SubtractInt(Vector256<int> x, Vector256<int> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeftInt(Vector256<int> x, int count) => x << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MinInt(Vector256<int> x, Vector256<int> y) => Vector256.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MaxInt(Vector256<int> x, Vector256<int> y) => Vector256.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AndNot(Vector256<int> x, Vector256<int> y) => Vector256.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> EqualsInt(Vector256<int> x, Vector256<int> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LessThan(Vector256<float> x, Vector256<float> y) => Vector256.LessThan(x, y).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> GreaterThanOrEqual(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThanOrEqual(x, y).AsInt32();

    /// <summary>
    /// Both lookups from two registers each (the table from 0 and from 1): a shuffle of each half by the low 3 index
    /// bits, the upper half's chosen where index &gt; 7. The two masks are one condition written two ways on purpose:
    /// a mask the JIT sees computed right beside its select becomes one blend, a shared mask variable becomes
    /// and / and-not / or.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LookupPair(ref float table, Vector256<int> index, out Vector256<float> atIndex, out Vector256<float> atNext)
    {
        Vector256<int> inHalf = index & Vector256.Create(7);
        atIndex = Vector256.ConditionalSelect(
            Vector256.GreaterThan(index, Vector256.Create(7)).AsSingle(),
            Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table, 8), inHalf),
            Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table), inHalf));
        atNext = Vector256.ConditionalSelect(
            Vector256.GreaterThan(index, inHalf).AsSingle(),
            Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table, 9), inHalf),
            Vector256.ShuffleNative(Vector256.LoadUnsafe(ref table, 1), inHalf));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompressStore(Vector256<float> value, Vector256<int> keep, ref float destination) =>
        Compress8(value, keep, ref destination);

    /// <summary>The 8-lane compaction, also used by the 512-bit implementation for each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Compress8(Vector256<float> value, Vector256<int> keep, ref float destination)
    {
        uint bits = keep.ExtractMostSignificantBits();
        var permutation = Vector256.LoadUnsafe(ref MemoryMarshalHelpers.TableReference(CompressTables.Eight), bits * 8);
        Vector256.ShuffleNative(value, permutation).StoreUnsafe(ref destination);
        return System.Numerics.BitOperations.PopCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair Widen(Vector256<float> value, int block) => new(Vector256.WidenLower(value), Vector256.WidenUpper(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair LoadEight(ref float source) => Widen(Load(ref source), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair CreateEight(double value) => new(Vector256.Create(value), Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair Add(Vector256Pair x, Vector256Pair y) => new(x.Lower + y.Lower, x.Upper + y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair Subtract(Vector256Pair x, Vector256Pair y) => new(x.Lower - y.Lower, x.Upper - y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair Multiply(Vector256Pair x, Vector256Pair y) => new(x.Lower * y.Lower, x.Upper * y.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair PowerOfTwo(Vector256<int> exponent, int block)
    {
        var bias = Vector256.Create(1023L);
        return new(((Vector256.WidenLower(exponent) + bias) << 52).AsDouble(), ((Vector256.WidenUpper(exponent) + bias) << 52).AsDouble());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector256<float> value) => AcrossLanes.Min(Vector128.Min(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value) => AcrossLanes.Max(Vector128.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256Pair value)
    {
        Vector256<double> p = value.Lower + value.Upper;
        return AcrossLanes.Sum(p.GetLower(), p.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumFields(Vector256Pair value, int shift, long mask)
    {
        var m = Vector256.Create(mask);
        Vector256<long> s = (Vector256.ShiftRightLogical(AcrossLanes.ToInt64(value.Lower), shift) & m) + (Vector256.ShiftRightLogical(AcrossLanes.ToInt64(value.Upper), shift) & m);
        Vector128<long> t = s.GetLower() + s.GetUpper();
        return t.ToScalar() + t.GetElement(1);
    }
}

/// <summary>512-bit vectors (AVX-512), 16 lanes; the eight sum lanes fill one <see cref="Vector512{T}"/> of doubles.</summary>
internal readonly struct PatchOps512 : IPatchVectorOps<Vector512<float>, Vector512<int>, Vector512<double>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadInt(ref int source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt(Vector512<int> value, ref int destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> CreateInt(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> x, Vector512<float> y) => Vector512.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> x, Vector512<float> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<int> mask, Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(mask.AsSingle(), x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ConvertToInt32(Vector512<float> x) => Vector512.ConvertToInt32(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AddInt(Vector512<int> x, Vector512<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> SubtractInt(Vector512<int> x, Vector512<int> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftLeftInt(Vector512<int> x, int count) => x << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MinInt(Vector512<int> x, Vector512<int> y) => Vector512.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MaxInt(Vector512<int> x, Vector512<int> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AndNot(Vector512<int> x, Vector512<int> y) => Vector512.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> EqualsInt(Vector512<int> x, Vector512<int> y) => Vector512.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LessThan(Vector512<float> x, Vector512<float> y) => Vector512.LessThan(x, y).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> GreaterThanOrEqual(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThanOrEqual(x, y).AsInt32();

    /// <summary>Each 16-float table (from 0 and from 1) is one register, each lookup one shuffle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LookupPair(ref float table, Vector512<int> index, out Vector512<float> atIndex, out Vector512<float> atNext)
    {
        atIndex = Vector512.ShuffleNative(Vector512.LoadUnsafe(ref table), index);
        atNext = Vector512.ShuffleNative(Vector512.LoadUnsafe(ref table, 1), index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompressStore(Vector512<float> value, Vector512<int> keep, ref float destination)
    {
        if (Avx512F.IsSupported)
        {
            // One VCOMPRESSPS (register form, then a plain store: the memory form is slow on some CPUs), the kept lanes in
            // lane order as the table lookups below give them.
            Avx512F.Compress(Vector512<float>.Zero, keep.AsSingle(), value).StoreUnsafe(ref destination);
            return System.Numerics.BitOperations.PopCount(keep.ExtractMostSignificantBits());
        }

        int low = PatchOps256.Compress8(value.GetLower(), keep.GetLower(), ref destination);
        return low + PatchOps256.Compress8(value.GetUpper(), keep.GetUpper(), ref Unsafe.Add(ref destination, low));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Widen(Vector512<float> value, int block) =>
        block == 0 ? Vector512.WidenLower(value) : Vector512.WidenUpper(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LoadEight(ref float source)
    {
        var v = Vector256.LoadUnsafe(ref source);
        return Vector512.Create(Vector256.WidenLower(v), Vector256.WidenUpper(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CreateEight(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> x, Vector512<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> x, Vector512<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> x, Vector512<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> PowerOfTwo(Vector512<int> exponent, int block)
    {
        Vector512<long> e = block == 0 ? Vector512.WidenLower(exponent) : Vector512.WidenUpper(exponent);
        return ((e + Vector512.Create(1023L)) << 52).AsDouble();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector512<float> value) => PatchOps256.MinAcross(Vector256.Min(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => PatchOps256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value)
    {
        Vector256<double> p = value.GetLower() + value.GetUpper();
        return AcrossLanes.Sum(p.GetLower(), p.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SumFields(Vector512<double> value, int shift, long mask)
    {
        Vector512<long> s = Vector512.ShiftRightLogical(AcrossLanes.ToInt64(value), shift) & Vector512.Create(mask);
        Vector256<long> h = s.GetLower() + s.GetUpper();
        Vector128<long> t = h.GetLower() + h.GetUpper();
        return t.ToScalar() + t.GetElement(1);
    }
}

/// <summary>Reference to a table's first element (no bounds check; callers index within the table by construction).</summary>
internal static class MemoryMarshalHelpers
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref int TableReference(int[] table) => ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(table);
}
