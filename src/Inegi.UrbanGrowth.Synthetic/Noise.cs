using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>Integer hashing of lattice coordinates: the only source of randomness below the scene level.</summary>
internal static class Hashing
{
    /// <summary>A 32-bit avalanche mix (the "lowbias32" finaliser by C. Wellons).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }

    /// <summary>Hash of a salt and two integer coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint salt, int x, int y) => Mix((uint)x + Mix((uint)y + Mix(salt)));

    /// <summary>The part of <see cref="Hash"/> that depends on the salt and the row only: <c>Hash(salt, x, y) = Mix((uint)x + RowKey(salt, y))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RowKey(uint salt, int y) => Mix((uint)y + Mix(salt));

    /// <summary><see cref="Unit"/> of (salt, x, y) from the row key of (salt, y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float UnitKeyed(uint rowKey, int x) => (Mix((uint)x + rowKey) >> 8) * (1f / 16777216f);

    /// <summary>Hash mapped to [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Unit(uint salt, int x, int y) => (Hash(salt, x, y) >> 8) * (1f / 16777216f);

    /// <summary>Hash mapped to [-1, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Signed(uint salt, int x, int y) => ((Hash(salt, x, y) >> 8) * (1f / 8388608f)) - 1f;

    /// <summary>Floor division for possibly negative numerators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// <summary>
/// Fractal value noise on the pixel lattice: a sum of octaves, each a bilinear (smoothstep-weighted) interpolation of
/// hashed lattice values with a period in pixels. Values are normalised to about [-1, 1]. The value of a pixel
/// depends only on the salt and its absolute (column, row), never on the range being evaluated.
/// </summary>
internal sealed class FractalNoise
{
    private readonly int[] _periods;
    private readonly float[][] _weights;
    private readonly uint[] _salts;
    private readonly float[] _amplitudes;

    public FractalNoise(uint salt, ReadOnlySpan<int> periods)
    {
        int n = periods.Length;
        _periods = new int[n];
        _weights = new float[n][];
        _salts = new uint[n];
        _amplitudes = new float[n];
        float amp = 1f, total = 0f;
        for (int o = 0; o < n; o++)
        {
            total += amp;
            amp *= 0.5f;
        }

        amp = 1f / total;
        for (int o = 0; o < n; o++)
        {
            int p = Math.Max(2, periods[o]);
            _periods[o] = p;
            _salts[o] = Hashing.Mix(salt * 0x9E3779B9u + (uint)o * 0x632BE5ABu + 0x1234567u);
            _amplitudes[o] = amp;
            amp *= 0.5f;
            var w = new float[p];
            for (int k = 0; k < p; k++)
            {
                float t = (k + 0.5f) / p;
                w[k] = t * t * (3f - 2f * t);
            }

            _weights[o] = w;
        }
    }

    /// <summary>Writes the noise of pixels (x0 .. x0 + dest.Length - 1, row) into <paramref name="dest"/>.</summary>
    public void Row(int row, int x0, Span<float> dest)
    {
        dest.Clear();
        for (int o = 0; o < _periods.Length; o++)
        {
            AddOctave(o, row, x0, dest);
        }
    }

    /// <summary>The noise at one pixel (same value as <see cref="Row"/>).</summary>
    public float At(int x, int y)
    {
        Span<float> one = stackalloc float[1];
        Row(y, x, one);
        return one[0];
    }

    private void AddOctave(int o, int row, int x0, Span<float> dest)
    {
        int p = _periods[o];
        float[] w = _weights[o];
        uint salt = _salts[o];
        float amp = _amplitudes[o];
        int gy = Hashing.FloorDiv(row, p);
        float wy = w[row - gy * p];
        int gx = Hashing.FloorDiv(x0, p);
        int rx = x0 - gx * p;
        float c0 = Column(salt, gx, gy, wy);
        float c1 = Column(salt, gx + 1, gy, wy);
        for (int i = 0; i < dest.Length; i++)
        {
            dest[i] += amp * (c0 + (c1 - c0) * w[rx]);
            if (++rx == p)
            {
                rx = 0;
                gx++;
                c0 = c1;
                c1 = Column(salt, gx + 1, gy, wy);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Column(uint salt, int gx, int gy, float wy)
    {
        float a = Hashing.Signed(salt, gx, gy);
        float b = Hashing.Signed(salt, gx, gy + 1);
        return a + (b - a) * wy;
    }
}

/// <summary>The sequential generator (Core's <see cref="SplitMix64"/>) used only at scene construction (cities, roads, zones).</summary>
internal sealed class SceneRandom(ulong seed)
{
    private SplitMix64 _generator = new(seed);

    /// <summary>A generator in the same state that then runs on its own (trial constructions replay the same draws).</summary>
    public SceneRandom Clone() => new(0) { _generator = _generator };

    public ulong NextUInt64() => _generator.Next();

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _generator.NextDouble();

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();
}
