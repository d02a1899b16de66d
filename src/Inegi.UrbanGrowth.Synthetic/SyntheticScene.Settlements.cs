using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>
/// The hard non-urban look-alikes: rural settlements (villages, farm clusters, small towns whose built-up fraction stays
/// below the urban threshold) and bright natural or agricultural surfaces (quarries and mines, greenhouses, salt flats,
/// bright fallow fields, dry riverbeds) whose spectra and 30 m texture resemble streets and roofs.
/// </summary>
public sealed partial class SyntheticScene
{
    private const int SiteQuarry = 0;
    private const int SiteGreenhouse = 1;
    private const int SiteSaltFlat = 2;
    private const int SiteBrightField = 3;
    private const int SiteRiverbed = 4;

    // Villages (pixel units): centre, squared radius, inverse squared radius, peak abundance.
    private float[] _vx = null!;
    private float[] _vy = null!;
    private float[] _vr2 = null!;
    private float[] _vinvR2 = null!;
    private float[] _vpeak = null!;
    private int[] _villageStart = null!;
    private int[] _villageItems = null!;

    // Look-alike sites: segment A -> A + D (D = 0 for discs) with a half-width, a kind and a density.
    private float[] _sax = null!;
    private float[] _say = null!;
    private float[] _sdx = null!;
    private float[] _sdy = null!;
    private float[] _sinvLen2 = null!;
    private float[] _shalf = null!;
    private float[] _sdensity = null!;
    private byte[] _skind = null!;
    private int[] _siteStart = null!;
    private int[] _siteItems = null!;

    // Per city: greenness (tree-lined suburbs, parks) and the base share of bright roofs (low = dark roofs).
    private float[] _cgreen = null!;
    private float[] _croof = null!;

