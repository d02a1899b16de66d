using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Inegi.UrbanGrowth.Raster.Decoding;

/// <summary>
/// Undoes TIFF predictor 2 (TIFF 6.0 section 14): in each row, every sample plus the same sample of the previous
/// pixel, modulo 2^bits. The sum runs along the row with a stride of the samples per pixel, so it is a prefix sum of
/// <c>stride</c> interleaved sequences.
/// </summary>
/// <remarks>
/// Vectorised on 16-byte vectors. When the stride is at least a vector's lanes, the lanes do not depend on one
/// another: <c>out[i..i+L) = in[i..i+L) + out[i-s..i-s+L)</c>, already final. Otherwise each vector is scanned in
/// place (add itself shifted up by s, 2s, 4s... lanes: byte shuffles with zeroing masks), then the carry of the
/// previous vector is added: lane j takes lane <c>L - s + (j mod s)</c> of the previous result, one more shuffle.
/// Wrapping integer adds make it exact for every element width; the scalar loop is the reference and the fallback
/// (no SSSE3 / AdvSimd, or the row's tail).
/// </remarks>
internal static class HorizontalPredictor
{
    /// <summary>Undoes predictor 2 in place on rows of <paramref name="rowSamples"/> samples.</summary>
    /// <param name="data">Whole rows, in native byte order.</param>
    /// <param name="bytesPerSample">1, 2, 4 or 8.</param>
    /// <param name="rowSamples">Samples per row (pixels x samples per pixel).</param>
    /// <param name="stride">Samples per pixel.</param>
    public static void Undo(Span<byte> data, int bytesPerSample, int rowSamples, int stride)
    {
        int rowBytes = rowSamples * bytesPerSample;
        if (rowBytes <= 0)
        {
            return;
        }

        var masks = VectorMasks.For(bytesPerSample, stride);
        for (int start = 0; start + rowBytes <= data.Length; start += rowBytes)
        {
            Span<byte> row = data.Slice(start, rowBytes);
            int done = masks is null ? stride : UndoVector(row, bytesPerSample, stride, masks);
            switch (bytesPerSample)
            {
                case 1: ScalarTail(row, stride, done); break;
                case 2: ScalarTail(MemoryMarshal.Cast<byte, ushort>(row), stride, done); break;
                case 4: ScalarTail(MemoryMarshal.Cast<byte, uint>(row), stride, done); break;
                default: ScalarTail(MemoryMarshal.Cast<byte, ulong>(row), stride, done); break;
            }
        }
    }

    /// <summary>The scalar reference: each sample from index <paramref name="from"/> on plus the sample a stride before.</summary>
    public static void ScalarTail<T>(Span<T> row, int stride, int from) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = Math.Max(from, stride); i < row.Length; i++)
        {
            row[i] += row[i - stride];
        }
    }

    /// <summary>Undoes whole vectors of the row; returns the first sample index left to the scalar loop.</summary>
    private static int UndoVector(Span<byte> row, int bytesPerSample, int stride, VectorMasks masks)
    {
        int lanes = 16 / bytesPerSample;
        int vectors = row.Length / 16;
        ref byte r = ref MemoryMarshal.GetReference(row);
        if (stride >= lanes)
        {
            // Independent lanes: the samples a stride back are final before this vector is touched.
            int first = stride; // the first pixel is stored as is
            int i = first;
            for (; i + lanes <= row.Length / bytesPerSample; i += lanes)
            {
                Vector128<byte> x = Vector128.LoadUnsafe(ref r, (nuint)(i * bytesPerSample));
                Vector128<byte> back = Vector128.LoadUnsafe(ref r, (nuint)((i - stride) * bytesPerSample));
                Add(x, back, bytesPerSample).StoreUnsafe(ref r, (nuint)(i * bytesPerSample));
            }

            return i;
        }

        Vector128<byte> previous = Vector128<byte>.Zero;
        for (int v = 0; v < vectors; v++)
        {
            Vector128<byte> x = Vector128.LoadUnsafe(ref r, (nuint)(v * 16));
            foreach (Vector128<byte> shift in masks.Shifts)
            {
                x = Add(x, Shuffle(x, shift), bytesPerSample);
            }

            x = Add(x, Shuffle(previous, masks.Carry), bytesPerSample);
            x.StoreUnsafe(ref r, (nuint)(v * 16));
            previous = x;
        }

        return vectors * lanes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Add(Vector128<byte> a, Vector128<byte> b, int bytesPerSample) => bytesPerSample switch
    {
        1 => a + b,
        2 => (a.AsUInt16() + b.AsUInt16()).AsByte(),
        4 => (a.AsUInt32() + b.AsUInt32()).AsByte(),
        _ => (a.AsUInt64() + b.AsUInt64()).AsByte(),
    };

    /// <summary>Byte shuffle where an index with the top bit set gives 0 (pshufb / tbl semantics).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> x, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(x, indices);
        }

        return AdvSimd.Arm64.VectorTableLookup(x, indices);
    }

    /// <summary>The shuffle masks of one (element width, stride) pair, or null where the scalar loop is used.</summary>
    private sealed class VectorMasks
    {
        private static readonly VectorMasks?[,] Cache = new VectorMasks?[4, 17];

        private VectorMasks(Vector128<byte>[] shifts, Vector128<byte> carry)
        {
            Shifts = shifts;
            Carry = carry;
        }

        public Vector128<byte>[] Shifts { get; }

        public Vector128<byte> Carry { get; }

        public static VectorMasks? For(int bytesPerSample, int stride)
        {
            if (!(Ssse3.IsSupported || AdvSimd.Arm64.IsSupported) || stride <= 0 || !Vector128.IsHardwareAccelerated)
            {
                return null;
            }

            int lanes = 16 / bytesPerSample;
            int widthIndex = System.Numerics.BitOperations.Log2((uint)bytesPerSample);
            if (stride >= lanes)
            {
                // Plain vector adds; no masks needed, but a non-null marker selects the vector path.
                return stride <= 16 ? Cache[widthIndex, stride] ??= new VectorMasks([], default) : new VectorMasks([], default);
            }

            return Cache[widthIndex, stride] ??= Build(bytesPerSample, stride, lanes);
        }

        private static VectorMasks Build(int bytesPerSample, int stride, int lanes)
        {
            var shifts = new List<Vector128<byte>>();
            Span<byte> mask = stackalloc byte[16];
            for (int k = stride; k < lanes; k *= 2)
            {
                // Lane j takes lane j - k, or 0 below lane k.
                for (int j = 0; j < lanes; j++)
                {
                    for (int b = 0; b < bytesPerSample; b++)
                    {
                        mask[j * bytesPerSample + b] = j >= k ? (byte)((j - k) * bytesPerSample + b) : (byte)0x80;
                    }
                }

                shifts.Add(Vector128.Create((ReadOnlySpan<byte>)mask));
            }

            for (int j = 0; j < lanes; j++)
            {
                int source = lanes - stride + (j % stride);
                for (int b = 0; b < bytesPerSample; b++)
                {
                    mask[j * bytesPerSample + b] = (byte)(source * bytesPerSample + b);
                }
            }

            return new VectorMasks([.. shifts], Vector128.Create((ReadOnlySpan<byte>)mask));
        }
    }
}
