using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>
/// Growth of several kinds between the years (docs/synthetic.md, "Growth"): besides the outward growth of every city
/// core, vacant lots inside the cores and the peri-urban rings fill in (infill), new housing estates appear detached
/// from the towns with their access road (new developments), and new roads open between towns. Everything is drawn at
/// construction from its own random stream, so the rest of the scene does not move when these change; every kind only
/// adds built-up land from one year to the next, so the labels never lose an urban cell.
/// </summary>
public sealed partial class SyntheticScene
{
    private const float VacantLotShare = 0.3f;       // built-up left on a vacant lot of a core (as a share of the core's)

    // Per city: street grid (period in pixels, orientation) and per year the vacant-lot share of the core and the
    // occupied share of the peri-urban ring.
    private float[] _cstreetPeriod = null!;
    private float[] _cstreetCos = null!;
    private float[] _cstreetSin = null!;
    private float[] _cdensify = null!;
    private float[] _csuburb = null!;
    private float[][] _cvacant = null!;
    private float[][] _cring = null!;

    // New developments (housing estates): rotated rectangles, pixel units; the year they are built.
    private float[] _ex = null!;
    private float[] _ey = null!;
    private float[] _ecos = null!;
    private float[] _esin = null!;
    private float[] _ehalfU = null!;
    private float[] _ehalfV = null!;
    private float[] _epeak = null!;
    private float[] _eperiod = null!;
    private float[] _estart = null!;
    private int[] _ecity = null!;
    private int[] _eroad = null!;
    private int[] _devStart = null!;
    private int[] _devItems = null!;

    // Roads: the year each opens (negative infinity for the roads of the first year); roads before this index are the
    // first year's network between towns.
    private float[] _roadOpen = null!;
    private int _baseRoadCount;

    /// <summary>Number of new developments (housing estates detached from the towns, built after the first year).</summary>
    public int DevelopmentCount => _ex.Length;