    private void CreateSettlements(SceneRandom rng)
    {
        int cells = GridWidth * GridHeight, nc = _ccx.Length, nr = _baseRoadCount;
        float kmPx = (float)(1000 / _px);
        _cgreen = new float[nc];
        _croof = new float[nc];
        for (int c = 0; c < nc; c++)
        {
            double u = rng.NextDouble();
            _cgreen[c] = (float)(u < 0.6 ? 0.5 + 0.5 * rng.NextDouble() : 0.1 + 0.3 * rng.NextDouble());
            _croof[c] = (float)(rng.NextDouble() < 0.3 ? 0.02 : 0.06 + 0.2 * rng.NextDouble());
        }

        // Villages: one per ~3.5 km^2, near towns, along roads and scattered everywhere; their own built-up fraction
        // F (cell-sized share of built-up) stays in about 0.02 .. 0.22, below the urban threshold.
        int nv = Math.Max(8, (int)(cells / 3.5));
        _vx = new float[nv];
        _vy = new float[nv];
        _vr2 = new float[nv];
        _vinvR2 = new float[nv];
        _vpeak = new float[nv];
        float w = (float)((_offX + GridWidth * _cs) / _px), h = (float)((_offY + GridHeight * _cs) / _px);
        for (int v = 0; v < nv; v++)
        {
            double where = rng.NextDouble();
            float x, y;
            if (where < 0.3 && nc > 0)
            {
                int c = (int)(Math.Pow(rng.NextDouble(), 2) * nc);
                double ang = rng.Uniform(0, 2 * Math.PI);
                double dist = _crad[0][c] * rng.Uniform(1.3, 3.5) + kmPx * rng.Uniform(0.3, 2.5);
                x = (float)(_ccx[c] + dist * Math.Cos(ang));
                y = (float)(_ccy[c] + dist * Math.Sin(ang));
            }
            else if (where < 0.6 && nr > 0)
            {
                int r = (int)(rng.NextDouble() * nr);
                double t = rng.NextDouble(), off = (rng.NextDouble() < 0.5 ? -1 : 1) * rng.Uniform(3, 12);
                float len = Math.Max(_roadLen[r], 1f);
                x = (float)(_roadAx[r] + t * _roadDx[r] - off * _roadDy[r] / len);
                y = (float)(_roadAy[r] + t * _roadDy[r] + off * _roadDx[r] / len);
            }
            else
            {
                x = (float)rng.Uniform(0, w);
                y = (float)rng.Uniform(0, h);
            }

            double f = 0.02 + 0.17 * Math.Pow(rng.NextDouble(), 0.7);
            double peak = rng.Uniform(0.3, 0.85);
            double rKm = Math.Sqrt(f / (0.5 * Math.PI * peak));
            float rPx = (float)(rKm * kmPx);
            _vx[v] = x;
            _vy[v] = y;
            _vr2[v] = rPx * rPx;
            _vinvR2[v] = 1f / (rPx * rPx);
            _vpeak[v] = (float)peak;
        }

        // Look-alike sites.
        int nq = Math.Max(4, cells / 12), ng = Math.Max(2, cells / 30), ns = Math.Max(1, cells / 250), nf = Math.Max(4, cells / 10), nb = Math.Max(2, cells / 60);
        int n = nq + ng + ns + nf + nb;
        _sax = new float[n];
        _say = new float[n];
        _sdx = new float[n];
        _sdy = new float[n];
        _sinvLen2 = new float[n];
        _shalf = new float[n];
        _sdensity = new float[n];
        _skind = new byte[n];
        for (int s = 0; s < n; s++)
        {
            int kind = s < nq ? SiteQuarry : s < nq + ng ? SiteGreenhouse : s < nq + ng + ns ? SiteSaltFlat : s < nq + ng + ns + nf ? SiteBrightField : SiteRiverbed;
            float x = (float)rng.Uniform(0, w), y = (float)rng.Uniform(0, h);
            if (kind == SiteGreenhouse && nc > 0 && rng.NextDouble() < 0.5)
            {
                int c = (int)(rng.NextDouble() * nc);
                double ang = rng.Uniform(0, 2 * Math.PI), dist = _crad[0][c] * 2 + kmPx * rng.Uniform(0.5, 4);
                x = (float)(_ccx[c] + dist * Math.Cos(ang));
                y = (float)(_ccy[c] + dist * Math.Sin(ang));
            }

            float half, dx = 0, dy = 0, density;
            switch (kind)
            {
                case SiteQuarry:
                    half = kmPx * (float)rng.Uniform(0.12, 0.5);
                    density = (float)rng.Uniform(0.6, 1);
                    break;
                case SiteGreenhouse:
                    half = kmPx * (float)rng.Uniform(0.1, 0.4);
                    density = (float)rng.Uniform(0.5, 0.9);
                    break;
                case SiteSaltFlat:
                    half = kmPx * (float)rng.Uniform(0.5, 2.0);
                    density = (float)rng.Uniform(0.6, 1);
                    break;
                case SiteBrightField:
                    half = kmPx * (float)rng.Uniform(0.15, 0.45);
                    density = (float)rng.Uniform(0.4, 0.9);
                    break;
                default:
                    half = (float)rng.Uniform(1.2, 3.5);
                    double ang = rng.Uniform(0, 2 * Math.PI), len = kmPx * rng.Uniform(3, 12);
                    dx = (float)(len * Math.Cos(ang));
                    dy = (float)(len * Math.Sin(ang));
                    density = (float)rng.Uniform(0.6, 1);
                    break;
            }

            _sax[s] = x;
            _say[s] = y;
            _sdx[s] = dx;
            _sdy[s] = dy;
            float len2 = dx * dx + dy * dy;
            _sinvLen2[s] = len2 > 0 ? 1f / len2 : 0f;
            _shalf[s] = half;
            _sdensity[s] = density;
            _skind[s] = (byte)kind;
        }

        // Block indexes (CSR) of villages and sites.
        (_villageStart, _villageItems) = BuildIndex(nv, v => (_vx[v], _vy[v], 0f, 0f, MathF.Sqrt(_vr2[v]) + 1));
        (_siteStart, _siteItems) = BuildIndex(n, s => (_sax[s], _say[s], _sdx[s], _sdy[s], _shalf[s] + 1));
    }

