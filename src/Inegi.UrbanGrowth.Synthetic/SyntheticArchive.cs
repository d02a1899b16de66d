using System.Buffers;
using System.Globalization;

namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>
/// A year of synthetic Landsat Collection 2 Level 2 acquisitions over a <see cref="SyntheticScene"/>: swaths and
/// frames crossing the scene, dates through the year for every satellite flying, and for each acquisition its surface
/// reflectance (the scene's clear-sky surface with phenology, sensor gain and noise), clouds with their displaced
/// shadows, snow, swath-edge fill, ETM+ scan-line gaps and the QA_PIXEL / QA_RADSAT bands that flag them.
/// </summary>
/// <remarks>
/// <para>Arrays only, like the scene: the geometry is in the scene's mosaic pixel coordinates, and the caller maps its
/// own frame pixels (in a UTM projection, say) to them, then calls <see cref="Ground"/> once per block of frame pixels
/// and <see cref="Render"/> per acquisition (Inegi.UrbanGrowth.Demo's <c>SyntheticArchiveWriter</c> writes the
/// files). Every value is a pure function of (scene, year, options, acquisition, scene pixel): any block split gives
/// the same bytes. The model is described in docs/synthetic.md.</para>
/// <para>Instances are immutable after construction and thread-safe.</para>
/// </remarks>
public sealed class SyntheticArchive
{
    /// <summary>Collection 2 Level 2 surface reflectance scale: reflectance = DN x 0.0000275 - 0.2.</summary>
    public const double ReflectanceScale = 0.0000275;

    /// <summary>Collection 2 Level 2 surface reflectance offset.</summary>
    public const double ReflectanceOffset = -0.2;

    /// <summary>The value of fill in the surface reflectance bands.</summary>
    public const ushort Fill = 0;

    /// <summary>The QA_PIXEL value of fill (bit 0 alone).</summary>
    public const ushort QaFill = 1;

    private const double TrackTiltDegrees = 12;     // a descending pass runs NNE -> SSW across a north-up map
    private const float SlcPeriod = 32f;            // pixels along the track between gaps on one side of nadir
    private const float SlcMaxGap = 14f;            // gap width at the swath edge, pixels (22% of an SLC-off scene)
    private const float CloudRamp = 0.08f;          // noise above the threshold over which a cloud becomes opaque
    private const float CloudRing = 0.04f;          // noise below the threshold still flagged as dilated cloud
    private const float CloudFlagOpacity = 0.2f;    // opacity from which a pixel is flagged cloud (below: dilated)
    private const float SnowRamp = 0.05f;

    private static readonly Mission[] Missions =
    [
        new("LT05", "LANDSAT_5", "TM", new DateOnly(1984, 3, 1), new DateOnly(2011, 11, 18), 0, [1, 2, 3, 4, 5, 7]),
        new("LE07", "LANDSAT_7", "ETM", new DateOnly(1999, 4, 15), new DateOnly(2021, 10, 30), 8, [1, 2, 3, 4, 5, 7]),
        new("LC08", "LANDSAT_8", "OLI_TIRS", new DateOnly(2013, 4, 11), DateOnly.MaxValue, 0, [2, 3, 4, 5, 6, 7]),
        new("LC09", "LANDSAT_9", "OLI_TIRS", new DateOnly(2021, 10, 31), DateOnly.MaxValue, 8, [2, 3, 4, 5, 6, 7]),
    ];

    private static readonly DateOnly SlcFailure = new(2003, 5, 31);

    // Thick cloud tops and fresh snow (reflectance, B G R NIR SWIR1 SWIR2).
    private static readonly float[] CloudSpectrum = [0.62f, 0.60f, 0.60f, 0.62f, 0.45f, 0.30f];
    private static readonly float[] SnowSpectrum = [0.85f, 0.83f, 0.80f, 0.68f, 0.12f, 0.08f];

    // Shadows keep more of the diffuse (blue) light than of the direct.
    private static readonly float[] ShadowDepth = [0.55f, 0.62f, 0.66f, 0.72f, 0.72f, 0.72f];

    // Relative gains of the sensors against the surface (band-pass differences, a few percent at most).
    private static readonly float[] TmGain = [1f, 1f, 1f, 1f, 1f, 1f];
    private static readonly float[] EtmGain = [1.01f, 1.005f, 0.995f, 1.01f, 1f, 0.995f];
    private static readonly float[] OliGain = [0.98f, 0.99f, 1f, 1.02f, 1.01f, 1f];

