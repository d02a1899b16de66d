using Inegi.UrbanGrowth.Spectral.Kernels;

namespace Inegi.UrbanGrowth.Spectral.Tests;

/// <summary>
/// Vector kernels against the scalar reference. Both evaluate the same IEEE float operations in the same order and use
/// fused multiply-add in the same places (DN scaling, tasseled cap), so the comparison is bit-exact: any tolerance would
/// hide a reordered or missing operation. (The JIT does not contract a * b + c into an FMA on its own.)
/// </summary>
public sealed class KernelTests
{
    public static readonly TheoryData<int, int> WidthsAndLengths = Build();

    private static TheoryData<int, int> Build()
    {
        var data = new TheoryData<int, int>();
        foreach (int w in new[] { 128, 256, 512 })
        {
            foreach (int n in new[] { 1, 7, 8, 15, 16, 17, 1089, 10000 })
            {
                data.Add(w, n);
            }
        }

        return data;
    }

    internal static float[] RandomReflectance(int n, int seed, double specialFraction)
    {
        var rng = new Random(seed);
        float[] specials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.2f, 6.5535f, 1e-30f, -1e-3f, 0.3f];
        var x = new float[6 * n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble() < specialFraction ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() * 0.8) - 0.05);
        }

        return x;
    }

    private static void AssertBitEqual(float[] expected, float[] actual, int n, IReadOnlyList<string> names)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"channel {names[i / n]} pixel {i % n}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void Compute_EachVectorWidth_MatchesScalarBitForBit(int width, int n)
    {
        float[] input = RandomReflectance(n, 1000 + n, 0.05);
        var scalar = new SpectralTransform { Width = VectorWidth.Scalar };
        var vector = new SpectralTransform { Width = (VectorWidth)width };
        var expected = new float[27 * n];
        var actual = new float[27 * n];
        scalar.Compute(input, n, expected);
        vector.Compute(input, n, actual);
        AssertBitEqual(expected, actual, n, StandardChannels.Names);
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void ComputeFromDigitalNumbers_UShortCollection2_MatchesScalarBitForBit(int width, int n)
    {
        var rng = new Random(n);
        var dn = new ushort[6 * n];
        for (int i = 0; i < dn.Length; i++)
        {
            dn[i] = rng.Next(10) switch { 0 => 0, 1 => 65535, 2 => 7273, _ => (ushort)rng.Next(65536) };
        }

        var tc = TasseledCapCoefficients.BaigOli2014;
        var scalar = new SpectralTransform(null, tc, SpectralTransform.Collection2Scale, SpectralTransform.Collection2Offset) { Width = VectorWidth.Scalar };
        var vector = new SpectralTransform(null, tc, SpectralTransform.Collection2Scale, SpectralTransform.Collection2Offset) { Width = (VectorWidth)width };
        var expected = new float[27 * n];
        var actual = new float[27 * n];
        scalar.ComputeFromDigitalNumbers<ushort>(dn, n, expected);
        vector.ComputeFromDigitalNumbers<ushort>(dn, n, actual);
        AssertBitEqual(expected, actual, n, StandardChannels.Names);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ComputeFromDigitalNumbers_EverySampleType_EqualsComputeOnScaledReflectance(int width)
    {
        const int n = 1089;
        var rng = new Random(width);
        var u16 = new ushort[6 * n];
        var i16 = new short[6 * n];
        var u8 = new byte[6 * n];
        var f32 = new float[6 * n];
        for (int i = 0; i < 6 * n; i++)
        {
            u16[i] = (ushort)rng.Next(65536);
            i16[i] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
            u8[i] = (byte)rng.Next(256);
            f32[i] = (float)(rng.NextDouble() * 12000);
        }

        var t = new SpectralTransform(scale: 0.0001f, offset: -0.01f) { Width = (VectorWidth)width };
        Check(u16, v => v);
        Check(i16, v => v);
        Check(u8, v => v);
        Check(f32, v => v);

        void Check<T>(T[] dn, Func<T, float> toFloat)
            where T : unmanaged
        {
            var reflectance = new float[6 * n];
            for (int i = 0; i < reflectance.Length; i++)
            {
                reflectance[i] = ScalarReference.MultiplyAdd(toFloat(dn[i]), 0.0001f, -0.01f);
            }

            var expected = new float[27 * n];
            var actual = new float[27 * n];
            t.Compute(reflectance, n, expected);
            t.ComputeFromDigitalNumbers<T>(dn, n, actual);
            AssertBitEqual(expected, actual, n, StandardChannels.Names);
        }
    }

    [Fact]
    public void Compute_DefaultWidth_MatchesScalarReferencePerPixel()
    {
        const int n = 333;
        float[] input = RandomReflectance(n, 7, 0.1);
        var output = new float[27 * n];
        new SpectralTransform().Compute(input, n, output);
        Span<float> pixel = stackalloc float[27];
        for (int i = 0; i < n; i++)
        {
            var b = new SpectralBands(input[i], input[n + i], input[(2 * n) + i], input[(3 * n) + i], input[(4 * n) + i], input[(5 * n) + i]);
            ScalarReference.ComputePixel(b, TasseledCapCoefficients.Default.Values, pixel);
            for (int c = 0; c < 27; c++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(pixel[c]), BitConverter.SingleToInt32Bits(output[(c * n) + i]));
            }
        }
    }

    private static float[] One(float b, float g, float r, float n, float s1, float s2, int width = 512)
    {
        // 16 copies of the pixel so that every vector width really runs its vector path.
        const int count = 16;
        var x = new float[6 * count];
        float[] v = [b, g, r, n, s1, s2];
        for (int k = 0; k < 6; k++)
        {
            Array.Fill(x, v[k], k * count, count);
        }

        var y = new float[27 * count];
        new SpectralTransform { Width = (VectorWidth)width }.Compute(x, count, y);
        var first = new float[27];
        for (int c = 0; c < 27; c++)
        {
            first[c] = y[c * count];
            for (int i = 1; i < count; i++)
            {
                Assert.Equal(first[c], y[(c * count) + i]);
            }
        }

        return first;
    }

    private static float Ch(float[] channels, string name) => channels[StandardChannels.Names.ToList().IndexOf(name)];

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Compute_AllZeros_EveryChannelIsZero(int width)
    {
        float[] y = One(0, 0, 0, 0, 0, 0, width);
        Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    public void Compute_GreenZero_IntermediateRatioInNbaiIsZero(int width)
    {
        // S1/G with G = 0 gives 0, so nbai = (S2 - 0) / (S2 + 0) = 1; ndwi = -N/N = -1; mndwi = -S1/S1 = -1.
        float[] y = One(0.05f, 0f, 0.1f, 0.3f, 0.25f, 0.2f, width);
        Assert.Equal(1f, Ch(y, "nbai"));
        Assert.Equal(-1f, Ch(y, "ndwi"));
        Assert.Equal(-1f, Ch(y, "mndwi"));
        // ibi: G/(G+S1) = 0, so ibi = (2S1/(S1+N) - N/(N+R)) / (2S1/(S1+N) + N/(N+R)).
        double built = 2 * 0.25 / 0.55, veg = 0.3 / 0.4;
        Assert.Equal((built - veg) / (built + veg), Ch(y, "ibi"), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void Compute_RedAndSwir1Zero_RatiosAreZero(int width)
    {
        float[] y = One(0.05f, 0.1f, 0f, 0.3f, 0f, 0.2f, width);
        Assert.Equal(0f, Ch(y, "sr"));
        Assert.Equal(0f, Ch(y, "brba"));
        Assert.Equal(0f, Ch(y, "nbi"));
        Assert.Equal(1f, Ch(y, "ndvi"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(512)]
    public void Compute_EqualBands_MatchesHandValues(int width)
    {
        float[] y = One(0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, width);
        Assert.Equal(0f, Ch(y, "ndvi"));
        Assert.Equal(1f, Ch(y, "sr"));
        Assert.Equal(0f, Ch(y, "ibi"));
        Assert.Equal(0f, Ch(y, "bu"));
        Assert.Equal(1f, Ch(y, "brba"));
        Assert.Equal(0.3f, Ch(y, "nbi"), 6);
        Assert.Equal(0.6f / 0.6f, Ch(y, "baei"), 6);
        // nbai: S1/G = 1 -> (0.3 - 1) / (0.3 + 1)
        Assert.Equal(-0.7 / 1.3, Ch(y, "nbai"), 6);
        // evi: 2.5 * 0 / (...) = 0; arvi: (0.3 - 0.3) / 0.6 = 0
        Assert.Equal(0f, Ch(y, "evi"));
        Assert.Equal(0f, Ch(y, "arvi"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    public void Compute_NaNRed_DependentChannelsZeroOthersKept(int width)
    {
        float[] y = One(0.05f, 0.1f, float.NaN, 0.3f, 0.25f, 0.2f, width);
        Assert.Equal(0f, Ch(y, "red"));
        Assert.Equal(0.3f, Ch(y, "nir"));
        foreach (string name in new[] { "evi", "sr", "arvi", "ndvi", "nbi", "brba", "baei", "bi", "tc_brightness", "tc_sixth" })
        {
            Assert.Equal(0f, Ch(y, name));
        }

        // bu = ndbi - ndvi: ndvi is 0 by the rule, so bu is ndbi (the rule applies to ndvi as an intermediate too).
        Assert.Equal(Ch(y, "ndbi"), Ch(y, "bu"));

        // Channels that do not read red keep their value.
        Assert.Equal((0.25 - 0.3) / 0.55, Ch(y, "ndbi"), 6);
        Assert.Equal((0.1 - 0.3) / 0.4, Ch(y, "ndwi"), 6);
        // ibi reads red only through the intermediate N/(N+R), which the rule turns into 0.
        double built = 0.5 / 0.55, water = 0.1 / 0.35;
        Assert.Equal((built - water) / (built + water), Ch(y, "ibi"), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    public void Compute_InfiniteBands_NonFiniteResultsAreZero(int width)
    {
        float[] y = One(float.PositiveInfinity, 0.1f, 0.2f, float.NegativeInfinity, 0.25f, 0.2f, width);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, Ch(y, "blue"));
        Assert.Equal(0f, Ch(y, "nir"));
        Assert.Equal(0f, Ch(y, "tc_brightness"));
        Assert.Equal(0f, Ch(y, "ndvi"));
    }

    [Fact]
    public void ComputeFromDigitalNumbers_Collection2Offsets_NegativeReflectancePassesThrough()
    {
        // DN 0 -> -0.2, DN 7000 -> -0.0075 reflectance (Collection 2 L2).
        const int n = 16;
        var dn = new ushort[6 * n];
        Array.Fill(dn, (ushort)0, 0, n);
        Array.Fill(dn, (ushort)7000, n, 5 * n);
        var y = new float[27 * n];
        new SpectralTransform(scale: SpectralTransform.Collection2Scale, offset: SpectralTransform.Collection2Offset).ComputeFromDigitalNumbers<ushort>(dn, n, y);
        Assert.Equal(-0.2f, y[0], 6);
        Assert.Equal(-0.0075f, y[n], 6);
        // ndvi with N = R: 0; sr = 1
        Assert.Equal(0f, y[13 * n]);
        Assert.Equal(1f, y[8 * n]);
    }

    [Fact]
    public void Compute_BadArguments_ThrowWithParameterName()
    {
        var t = new SpectralTransform();
        Assert.Throws<ArgumentException>("source", () => t.Compute(new float[6 * 10 - 1], 10, new float[270]));
        Assert.Throws<ArgumentException>("destination", () => t.Compute(new float[60], 10, new float[269]));
        Assert.Throws<ArgumentOutOfRangeException>("pixelCount", () => t.Compute(new float[60], -1, new float[270]));
        var shared = new float[400];
        Assert.Throws<ArgumentException>("destination", () => t.Compute(shared.AsSpan(0, 60), 10, shared.AsSpan(50, 270)));
        Assert.Throws<NotSupportedException>(() => t.ComputeFromDigitalNumbers<int>(new int[60], 10, new float[270]));
        Assert.Throws<ArgumentException>("scale", () => new SpectralTransform(scale: float.NaN));
    }

    [Fact]
    public void Compute_ManyThreadsSharingOneTransform_SameResultAsSequential()
    {
        const int n = PatchGeometry.PixelCount;
        var t = new SpectralTransform();
        float[][] inputs = [.. Enumerable.Range(0, 32).Select(s => RandomReflectance(n, s, 0.02))];
        var sequential = inputs.Select(x => { var y = new float[27 * n]; t.Compute(x, n, y); return y; }).ToArray();
        var parallel = new float[inputs.Length][];
        Parallel.For(0, inputs.Length, i => { var y = new float[27 * n]; t.Compute(inputs[i], n, y); parallel[i] = y; });
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