    /// <summary>The year a development is built, and its centre (map units), for tests and reports.</summary>
    /// <param name="index">0 .. <see cref="DevelopmentCount"/> - 1.</param>
    public (double Year, double CenterX, double CenterY) Development(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _ex.Length);
        return (_estart[index], MosaicTransform.OriginX + _ex[index] * _px, MosaicTransform.OriginY - _ey[index] * _px);
    }

    /// <summary>Test hook: the mid-point of road <paramref name="r"/> (mosaic pixels) and the year it opens (negative infinity: the first year's).</summary>
    internal (float X, float Y, float OpenYear) RoadMidpoint(int r) =>
        (_roadAx[r] + 0.5f * _roadDx[r], _roadAy[r] + 0.5f * _roadDy[r], _roadOpen[r]);

    /// <summary>Street grids, infill schedules, new developments and new roads (after <see cref="CreateRoads"/>).</summary>
    private void CreateGrowth()
    {
        var rng = new SceneRandom(((ulong)(uint)_options.Seed << 20) ^ 0x6120_57A7_E5UL);
        int nc = _ccx.Length, ny = _years.Length;
        float first = _years[0], last = _years[^1];
        _cstreetPeriod = new float[nc];
        _cstreetCos = new float[nc];
        _cstreetSin = new float[nc];
        _cdensify = new float[nc];
        _csuburb = new float[nc];
        _cvacant = new float[ny][];
        _cring = new float[ny][];
        for (int y = 0; y < ny; y++)
        {
            _cvacant[y] = new float[nc];
            _cring[y] = new float[nc];
        }

        for (int c = 0; c < nc; c++)
        {
            // Blocks of 90-150 m between streets, the grid turned by up to 45 degrees.
            _cstreetPeriod[c] = (float)rng.Uniform(3, 5);
            double theta = rng.Uniform(0, Math.PI / 2);
            _cstreetCos[c] = (float)Math.Cos(theta);
            _cstreetSin[c] = (float)Math.Sin(theta);

            // Suburbs reach 1.2-1.7 core radii around 70% of the towns.
            _csuburb[c] = rng.NextDouble() < 0.7 ? (float)rng.Uniform(1.2, 1.7) : 1f;

            // Vacant lots: 5-25% of a core in the first year, 40% of those built on every five years. The other
            // lots are denser by the factor that keeps the core's mean built-up of the first year.
            double vacant0 = rng.Uniform(0.05, 0.25);
            _cdensify[c] = (float)(1 / (1 - (1 - VacantLotShare) * vacant0));
            double ring0 = 0.35, ringRate = rng.Uniform(0.04, 0.1);
            for (int y = 0; y < ny; y++)
            {
                double fives = (_years[y] - first) / 5.0;
                _cvacant[y][c] = (float)(vacant0 * Math.Pow(0.6, fives));
                _cring[y][c] = (float)Math.Min(0.75, ring0 + ringRate * fives);
            }
        }

        // New developments: estates of 250-900 m, 0.6-3 km beyond the final edge of a town, built in a year between
        // the first and the last; larger towns get more. They come with an access road to the town's centre.
        var dev = new List<(float X, float Y, float Cos, float Sin, float HalfU, float HalfV, float Peak, float Period, float Start, int City)>();
        var access = new List<(int City, float X, float Y, float Start)>();
        float kmPx = (float)(1000 / _px);
        float w = (float)((_offX + GridWidth * _cs) / _px), h = (float)((_offY + GridHeight * _cs) / _px);
        if (ny > 1)
        {
            for (int c = 0; c < nc; c++)
            {
                double expected = Math.Min(4, 0.25 + _crad[0][c] / kmPx * 0.8);
                int count = (int)expected + (rng.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
                for (int k = 0; k < count; k++)
                {
                    double ang = rng.Uniform(0, 2 * Math.PI);
                    double dist = _crad[ny - 1][c] * (1 + BoundaryAmplitude) + kmPx * rng.Uniform(0.6, 3);
                    float x = (float)(_ccx[c] + dist * Math.Cos(ang)), y = (float)(_ccy[c] + dist * Math.Sin(ang));
                    double rot = rng.Uniform(0, Math.PI / 2);
                    float halfU = kmPx * (float)rng.Uniform(0.125, 0.45), halfV = kmPx * (float)rng.Uniform(0.125, 0.45);
                    float start = (float)rng.Uniform(first + 0.5, last);
                    float peak = (float)rng.Uniform(0.6, 0.85);
                    float period = (float)rng.Uniform(2.5, 4);
                    if (x < 0 || y < 0 || x > w || y > h || _water.At((int)x, (int)y) > WaterLo - 0.05f)
                    {
                        continue;
                    }

                    dev.Add((x, y, (float)Math.Cos(rot), (float)Math.Sin(rot), halfU, halfV, peak, period, start, c));
                    access.Add((c, x, y, start));
                }
            }
        }

        int n = dev.Count;
        _ex = new float[n];
        _ey = new float[n];
        _ecos = new float[n];
        _esin = new float[n];
        _ehalfU = new float[n];
        _ehalfV = new float[n];
        _epeak = new float[n];
        _eperiod = new float[n];
        _estart = new float[n];
        _ecity = new int[n];
        _eroad = new int[n];
        for (int e = 0; e < n; e++)
        {
            (_ex[e], _ey[e], _ecos[e], _esin[e], _ehalfU[e], _ehalfV[e], _epeak[e], _eperiod[e], _estart[e], _ecity[e]) = dev[e];
            _eroad[e] = _roadAx.Length + e;   // its access road, appended below
        }

        // New roads: one in five of the first year's roads between towns opens later (a new highway), and each
        // development gets its access road the year it is built.
        _baseRoadCount = _roadAx.Length;
        var open = new float[_baseRoadCount + access.Count];
        for (int r = 0; r < _baseRoadCount; r++)
        {
            open[r] = ny > 1 && Hashing.Hash(_seedSalt + 78, r, 0) % 5 == 0
                ? first + 0.5f + (last - first - 0.5f) * Hashing.Unit(_seedSalt + 79, r, 0)
                : float.NegativeInfinity;
        }

        AppendRoads(access, open);
        _roadOpen = open;
    }

    private void AppendRoads(List<(int City, float X, float Y, float Start)> access, float[] open)
    {
        int m0 = _roadAx.Length, m = m0 + access.Count;
        Array.Resize(ref _roadAx, m);
        Array.Resize(ref _roadAy, m);
        Array.Resize(ref _roadDx, m);
        Array.Resize(ref _roadDy, m);
        Array.Resize(ref _roadLen, m);
        Array.Resize(ref _roadInvLen2, m);
        Array.Resize(ref _roadA, m);
        Array.Resize(ref _roadB, m);
        for (int k = 0; k < access.Count; k++)
        {
            int r = m0 + k;
            var (c, x, y, start) = access[k];
            _roadA[r] = c;
            _roadB[r] = -1;   // no ribbon grows from the estate's end
            _roadAx[r] = _ccx[c];
            _roadAy[r] = _ccy[c];
            _roadDx[r] = x - _ccx[c];
            _roadDy[r] = y - _ccy[c];
            float len2 = _roadDx[r] * _roadDx[r] + _roadDy[r] * _roadDy[r];
            _roadLen[r] = MathF.Sqrt(len2);
            _roadInvLen2[r] = len2 > 0 ? 1f / len2 : 0f;
            open[r] = start;
        }
    }

    /// <summary>
    /// Drops the developments that would land in or next to another town (they would not be detached) and indexes the
    /// rest by blocks (after <see cref="BuildBlockIndex"/>, whose city index finds the towns near each one). A dropped
    /// estate's access road never opens.
    /// </summary>
    private void IndexDevelopments(Func<int, bool>? drop = null)
    {
        int last = _years.Length - 1, kept = 0;
        for (int e = 0; e < _ex.Length; e++)
        {
            int bx = Math.Clamp((int)_ex[e] >> BlockShift, 0, _blockCols - 1), by = Math.Clamp((int)_ey[e] >> BlockShift, 0, _blockRows - 1);
            int b = by * _blockCols + bx;
            float reach = MathF.Sqrt(_ehalfU[e] * _ehalfU[e] + _ehalfV[e] * _ehalfV[e]);
            bool inTown = false;
            for (int k = _cityStart[b]; k < _cityStart[b + 1] && !inTown; k++)
            {
                int c = _cityItems[k];
                float dx = _ex[e] - _ccx[c], dy = _ey[e] - _ccy[c];
                float r = _crad[last][c] * (1 + BoundaryAmplitude) * _csuburb[c] + reach;
                inTown = dx * dx + dy * dy < r * r;
            }

            if (inTown || (drop is not null && drop(e)))
            {
                _roadOpen[_eroad[e]] = float.PositiveInfinity;
                continue;
            }

            _ex[kept] = _ex[e];
            _ey[kept] = _ey[e];
            _ecos[kept] = _ecos[e];
            _esin[kept] = _esin[e];
            _ehalfU[kept] = _ehalfU[e];
            _ehalfV[kept] = _ehalfV[e];
            _epeak[kept] = _epeak[e];
            _eperiod[kept] = _eperiod[e];
            _estart[kept] = _estart[e];
            _ecity[kept] = _ecity[e];
            _eroad[kept] = _eroad[e];
            kept++;
        }

        Array.Resize(ref _ex, kept);
        Array.Resize(ref _ey, kept);
        Array.Resize(ref _ecos, kept);
        Array.Resize(ref _esin, kept);
        Array.Resize(ref _ehalfU, kept);
        Array.Resize(ref _ehalfV, kept);
        Array.Resize(ref _epeak, kept);
        Array.Resize(ref _eperiod, kept);
        Array.Resize(ref _estart, kept);
        Array.Resize(ref _ecity, kept);
        Array.Resize(ref _eroad, kept);
        (_devStart, _devItems) = BuildIndex(kept, e => (_ex[e], _ey[e], 0f, 0f, MathF.Sqrt(_ehalfU[e] * _ehalfU[e] + _ehalfV[e] * _ehalfV[e]) + 1));
    }

    /// <summary>
    /// Street-grid factor of a core pixel: streets (one pixel every period, mostly pavement) are denser than the
    /// blocks between them, whose lots alternate houses and yards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float StreetGrid(int c, float dx, float dy, float lot)
    {
        float period = _cstreetPeriod[c];
        float u = dx * _cstreetCos[c] + dy * _cstreetSin[c], v = -dx * _cstreetSin[c] + dy * _cstreetCos[c];
        float fu = u / period, fv = v / period;
        fu -= MathF.Floor(fu);
        fv -= MathF.Floor(fv);
        bool street = fu * period < 1f || fv * period < 1f;
        return street ? 1.15f : 0.8f + 0.35f * lot;
    }

    /// <summary>Built-up abundance of the developments built by year index <paramref name="yi"/> at a pixel centre (0 when none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float DevelopmentAt(int yi, float fi, float fj, int block, float lot, out int city)
    {
        float a = 0f, year = _years[yi];
        city = -1;
        for (int k = _devStart[block], end = _devStart[block + 1]; k < end; k++)
        {
            int e = _devItems[k];
            if (year < _estart[e])
            {
                continue;
            }

            float dx = fi - _ex[e], dy = fj - _ey[e];
            float u = dx * _ecos[e] + dy * _esin[e], v = -dx * _esin[e] + dy * _ecos[e];
            float au = MathF.Abs(u), av = MathF.Abs(v);
            if (au >= _ehalfU[e] || av >= _ehalfV[e])
            {
                continue;
            }

            // Rows of small houses along parallel streets (one street every 'period' pixels), an unbuilt margin.
            float p = _eperiod[e], fv = v / p;
            fv -= MathF.Floor(fv);
            float value = _epeak[e] * (fv * p < 1f ? 1.05f : 0.85f + 0.25f * lot);
            float margin = MathF.Min(_ehalfU[e] - au, _ehalfV[e] - av);
            value *= Math.Clamp(margin / 1.5f, 0.3f, 1f);
            if (value > a)
            {
                a = value;
                city = _ecity[e];
            }
        }

        return a;
    }
}