    // Saturation: reflectance x sin(sun elevation) above which a band saturates (TM / ETM+ visible bands saturate over
    // bright roofs, sand and clouds under a high sun; OLI's 12-bit range only over the brightest clouds and snow).
    private static readonly float[] TmSaturation = [0.26f, 0.30f, 0.33f, 0.65f, 0.65f, 0.65f];
    private static readonly float[] OliSaturation = [0.75f, 0.78f, 0.80f, 0.90f, 0.90f, 0.90f];

    private readonly SyntheticScene _scene;
    private readonly SyntheticArchiveOptions _options;
    private readonly uint _salt;
    private readonly double _hw;
    private readonly double _hl;
    private readonly double _ax;
    private readonly double _ay;
    private readonly double _ex;
    private readonly double _ey;
    private readonly FractalNoise[] _cloud;
    private readonly FractalNoise?[] _snow;
    private readonly FractalNoise _terrain;

    /// <summary>Plans the archive of a year: frames, dates, and each acquisition's clouds, shadows and snow.</summary>
    /// <param name="scene">The ground.</param>
    /// <param name="year">One of the scene's years.</param>
    /// <param name="options">Settings; null gives the defaults.</param>
    /// <exception cref="ArgumentException">The year is not the scene's, no Landsat TM, ETM+ or OLI flew in it, or an option is out of range (the message names it).</exception>
    public SyntheticArchive(SyntheticScene scene, int year, SyntheticArchiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        _scene = scene;
        _options = options ?? new SyntheticArchiveOptions();
        if (!scene.Years.Contains(year))
        {
            throw new ArgumentException($"Year {year} is not one of the scene's years ({string.Join(", ", scene.Years)}).", nameof(year));
        }

        Validate(_options);
        Year = year;
        double px = scene.Options.PixelSizeMeters;
        _hw = _options.SwathWidthMeters / 2 / px;
        _hl = _options.FrameLengthMeters / 2 / px;
        double tilt = TrackTiltDegrees * Math.PI / 180;
        (_ax, _ay) = (-Math.Sin(tilt), Math.Cos(tilt));  // along the track (columns, rows): south, a little west
        (_ex, _ey) = (Math.Cos(tilt), Math.Sin(tilt));   // across the track, eastward
        _salt = Hashing.Mix((uint)_options.Seed * 0x9E3779B1u ^ Hashing.Mix((uint)scene.Options.Seed + 0x51A7u));
        var rng = new SceneRandom(((ulong)(uint)_options.Seed << 20) ^ (ulong)(uint)scene.Options.Seed ^ 0xA2C41_7E5UL);
        Frames = PlanFrames(rng, px);
        _terrain = new FractalNoise(_salt + 7, [Periods(px, 20_000), Periods(px, 6_000), Periods(px, 2_000)]);
        var acquisitions = PlanAcquisitions();
        _cloud = new FractalNoise[acquisitions.Count];
        _snow = new FractalNoise?[acquisitions.Count];
        Acquisitions = FinishAcquisitions(acquisitions, px);
    }

    /// <summary>The scene observed.</summary>
    public SyntheticScene Scene => _scene;

    /// <summary>The year.</summary>
    public int Year { get; }

    /// <summary>The settings.</summary>
    public SyntheticArchiveOptions Options => _options;

    /// <summary>The frames (path and row) whose data area meets the scene's mosaic, by path then row.</summary>
    public IReadOnlyList<SyntheticFrame> Frames { get; }

    /// <summary>The acquisitions by date, then frame.</summary>
    public IReadOnlyList<SyntheticAcquisition> Acquisitions { get; }

    /// <summary>Renders the clear-sky surface of the year under points given in mosaic pixel coordinates, once for every acquisition drawn over them.</summary>
    /// <param name="columns">Column of each point (pixel i spans [i, i + 1)).</param>
    /// <param name="rows">Row of each point.</param>
    /// <returns>The ground: the surface of the mosaic window that holds the points; points outside the mosaic see nothing (fill).</returns>
    /// <remarks>A point takes the value of the mosaic pixel that contains it (nearest neighbour).</remarks>
    public SyntheticGround Ground(ReadOnlySpan<double> columns, ReadOnlySpan<double> rows)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(rows.Length, columns.Length, nameof(rows));
        int n = columns.Length, w = _scene.MosaicWidth, h = _scene.MosaicHeight;
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = int.MinValue, y1 = int.MinValue;
        for (int p = 0; p < n; p++)
        {
            if (Inside(columns[p], rows[p], w, h, out int ci, out int ri))
            {
                x0 = Math.Min(x0, ci);
                x1 = Math.Max(x1, ci);
                y0 = Math.Min(y0, ri);
                y1 = Math.Max(y1, ri);
            }
        }