    private (int[] Start, int[] Items) BuildIndex(int count, Func<int, (float X, float Y, float Dx, float Dy, float Reach)> shape)
    {
        int blocks = _blockCols * _blockRows;
        var start = new int[blocks + 1];
        int[]? items = null, fill = null;
        const float half = 1 << (BlockShift - 1);
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                for (int b = 0; b < blocks; b++)
                {
                    start[b + 1] += start[b];
                }

                items = new int[start[blocks]];
                fill = (int[])start.Clone();
            }

            for (int k = 0; k < count; k++)
            {
                var (x, y, dx, dy, reach) = shape(k);
                float len2 = dx * dx + dy * dy, inv = len2 > 0 ? 1f / len2 : 0f;
                float blockReach = half * 1.4143f + reach;
                ForBlocks(MathF.Min(x, x + dx) - reach, MathF.Min(y, y + dy) - reach, MathF.Max(x, x + dx) + reach, MathF.Max(y, y + dy) + reach, (bx, by) =>
                {
                    float px = ((bx << BlockShift) + half) - x, py = ((by << BlockShift) + half) - y;
                    float t = Math.Clamp((px * dx + py * dy) * inv, 0f, 1f);
                    float ex = px - t * dx, ey = py - t * dy;
                    return ex * ex + ey * ey <= blockReach * blockReach;
                }, k, start, fill, items);
            }
        }

        return (start, items!);
    }

    /// <summary>Built-up abundance of the villages at pixel (i, j) of a block (0 when none), before texture and water.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float VillageAt(float fi, float fj, int block, float clump)
    {
        float a = 0f;
        for (int k = _villageStart[block], end = _villageStart[block + 1]; k < end; k++)
        {
            int v = _villageItems[k];
            float dx = fi - _vx[v], dy = fj - _vy[v], d2 = dx * dx + dy * dy;
            if (d2 < _vr2[v])
            {
                a = MathF.Max(a, _vpeak[v] * (1f - 0.5f * d2 * _vinvR2[v]) * clump);
            }
        }

        return a;
    }

    /// <summary>
    /// Look-alike share (0..1) and kind of pixels (x .. x + n - 1, j): writes share into <paramref name="share"/> and
    /// the kind into <paramref name="kind"/>; returns false (nothing written) when the row segment meets no site.
    /// </summary>
    private bool SitesRow(int j, int x, int n, Span<float> share, Span<byte> kind)
    {
        int by = j >> BlockShift;
        if (j < 0 || by >= _blockRows)
        {
            return false;
        }

        bool any = false;
        int end = x + n;
        for (int xs = x; xs < end;)
        {
            int bx = xs >> BlockShift;
            int segEnd = Math.Min(end, (bx + 1) << BlockShift);
            int b = by * _blockCols + bx;
            if (xs >= 0 && bx < _blockCols && _siteStart[b] != _siteStart[b + 1])
            {
                if (!any)
                {
                    share.Slice(0, n).Clear();
                    any = true;
                }

                float fj = j + 0.5f;
                for (int k = _siteStart[b], e = _siteStart[b + 1]; k < e; k++)
                {
                    int s = _siteItems[k];
                    float half = _shalf[s], inner = 0.7f * half, dens = _sdensity[s];
                    for (int i = xs; i < segEnd; i++)
                    {
                        float px = i + 0.5f - _sax[s], py = fj - _say[s];
                        float t = Math.Clamp((px * _sdx[s] + py * _sdy[s]) * _sinvLen2[s], 0f, 1f);
                        float ex = px - t * _sdx[s], ey = py - t * _sdy[s], d2 = ex * ex + ey * ey;
                        if (d2 >= half * half)
                        {
                            continue;
                        }

                        float d = MathF.Sqrt(d2);
                        float v = dens * (d <= inner ? 1f : 1f - (d - inner) / (half - inner));
                        if (v > share[i - x])
                        {
                            share[i - x] = v;
                            kind[i - x] = _skind[s];
                        }
                    }
                }
            }

            xs = segEnd;
        }

        return any;
    }
}
