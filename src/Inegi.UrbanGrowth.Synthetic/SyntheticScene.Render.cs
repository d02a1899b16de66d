using System.Numerics;
using System.Runtime.CompilerServices;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>Rendering: the built-up field, land-cover abundances, spectra, labels.</summary>
public sealed partial class SyntheticScene
{
    private const int Segment = 256;                 // pixels per inner segment (scratch rows fit in L1)
    private const int CoverCount = SyntheticEndmembers.Count;

    /// <summary>
    /// Renders a window of the mosaic of a year as band-planar UInt16 (reflectance x 10000): band b occupies
    /// <c>[b * w * h, (b + 1) * w * h)</c>, rows top to bottom within a band. Nodata pixels are 0 in every band.
    /// </summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="window">A window inside the mosaic (a full-width strip of rows for a streaming writer).</param>
    /// <param name="bandPlanes">At least <c>6 * window.PixelCount</c> values.</param>
    /// <remarks>Rows are rendered in parallel; every pixel is a pure function of (seed, year, column, row), so the bytes
    /// do not depend on the window tiling or the thread count.</remarks>
    public void RenderMosaic(int year, PixelWindow window, Span<ushort> bandPlanes) => Render(year, window, bandPlanes, clearSky: false);

    /// <summary>
    /// Renders a window of the clear-sky surface of a year: the mosaic of <see cref="RenderMosaic"/> without its cloud
    /// remnants, cloud shadows, haze and strip of missing scene, with the same layout (band-planar UInt16,
    /// reflectance x 10000, every pixel valid). It is the ground that a synthetic archive of Landsat scenes observes
    /// (<see cref="SyntheticArchive"/>), and so the answer a cloud-free composite of that archive should approach.
    /// </summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="window">A window inside the mosaic.</param>
    /// <param name="bandPlanes">At least <c>6 * window.PixelCount</c> values.</param>
    /// <remarks>Land cover, phenology of the year, per-year gain and per-pixel texture are those of the mosaic, so
    /// the two differ only where the mosaic has clouds, shadows, haze or its nodata strip (tested).</remarks>
    public void RenderSurface(int year, PixelWindow window, Span<ushort> bandPlanes) => Render(year, window, bandPlanes, clearSky: true);

    private void Render(int year, PixelWindow window, Span<ushort> bandPlanes, bool clearSky)
    {
        int yi = YearIndex(year);
        CheckWindow(window);
        long plane = window.PixelCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(bandPlanes.Length, BandCount * plane, nameof(bandPlanes));
        unsafe
        {
            fixed (ushort* p = bandPlanes)
            {
                nint address = (nint)p;
                ForRows(window, (scratch, j) =>
                {
                    var all = new Span<ushort>((void*)address, (int)(BandCount * plane));
                    int rowOffset = (j - window.Y) * window.Width;
                    for (int x = window.X; x < window.Right; x += Segment)
                    {
                        int n = Math.Min(Segment, window.Right - x);
                        ComputeCover(yi, j, x, n, scratch, withClouds: !clearSky);
                        MixSegment(yi, j, x, n, scratch, all, plane, rowOffset + (x - window.X), withGaps: !clearSky);
                    }
                });
            }
        }
    }

    /// <summary>Renders the built-up abundance (impervious + bright roofs, 0..1) of a window in a year: the field the labels are computed from.</summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="window">Any window with positive size and non-negative origin (it may extend past the mosaic's right and bottom edges, as the grid does).</param>
    /// <param name="destination">At least <c>window.PixelCount</c> values, row-major.</param>
    public void RenderBuiltUp(int year, PixelWindow window, Span<float> destination)
    {
        int yi = YearIndex(year);
        if (window.Width <= 0 || window.Height <= 0 || window.X < 0 || window.Y < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must have a positive size and a non-negative origin.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, window.PixelCount, nameof(destination));
        var scratch = new Scratch();
        for (int j = window.Y; j < window.Bottom; j++)
        {
            BuiltUpRow(yi, j, window.X, destination.Slice((j - window.Y) * window.Width, window.Width), scratch);
        }
    }