        var index = new int[n];
        if (x0 > x1)
        {
            Array.Fill(index, -1);
            return new SyntheticGround(columns.ToArray(), rows.ToArray(), default, [], index);
        }

        var window = new PixelWindow(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        var surface = new ushort[SyntheticScene.BandCount * window.PixelCount];
        _scene.RenderSurface(Year, window, surface);
        for (int p = 0; p < n; p++)
        {
            index[p] = Inside(columns[p], rows[p], w, h, out int ci, out int ri) ? ((ri - y0) * window.Width) + (ci - x0) : -1;
        }

        return new SyntheticGround(columns.ToArray(), rows.ToArray(), window, surface, index);
    }

    /// <summary>Renders one acquisition over a ground: the six surface reflectance bands and the two quality bands.</summary>
    /// <param name="acquisition">One of <see cref="Acquisitions"/>.</param>
    /// <param name="ground">The points, from <see cref="Ground"/>.</param>
    /// <param name="reflectance">Band-planar Collection 2 DN (blue, green, red, NIR, SWIR1, SWIR2; <c>6 x ground.Count</c>); fill 0.</param>
    /// <param name="qaPixel">QA_PIXEL per point (Collection 2 bits: 0 fill, 1 dilated cloud, 3 cloud, 4 shadow, 5 snow, 6 clear, 7 water, 8-15 confidences).</param>
    /// <param name="qaRadsat">QA_RADSAT per point (bit n - 1 for band n saturated).</param>
    /// <param name="conditions">What each point shows (the truth the quality bands encode), or empty.</param>
    public void Render(SyntheticAcquisition acquisition, SyntheticGround ground, Span<ushort> reflectance, Span<ushort> qaPixel, Span<ushort> qaRadsat, Span<SyntheticConditions> conditions = default)
    {
        ArgumentNullException.ThrowIfNull(acquisition);
        ArgumentNullException.ThrowIfNull(ground);
        if ((uint)acquisition.Index >= (uint)Acquisitions.Count || !ReferenceEquals(Acquisitions[acquisition.Index], acquisition))
        {
            throw new ArgumentException("The acquisition is not one of this archive's.", nameof(acquisition));
        }

        int n = ground.Count, bands = SyntheticScene.BandCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(reflectance.Length, bands * n, nameof(reflectance));
        ArgumentOutOfRangeException.ThrowIfLessThan(qaPixel.Length, n, nameof(qaPixel));
        ArgumentOutOfRangeException.ThrowIfLessThan(qaRadsat.Length, n, nameof(qaRadsat));
        bool withConditions = !conditions.IsEmpty;
        if (withConditions)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(conditions.Length, n, nameof(conditions));
        }

