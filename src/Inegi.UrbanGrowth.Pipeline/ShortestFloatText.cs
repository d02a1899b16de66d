using System.Numerics;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// A float32 as UTF-8 text, byte for byte what <c>float.ToString("R", CultureInfo.InvariantCulture)</c> writes: the
/// shortest digits that read back to the same float, in .NET's layout (fixed notation for decimal exponents -5 &lt; E
/// &lt; 9, otherwise <c>d.dddE+XX</c>; <c>-0</c>, <c>NaN</c>, <c>Infinity</c>).
/// </summary>
/// <remarks>
/// The digits are Ulf Adams' Ryū (PLDI 2018, <c>f2s.c</c>, Apache-2.0 / Boost): two 64-bit multiplications per
/// bound instead of the runtime's general formatter, which in <c>urban features</c> took a quarter of the command's
/// CPU (486 floats a cell). Ryū gives the shortest digits nearest the exact value, as .NET does; the tests compare the
/// bytes with .NET's on millions of floats of every exponent.
/// </remarks>
internal static class ShortestFloatText
{
    /// <summary>Longest text: "-1.17549435E-38" is 15 bytes; 16 to be safe.</summary>
    public const int MaxLength = 16;

    private const int MantissaBits = 23;
    private const int Bias = 127;
    private const int Pow5InvBitCount = 59;
    private const int Pow5BitCount = 61;

    // 5^-i and 5^i scaled to 59 / 61 significant bits, as Ryū's f2s tables (computed here rather than listed).
    private static readonly ulong[] Pow5InvSplit = BuildInverse(31);
    private static readonly ulong[] Pow5Split = BuildPowers(47);

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the bytes written.</summary>
    public static int Format(float value, Span<byte> destination)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        bool negative = (bits >> 31) != 0;
        uint ieeeMantissa = bits & ((1u << MantissaBits) - 1);
        uint ieeeExponent = (bits >> MantissaBits) & 0xFF;
        if (ieeeExponent == 0xFF)
        {
            ReadOnlySpan<byte> special = ieeeMantissa != 0 ? "NaN"u8 : negative ? "-Infinity"u8 : "Infinity"u8;
            special.CopyTo(destination);
            return special.Length;
        }

        int at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        if (ieeeExponent == 0 && ieeeMantissa == 0)
        {
            destination[at++] = (byte)'0';
            return at;
        }

        (uint digits, int exponent) = Decimal(ieeeMantissa, ieeeExponent);
        int n = DigitCount(digits);
        Span<byte> text = stackalloc byte[10];
        for (int i = n - 1; i >= 0; i--)
        {
            text[i] = (byte)('0' + (digits % 10));
            digits /= 10;
        }

        int e = exponent + n - 1; // the value is d.ddd x 10^e
        if (e < -5 + 1 || e >= 9)
        {
            destination[at++] = text[0];
            if (n > 1)
            {
                destination[at++] = (byte)'.';
                text[1..n].CopyTo(destination[at..]);
                at += n - 1;
            }

            destination[at++] = (byte)'E';
            destination[at++] = e < 0 ? (byte)'-' : (byte)'+';
            int magnitude = Math.Abs(e);
            destination[at++] = (byte)('0' + (magnitude / 10));
            destination[at++] = (byte)('0' + (magnitude % 10));
            return at;
        }

        if (e < 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            for (int z = 0; z < -e - 1; z++)
            {
                destination[at++] = (byte)'0';
            }

            text[..n].CopyTo(destination[at..]);
            return at + n;
        }

        if (n <= e + 1)
        {
            text[..n].CopyTo(destination[at..]);
            at += n;
            for (int z = 0; z < e + 1 - n; z++)
            {
                destination[at++] = (byte)'0';
            }

            return at;
        }

