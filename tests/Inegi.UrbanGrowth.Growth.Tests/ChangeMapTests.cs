namespace Inegi.UrbanGrowth.Growth.Tests;

public sealed class ChangeMapTests
{
    private static byte RandomClass(Random r) => r.Next(10) switch
    {
        0 => 255,
        1 => (byte)r.Next(2, 255),
        < 6 => 0,
        _ => 1,
    };

    private static byte Expected(byte a, byte b)
    {
        if (a > 1 || b > 1)
        {
            return 255;
        }

        if (a == 0)
        {
            return b == 0 ? (byte)0 : (byte)2;
        }

        return b == 1 ? (byte)1 : (byte)3;
    }

    [Fact]
    public void Compute_RandomRowsOfEveryLength_MatchesScalarAndTruthTable()
    {
        var r = new Random(12345);
        for (int n = 1; n <= 1000; n++)
        {
            byte[] a = new byte[n];
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = RandomClass(r);
                b[i] = RandomClass(r);
            }

            byte[] vector = new byte[n];
            byte[] scalar = new byte[n];
            ChangeMap.Compute(a, b, vector);
            ChangeMap.ComputeScalar(a, b, scalar);
            Assert.Equal(scalar, vector);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(Expected(a[i], b[i]), vector[i]);
            }
        }
    }

    [Fact]
    public void Compute_AllPairsOfByteValues_MatchesTruthTable()
    {
        byte[] a = new byte[256 * 256];
        byte[] b = new byte[256 * 256];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (byte)(i >> 8);
            b[i] = (byte)i;
        }

        byte[] codes = new byte[a.Length];
        ChangeMap.Compute(a, b, codes);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(Expected(a[i], b[i]), codes[i]);
        }
    }

    [Fact]
    public void Compute_InPlaceOverFromRow_GivesSameCodes()
    {
        byte[] a = [0, 0, 1, 1, 255, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 255, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0];
        byte[] b = [0, 1, 0, 1, 0, 255, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 255, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0];
        byte[] expected = new byte[a.Length];
        ChangeMap.ComputeScalar(a, b, expected);
        ChangeMap.Compute(a, b, a);
        Assert.Equal(expected, a);
    }

    [Fact]
    public void Compute_LengthMismatch_ThrowsNamingParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => ChangeMap.Compute(new byte[3], new byte[4], new byte[4]));
        Assert.Equal("to", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ChangeMap.Compute(new byte[3], new byte[3], new byte[2]));
        Assert.Equal("growth", e.ParamName);
    }
}
