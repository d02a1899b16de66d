using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>Growth codes (<see cref="GrowthCode"/>) from two class rows of the same grid.</summary>
/// <remarks>
/// Per cell: <c>code = max(a, b) &gt; 1 ? 255 : a | ((a ^ b) &lt;&lt; 1)</c>, with <c>a</c> the earlier class and
/// <c>b</c> the later one. <see cref="Compute"/> runs it 32 (Vector256) or 16 (Vector128) cells at a time, with
/// a scalar tail; <see cref="ComputeScalar"/> is the one-cell-at-a-time reference. Both give the same bytes.
/// </remarks>
public static class ChangeMap
{
    /// <summary>Computes the growth codes of one row (vectorised).</summary>
    /// <param name="from">Classes of the earlier map (0 non-urban, 1 urban, 255 nodata).</param>
    /// <param name="to">Classes of the later map, same length.</param>
    /// <param name="growth">Receives the codes; at least as long as <paramref name="from"/>. May be the same memory as
    /// <paramref name="from"/> or <paramref name="to"/> (exact overlap), not a shifted view of them.</param>
    /// <exception cref="ArgumentException">The lengths differ, or <paramref name="growth"/> is too short.</exception>
    public static void Compute(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Span<byte> growth)
    {
        CheckLengths(from, to, growth);
        int n = from.Length;
        int i = 0;
        ref byte a = ref MemoryMarshal.GetReference(from);
        ref byte b = ref MemoryMarshal.GetReference(to);
        ref byte d = ref MemoryMarshal.GetReference(growth);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<byte>.Count)
        {
            Vector256<byte> one = Vector256<byte>.One;
            for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> va = Vector256.LoadUnsafe(ref a, (nuint)i);
                Vector256<byte> vb = Vector256.LoadUnsafe(ref b, (nuint)i);
                Vector256<byte> x = va ^ vb;
                Vector256<byte> invalid = Vector256.GreaterThan(Vector256.Max(va, vb), one);
                (va | (x + x) | invalid).StoreUnsafe(ref d, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && n - i >= Vector128<byte>.Count)
        {
            Vector128<byte> one = Vector128<byte>.One;
            for (; i <= n - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                Vector128<byte> va = Vector128.LoadUnsafe(ref a, (nuint)i);
                Vector128<byte> vb = Vector128.LoadUnsafe(ref b, (nuint)i);
                Vector128<byte> x = va ^ vb;
                Vector128<byte> invalid = Vector128.GreaterThan(Vector128.Max(va, vb), one);
                (va | (x + x) | invalid).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Code(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        }
    }

    /// <summary>Computes the growth codes of one row, one cell at a time (the reference for <see cref="Compute"/>).</summary>
    /// <param name="from">Classes of the earlier map.</param>
    /// <param name="to">Classes of the later map, same length.</param>
    /// <param name="growth">Receives the codes.</param>
    /// <exception cref="ArgumentException">The lengths differ, or <paramref name="growth"/> is too short.</exception>
    public static void ComputeScalar(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Span<byte> growth)
    {
        CheckLengths(from, to, growth);
        for (int i = 0; i < from.Length; i++)
        {
            growth[i] = Code(from[i], to[i]);
        }
    }

    /// <summary>The growth code of one cell.</summary>
    /// <param name="from">Class in the earlier map.</param>
    /// <param name="to">Class in the later map.</param>
    /// <returns>A <see cref="GrowthCode"/> value.</returns>
    public static byte Code(byte from, byte to) => (from, to) switch
    {
        (0, 0) => GrowthCode.StableNonUrban,
        (1, 1) => GrowthCode.StableUrban,
        (0, 1) => GrowthCode.NewUrban,
        (1, 0) => GrowthCode.UrbanLost,
        _ => GrowthCode.NoData,
    };

    private static void CheckLengths(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Span<byte> growth)
    {
        if (to.Length != from.Length)
        {
            throw new ArgumentException($"The two class rows differ in length ({from.Length} and {to.Length}).", nameof(to));
        }

        if (growth.Length < from.Length)
        {
            throw new ArgumentException($"The growth row holds {growth.Length} cells; {from.Length} are needed.", nameof(growth));
        }
    }
}