        SyntheticFrame frame = Frames[acquisition.FrameIndex];
        PixelWindow win = ground.Window;
        int plane = (int)win.PixelCount;
        float[] cloud = ArrayPool<float>.Shared.Rent(Math.Max(1, plane));
        float[] shadow = ArrayPool<float>.Shared.Rent(Math.Max(1, plane));
        float[] snow = ArrayPool<float>.Shared.Rent(Math.Max(1, plane));
        try
        {
            Fields(acquisition, win, cloud, shadow, snow);
            bool oli = acquisition.Sensor == "OLI_TIRS";
            float[] gain = oli ? OliGain : acquisition.Sensor == "ETM" ? EtmGain : TmGain;
            float[] saturation = oli ? OliSaturation : TmSaturation;
            float sinSun = (float)Math.Sin(acquisition.SunElevation * Math.PI / 180);
            ushort cirrusConfidence = (ushort)(oli ? 1 << 14 : 0);
            Span<float> rho = stackalloc float[SyntheticScene.BandCount];
            for (int p = 0; p < n; p++)
            {
                int k = ground.Index[p];
                double col = ground.Columns[p], row = ground.Rows[p];
                if (k < 0 || !InFrame(frame, col, row, out double across, out double along)
                    || (acquisition.ScanLineCorrectorOff && InScanGap(acquisition, across, along)))
                {
                    for (int b = 0; b < bands; b++)
                    {
                        reflectance[(b * n) + p] = Fill;
                    }

                    qaPixel[p] = QaFill;
                    qaRadsat[p] = 0;
                    if (withConditions)
                    {
                        conditions[p] = SyntheticConditions.Fill;
                    }

                    continue;
                }

                for (int b = 0; b < bands; b++)
                {
                    rho[b] = ground.Surface[(b * plane) + k] * 1e-4f;
                }

                // Water from the clear surface (before phenology): dark NIR below the red.
                bool water = rho[3] < 0.06f && rho[3] < rho[2];

                // Phenology: greener in the rainy season, drier in the dry one, in proportion to the pixel's greenness.
                float green = Math.Clamp((rho[3] - rho[2]) / MathF.Max(1e-3f, rho[3] + rho[2]), 0f, 1f) * acquisition.Phenology;
                rho[2] *= 1f - (0.15f * green);
                rho[3] *= 1f + (0.12f * green);
                rho[4] *= 1f - (0.05f * green);
                rho[5] *= 1f - (0.05f * green);

                int ci = (int)Math.Floor(col), ri = (int)Math.Floor(row);
                uint h1 = Hashing.Hash(acquisition.Salt, ci, ri), h2 = Hashing.Mix(h1 ^ 0x2545F491u);
                for (int b = 0; b < bands; b++)
                {
                    uint bits = b < 3 ? h1 >> (8 * b) : h2 >> (8 * (b - 3));
                    rho[b] *= gain[b] * (1f + (0.02f * (((bits & 0xFF) * (1f / 255f)) - 0.5f)));
                }

                int c = k;
                float opacity = 0.97f * Smooth(acquisition.CloudThreshold, acquisition.CloudThreshold + CloudRamp, cloud[c]);
                bool isCloud = opacity >= CloudFlagOpacity;
                bool isDilated = !isCloud && cloud[c] > acquisition.CloudThreshold - CloudRing;
                float shade = Smooth(acquisition.CloudThreshold, acquisition.CloudThreshold + CloudRamp, shadow[c]) * (1f - opacity);
                bool isShadow = !isCloud && shade > 0f;
                float snowCover = Smooth(acquisition.SnowThreshold, acquisition.SnowThreshold + SnowRamp, snow[c]);
                bool isSnow = !isCloud && snowCover > 0f;
                for (int b = 0; b < bands; b++)
                {
                    float v = rho[b] * (1f - (ShadowDepth[b] * shade));
                    v += (SnowSpectrum[b] - v) * snowCover;
                    v += (CloudSpectrum[b] - v) * opacity;
                    rho[b] = v;
                }

                ushort radsat = 0;
                for (int b = 0; b < bands; b++)
                {
                    reflectance[(b * n) + p] = (ushort)Math.Clamp(Math.Round((rho[b] - ReflectanceOffset) / ReflectanceScale), 1, 65535);
                    if (rho[b] * sinSun > saturation[b])
                    {
                        radsat |= (ushort)(1 << (acquisition.BandNumbers[b] - 1));
                    }
                }

                ushort qa = (ushort)((isCloud ? 3 << 8 : isDilated ? 2 << 8 : 1 << 8) | (isShadow ? 3 << 10 : 1 << 10) | (isSnow ? 3 << 12 : 1 << 12) | cirrusConfidence);
                qa |= (ushort)((isDilated ? 2 : 0) | (isCloud ? 8 : 0) | (isShadow ? 16 : 0) | (isSnow ? 32 : 0) | (isCloud || isDilated ? 0 : 64) | (water && !isCloud ? 128 : 0));
                qaPixel[p] = qa;
                qaRadsat[p] = radsat;
                if (withConditions)
                {
                    conditions[p] = (isCloud ? SyntheticConditions.Cloud : 0) | (isDilated ? SyntheticConditions.DilatedCloud : 0)
                        | (isShadow ? SyntheticConditions.CloudShadow : 0) | (isSnow ? SyntheticConditions.Snow : 0)
                        | (water && !isCloud ? SyntheticConditions.Water : 0) | (radsat != 0 ? SyntheticConditions.Saturated : 0);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cloud);
            ArrayPool<float>.Shared.Return(shadow);
            ArrayPool<float>.Shared.Return(snow);
        }
    }

