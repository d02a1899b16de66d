using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>Scene-level precomputation: noise fields, cities, roads, the block index, gaps, undefined mask, zones.</summary>
public sealed partial class SyntheticScene
{
    private const int BlockShift = 6;               // 64-pixel blocks for the city / road index
    private const float BoundaryAmplitude = 0.3f;   // city edge radius modulation (+-30%)
    private const float PeriUrbanExtent = 1.8f;     // peri-urban ring reaches 1.8 radii
    private const float RibbonHalfWidth = 5f;       // pixels (150 m) either side of a road
    private const float WaterLo = 0.50f;            // water abundance = smoothstep(WaterLo, WaterHi, water noise)
    private const float WaterHi = 0.58f;
    private const float CloudLo = 0.47f;            // cloud opacity = smoothstep(CloudLo, CloudHi, cloud noise)
    private const float CloudHi = 0.58f;

    // Calibration: urban cell area ~ K * sum(pi * (r^2 - rmin^2)); K measured on medium scenes (docs/synthetic.md).
    private const double AreaCalibration = 0.45;

    private readonly uint _seedSalt;
    private FractalNoise _arid = null!;
    private FractalNoise _veg = null!;
    private FractalNoise _bright = null!;
    private FractalNoise _crop = null!;
    private FractalNoise _water = null!;
    private FractalNoise _boundary = null!;
    private FractalNoise[] _pheno = null!;
    private FractalNoise[] _cloud = null!;
    private FractalNoise[] _haze = null!;
    private FractalNoise _park = null!;
    private FractalNoise _patch = null!;
    private float[] _gain = null!;
    private uint[] _yearSalt = null!;
    private int _shadowDx;
    private int _shadowDy;
    private float _aridGradient;

    // Cities (pixel units: pixel i spans [i, i + 1), its centre is i + 0.5), per year radius / influence / ribbon.
    private float[] _ccx = null!;
    private float[] _ccy = null!;
    private float[] _cpeak = null!;
    private float[][] _crad = null!;
    private float[][] _cinfl2 = null!;
    private float[][] _crib = null!;

    // Roads: segment A -> B between two city centres.
    private float[] _roadAx = null!;
    private float[] _roadAy = null!;
    private float[] _roadDx = null!;
    private float[] _roadDy = null!;
    private float[] _roadLen = null!;
    private float[] _roadInvLen2 = null!;
    private int[] _roadA = null!;
    private int[] _roadB = null!;

    // Block index (CSR): candidates of each 64 x 64 pixel block.
    private int _blockCols;
    private int _blockRows;
    private int[] _cityStart = null!;
    private int[] _cityItems = null!;
    private int[] _roadStart = null!;
    private int[] _roadItems = null!;

    private readonly NoDataStrip[] _strips;

    private readonly record struct NoDataStrip(float CenterX, float CenterY, float Cos, float Sin, float HalfWidth, float HalfLength);

    private int Px(double meters) => Math.Max(2, (int)Math.Round(meters / _px));

    private void InitNoise(SceneRandom rng)
    {
        uint s = _seedSalt;
        int big = Math.Clamp((int)(Math.Min(MosaicWidth, MosaicHeight) / 1.5), 600, 4000);
        _arid = new FractalNoise(s + 1, [big, big / 3]);
        _veg = new FractalNoise(s + 2, [Px(6000), Px(1800), Px(500)]);
        _bright = new FractalNoise(s + 3, [Px(4500), Px(1200)]);
        _crop = new FractalNoise(s + 4, [Px(7500), Px(2400)]);
        _water = new FractalNoise(s + 5, [Px(12000), Px(3600), Px(1050)]);
        _boundary = new FractalNoise(s + 6, [Px(2700), Px(900), Px(330)]);
        _park = new FractalNoise(s + 7, [Px(900), Px(300)]);

        // Fine patchiness of the natural cover (woodlots, pastures, shrubs at 90-240 m): real scenes vary most at this
        // scale (docs/synthetic.md, "Calibration against real scenes").
        _patch = new FractalNoise(s + 8, [Px(240), Px(90)]);
        _aridGradient = 0.35f;
        int ny = _years.Length;
        _pheno = new FractalNoise[ny];
        _cloud = new FractalNoise[ny];
        _haze = new FractalNoise[ny];
        _gain = new float[ny * BandCount];
        _yearSalt = new uint[ny];
        for (int y = 0; y < ny; y++)
        {
            uint ys = Hashing.Mix(s ^ (uint)_years[y] * 0x9E3779B1u);
            _yearSalt[y] = ys;
            _pheno[y] = new FractalNoise(ys + 11, [Px(9000), Px(3000)]);
            _cloud[y] = new FractalNoise(ys + 12, [Px(2400), Px(750), Px(240)]);
            _haze[y] = new FractalNoise(ys + 13, [Px(15000), Px(5000)]);
            float common = (float)rng.Uniform(-0.03, 0.03);
            for (int b = 0; b < BandCount; b++)
            {
                _gain[y * BandCount + b] = 1f + common + (float)rng.Uniform(-0.015, 0.015);
            }
        }

        _shadowDx = Px(450);
        _shadowDy = Px(600);
    }