        text[..(e + 1)].CopyTo(destination[at..]);
        at += e + 1;
        destination[at++] = (byte)'.';
        text[(e + 1)..n].CopyTo(destination[at..]);
        return at + n - e - 1;
    }

    /// <summary>Ryū's f2d: the shortest decimal (digits x 10^exponent) inside the float's rounding interval, nearest to it.</summary>
    private static (uint Digits, int Exponent) Decimal(uint ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        uint m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - Bias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - Bias - MantissaBits - 2;
            m2 = (1u << MantissaBits) | ieeeMantissa;
        }

        bool acceptBounds = (m2 & 1) == 0;
        uint mv = 4 * m2;
        uint mp = (4 * m2) + 2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        uint mm = (4 * m2) - 1 - mmShift;

        uint vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        uint lastRemovedDigit = 0;
        if (e2 >= 0)
        {
            uint q = Log10Pow2(e2);
            e10 = (int)q;
            int k = Pow5InvBitCount + Pow5Bits((int)q) - 1;
            int i = -e2 + (int)q + k;
            vr = MulShift(mv, Pow5InvSplit[q], i);
            vp = MulShift(mp, Pow5InvSplit[q], i);
            vm = MulShift(mm, Pow5InvSplit[q], i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                int l = Pow5InvBitCount + Pow5Bits((int)q - 1) - 1;
                lastRemovedDigit = MulShift(mv, Pow5InvSplit[q - 1], -e2 + (int)q - 1 + l) % 10;
            }

            if (q <= 9)
            {
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = Pow5Factor(mv) >= q;
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = Pow5Factor(mm) >= q;
                }
                else
                {
                    vp -= Pow5Factor(mp) >= q ? 1u : 0u;
                }
            }
        }
        else
        {
            uint q = Log10Pow5(-e2);
            e10 = (int)q + e2;
            int i = -e2 - (int)q;
            int k = Pow5Bits(i) - Pow5BitCount;
            int j = (int)q - k;
            vr = MulShift(mv, Pow5Split[i], j);
            vp = MulShift(mp, Pow5Split[i], j);
            vm = MulShift(mm, Pow5Split[i], j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                j = (int)q - 1 - (Pow5Bits(i + 1) - Pow5BitCount);
                lastRemovedDigit = MulShift(mv, Pow5Split[i + 1], j) % 10;
            }

            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 31)
            {
                vrIsTrailingZeros = (mv & ((1u << (int)(q - 1)) - 1)) == 0;
            }
        }

        int removed = 0;
        uint output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vr % 10;
                    vr /= 10;
                    vp /= 10;
                    vm /= 10;
                    removed++;
                }
            }

            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                lastRemovedDigit = 4; // an exact half: round to even
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        else
        {
            while (vp / 10 > vm / 10)
            {
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1u : 0u);
        }

        return (output, e10 + removed);
    }

    private static uint MulShift(uint m, ulong factor, int shift)
    {
        ulong bits0 = (ulong)m * (uint)factor;
        ulong bits1 = (ulong)m * (uint)(factor >> 32);
        ulong sum = (bits0 >> 32) + bits1;
        return (uint)(sum >> (shift - 32));
    }

    private static uint Pow5Factor(uint value)
    {
        uint count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count;
    }

    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    private static uint Log10Pow2(int e) => (uint)e * 78913 >> 18;

    private static uint Log10Pow5(int e) => (uint)e * 732923 >> 20;

    private static int DigitCount(uint v) =>
        v >= 100000000 ? 9 : v >= 10000000 ? 8 : v >= 1000000 ? 7 : v >= 100000 ? 6 : v >= 10000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;

    private static ulong[] BuildInverse(int count)
    {
        var table = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            // floor(2^(pow5bits(i) - 1 + 59) / 5^i) + 1
            table[i] = (ulong)((BigInteger.One << (Pow5Bits(i) - 1 + Pow5InvBitCount)) / BigInteger.Pow(5, i)) + 1;
        }

        return table;
    }

    private static ulong[] BuildPowers(int count)
    {
        var table = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            // 5^i with exactly 61 significant bits (shifted left, or truncated right).
            BigInteger p = BigInteger.Pow(5, i);
            int length = (int)p.GetBitLength();
            table[i] = (ulong)(length <= Pow5BitCount ? p << (Pow5BitCount - length) : p >> (length - Pow5BitCount));
        }

        return table;
    }
}
