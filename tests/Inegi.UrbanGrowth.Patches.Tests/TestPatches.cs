namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>Seeded random and edge-case channel planes.</summary>
internal static class TestPatches
{
    /// <summary>Named edge cases of SPEC 3 for planes of <paramref name="n"/> pixels.</summary>
    public static List<(string Name, float[] Plane)> EdgeCases(int n = PatchGeometry.PixelCount)
    {
        var rng = new Random(20190727);
        var list = new List<(string, float[])>
        {
            ("constant 0", Fill(n, _ => 0f)),
            ("constant 0.1234", Fill(n, _ => 0.1234f)),
            ("constant -5", Fill(n, _ => -5f)),
            ("constant -1e-30", Fill(n, _ => -1e-30f)),
            ("constant 1e-30", Fill(n, _ => 1e-30f)),
            ("constant 3e7", Fill(n, _ => 3e7f)),
            ("zero mean pattern", ZeroMeanPattern(n, rng)),
            ("zero mean symmetric", ZeroMeanSymmetric(n, rng)),
            ("two-valued", Fill(n, _ => rng.Next(3) == 0 ? 0.2f : 0.1f)),
            ("two adjacent floats", Fill(n, _ => rng.Next(2) == 0 ? 1f : MathF.BitIncrement(1f))),
            ("three adjacent floats", Fill(n, _ => BitSteps(1000f, rng.Next(3)))),
            ("tiny range at large magnitude", Fill(n, _ => BitSteps(1000f, rng.Next(21)))),
            ("huge dynamic range", Fill(n, _ => (rng.Next(2) == 0 ? -1 : 1) * MathF.Pow(10f, (float)((rng.NextDouble() * 12) - 6)))),
            ("all negative", Fill(n, _ => -(float)(1 + (rng.NextDouble() * 99)))),
            ("values on the edges of [0, 1]", OnEdges(n, rng, 0f, 1f)),
            ("values on the edges of [-1, 1]", OnEdges(n, rng, -1f, 1f)),
            ("values on the edges of [0.0123, 0.4567]", OnEdges(n, rng, 0.0123f, 0.4567f)),
            ("integers 0..10", Fill(n, _ => rng.Next(11))),
            ("one outlier", OneOutlier(n, rng)),
            ("many ties", Fill(n, _ => (rng.Next(3) + 1) * 0.1f)),
            ("reflectance DN", Fill(n, _ => rng.Next(0, 5000) * 0.0001f)),
            ("centre is the maximum", CentreMax(n, rng)),
            ("sorted ascending", Fill(n, i => i * 0.001f)),
            ("sorted descending", Fill(n, i => (n - i) * -0.37f)),
        };
        return list;
    }

    /// <summary>Seeded random planes from several distributions.</summary>
    public static List<(string Name, float[] Plane)> Random(int count, int seed, int n = PatchGeometry.PixelCount)
    {
        var rng = new Random(seed);
        var list = new List<(string, float[])>(count);
        for (int p = 0; p < count; p++)
        {
            int kind = p % 7;
            float mu = (float)((rng.NextDouble() * 4) - 2);
            float sigma = MathF.Pow(10f, (float)((rng.NextDouble() * 5) - 4));
            float[] plane = kind switch
            {
                0 => Fill(n, _ => mu + (sigma * Normal(rng))),
                1 => Fill(n, _ => mu + (sigma * (float)rng.NextDouble())),
                2 => Fill(n, _ => MathF.Exp(mu + Normal(rng))),
                3 => Fill(n, _ => rng.Next(-2000, 10000) * 0.0001f),
                4 => Fill(n, _ => rng.Next(20) == 0 ? mu * 100 : mu + (sigma * Normal(rng))),
                5 => Fill(n, _ => Math.Clamp(mu + (sigma * Normal(rng)), -1f, 1f)),
                _ => Fill(n, _ => (float)((2.5 * rng.NextDouble()) - 0.5) / (float)(rng.NextDouble() + 1e-3)),
            };
            list.Add(($"random {p} (kind {kind})", plane));
        }

        return list;
    }

    public static float Normal(Random rng)
    {
        double u = 1 - rng.NextDouble();
        double v = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
    }

    private static float[] Fill(int n, Func<int, float> f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = f(i);
        }

        return a;
    }

    private static float BitSteps(float v, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            v = MathF.BitIncrement(v);
        }

        return v;
    }

    private static float[] ZeroMeanPattern(int n, Random rng)
    {
        var a = new float[n];
        int full = n - (n % 17);
        for (int i = 0; i < full; i++)
        {
            a[i] = ((i % 17) - 8) / 8f;
        }

        rng.Shuffle(a);
        return a;
    }

    private static float[] ZeroMeanSymmetric(int n, Random rng)
    {
        // Multiples of 2^-20 in (-1, 1): every partial sum is exact in float64, so the mean is exactly 0.
        var a = new float[n];
        for (int i = 0; i + 1 < n; i += 2)
        {
            float v = rng.Next(1, 1 << 20) / (float)(1 << 20);
            a[i] = v;
            a[i + 1] = -v;
        }

        rng.Shuffle(a);
        return a;
    }

    private static float[] OnEdges(int n, Random rng, float min, float max)
    {
        // numpy's float32 edges for this range, and their float neighbours.
        var edges = new float[11];
        double step = ((double)max - min) / 10;
        for (int i = 0; i < 10; i++)
        {
            edges[i] = (float)((i * step) + min);
        }

        edges[10] = max;
        var a = new float[n];
        a[0] = min;
        a[1] = max;
        for (int i = 2; i < n; i++)
        {
            float e = edges[rng.Next(11)];
            a[i] = rng.Next(4) switch
            {
                0 => MathF.BitIncrement(e),
                1 => MathF.BitDecrement(e),
                2 => (float)((double)min + (rng.Next(11) * step)),
                _ => e,
            };
            a[i] = Math.Clamp(a[i], min, max);
        }

        return a;
    }

    private static float[] OneOutlier(int n, Random rng)
    {
        var a = Fill(n, _ => 0.2f + (0.01f * Normal(rng)));
        a[rng.Next(n)] = 50f;
        return a;
    }

    private static float[] CentreMax(int n, Random rng)
    {
        var a = Fill(n, _ => (float)rng.NextDouble());
        a[(n - 1) / 2] = 7.5f;
        return a;
    }
}