    /// <summary>The random draws of the cities (relative sizes, centres, peaks, growth rates), before their scale.</summary>
    private sealed record CityDraws(double[] Raw, double[] X, double[] Y, double[] Peak, double[] Growth);

    private CityDraws DrawCities(SceneRandom rng)
    {
        int cells = GridWidth * GridHeight;
        int n = Math.Max(12, cells / 40);
        double gridW = GridWidth * _cs, gridH = GridHeight * _cs;
        var draws = new CityDraws(new double[n], new double[n], new double[n], new double[n], new double[n]);
        for (int c = 0; c < n; c++)
        {
            // Heavy tail: area ~ 1/u (Zipf-like city sizes), radius ~ u^-1/2.
            double u = Math.Max(rng.NextDouble(), 0.5 / n);
            draws.Raw[c] = 1 / Math.Sqrt(u);
            for (int attempt = 0; attempt < 30; attempt++)
            {
                draws.X[c] = rng.Uniform(0, gridW);
                draws.Y[c] = rng.Uniform(0, gridH);
                int pi = (int)((_offX + draws.X[c]) / _px), pj = (int)((_offY + draws.Y[c]) / _px);
                if (_water.At(pi, pj) < WaterLo - 0.1f)
                {
                    break;
                }
            }

            draws.Peak[c] = 0.5 + 0.3 * rng.NextDouble();
            draws.Growth[c] = 0.03 + 0.07 * rng.NextDouble();
        }

        return draws;
    }

    /// <summary>Radius cap of a city (metres): a fifth of the scene's shorter side, at most 30 km.</summary>
    private double RadiusCap => Math.Min(0.2 * Math.Min(GridWidth * _cs, GridHeight * _cs), 30_000);

