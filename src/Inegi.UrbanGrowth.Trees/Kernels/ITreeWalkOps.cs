using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Trees.Kernels;

/// <summary>
/// The vector operations of the batched tree walk, one implementation per width, so that the walk is written once
/// (<c>ExtraTreesModel.Walk.cs</c>) and the JIT specialises it per width (static abstract members on struct type
/// arguments, as Spectral's <c>ISimdOps</c> and Patches' <c>IPatchVectorOps</c>).
/// </summary>
/// <remarks>
/// Everything is portable <see cref="Vector128{T}"/> / <see cref="Vector256{T}"/> / <see cref="Vector512{T}"/> except
/// the gathers, which .NET exposes only as AVX2 instructions: each implementation uses them where AVX2 is there and
/// reads the lanes one by one otherwise (correct everywhere; <see cref="TreeWalkWidths.Best"/> picks the scalar walk
/// where a hardware gather is missing, because lane-by-lane reads are no faster than it). A lane's walk does not
/// depend on its neighbours, so every width reaches the same leaves.
/// </remarks>
/// <typeparam name="TInt">A vector of <see cref="Count"/> ints (node indices, features, lane masks).</typeparam>
/// <typeparam name="TFloat">A vector of <see cref="Count"/> floats (thresholds, row values).</typeparam>
internal unsafe interface ITreeWalkOps<TInt, TFloat>
    where TInt : struct
    where TFloat : struct
{
    /// <summary>Lanes (rows walked together) per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TInt Create(int value);

    /// <summary>Lane i holds <c>i * <paramref name="step"/></c>.</summary>
    static abstract TInt LaneMultiples(int step);

    /// <summary>x + y.</summary>
    static abstract TInt Add(TInt x, TInt y);

    /// <summary>x - y.</summary>
    static abstract TInt Subtract(TInt x, TInt y);

    /// <summary>x &amp; y.</summary>
    static abstract TInt And(TInt x, TInt y);

    /// <summary>x &amp; ~y.</summary>
    static abstract TInt AndNot(TInt x, TInt y);

    /// <summary>Lane-wise maximum.</summary>
    static abstract TInt Max(TInt x, TInt y);

    /// <summary>All ones where x == y.</summary>
    static abstract TInt Equals(TInt x, TInt y);

    /// <summary>All ones where x &lt; y.</summary>
    static abstract TInt LessThan(TInt x, TInt y);

    /// <summary>All ones where x &gt; y (false for NaN: a NaN goes left).</summary>
    static abstract TInt GreaterThan(TFloat x, TFloat y);

    /// <summary>x where <paramref name="mask"/> is set, else y.</summary>
    static abstract TInt Select(TInt mask, TInt x, TInt y);

    /// <summary>x &lt;&lt; count.</summary>
    static abstract TInt ShiftLeft(TInt x, int count);

    /// <summary>x &gt;&gt;&gt; count.</summary>
    static abstract TInt ShiftRightLogical(TInt x, int count);

    /// <summary>Whether every lane of the mask is set.</summary>
    static abstract bool All(TInt mask);

    /// <summary>Stores the <see cref="Count"/> lanes.</summary>
    static abstract void Store(TInt value, ref int destination);

    /// <summary><c>source[index]</c> per lane.</summary>
    static abstract TFloat Gather(float* source, TInt index);

    /// <summary><c>source[index]</c> per lane.</summary>
    static abstract TInt Gather(int* source, TInt index);

    /// <summary>The 8-byte nodes <c>nodes[index]</c> per lane, split into their low (threshold) and high (packed) halves.</summary>
    static abstract (TFloat Thresholds, TInt Packed) GatherNodes(long* nodes, TInt index);
}

/// <summary>Which widths the tree walk runs at.</summary>
internal static class TreeWalkWidths
{
    /// <summary>
    /// The default: 256-bit lanes where AVX2 gathers exist (the walk measured in docs/trees.md), else the scalar walk.
    /// 512-bit lanes are not the default: .NET has no 512-bit gather, so they take two 256-bit gathers per vector.
    /// </summary>
    public static VectorWidth Best => Avx2.IsSupported ? VectorWidth.V256 : VectorWidth.Scalar;
}

