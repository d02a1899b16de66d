using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>The features CSV's float text: byte for byte <c>float.ToString("R", InvariantCulture)</c>.</summary>
public sealed class ShortestFloatTextTests
{
    private static void AssertSameAsDotNet(float value)
    {
        Span<byte> buffer = stackalloc byte[ShortestFloatText.MaxLength];
        int n = ShortestFloatText.Format(value, buffer);
        string expected = value.ToString("R", CultureInfo.InvariantCulture);
        string actual = Encoding.UTF8.GetString(buffer[..n]);
        if (expected != actual)
        {
            Assert.Fail($"bits 0x{BitConverter.SingleToUInt32Bits(value):X8}: .NET writes {expected}, ours {actual}");
        }
    }

    [Fact]
    public void SpecialValuesAndLayoutEdges_AreWrittenAsDotNetWritesThem()
    {
        float[] values =
        [
            0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon,
            float.MaxValue, float.MinValue, 1.17549435E-38f, -1.17549435E-38f, 1f, -1f, 0.1f, 1f / 3f, 2f / 3f,
            1e-5f, 1.5e-5f, 1e-4f, 0.0001234f, 0.000123f, 9.99999e-5f, 1e-6f,
            1e8f, 1.2e8f, 123456789f, 999999940f, 1e9f, 1.5e9f, 1234567940f, 1e10f, 16777216f, 16777217f, 9999999f, 12345678f,
            100f, 1e7f, 1.25e7f, 0.5f, 0.25f, 3.4e38f, 8.5f, 2.5f, 0.3f, 0.7f,
        ];
        foreach (float v in values)
        {
            AssertSameAsDotNet(v);
            AssertSameAsDotNet(-v);
        }

        for (int p = -45; p <= 38; p++)
        {
            float v = float.Parse($"1E{p}", CultureInfo.InvariantCulture);
            AssertSameAsDotNet(v);
            AssertSameAsDotNet(BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) + 1));
            AssertSameAsDotNet(BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) - 1));
        }
    }

    [Fact]
    public void EveryExponent_WithRandomMantissas_AndRandomBitPatterns_MatchDotNet()
    {
        var rng = new Random(2018);
        // Every biased exponent (denormals and the largest included), 2,000 mantissas each, both signs.
        for (uint exponent = 0; exponent < 255; exponent++)
        {
            for (int k = 0; k < 2000; k++)
            {
                uint mantissa = k < 4 ? (uint)k : (uint)rng.Next(0, 1 << 23);
                AssertSameAsDotNet(BitConverter.UInt32BitsToSingle((exponent << 23) | mantissa));
                AssertSameAsDotNet(BitConverter.UInt32BitsToSingle(0x80000000u | (exponent << 23) | mantissa));
            }
        }

        // Random bit patterns, and the kind of values features are: statistics of reflectance and indices.
        for (int k = 0; k < 1_000_000; k++)
        {
            AssertSameAsDotNet(BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32)));
            AssertSameAsDotNet((float)((rng.NextDouble() * 2) - 1));
            AssertSameAsDotNet((float)(rng.NextDouble() * 10000));
            AssertSameAsDotNet(rng.Next(0, 10001) / 10000f);
        }
    }
}