    /// <summary>Test hook: the endmember abundances (cover-planar, <see cref="SyntheticCover"/> order) of a window.</summary>
    internal void RenderCover(int year, PixelWindow window, Span<float> coverPlanes)
    {
        int yi = YearIndex(year);
        CheckWindow(window);
        long plane = window.PixelCount;
        var scratch = new Scratch();
        for (int j = window.Y; j < window.Bottom; j++)
        {
            for (int x = window.X; x < window.Right; x += Segment)
            {
                int n = Math.Min(Segment, window.Right - x);
                ComputeCover(yi, j, x, n, scratch, withClouds: false);
                long offset = (long)(j - window.Y) * window.Width + (x - window.X);
                for (int k = 0; k < CoverCount; k++)
                {
                    scratch.Cover.AsSpan(k * Segment, n).CopyTo(coverPlanes.Slice((int)(k * plane + offset), n));
                }
            }
        }
    }

    private void CheckWindow(PixelWindow window)
    {
        if (!window.IsInside(MosaicWidth, MosaicHeight))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The window must lie inside the {MosaicWidth} x {MosaicHeight} mosaic.");
        }
    }

    private static void ForRows(PixelWindow window, Action<Scratch, int> row)
    {
        const int RowsPerChunk = 8;
        int chunks = (window.Height + RowsPerChunk - 1) / RowsPerChunk;
        if (window.PixelCount < 65_536 || chunks == 1)
        {
            var scratch = new Scratch();
            for (int j = window.Y; j < window.Bottom; j++)
            {
                row(scratch, j);
            }

            return;
        }

        Parallel.For(0, chunks, () => new Scratch(), (chunk, _, scratch) =>
        {
            int j0 = window.Y + chunk * RowsPerChunk, j1 = Math.Min(window.Bottom, j0 + RowsPerChunk);
            for (int j = j0; j < j1; j++)
            {
                row(scratch, j);
            }

            return scratch;
        }, _ => { });
    }

    /// <summary>Per-thread scratch rows (allocated once per task, never per pixel).</summary>
    private sealed class Scratch
    {
        public readonly float[] Arid = new float[Segment];
        public readonly float[] Veg = new float[Segment];
        public readonly float[] Patch = new float[Segment];
        public readonly float[] Bright = new float[Segment];
        public readonly float[] Crop = new float[Segment];
        public readonly float[] Water = new float[Segment];
        public readonly float[] Pheno = new float[Segment];
        public readonly float[] Cloud = new float[Segment];
        public readonly float[] Shadow = new float[Segment];
        public readonly float[] BuiltUp = new float[Segment];
        public readonly float[] Boundary = new float[1 << BlockShift];
        public readonly float[] BlockWater = new float[1 << BlockShift];
        public readonly float[] Park = new float[1 << BlockShift];
        public readonly float[] Haze = new float[Segment];
        public readonly float[] SiteShare = new float[Segment];
        public readonly byte[] SiteKind = new byte[Segment];
        public readonly int[] CityOf = new int[Segment];
        public readonly float[] Factor = new float[BandCount * Segment];
        public readonly float[] CloudOpacity = new float[Segment];
        public readonly float[] Cover = new float[CoverCount * Segment];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Smooth(float lo, float hi, float x)
    {
        float t = Math.Clamp((x - lo) / (hi - lo), 0f, 1f);
        return t * t * (3f - 2f * t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float WaterCover(float noise) => Smooth(WaterLo, WaterHi, noise);

    /// <summary>Built-up abundance of pixels (x0 .. x0 + dest.Length - 1, j).</summary>
    /// <remarks>With <paramref name="townsOnly"/>, blocks that hold no town, road or development are left at 0 (their
    /// villages alone stay below the urban threshold): the cheap estimate of <see cref="CalibrateCities"/>.</remarks>
    private void BuiltUpRow(int yi, int j, int x0, Span<float> dest, Scratch scratch, Span<int> cityOf = default, bool townsOnly = false)
    {
        int by = j >> BlockShift;
        bool track = !cityOf.IsEmpty;
        if (track)
        {
            cityOf.Slice(0, dest.Length).Fill(-1);
        }

        if (j < 0 || by >= _blockRows)
        {
            dest.Clear();
            return;
        }

        int x = x0, end = x0 + dest.Length;
        while (x < end)
        {
            int bx = x >> BlockShift;
            int segEnd = Math.Min(end, (bx + 1) << BlockShift);
            int len = segEnd - x;
            Span<float> d = dest.Slice(x - x0, len);
            int b = by * _blockCols + bx;
            if (x < 0 || bx >= _blockCols || (_cityStart[b] == _cityStart[b + 1] && _roadStart[b] == _roadStart[b + 1]
                && (townsOnly || _villageStart[b] == _villageStart[b + 1]) && _devStart[b] == _devStart[b + 1]))
            {
                d.Clear();
            }
            else
            {
                Span<float> bnd = scratch.Boundary.AsSpan(0, len), wtr = scratch.BlockWater.AsSpan(0, len), prk = scratch.Park.AsSpan(0, len);
                bool cities = _cityStart[b] != _cityStart[b + 1];
                if (cities)
                {
                    _boundary.Row(j, x, bnd);
                    _park.Row(j, x, prk);
                }

                _water.Row(j, x, wtr);
                for (int k = 0; k < len; k++)
                {
                    d[k] = BuiltUpAt(yi, x + k, j, cities ? bnd[k] : 0f, cities ? prk[k] : 0f, wtr[k], b, out int city);
                    if (track)
                    {
                        cityOf[x - x0 + k] = city;
                    }
                }
            }

            x = segEnd;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float HouseHash(int i, int j) => Hashing.Unit(_seedSalt + 41, i >> 1, j >> 1);

    private float BuiltUpAt(int yi, int i, int j, float boundaryNoise, float parkNoise, float waterNoise, int block, out int city)
    {
        float fi = i + 0.5f, fj = j + 0.5f, a = 0f;
        float hh = HouseHash(i, j);
        city = -1;
        float[] rad = _crad[yi], infl = _cinfl2[yi], rib = _crib[yi];
        for (int k = _cityStart[block], end = _cityStart[block + 1]; k < end; k++)
        {
            int c = _cityItems[k];
            float dx = fi - _ccx[c], dy = fj - _ccy[c], d2 = dx * dx + dy * dy;
            if (d2 >= infl[c])
            {
                continue;
            }

            // Built-up land stays built: the value of a year is the highest the pixel has had so far, so a lot that
            // passes from the peri-urban ring or the suburbs into the widening core never loses buildings.
            float d = MathF.Sqrt(d2), edge = 1f + BoundaryAmplitude * boundaryNoise, v = 0f;
            float grid = StreetGrid(c, dx, dy, hh), lot = Hashing.Unit(_seedSalt + 43, i >> 1, j >> 1);
            for (int y = 0; y <= yi; y++)
            {
                v = MathF.Max(v, CityValue(y, c, d / (_crad[y][c] * edge), parkNoise, hh, lot, grid));
            }

            if (v <= 0f)
            {
                continue;
            }

            if (v > a)
            {
                a = v;
                city = c;
            }
        }

        float village = VillageAt(fi, fj, block, hh < 0.6f ? 1f : 0.2f);
        a = MathF.Max(a, village);
        float development = DevelopmentAt(yi, fi, fj, block, hh, out int estateCity);
        if (development > a)
        {
            a = development;
            city = estateCity;
        }

        for (int k = _roadStart[block], end = _roadStart[block + 1]; k < end; k++)
        {
            int r = _roadItems[k];
            if (_years[yi] < _roadOpen[r])
            {
                continue;
            }

            float px = fi - _roadAx[r], py = fj - _roadAy[r];
            float t = Math.Clamp((px * _roadDx[r] + py * _roadDy[r]) * _roadInvLen2[r], 0f, 1f);
            float ex = px - t * _roadDx[r], ey = py - t * _roadDy[r], d2 = ex * ex + ey * ey;
            if (d2 >= RibbonHalfWidth * RibbonHalfWidth)
            {
                continue;
            }

            float d = MathF.Sqrt(d2);
            float v = d < 1f ? 0.45f * (1f - d) : 0f;
            float s = t * _roadLen[r];
            int ca = _roadA[r], cb = _roadB[r];
            float ribbon = MathF.Max(Ribbon(s, rad[ca], rib[ca]), cb >= 0 ? Ribbon(_roadLen[r] - s, rad[cb], rib[cb]) : 0f);
            if (ribbon > 0)
            {
                v = MathF.Max(v, 0.55f * (1f - d / RibbonHalfWidth) * ribbon * (hh < 0.35f ? 1f : 0.12f));
            }

            a = MathF.Max(a, v);
        }

        if (a <= 0f)
        {
            return 0f;
        }

        float texture = 0.75f + 0.5f * Hashing.Unit(_seedSalt + 42, i, j);
        return MathF.Min(0.95f, a * texture) * (1f - WaterCover(waterNoise));
    }

    /// <summary>Built-up abundance of city <paramref name="c"/> in year index <paramref name="y"/> at relative distance <paramref name="u"/> (1 = core edge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float CityValue(int y, int c, float u, float parkNoise, float hh, float lot, float grid)
    {
        if (u < 1f)
        {
            // Parks and tree-lined streets remove built-up in green cities; streets, blocks and vacant lots (which
            // fill in over the years) give the core its texture.
            float vacant = lot < _cvacant[y][c] ? VacantLotShare : 1f;
            return _cpeak[c] * (1f - 0.35f * u * u) * (1f - 0.6f * _cgreen[c] * Smooth(-0.1f, 0.45f, parkNoise))
                * grid * vacant * _cdensify[c];
        }

        if (u >= PeriUrbanExtent)
        {
            return 0f;
        }

        // Scattered buildings whose share rises over the years (peri-urban infill).
        float v = 0.34f * (PeriUrbanExtent - u) * (hh < _cring[y][c] ? 1f : 0.12f);
        float suburb = _csuburb[c];
        if (u < suburb)
        {
            // Low-density suburbs around most cores: houses in a street grid among yards and trees.
            v = MathF.Max(v, 0.5f * (1f - 0.55f * (u - 1f) / (suburb - 1f)) * grid);
        }

        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Ribbon(float s, float radius, float length) =>
        s <= radius ? 1f : s < radius + length ? 1f - (s - radius) / length : 0f;

    /// <summary>Endmember abundances of pixels (x .. x + n - 1, j) into scratch.Cover (cover-planar, stride Segment).</summary>
    private void ComputeCover(int yi, int j, int x, int n, Scratch s, bool withClouds)
    {
        _arid.Row(j, x, s.Arid.AsSpan(0, n));
        _veg.Row(j, x, s.Veg.AsSpan(0, n));
        _patch.Row(j, x, s.Patch.AsSpan(0, n));
        _bright.Row(j, x, s.Bright.AsSpan(0, n));
        _crop.Row(j, x, s.Crop.AsSpan(0, n));
        _water.Row(j, x, s.Water.AsSpan(0, n));
        _pheno[yi].Row(j, x, s.Pheno.AsSpan(0, n));
        BuiltUpRow(yi, j, x, s.BuiltUp.AsSpan(0, n), s, s.CityOf.AsSpan(0, n));
        bool sites = SitesRow(j, x, n, s.SiteShare, s.SiteKind);
        if (withClouds)
        {
            _haze[yi].Row(j, x, s.Haze.AsSpan(0, n));
            _cloud[yi].Row(j, x, s.Cloud.AsSpan(0, n));
            _cloud[yi].Row(j - _shadowDy, x - _shadowDx, s.Shadow.AsSpan(0, n));
        }
        else
        {
            // Noise far below the cloud threshold and no haze: MixSegment then leaves the land as it is.
            s.Haze.AsSpan(0, n).Fill(-1f);
            s.Cloud.AsSpan(0, n).Fill(-1f);
            s.Shadow.AsSpan(0, n).Fill(-1f);
        }

        float gradient = _aridGradient * (1f - 2f * (j + 0.5f) / MosaicHeight);
        uint fieldSalt = _seedSalt + 51, stateSalt = _yearSalt[yi] + 52;
        uint roofKey = Hashing.RowKey(_seedSalt + 53, j), siteKey = Hashing.RowKey(_seedSalt + 54, j >> 1);
        float[] cover = s.Cover;
        for (int i = 0; i < n; i++)
        {
            int gi = x + i;
            float aridity = Math.Clamp(0.5f + 0.6f * s.Arid[i] + gradient, 0f, 1f);
            float veg = Math.Clamp(1.15f - 1.05f * aridity + 0.5f * s.Veg[i] + 0.45f * s.Patch[i], 0.02f, 0.97f);
            float greenShare = Math.Clamp(0.9f + 0.15f * s.Pheno[i] - 0.35f * aridity, 0.2f, 1f);
            float green = veg * greenShare, dry = veg - green, soil = 1f - veg;
            float npv = soil * 0.3f;
            dry += npv;
            soil -= npv;
            float brightLand = soil * Smooth(0.1f, 0.45f, aridity - 0.5f + 0.5f * s.Bright[i]);
            soil -= brightLand;
            float crop = 0f;
            float cropShare = Smooth(0.1f, 0.3f, s.Crop[i]) * (1f - Smooth(0.55f, 0.8f, aridity));
            if (cropShare > 0f)
            {
                // Fields of 13 x 11 pixels (390 x 330 m), staggered per column of fields; state drawn per year.
                int fx = Hashing.FloorDiv(gi, 13);
                int fy = Hashing.FloorDiv(j + (int)(Hashing.Hash(fieldSalt, fx, 0) % 11), 11);
                uint state = Hashing.Hash(stateSalt, fx, fy) % 10;
                float keep = 1f - cropShare;
                green *= keep;
                dry *= keep;
                soil *= keep;
                brightLand *= keep;
                if (state < 5)
                {
                    crop = 0.85f * cropShare;
                    soil += 0.15f * cropShare;
                }
                else if (state < 8)
                {
                    soil += 0.8f * cropShare;
                    dry += 0.2f * cropShare;
                }
                else
                {
                    dry += 0.7f * cropShare;
                    soil += 0.3f * cropShare;
                }
            }

            float water = WaterCover(s.Water[i]);
            float built = s.BuiltUp[i];
            int city = s.CityOf[i];
            if (city >= 0)
            {
                // Yards and street trees: the unbuilt part of a city pixel is largely irrigated trees and lawns, whatever
                // the region (green cities most).
                float gc = MathF.Max(_cgreen[city], 0.35f), kc = 1f - gc;
                green = green * kc + 0.85f * gc;
                dry = dry * kc + 0.1f * gc;
                soil = soil * kc + 0.05f * gc;
                crop *= kc;
                brightLand *= kc;
            }

            float pits = 0f;
            if (sites && s.SiteShare[i] > 0f)
            {
                float l = s.SiteShare[i], kl = 1f - l;
                green *= kl;
                dry *= kl;
                crop *= kl;
                soil *= kl;
                brightLand *= kl;
                float hq = Hashing.UnitKeyed(siteKey, gi >> 1);
                switch (s.SiteKind[i])
                {
                    case SiteQuarry: // terraces and pits: bright benches and dark wet or shadowed floors in 60 m blocks
                        if (hq < 0.55f)
                        {
                            brightLand += 0.85f * l;
                            soil += 0.15f * l;
                        }
                        else
                        {
                            soil += 0.5f * l;
                            pits = 0.45f * l;
                            dry += 0.05f * l;
                        }

                        break;
                    case SiteGreenhouse: // rows of plastic roofs (2 pixels) and gaps (1 pixel)
                        if (gi % 3 != 0)
                        {
                            brightLand += 0.75f * l;
                            crop += 0.15f * l;
                            pits = 0.1f * l;
                        }
                        else
                        {
                            crop += 0.5f * l;
                            soil += 0.5f * l;
                        }

                        break;
                    case SiteSaltFlat:
                        if (hq < 0.2f)
                        {
                            soil += 0.5f * l;
                            pits = 0.5f * l;
                        }
                        else
                        {
                            brightLand += 0.9f * l;
                            pits = 0.1f * l;
                        }

                        break;
                    case SiteBrightField:
                        if (hq < 0.3f)
                        {
                            soil += 0.7f * l;
                            dry += 0.3f * l;
                        }
                        else
                        {
                            brightLand += 0.6f * l;
                            soil += 0.4f * l;
                        }

                        break;
                    default: // dry riverbed: sand with wet or shaded patches
                        if (hq < 0.25f)
                        {
                            soil += 0.5f * l;
                            pits = 0.5f * l;
                        }
                        else
                        {
                            brightLand += 0.75f * l;
                            soil += 0.25f * l;
                        }

                        break;
                }
            }

            float natural = MathF.Max(0f, 1f - water - built);
            float roofHash = Hashing.UnitKeyed(roofKey, gi);
            float roofShare = city >= 0 ? _croof[city] + 0.35f * roofHash : 0.12f + 0.4f * roofHash;
            cover[i] = green * natural;
            cover[Segment + i] = dry * natural;
            cover[2 * Segment + i] = crop * natural;
            cover[3 * Segment + i] = soil * natural;
            cover[4 * Segment + i] = brightLand * natural;
            cover[5 * Segment + i] = water + pits * natural;
            cover[6 * Segment + i] = built * (1f - roofShare);
            cover[7 * Segment + i] = built * roofShare;
        }
    }

    private void MixSegment(int yi, int j, int x, int n, Scratch s, Span<ushort> all, long plane, int offset, bool withGaps)
    {
        float[] e = SyntheticEndmembers.Table;
        float[] cloudSpectrum = SyntheticEndmembers.Cloud;
        float[] hazeSpectrum = SyntheticEndmembers.Haze;
        float[] cover = s.Cover, factor = s.Factor, opacity = s.CloudOpacity;
        uint keyA = Hashing.RowKey(_yearSalt[yi] + 61, j), keyB = Hashing.RowKey(_yearSalt[yi] + 62, j);
        int g = yi * BandCount;

        // Per pixel: texture (+-6% common, +-2% per band, hashed per year and pixel), gain, shadow, haze, cloud.
        for (int i = 0; i < n; i++)
        {
            int gi = x + i;
            uint h1 = Hashing.Mix((uint)gi + keyA), h2 = Hashing.Mix((uint)gi + keyB);
            float common = 1f + 0.05f * ((h1 & 0xFF) * (1f / 255f) - 0.5f);
            float cloud = 0.9f * Smooth(CloudLo, CloudHi, s.Cloud[i]);
            float shadow = 0.75f * Smooth(CloudLo, CloudHi, s.Shadow[i]) * (1f - cloud);
            float haze = 0.5f * Smooth(0.15f, 0.65f, s.Haze[i]);
            float k = common * (1f - shadow) * (1f - 0.3f * haze);
            for (int b = 0; b < BandCount; b++)
            {
                uint bits = b < 3 ? h1 >> (8 * (b + 1)) : h2 >> (8 * (b - 3));
                float perBand = 1f + 0.02f * ((bits & 0xFF) * (1f / 255f) - 0.5f);
                factor[b * Segment + i] = k * perBand * _gain[g + b];
            }

            opacity[i] = cloud;
            s.Haze[i] = haze;
        }

        // Per band, vectorised over pixels: linear mixing of the endmembers, then texture, haze and cloud.
        int vw = Vector<float>.Count;
        for (int b = 0; b < BandCount; b++)
        {
            var cs = new Vector<float>(cloudSpectrum[b]);
            var hs = new Vector<float>(hazeSpectrum[b]);
            var scale = new Vector<float>(10000f);
            var half = new Vector<float>(0.5f);
            var lo = new Vector<int>(1);
            var hi = new Vector<int>(65535);
            Span<ushort> dst = all.Slice((int)(b * plane) + offset, n);
            int i = 0;
            for (; i + vw <= n; i += vw)
            {
                var acc = Vector<float>.Zero;
                for (int c = 0; c < CoverCount; c++)
                {
                    acc += new Vector<float>(cover, c * Segment + i) * e[c * BandCount + b];
                }

                var v = acc * new Vector<float>(factor, b * Segment + i) + hs * new Vector<float>(s.Haze, i);
                v += (cs - v) * new Vector<float>(opacity, i);
                var q = Vector.Min(Vector.Max(Vector.ConvertToInt32(v * scale + half), lo), hi);
                for (int t = 0; t < vw; t++)
                {
                    dst[i + t] = (ushort)q[t];
                }
            }

            for (; i < n; i++)
            {
                float acc = 0f;
                for (int c = 0; c < CoverCount; c++)
                {
                    acc += cover[c * Segment + i] * e[c * BandCount + b];
                }

                float v = acc * factor[b * Segment + i] + hazeSpectrum[b] * s.Haze[i];
                v += (cloudSpectrum[b] - v) * opacity[i];
                dst[i] = (ushort)Math.Clamp((int)(v * 10000f + 0.5f), 1, 65535);
            }
        }

        for (int i = 0; withGaps && i < n; i++)
        {
            if (IsNoData(yi, x + i, j))
            {
                for (int b = 0; b < BandCount; b++)
                {
                    all[(int)(b * plane) + offset + i] = NoDataValue;
                }
            }
        }
    }

    /// <summary>Built-up fraction of every cell in year index <paramref name="yi"/>.</summary>
    /// <param name="yi">Year index.</param>
    /// <param name="rowStep">1 for the exact fractions (the labels); n uses every n-th pixel row only.</param>
    /// <param name="townsOnly">Skip the blocks that hold only villages (see <see cref="BuiltUpRow"/>).</param>
    private float[] ComputeFractions(int yi, int rowStep = 1, bool townsOnly = false)
    {
        int w = GridWidth, h = GridHeight;
        var fractions = new float[w * h];
        int i0 = Math.Max(0, (int)Math.Floor(_offX / _px - 0.5) - 1);
        int i1 = (int)Math.Ceiling((_offX + w * _cs) / _px) + 1;
        int n = i1 - i0;
        var cellOf = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = (int)Math.Floor(((i0 + i + 0.5) * _px - _offX) / _cs);
            cellOf[i] = c >= 0 && c < w ? c : -1;
        }

        Parallel.For(0, h, () => (Scratch: new Scratch(), Row: new float[n], Sums: new double[w], Counts: new int[w]), (r, _, local) =>
        {
            Array.Clear(local.Sums);
            Array.Clear(local.Counts);
            int j0 = Math.Max(0, (int)Math.Floor((_offY + r * _cs) / _px - 0.5) - 1);
            int j1 = (int)Math.Ceiling((_offY + (r + 1) * _cs) / _px) + 1;
            for (int j = j0; j <= j1; j++)
            {
                if ((int)Math.Floor(((j + 0.5) * _px - _offY) / _cs) != r || j % rowStep != 0)
                {
                    continue;
                }

                BuiltUpRow(yi, j, i0, local.Row, local.Scratch, default, townsOnly);
                for (int i = 0; i < n; i++)
                {
                    int c = cellOf[i];
                    if (c >= 0)
                    {
                        local.Sums[c] += local.Row[i];
                        local.Counts[c]++;
                    }
                }
            }

            for (int c = 0; c < w; c++)
            {
                fractions[r * w + c] = local.Counts[c] > 0 ? (float)(local.Sums[c] / local.Counts[c]) : 0f;
            }

            return local;
        }, _ => { });
        return fractions;
    }
}
