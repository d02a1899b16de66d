using System.Globalization;
using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Parses a decimal number in UTF-8 to float32 with the same result as <see cref="float.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out float)"/>,
/// about four times faster on the plain numbers a features CSV holds.
/// </summary>
/// <remarks>
/// The plain form <c>[-+]digits[.digits][e[-+]digits]</c> with at most 19 significant digits is read into an integer
/// <c>w</c> and a power of ten <c>q</c>; <c>w * 10^q</c> is evaluated in double precision, within 4 units in the last
/// place of the exact value. Rounding that double to float32 is then exact unless the double lies within 8 units of a
/// point halfway between two floats, where the true value could sit on the other side: those numbers, any other form
/// (whitespace, NaN, infinity, thousands separators) and results outside float32's normal range go to the runtime's
/// parser. So the result is always the correctly rounded float32, the runtime's own.
/// </remarks>
internal static class FastFloatParser
{
    private static readonly double[] PowersOfTen = CreatePowers();

    private static double[] CreatePowers()
    {
        // Correctly rounded literals 1e0 .. 1e308 (double.Parse rounds correctly).
        var powers = new double[309];
        for (int i = 0; i < powers.Length; i++)
        {
            powers[i] = double.Parse("1e" + i.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return powers;
    }

    /// <summary>Parses <paramref name="text"/>; false when it is not a number (as the runtime's parser decides).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
    {
        if (TryParsePlain(text, out value))
        {
            return true;
        }

        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParsePlain(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        int i = 0;
        int length = text.Length;
        if (length == 0)
        {
            return false;
        }

        bool negative = false;
        if (text[0] == (byte)'-' || text[0] == (byte)'+')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        ulong w = 0;
        int significant = 0;
        int exponent = 0;
        int digits = 0;
        for (; i < length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d > 9)
            {
                break;
            }

            digits++;
            if (w == 0 && d == 0)
            {
                continue;
            }

            if (++significant > 19)
            {
                return false;
            }

            w = (w * 10) + d;
        }

        if (i < length && text[i] == (byte)'.')
        {
            i++;
            for (; i < length; i++)
            {
                uint d = (uint)(text[i] - '0');
                if (d > 9)
                {
                    break;
                }

                digits++;
                exponent--;
                if (w == 0 && d == 0)
                {
                    continue;
                }

                if (++significant > 19)
                {
                    return false;
                }

                w = (w * 10) + d;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }

            int e = 0;
            int exponentDigits = 0;
            for (; i < length; i++)
            {
                uint d = (uint)(text[i] - '0');
                if (d > 9)
                {
                    break;
                }

                exponentDigits++;
                if (e < 100_000)
                {
                    e = (e * 10) + (int)d;
                }
            }

            if (exponentDigits == 0)
            {
                return false;
            }

            exponent += negativeExponent ? -e : e;
        }

        if (i != length)
        {
            return false;
        }

        if (w == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }

        if (exponent < -308 || exponent > 308)
        {
            return false;
        }

        double x = exponent >= 0 ? w * PowersOfTen[exponent] : w / PowersOfTen[-exponent];
        double magnitude = Math.Abs(x);
        if (!(magnitude >= 1.2e-38 && magnitude <= 3.4e38))
        {
            return false; // subnormal, zero by underflow, or near overflow: the runtime decides
        }

        // Float32 keeps the top 23 of double's 52 fraction bits; the 29 it drops decide the rounding. Halfway is
        // 0x10000000 of them: within 8 units of it the exact value may round the other way.
        ulong dropped = (ulong)BitConverter.DoubleToInt64Bits(x) & ((1UL << 29) - 1);
        if (dropped is > (1UL << 28) - 8 and < (1UL << 28) + 8)
        {
            return false;
        }

        value = (float)(negative ? -x : x);
        return true;
    }
}
