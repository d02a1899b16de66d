using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Spectral.Kernels;

/// <summary>
/// The handful of float vector operations the fused kernel needs, one implementation per width, so that the kernel is
/// written once and the JIT specialises it for <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/> and
/// <see cref="Vector512{T}"/> (static abstract members on struct type arguments, the TensorPrimitives operator pattern).
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
internal interface ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes set to <paramref name="value"/>.</summary>
    static abstract TVec Create(float value);

    /// <summary>Loads <see cref="Count"/> samples of type T (byte, ushort, short or float) and converts them to float exactly.</summary>
    static abstract TVec Load<T>(ref T source)
        where T : unmanaged;

    /// <summary>Stores <see cref="Count"/> floats.</summary>
    static abstract void Store(TVec value, ref float destination);

    /// <summary>x + y.</summary>
    static abstract TVec Add(TVec x, TVec y);

    /// <summary>x - y.</summary>
    static abstract TVec Subtract(TVec x, TVec y);

    /// <summary>x * y.</summary>
    static abstract TVec Multiply(TVec x, TVec y);

    /// <summary>x * y + z exactly as <see cref="ScalarReference.MultiplyAdd"/> (fused when the hardware fuses).</summary>
    static abstract TVec MultiplyAdd(TVec x, TVec y, TVec z);

    /// <summary>x / y where the quotient is finite, else 0 (a zero divisor always gives an infinite or NaN quotient).</summary>
    static abstract TVec SafeDivide(TVec x, TVec y);

    /// <summary>x where finite, else 0.</summary>
    static abstract TVec ZeroIfNotFinite(TVec x);
}

/// <summary>Vector128 (SSE / NEON, 4 lanes).</summary>
internal readonly struct Simd128 : ISimdOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load<T>(ref T source)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref source));
        }

        if (typeof(T) == typeof(ushort))
        {
            var raw = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<T, byte>(ref source))).AsUInt16();
            return Vector128.ConvertToSingle(Vector128.WidenLower(raw).AsInt32());
        }

        if (typeof(T) == typeof(short))
        {
            var raw = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<T, byte>(ref source))).AsInt16();
            return Vector128.ConvertToSingle(Vector128.WidenLower(raw));
        }

        if (typeof(T) == typeof(byte))
        {
            var raw = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.As<T, byte>(ref source))).AsByte();
            return Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(raw)).AsInt32());
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> x, Vector128<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> x, Vector128<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> x, Vector128<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        ScalarReference.HasFma ? Vector128.FusedMultiplyAdd(x, y, z) : (x * y) + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SafeDivide(Vector128<float> x, Vector128<float> y) => ZeroIfNotFinite(x / y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroIfNotFinite(Vector128<float> x) =>
        x & Vector128.LessThan(Vector128.Abs(x), Vector128.Create(float.PositiveInfinity));
}

/// <summary>Vector256 (AVX2, 8 lanes).</summary>
internal readonly struct Simd256 : ISimdOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load<T>(ref T source)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref source));
        }

        if (typeof(T) == typeof(ushort))
        {
            var raw = Vector128.LoadUnsafe(ref Unsafe.As<T, ushort>(ref source));
            return Vector256.ConvertToSingle(Vector256.WidenLower(raw.ToVector256Unsafe()).AsInt32());
        }

        if (typeof(T) == typeof(short))
        {
            var raw = Vector128.LoadUnsafe(ref Unsafe.As<T, short>(ref source));
            return Vector256.ConvertToSingle(Vector256.WidenLower(raw.ToVector256Unsafe()));
        }

        if (typeof(T) == typeof(byte))
        {
            var raw = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<T, byte>(ref source))).AsByte();
            return Vector256.ConvertToSingle(Vector256.WidenLower(Vector128.WidenLower(raw).ToVector256Unsafe()).AsInt32());
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> x, Vector256<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> z) =>
        ScalarReference.HasFma ? Vector256.FusedMultiplyAdd(x, y, z) : (x * y) + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SafeDivide(Vector256<float> x, Vector256<float> y) => ZeroIfNotFinite(x / y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroIfNotFinite(Vector256<float> x) =>
        x & Vector256.LessThan(Vector256.Abs(x), Vector256.Create(float.PositiveInfinity));
}

/// <summary>Vector512 (AVX-512F, 16 lanes).</summary>
internal readonly struct Simd512 : ISimdOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load<T>(ref T source)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref source));
        }

        if (typeof(T) == typeof(ushort))
        {
            var raw = Vector256.LoadUnsafe(ref Unsafe.As<T, ushort>(ref source));
            return Vector512.ConvertToSingle(Vector512.WidenLower(raw.ToVector512Unsafe()).AsInt32());
        }

        if (typeof(T) == typeof(short))
        {
            var raw = Vector256.LoadUnsafe(ref Unsafe.As<T, short>(ref source));
            return Vector512.ConvertToSingle(Vector512.WidenLower(raw.ToVector512Unsafe()));
        }

        if (typeof(T) == typeof(byte))
        {
            var raw = Vector128.LoadUnsafe(ref Unsafe.As<T, byte>(ref source));
            return Vector512.ConvertToSingle(Vector512.WidenLower(Vector256.WidenLower(raw.ToVector256Unsafe()).ToVector512Unsafe()).AsInt32());
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> x, Vector512<float> y, Vector512<float> z) =>
        ScalarReference.HasFma ? Vector512.FusedMultiplyAdd(x, y, z) : (x * y) + z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SafeDivide(Vector512<float> x, Vector512<float> y) => ZeroIfNotFinite(x / y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroIfNotFinite(Vector512<float> x) =>
        x & Vector512.LessThan(Vector512.Abs(x), Vector512.Create(float.PositiveInfinity));
}