    /// <summary>
    /// First guess of the radius scale: the factor for which <c>K * sum(pi (r^2 - rmin^2))</c> is the target urban
    /// area (bisection). <see cref="CalibrateCities"/> then corrects it against the label rule itself.
    /// </summary>
    private double AnalyticScale(CityDraws draws)
    {
        double target = _options.UrbanFraction * GridWidth * GridHeight * _cs * _cs * AreaCalibration;
        double rmin = 0.3 * _cs, cap = RadiusCap;
        double lo = 0, hi = cap;
        for (int it = 0; it < 80; it++)
        {
            double mid = 0.5 * (lo + hi), area = 0;
            foreach (double raw in draws.Raw)
            {
                double r = Math.Min(mid * raw, cap);
                area += Math.PI * Math.Max(0, r * r - rmin * rmin);
            }

            if (area < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    private SyntheticCity[] PlaceCities(CityDraws draws, double scale)
    {
        int n = draws.Raw.Length;
        double cap = RadiusCap;
        var order = new int[n];
        for (int c = 0; c < n; c++)
        {
            order[c] = c;
        }

        double[] rawSizes = draws.Raw;
        Array.Sort(order, (a, b) => rawSizes[a] != rawSizes[b] ? rawSizes[b].CompareTo(rawSizes[a]) : a.CompareTo(b));
        var cities = new SyntheticCity[n];
        int ny = _years.Length;
        _ccx = new float[n];
        _ccy = new float[n];
        _cpeak = new float[n];
        _crad = new float[ny][];
        _cinfl2 = new float[ny][];
        _crib = new float[ny][];
        for (int y = 0; y < ny; y++)
        {
            _crad[y] = new float[n];
            _cinfl2[y] = new float[n];
            _crib[y] = new float[n];
        }

        for (int k = 0; k < n; k++)
        {
            int c = order[k];
            double r0 = Math.Min(scale * draws.Raw[c], cap);
            var city = new SyntheticCity(k, _options.GridOriginX + draws.X[c], _options.GridOriginY - draws.Y[c], r0, draws.Growth[c], _years[0]);
            cities[k] = city;
            _ccx[k] = (float)((_offX + draws.X[c]) / _px);
            _ccy[k] = (float)((_offY + draws.Y[c]) / _px);
            _cpeak[k] = (float)draws.Peak[c];
            for (int y = 0; y < ny; y++)
            {
                double r = city.RadiusMeters(_years[y]) / _px;
                _crad[y][k] = (float)r;
                double infl = PeriUrbanExtent * (1 + BoundaryAmplitude) * r + 2;
                _cinfl2[y][k] = (float)(infl * infl);

                // Ribbon development along roads: beyond the core edge, growing faster than the core.
                _crib[y][k] = (float)(r * (0.5 + 0.3 * (_years[y] - _years[0]) / 5.0) + 3);
            }
        }

        return cities;
    }

    private void CreateRoads()
    {
        int n = _ccx.Length;
        float maxLen = (float)(60_000 / _px);
        float bucket = (float)(15_000 / _px);
        int bw = (int)(MosaicWidth / bucket) + 2, bh = (int)(MosaicHeight / bucket) + 2;
        var heads = new int[bw * bh];
        Array.Fill(heads, -1);
        var next = new int[n];
        for (int c = n - 1; c >= 0; c--)
        {
            int b = BucketOf(c);
            next[c] = heads[b];
            heads[b] = c;
        }

        int BucketOf(int c) =>
            Math.Clamp((int)(_ccy[c] / bucket), 0, bh - 1) * bw + Math.Clamp((int)(_ccx[c] / bucket), 0, bw - 1);

        var pairs = new HashSet<long>();
        var list = new List<(int A, int B)>();
        int reach = (int)Math.Ceiling(maxLen / bucket);
        for (int c = 1; c < n; c++)
        {
            int bx = Math.Clamp((int)(_ccx[c] / bucket), 0, bw - 1), by = Math.Clamp((int)(_ccy[c] / bucket), 0, bh - 1);
            int bestLarger = -1, bestAny = -1;
            float dLarger = maxLen * maxLen, dAny = maxLen * maxLen * 0.25f;
            for (int yy = Math.Max(0, by - reach); yy <= Math.Min(bh - 1, by + reach); yy++)
            {
                for (int xx = Math.Max(0, bx - reach); xx <= Math.Min(bw - 1, bx + reach); xx++)
                {
                    for (int o = heads[yy * bw + xx]; o >= 0; o = next[o])
                    {
                        if (o == c)
                        {
                            continue;
                        }

                        float dx = _ccx[o] - _ccx[c], dy = _ccy[o] - _ccy[c], d2 = dx * dx + dy * dy;
                        if (o < c && (d2 < dLarger || (d2 == dLarger && o < bestLarger)))
                        {
                            dLarger = d2;
                            bestLarger = o;
                        }

                        if (d2 < dAny || (d2 == dAny && o < bestAny))
                        {
                            dAny = d2;
                            bestAny = o;
                        }
                    }
                }
            }

            Add(bestLarger, c);
            if ((Hashing.Hash(_seedSalt + 77, c, 0) & 3) < 2)
            {
                Add(bestAny, c);
            }
        }

        void Add(int a, int b)
        {
            if (a < 0)
            {
                return;
            }

            int lo = Math.Min(a, b), hi = Math.Max(a, b);
            if (pairs.Add(((long)lo << 32) | (uint)hi))
            {
                list.Add((lo, hi));
            }
        }

        int m = list.Count;
        _roadAx = new float[m];
        _roadAy = new float[m];
        _roadDx = new float[m];
        _roadDy = new float[m];
        _roadLen = new float[m];
        _roadInvLen2 = new float[m];
        _roadA = new int[m];
        _roadB = new int[m];
        for (int r = 0; r < m; r++)
        {
            var (a, b) = list[r];
            _roadA[r] = a;
            _roadB[r] = b;
            _roadAx[r] = _ccx[a];
            _roadAy[r] = _ccy[a];
            _roadDx[r] = _ccx[b] - _ccx[a];
            _roadDy[r] = _ccy[b] - _ccy[a];
            float len2 = _roadDx[r] * _roadDx[r] + _roadDy[r] * _roadDy[r];
            _roadLen[r] = MathF.Sqrt(len2);
            _roadInvLen2[r] = len2 > 0 ? 1f / len2 : 0f;
        }
    }

    private void BuildBlockIndex()
    {
        int maxX = Math.Max(MosaicWidth, (int)Math.Ceiling((_offX + GridWidth * _cs) / _px)) + 2;
        int maxY = Math.Max(MosaicHeight, (int)Math.Ceiling((_offY + GridHeight * _cs) / _px)) + 2;
        _blockCols = (maxX >> BlockShift) + 1;
        _blockRows = (maxY >> BlockShift) + 1;
        int blocks = _blockCols * _blockRows;
        int last = _years.Length - 1;
        const float half = 1 << (BlockShift - 1);
        float blockReach = half * 1.4143f + RibbonHalfWidth + 1;

        _cityStart = new int[blocks + 1];
        _roadStart = new int[blocks + 1];
        for (int pass = 0; pass < 2; pass++)
        {
            int[]? cityFill = null, roadFill = null;
            if (pass == 1)
            {
                for (int b = 0; b < blocks; b++)
                {
                    _cityStart[b + 1] += _cityStart[b];
                    _roadStart[b + 1] += _roadStart[b];
                }

                _cityItems = new int[_cityStart[blocks]];
                _roadItems = new int[_roadStart[blocks]];
                cityFill = (int[])_cityStart.Clone();
                roadFill = (int[])_roadStart.Clone();
            }

            for (int c = 0; c < _ccx.Length; c++)
            {
                float reach = MathF.Sqrt(_cinfl2[last][c]);
                ForBlocks(_ccx[c] - reach, _ccy[c] - reach, _ccx[c] + reach, _ccy[c] + reach, (bx, by) =>
                {
                    float nx = Math.Clamp(_ccx[c], bx << BlockShift, (bx + 1) << BlockShift);
                    float ny = Math.Clamp(_ccy[c], by << BlockShift, (by + 1) << BlockShift);
                    return (nx - _ccx[c]) * (nx - _ccx[c]) + (ny - _ccy[c]) * (ny - _ccy[c]) <= _cinfl2[last][c];
                }, c, _cityStart, cityFill, _cityItems);
            }

            for (int r = 0; r < _roadAx.Length; r++)
            {
                float x0 = Math.Min(_roadAx[r], _roadAx[r] + _roadDx[r]), x1 = Math.Max(_roadAx[r], _roadAx[r] + _roadDx[r]);
                float y0 = Math.Min(_roadAy[r], _roadAy[r] + _roadDy[r]), y1 = Math.Max(_roadAy[r], _roadAy[r] + _roadDy[r]);
                float pad = RibbonHalfWidth + 1;
                int road = r;
                ForBlocks(x0 - pad, y0 - pad, x1 + pad, y1 + pad, (bx, by) =>
                {
                    float px = ((bx << BlockShift) + half) - _roadAx[road], py = ((by << BlockShift) + half) - _roadAy[road];
                    float t = Math.Clamp((px * _roadDx[road] + py * _roadDy[road]) * _roadInvLen2[road], 0f, 1f);
                    float ex = px - t * _roadDx[road], ey = py - t * _roadDy[road];
                    return ex * ex + ey * ey <= blockReach * blockReach;
                }, road, _roadStart, roadFill, _roadItems);
            }
        }
    }

    private void ForBlocks(float x0, float y0, float x1, float y1, Func<int, int, bool> touches, int item, int[] start, int[]? fill, int[]? items)
    {
        int bx0 = Math.Max(0, (int)MathF.Floor(x0) >> BlockShift), bx1 = Math.Min(_blockCols - 1, (int)MathF.Floor(x1) >> BlockShift);
        int by0 = Math.Max(0, (int)MathF.Floor(y0) >> BlockShift), by1 = Math.Min(_blockRows - 1, (int)MathF.Floor(y1) >> BlockShift);
        for (int by = by0; by <= by1; by++)
        {
            for (int bx = bx0; bx <= bx1; bx++)
            {
                if (!touches(bx, by))
                {
                    continue;
                }

                int b = by * _blockCols + bx;
                if (fill is null)
                {
                    start[b + 1]++;
                }
                else
                {
                    items![fill[b]++] = item;
                }
            }
        }
    }

    private NoDataStrip[] CreateStrips(SceneRandom rng)
    {
        var strips = new NoDataStrip[_years.Length];
        for (int y = 0; y < strips.Length; y++)
        {
            double theta = rng.Uniform(-0.35, 0.35);
            strips[y] = new NoDataStrip(
                (float)(MosaicWidth * rng.Uniform(0.15, 0.85)),
                (float)(MosaicHeight * rng.Uniform(0.2, 0.8)),
                (float)Math.Cos(theta),
                (float)Math.Sin(theta),
                (float)Math.Max(12, 0.012 * MosaicWidth),
                (float)(0.22 * MosaicHeight));
        }

        return strips;
    }

    /// <summary>Whether pixel (i, j) is a nodata pixel in year index <paramref name="yi"/> (a strip of missing scene).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsNoData(int yi, int i, int j)
    {
        ref readonly NoDataStrip s = ref _strips[yi];
        float dx = i + 0.5f - s.CenterX, dy = j + 0.5f - s.CenterY;
        float across = dx * s.Cos - dy * s.Sin;
        float along = dx * s.Sin + dy * s.Cos;
        return MathF.Abs(across) < s.HalfWidth && MathF.Abs(along) < s.HalfLength;
    }

    private byte[] CreateUndefinedMask()
    {
        int w = GridWidth, h = GridHeight, cells = w * h;
        var score = new float[cells];
        var noise = new FractalNoise(_seedSalt + 21, [12, 5]);
        for (int r = 0; r < h; r++)
        {
            noise.Row(r, 0, score.AsSpan(r * w, w));
        }

        // Census covers the towns: cells near a city core (first year) are never undefined.
        for (int c = 0; c < _ccx.Length; c++)
        {
            double cxm = _ccx[c] * _px - _offX, cym = _ccy[c] * _px - _offY;
            double reach = _crad[0][c] * _px + 0.7 * _cs;
            int c0 = Math.Max(0, (int)Math.Floor((cxm - reach) / _cs)), c1 = Math.Min(w - 1, (int)Math.Floor((cxm + reach) / _cs));
            int r0 = Math.Max(0, (int)Math.Floor((cym - reach) / _cs)), r1 = Math.Min(h - 1, (int)Math.Floor((cym + reach) / _cs));
            for (int r = r0; r <= r1; r++)
            {
                for (int q = c0; q <= c1; q++)
                {
                    double dx = (q + 0.5) * _cs - cxm, dy = (r + 0.5) * _cs - cym;
                    if (dx * dx + dy * dy <= reach * reach)
                    {
                        score[r * w + q] = float.NegativeInfinity;
                    }
                }
            }
        }

        int k = (int)Math.Round(_options.UndefinedFraction * cells);
        var mask = new byte[cells];
        if (k > 0)
        {
            var sorted = (float[])score.Clone();
            Array.Sort(sorted);
            float threshold = sorted[cells - k];
            int count = 0;
            for (int i = 0; i < cells; i++)
            {
                if (score[i] >= threshold && !float.IsNegativeInfinity(score[i]))
                {
                    mask[i] = 1;
                    count++;
                }
            }

            UndefinedCellCount = count;
        }

        return mask;
    }

    private ushort[] CreateZones(SceneRandom rng)
    {
        int w = GridWidth, h = GridHeight, k = _options.ZoneCount;
        var sx = new double[k];
        var sy = new double[k];
        for (int z = 0; z < k; z++)
        {
            sx[z] = rng.Uniform(0, w);
            sy[z] = rng.Uniform(0, h);
        }

        int period = Math.Max(4, Math.Max(w, h) / 4);
        var warpX = new FractalNoise(_seedSalt + 31, [period, period / 3]);
        var warpY = new FractalNoise(_seedSalt + 32, [period, period / 3]);
        float amp = 0.12f * Math.Max(w, h);
        var zones = new ushort[w * h];
        var bx = new float[w];
        var by = new float[w];
        for (int r = 0; r < h; r++)
        {
            warpX.Row(r, 0, bx);
            warpY.Row(r, 0, by);
            for (int c = 0; c < w; c++)
            {
                double px = c + 0.5 + amp * bx[c], py = r + 0.5 + amp * by[c];
                int best = 0;
                double bestD = double.MaxValue;
                for (int z = 0; z < k; z++)
                {
                    double d = (px - sx[z]) * (px - sx[z]) + (py - sy[z]) * (py - sy[z]);
                    if (d < bestD)
                    {
                        bestD = d;
                        best = z;
                    }
                }

                zones[r * w + c] = (ushort)(best + 1);
            }
        }

        return zones;
    }
}