/// <summary>128-bit lanes: 4 rows per vector.</summary>
internal readonly unsafe struct TreeWalk128 : ITreeWalkOps<Vector128<int>, Vector128<float>>
{
    public static int Count => Vector128<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Create(int value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LaneMultiples(int step) => Vector128<int>.Indices * step;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Add(Vector128<int> x, Vector128<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Subtract(Vector128<int> x, Vector128<int> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> And(Vector128<int> x, Vector128<int> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> AndNot(Vector128<int> x, Vector128<int> y) => Vector128.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Max(Vector128<int> x, Vector128<int> y) => Vector128.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Equals(Vector128<int> x, Vector128<int> y) => Vector128.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LessThan(Vector128<int> x, Vector128<int> y) => Vector128.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> GreaterThan(Vector128<float> x, Vector128<float> y) => Vector128.GreaterThan(x, y).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Select(Vector128<int> mask, Vector128<int> x, Vector128<int> y) => Vector128.ConditionalSelect(mask, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftLeft(Vector128<int> x, int count) => x << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightLogical(Vector128<int> x, int count) => Vector128.ShiftRightLogical(x, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Vector128<int> mask) => mask.ExtractMostSignificantBits() == 0xF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<int> value, ref int destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gather(float* source, Vector128<int> index) =>
        Avx2.IsSupported
            ? Avx2.GatherVector128(source, index, 4)
            : Vector128.Create(source[index[0]], source[index[1]], source[index[2]], source[index[3]]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Gather(int* source, Vector128<int> index) =>
        Avx2.IsSupported
            ? Avx2.GatherVector128(source, index, 4)
            : Vector128.Create(source[index[0]], source[index[1]], source[index[2]], source[index[3]]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Thresholds, Vector128<int> Packed) GatherNodes(long* nodes, Vector128<int> index)
    {
        Vector128<long> a, b;
        if (Avx2.IsSupported)
        {
            // A 64-bit gather takes its indices from the low two lanes.
            a = Avx2.GatherVector128(nodes, index, 8);
            b = Avx2.GatherVector128(nodes, Vector128.Shuffle(index, Vector128.Create(2, 3, 0, 1)), 8);
        }
        else
        {
            a = Vector128.Create(nodes[index[0]], nodes[index[1]]);
            b = Vector128.Create(nodes[index[2]], nodes[index[3]]);
        }

        return (Vector128.Narrow(a, b).AsSingle(), Vector128.Narrow(Vector128.ShiftRightLogical(a, 32), Vector128.ShiftRightLogical(b, 32)));
    }
}

/// <summary>256-bit lanes: 8 rows per vector (the AVX2 walk of docs/trees.md).</summary>
internal readonly unsafe struct TreeWalk256 : ITreeWalkOps<Vector256<int>, Vector256<float>>
{
    public static int Count => Vector256<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Create(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LaneMultiples(int step) => Vector256<int>.Indices * step;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> x, Vector256<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Subtract(Vector256<int> x, Vector256<int> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> And(Vector256<int> x, Vector256<int> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AndNot(Vector256<int> x, Vector256<int> y) => Vector256.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Max(Vector256<int> x, Vector256<int> y) => Vector256.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Equals(Vector256<int> x, Vector256<int> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LessThan(Vector256<int> x, Vector256<int> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> GreaterThan(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThan(x, y).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Select(Vector256<int> mask, Vector256<int> x, Vector256<int> y) => Vector256.ConditionalSelect(mask, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeft(Vector256<int> x, int count) => x << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightLogical(Vector256<int> x, int count) => Vector256.ShiftRightLogical(x, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Vector256<int> mask) => mask.ExtractMostSignificantBits() == 0xFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> value, ref int destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gather(float* source, Vector256<int> index) =>
        Avx2.IsSupported
            ? Avx2.GatherVector256(source, index, 4)
            : Vector256.Create(TreeWalk128.Gather(source, index.GetLower()), TreeWalk128.Gather(source, index.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Gather(int* source, Vector256<int> index) =>
        Avx2.IsSupported
            ? Avx2.GatherVector256(source, index, 4)
            : Vector256.Create(TreeWalk128.Gather(source, index.GetLower()), TreeWalk128.Gather(source, index.GetUpper()));

    /// <summary>
    /// With AVX2: nodes 0, 1, 4, 5 in one 64-bit gather and 2, 3, 6, 7 in the other, so that one in-lane shuffle per
    /// field puts every value back in its lane (cheaper than a cross-lane narrow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Thresholds, Vector256<int> Packed) GatherNodes(long* nodes, Vector256<int> index)
    {
        if (Avx2.IsSupported)
        {
            Vector256<int> order = Avx2.Permute4x64(index.AsInt64(), 0b11_01_10_00).AsInt32();
            Vector256<float> a = Avx2.GatherVector256(nodes, order.GetLower(), 8).AsSingle();
            Vector256<float> b = Avx2.GatherVector256(nodes, order.GetUpper(), 8).AsSingle();
            return (Avx.Shuffle(a, b, 0b10_00_10_00), Avx.Shuffle(a, b, 0b11_01_11_01).AsInt32());
        }

        var (lowThresholds, lowPacked) = TreeWalk128.GatherNodes(nodes, index.GetLower());
        var (highThresholds, highPacked) = TreeWalk128.GatherNodes(nodes, index.GetUpper());
        return (Vector256.Create(lowThresholds, highThresholds), Vector256.Create(lowPacked, highPacked));
    }
}

/// <summary>512-bit lanes: 16 rows per vector; the gathers are two 256-bit ones (.NET has no 512-bit gather).</summary>
internal readonly unsafe struct TreeWalk512 : ITreeWalkOps<Vector512<int>, Vector512<float>>
{
    public static int Count => Vector512<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Create(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LaneMultiples(int step) => Vector512<int>.Indices * step;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Add(Vector512<int> x, Vector512<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Subtract(Vector512<int> x, Vector512<int> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> And(Vector512<int> x, Vector512<int> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AndNot(Vector512<int> x, Vector512<int> y) => Vector512.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Max(Vector512<int> x, Vector512<int> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Equals(Vector512<int> x, Vector512<int> y) => Vector512.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LessThan(Vector512<int> x, Vector512<int> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> GreaterThan(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThan(x, y).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Select(Vector512<int> mask, Vector512<int> x, Vector512<int> y) => Vector512.ConditionalSelect(mask, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftLeft(Vector512<int> x, int count) => x << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftRightLogical(Vector512<int> x, int count) => Vector512.ShiftRightLogical(x, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Vector512<int> mask) => mask.ExtractMostSignificantBits() == 0xFFFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<int> value, ref int destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gather(float* source, Vector512<int> index) =>
        Vector512.Create(TreeWalk256.Gather(source, index.GetLower()), TreeWalk256.Gather(source, index.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Gather(int* source, Vector512<int> index) =>
        Vector512.Create(TreeWalk256.Gather(source, index.GetLower()), TreeWalk256.Gather(source, index.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Thresholds, Vector512<int> Packed) GatherNodes(long* nodes, Vector512<int> index)
    {
        var (lowThresholds, lowPacked) = TreeWalk256.GatherNodes(nodes, index.GetLower());
        var (highThresholds, highPacked) = TreeWalk256.GatherNodes(nodes, index.GetUpper());
        return (Vector512.Create(lowThresholds, highThresholds), Vector512.Create(lowPacked, highPacked));
    }
}

/// <summary>Vector width a kernel runs at (bits; 0 = the scalar walk). Every width reaches the same leaves.</summary>
internal enum VectorWidth
{
    /// <summary>The scalar walk (16 rows interleaved).</summary>
    Scalar = 0,

    /// <summary>Vector128, 4 rows per vector.</summary>
    V128 = 128,

    /// <summary>Vector256, 8 rows per vector.</summary>
    V256 = 256,

    /// <summary>Vector512, 16 rows per vector.</summary>
    V512 = 512,
}