    /// <summary>The sun's elevation and azimuth (degrees) at about 10:25 local solar time, Landsat's overpass, on a date at a latitude.</summary>
    /// <param name="date">The date.</param>
    /// <param name="latitude">Latitude, degrees.</param>
    public static (double Elevation, double Azimuth) SunPosition(DateOnly date, double latitude)
    {
        const double Rad = Math.PI / 180;
        double declination = 23.44 * Rad * Math.Sin(2 * Math.PI * (284 + date.DayOfYear) / 365.0);
        double hour = 15 * (10.4 - 12) * Rad, phi = latitude * Rad;
        double sinE = (Math.Sin(phi) * Math.Sin(declination)) + (Math.Cos(phi) * Math.Cos(declination) * Math.Cos(hour));
        double e = Math.Asin(Math.Clamp(sinE, -1, 1));
        double cosA = (Math.Sin(declination) - (sinE * Math.Sin(phi))) / (Math.Cos(e) * Math.Cos(phi));
        return (e / Rad, Math.Acos(Math.Clamp(cosA, -1, 1)) / Rad); // morning: the sun is east of the meridian
    }

    private void Fields(SyntheticAcquisition a, PixelWindow win, float[] cloud, float[] shadow, float[] snow)
    {
        int plane = (int)win.PixelCount;
        if (plane == 0)
        {
            return;
        }

        if (a.CloudCover > 0)
        {
            FractalNoise noise = _cloud[a.Index];
            for (int j = 0; j < win.Height; j++)
            {
                noise.Row(win.Y + j, win.X, cloud.AsSpan(j * win.Width, win.Width));
                noise.Row(win.Y + j + a.ShadowRows, win.X + a.ShadowColumns, shadow.AsSpan(j * win.Width, win.Width));
            }
        }
        else
        {
            cloud.AsSpan(0, plane).Fill(-10f);
            shadow.AsSpan(0, plane).Fill(-10f);
        }

        if (_snow[a.Index] is { } extra)
        {
            float[] row = ArrayPool<float>.Shared.Rent(win.Width);
            try
            {
                for (int j = 0; j < win.Height; j++)
                {
                    Span<float> s = snow.AsSpan(j * win.Width, win.Width);
                    _terrain.Row(win.Y + j, win.X, s);
                    extra.Row(win.Y + j, win.X, row.AsSpan(0, win.Width));
                    for (int i = 0; i < s.Length; i++)
                    {
                        s[i] += 0.25f * row[i];
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(row);
            }
        }
        else
        {
            snow.AsSpan(0, plane).Fill(-10f);
        }
    }

    private bool InFrame(SyntheticFrame f, double col, double row, out double across, out double along)
    {
        double dx = col - f.CentreColumn, dy = row - f.CentreRow;
        across = ((dx * _ex) + (dy * _ey)) / _hw;
        along = (dx * _ax) + (dy * _ay);
        return Math.Abs(across) <= 1 && Math.Abs(along) <= _hl;
    }

    // Without its scan-line corrector ETM+ scans zigzag: gaps across the track, one pixel wide at nadir, about 14 at
    // the swath edges, alternating between the two sides every 16 lines (USGS: about 22% of a scene is lost).
    private static bool InScanGap(SyntheticAcquisition a, double across, double along)
    {
        double t = along + a.SlcPhase + (across < 0 ? SlcPeriod / 2 : 0);
        double m = t - (SlcPeriod * Math.Floor(t / SlcPeriod));
        return m < Math.Max(0, (SlcMaxGap * Math.Abs(across)) - 0.5);
    }

    private static bool Inside(double col, double row, int w, int h, out int ci, out int ri)
    {
        ci = (int)Math.Floor(col);
        ri = (int)Math.Floor(row);
        return col >= 0 && row >= 0 && ci < w && ri < h;
    }

    private static float Smooth(float lo, float hi, float x)
    {
        float t = Math.Clamp((x - lo) / (hi - lo), 0f, 1f);
        return t * t * (3f - (2f * t));
    }

    private static int Periods(double px, double meters) => Math.Max(2, (int)Math.Round(meters / px));

    private SyntheticFrame[] PlanFrames(SceneRandom rng, double px)
    {
        double w = _scene.MosaicWidth, h = _scene.MosaicHeight;
        double spacing = _options.PathSpacingMeters / px, rowSpacing = _options.RowSpacingMeters / px;

        // The line between two neighbouring paths crosses the scene's middle row at 30-70% of its width, so even a
        // small scene sees two swaths, their overlap and a swath edge.
        double u = rng.Uniform(0.3, 0.7);
        double ox = (u * w) - (0.5 * spacing * _ex), oy = (h / 2) - (0.5 * spacing * _ey);
        // A row is centred on the scene's centre: a scene shorter than a frame lies in one row, as most cities do.
        double centreAlong = (((w / 2) - ox) * _ax) + (((h / 2) - oy) * _ay);
        double rowOffset = centreAlong - (rowSpacing * Math.Floor(centreAlong / rowSpacing));
        (double X, double Y)[] corners = [(0, 0), (w, 0), (w, h), (0, h)];
        double minAcross = corners.Min(c => ((c.X - ox) * _ex) + ((c.Y - oy) * _ey)), maxAcross = corners.Max(c => ((c.X - ox) * _ex) + ((c.Y - oy) * _ey));
        double minAlong = corners.Min(c => ((c.X - ox) * _ax) + ((c.Y - oy) * _ay)), maxAlong = corners.Max(c => ((c.X - ox) * _ax) + ((c.Y - oy) * _ay));
        int k0 = (int)Math.Floor((minAcross - _hw) / spacing), k1 = (int)Math.Ceiling((maxAcross + _hw) / spacing);
        int m0 = (int)Math.Floor((minAlong - rowOffset - _hl) / rowSpacing), m1 = (int)Math.Ceiling((maxAlong - rowOffset + _hl) / rowSpacing);
        var frames = new List<SyntheticFrame>();
        for (int k = k0; k <= k1; k++)
        {
            for (int m = m0; m <= m1; m++)
            {
                double cx = ox + (k * spacing * _ex) + ((rowOffset + (m * rowSpacing)) * _ax);
                double cy = oy + (k * spacing * _ey) + ((rowOffset + (m * rowSpacing)) * _ay);
                var quad = new List<(double, double)>
                {
                    (cx - (_hw * _ex) - (_hl * _ax), cy - (_hw * _ey) - (_hl * _ay)),
                    (cx + (_hw * _ex) - (_hl * _ax), cy + (_hw * _ey) - (_hl * _ay)),
                    (cx + (_hw * _ex) + (_hl * _ax), cy + (_hw * _ey) + (_hl * _ay)),
                    (cx - (_hw * _ex) + (_hl * _ax), cy - (_hw * _ey) + (_hl * _ay)),
                };
                List<(double Column, double Row)> footprint = ClipToRectangle(quad, w, h);
                if (Area(footprint) < 1)
                {
                    continue;
                }

                // WRS-2 numbers paths westward and rows southward; these are synthetic, but ordered the same way.
                int path = 30 + (k1 - k), row = 40 + (m - m0);
                frames.Add(new SyntheticFrame(0, path, row, footprint) { CentreColumn = cx, CentreRow = cy });
            }
        }

        return [.. frames.OrderBy(f => f.Path).ThenBy(f => f.Row).Select((f, i) => f with { Index = i })];
    }

    private List<(SyntheticFrame Frame, Mission Mission, DateOnly Date)> PlanAcquisitions()
    {
        var start = new DateOnly(Year, 1, 1);
        var end = new DateOnly(Year, 12, 31);
        var reference = new DateOnly(1999, 12, 26).DayNumber;
        var planned = new List<(SyntheticFrame Frame, Mission Mission, DateOnly Date)>();
        foreach (SyntheticFrame frame in Frames)
        {
            var dates = new List<(Mission Mission, DateOnly Date)>();
            foreach (Mission mission in Missions)
            {
                // Each satellite revisits a path every 16 days; neighbouring paths are 7 days apart in the cycle and
                // the second satellite of a pair flies 8 days after the first.
                int anchor = reference + ((7 * frame.Path) % 16) + mission.Offset;
                int first = anchor + (16 * (int)Math.Ceiling((start.DayNumber - anchor) / 16.0));
                for (int day = first; day <= end.DayNumber; day += 16)
                {
                    DateOnly date = DateOnly.FromDayNumber(day);
                    if (date >= mission.Start && date <= mission.End)
                    {
                        dates.Add((mission, date));
                    }
                }
            }

            dates.Sort((a, b) => a.Date.CompareTo(b.Date));
            int keep = _options.MaxAcquisitionsPerFrame;
            if (keep > 0 && keep < dates.Count)
            {
                // Evenly through the year's revisits, so that both sensors and every season stay represented.
                dates = [.. Enumerable.Range(0, keep).Select(i => dates[(int)((i + 0.5) * dates.Count / keep)])];
            }

            planned.AddRange(dates.Select(d => (frame, d.Mission, d.Date)));
        }

        if (planned.Count == 0)
        {
            throw new ArgumentException($"No Landsat TM, ETM+ or OLI flew in {Year} (Landsat 5 from March 1984): no archive to make.", "year");
        }

        return [.. planned.OrderBy(p => p.Date).ThenBy(p => p.Frame.Index)];
    }

    private SyntheticAcquisition[] FinishAcquisitions(List<(SyntheticFrame Frame, Mission Mission, DateOnly Date)> planned, double px)
    {
        double latitude = _options.Latitude ?? 23;
        var result = new SyntheticAcquisition[planned.Count];
        int w = _scene.MosaicWidth, h = _scene.MosaicHeight;
        for (int i = 0; i < planned.Count; i++)
        {
            (SyntheticFrame frame, Mission mission, DateOnly date) = planned[i];

            // Clouds belong to the path and date: the rows of one pass see the same sky.
            uint cloudSalt = Hashing.Hash(_salt + 101, frame.Path, date.DayNumber);
            uint salt = Hashing.Hash(cloudSalt, frame.Row, mission.Prefix[3]);
            float u1 = Hashing.Unit(cloudSalt, 1, 0), u2 = Hashing.Unit(cloudSalt, 2, 0), u3 = Hashing.Unit(cloudSalt, 3, 0);
            double drawn = u1 < 0.35 ? 0.03 * u2 : u1 < 0.75 ? 0.05 + (0.3 * u2) : 0.4 + (0.45 * u2);
            double season = 1 + (0.5 * Math.Cos(2 * Math.PI * (date.DayOfYear - 220) / 365.25)); // the rainy summer is cloudier
            double cover = Math.Clamp(drawn * season * _options.CloudCoverScale, 0, 0.95);
            var cloud = new FractalNoise(cloudSalt + 5, [Periods(px, 9_000), Periods(px, 3_000), Periods(px, 900), Periods(px, 300)]);
            _cloud[i] = cloud;
            float threshold = cover > 0 ? Quantile(cloud, 1 - cover, w, h) : float.MaxValue;

            // Shadows fall away from the sun, as far as the cloud's height over the tangent of the sun's elevation.
            (double elevation, double azimuth) = SunPosition(date, latitude);
            double height = 800 + (2200 * u3);
            double reach = height / Math.Tan(elevation * Math.PI / 180) / px;
            int shadowColumns = (int)Math.Round(reach * Math.Sin(azimuth * Math.PI / 180));
            int shadowRows = (int)Math.Round(-reach * Math.Cos(azimuth * Math.PI / 180));

            // Snow, some winter dates: patches on the high ground (a fixed terrain field) that vary from date to date.
            bool winter = date.Month is 12 or 1 or 2;
            bool snowy = winter && Hashing.Unit(cloudSalt, 4, 0) < 0.35;
            float snowThreshold = float.MaxValue;
            if (snowy)
            {
                var extra = new FractalNoise(cloudSalt + 9, [Periods(px, 3_000), Periods(px, 1_000)]);
                _snow[i] = extra;
                snowThreshold = SnowQuantile(extra, 1 - (0.02 + (0.06 * Hashing.Unit(cloudSalt, 5, 0))), w, h);
            }

            string id = string.Create(CultureInfo.InvariantCulture,
                $"{mission.Prefix}_L2SP_{frame.Path:000}{frame.Row:000}_{date:yyyyMMdd}_{date.AddDays(20):yyyyMMdd}_02_T1");
            result[i] = new SyntheticAcquisition(i, frame.Index, id, date, mission.Spacecraft, mission.Sensor, mission.Bands,
                mission.Prefix == "LE07" && date > SlcFailure, elevation, azimuth, cover, snowy)
            {
                Salt = salt,
                CloudSalt = cloudSalt,
                CloudThreshold = threshold,
                ShadowColumns = shadowColumns,
                ShadowRows = shadowRows,
                SnowThreshold = snowThreshold,
                Phenology = (float)Math.Cos(2 * Math.PI * (date.DayOfYear - 245) / 365.25),
                SlcPhase = SlcPeriod * Hashing.Unit(salt, 6, 0),
            };
        }

        return result;
    }

    // The value of a noise field exceeded by the share 1 - q of a 64 x 64 lattice over the mosaic: the threshold
    // that gives a cloud (or snow) field about the cover drawn for it.
    private static float Quantile(FractalNoise noise, double q, int w, int h)
    {
        const int N = 64;
        var values = new float[N * N];
        for (int j = 0; j < N; j++)
        {
            for (int i = 0; i < N; i++)
            {
                values[(j * N) + i] = noise.At((int)((i + 0.5) * w / N), (int)((j + 0.5) * h / N));
            }
        }

        Array.Sort(values);
        return values[Math.Clamp((int)(q * values.Length), 0, values.Length - 1)];
    }

    private float SnowQuantile(FractalNoise extra, double q, int w, int h)
    {
        const int N = 64;
        var values = new float[N * N];
        for (int j = 0; j < N; j++)
        {
            for (int i = 0; i < N; i++)
            {
                int x = (int)((i + 0.5) * w / N), y = (int)((j + 0.5) * h / N);
                values[(j * N) + i] = _terrain.At(x, y) + (0.25f * extra.At(x, y));
            }
        }

        Array.Sort(values);
        return values[Math.Clamp((int)(q * values.Length), 0, values.Length - 1)];
    }

    // Sutherland-Hodgman: the part of a convex polygon inside [0, w] x [0, h].
    private static List<(double Column, double Row)> ClipToRectangle(List<(double X, double Y)> polygon, double w, double h)
    {
        List<(double X, double Y)> current = polygon;
        foreach ((Func<(double X, double Y), double> distance, int _) in new (Func<(double X, double Y), double>, int)[]
        {
            (p => p.X, 0), (p => w - p.X, 1), (p => p.Y, 2), (p => h - p.Y, 3),
        })
        {
            var next = new List<(double X, double Y)>();
            for (int i = 0; i < current.Count; i++)
            {
                (double X, double Y) a = current[i], b = current[(i + 1) % current.Count];
                double da = distance(a), db = distance(b);
                if (da >= 0)
                {
                    next.Add(a);
                }

                if ((da >= 0) != (db >= 0))
                {
                    double t = da / (da - db);
                    next.Add((a.X + (t * (b.X - a.X)), a.Y + (t * (b.Y - a.Y))));
                }
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return [.. current.Select(p => (p.X, p.Y))];
    }

    private static double Area(List<(double Column, double Row)> polygon)
    {
        double twice = 0;
        for (int i = 0; i < polygon.Count; i++)
        {
            (double x0, double y0) = polygon[i];
            (double x1, double y1) = polygon[(i + 1) % polygon.Count];
            twice += (x0 * y1) - (x1 * y0);
        }

        return Math.Abs(twice) / 2;
    }

    private static void Validate(SyntheticArchiveOptions o)
    {
        if (o.MaxAcquisitionsPerFrame < 0)
        {
            throw new ArgumentException($"options.MaxAcquisitionsPerFrame must be 0 (every revisit) or positive, got {o.MaxAcquisitionsPerFrame}.", nameof(o));
        }

        foreach ((string name, double value) in new[] { ("SwathWidthMeters", o.SwathWidthMeters), ("PathSpacingMeters", o.PathSpacingMeters), ("FrameLengthMeters", o.FrameLengthMeters), ("RowSpacingMeters", o.RowSpacingMeters) })
        {
            if (!(value >= 1000 && value <= 1_000_000))
            {
                throw new ArgumentException($"options.{name} must be 1 km .. 1000 km, got {value}.", nameof(o));
            }
        }

        if (o.PathSpacingMeters > o.SwathWidthMeters || o.RowSpacingMeters > o.FrameLengthMeters)
        {
            throw new ArgumentException("options: paths and rows must overlap (PathSpacingMeters <= SwathWidthMeters, RowSpacingMeters <= FrameLengthMeters), or the archive has holes.", nameof(o));
        }

        if (o.Latitude is double lat && !(lat > -60 && lat < 60))
        {
            throw new ArgumentException($"options.Latitude must lie between -60 and 60 degrees (the overpass sun model), got {lat}.", nameof(o));
        }

        if (!(o.CloudCoverScale >= 0 && o.CloudCoverScale <= 3))
        {
            throw new ArgumentException($"options.CloudCoverScale must be 0 .. 3, got {o.CloudCoverScale}.", nameof(o));
        }
    }

    private sealed record Mission(string Prefix, string Spacecraft, string Sensor, DateOnly Start, DateOnly End, int Offset, int[] Bands);
}
