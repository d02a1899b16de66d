using Inegi.UrbanGrowth.Raster;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>The band combination of a chip.</summary>
public enum ChipKind
{
    /// <summary>Red, green, blue.</summary>
    TrueColor,

    /// <summary>SWIR1, NIR, red as red, green, blue: built-up areas magenta-grey, vegetation green, water black.</summary>
    FalseColor,
}

/// <summary>
/// Renders the interpreter's image chips from the mosaics on demand: the cell and its 3 x 3 cells of context, every year,
/// the cell outlined, as PNG; keeps the most recent ones in a bounded memory cache.
/// </summary>
/// <remarks>
/// <para>Stretch: per band, linear between the 1st and the 99.5th percentile of the whole context of every year
/// together, then gamma 0.8. One stretch for all years keeps the years comparable (a town that grew looks brighter,
/// not re-stretched); the high 99.5th percentile keeps roofs and paved surfaces, the brightest things in a 3 km
/// window, from saturating, so the street grid that tells built-up from bare soil stays visible; the gamma lifts the
/// dark vegetation around it.</para>
/// <para>Pixels are sampled nearest-neighbour (no smoothing of the 30 m pixels); outside the mosaic and nodata are grey.</para>
/// </remarks>
public sealed class ChipRenderer : IDisposable
{
    private const double LowPercentile = 0.01, HighPercentile = 0.995, Gamma = 0.8;
    private static readonly SKColor Outside = new(0x3a, 0x3a, 0x3a);
    private readonly SortedDictionary<int, Mosaic> _mosaics;
    private readonly double _cellSize;
    private readonly long _cacheBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<(long, int, ChipKind), LinkedListNode<((long, int, ChipKind) Key, byte[] Png)>> _cache = [];
    private readonly LinkedList<((long, int, ChipKind) Key, byte[] Png)> _recent = new();
    private long _cachedBytes;

    /// <summary>Opens the mosaics.</summary>
    /// <param name="mosaicsByYear">One mosaic file per year (six bands: blue, green, red, NIR, SWIR1, SWIR2).</param>
    /// <param name="cellSize">Side of a sample cell in map units (1000 for the 1 km grid).</param>
    /// <param name="options">Band order and nodata of the mosaics, or null for the defaults.</param>
    /// <param name="chipSize">Side of a chip, pixels.</param>
    /// <param name="cacheBytes">Most PNG bytes kept in memory.</param>
    /// <exception cref="DataFileException">A mosaic cannot be opened or is not north-up.</exception>
    public ChipRenderer(IReadOnlyDictionary<int, string> mosaicsByYear, double cellSize = 1000, MosaicOptions? options = null, int chipSize = 300, long cacheBytes = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(mosaicsByYear);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cellSize, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(chipSize, 30);
        if (mosaicsByYear.Count == 0)
        {
            throw new ArgumentException("at least one mosaic is needed", nameof(mosaicsByYear));
        }

        _cellSize = cellSize;
        ChipSize = chipSize;
        _cacheBytes = cacheBytes;
        _mosaics = [];
        try
        {
            foreach (var (year, path) in mosaicsByYear)
            {
                Mosaic m = Mosaic.Open(path, options);
                _mosaics[year] = m;
                if (!m.GeoTransform.IsNorthUp)
                {
                    throw new DataFileException(path, "is not north-up (rotated geotransforms are not supported for chips)");
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Side of a chip, pixels.</summary>
    public int ChipSize { get; }

    /// <summary>The years, ascending.</summary>
    public IReadOnlyList<int> Years => [.. _mosaics.Keys];

    /// <summary>The EPSG code of the first mosaic, or null when it has none.</summary>
    public int? Epsg => _mosaics.Values.Select(m => m.Epsg).FirstOrDefault();

    /// <summary>The chip of a cell for a year, as PNG (from the cache when it was rendered before).</summary>
    /// <param name="centreX">Cell centre x, map units.</param>
    /// <param name="centreY">Cell centre y, map units.</param>
    /// <param name="cellId">The cell id (the cache key).</param>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="kind">Band combination.</param>
    public byte[] Render(long cellId, double centreX, double centreY, int year, ChipKind kind)
    {
        if (!_mosaics.ContainsKey(year))
        {
            throw new ArgumentException($"no mosaic for {year}", nameof(year));
        }

        lock (_gate)
        {
            if (_cache.TryGetValue((cellId, year, kind), out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Png;
            }
        }

        // Every chip of the cell shares one stretch, so render them all at once and cache them together.
        var rendered = RenderAll(centreX, centreY, kind);
        lock (_gate)
        {
            foreach (var (y, png) in rendered)
            {
                var key = (cellId, y, kind);
                if (_cache.TryGetValue(key, out var old))
                {
                    _recent.Remove(old);
                    _cachedBytes -= old.Value.Png.Length;
                }

                _cache[key] = _recent.AddFirst((key, png));
                _cachedBytes += png.Length;
            }

            while (_cachedBytes > _cacheBytes && _recent.Last is { } last)
            {
                _recent.RemoveLast();
                _cache.Remove(last.Value.Key);
                _cachedBytes -= last.Value.Png.Length;
            }
        }

        return rendered[year];
    }

    /// <summary>Number of chips in the cache.</summary>
    internal int CachedChips
    {
        get
        {
            lock (_gate)
            {
                return _cache.Count;
            }
        }
    }

    /// <summary>
    /// The band values seen by each chip pixel (nearest neighbour), three planes of <c>ChipSize * ChipSize</c> (NaN outside
    /// the mosaic or at nodata), before the stretch.
    /// </summary>
    internal float[] Sample(double centreX, double centreY, int year, ChipKind kind)
    {
        Mosaic m = _mosaics[year];
        int n = ChipSize;
        ReadOnlySpan<int> bands = kind == ChipKind.TrueColor ? [2, 1, 0] : [4, 3, 2];
        double side = 3 * _cellSize, step = side / n, left = centreX - (side / 2), top = centreY + (side / 2);
        GeoTransform g = m.GeoTransform;
        var (c0, r0) = g.MapToPixel(left, top);
        var (c1, r1) = g.MapToPixel(left + side, top - side);
        int x0 = Math.Max(0, (int)Math.Floor(Math.Min(c0, c1))), y0 = Math.Max(0, (int)Math.Floor(Math.Min(r0, r1)));
        int x1 = Math.Min(m.Width, (int)Math.Ceiling(Math.Max(c0, c1))), y1 = Math.Min(m.Height, (int)Math.Ceiling(Math.Max(r0, r1)));
        float[] result = new float[3 * n * n];
        Array.Fill(result, float.NaN);
        if (x1 <= x0 || y1 <= y0)
        {
            return result;
        }

        var window = new PixelWindow(x0, y0, x1 - x0, y1 - y0);
        float[] planes = new float[6 * window.PixelCount];
        m.Read(window, planes);
        float noData = m.NoData is { } nd ? (float)nd : float.NaN;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                var (c, r) = g.MapToPixel(left + ((i + 0.5) * step), top - ((j + 0.5) * step));
                int col = (int)Math.Floor(c) - x0, row = (int)Math.Floor(r) - y0;
                if (col < 0 || row < 0 || col >= window.Width || row >= window.Height)
                {
                    continue;
                }

                for (int b = 0; b < 3; b++)
                {
                    float v = planes[(bands[b] * window.PixelCount) + (row * window.Width) + col];
                    result[(b * n * n) + (j * n) + i] = v == noData ? float.NaN : v;
                }
            }
        }

        return result;
    }

    /// <summary>The stretch of each of the three displayed bands: (low, high) over all years' samples.</summary>
    internal static (float Low, float High)[] Stretch(IReadOnlyList<float[]> samples, int planeSize)
    {
        var result = new (float, float)[3];
        for (int b = 0; b < 3; b++)
        {
            var values = new List<float>();
            foreach (float[] s in samples)
            {
                foreach (float v in s.AsSpan(b * planeSize, planeSize))
                {
                    if (float.IsFinite(v))
                    {
                        values.Add(v);
                    }
                }
            }

            if (values.Count == 0)
            {
                result[b] = (0, 1);
                continue;
            }

            values.Sort();
            result[b] = (Quantile(values, LowPercentile), Quantile(values, HighPercentile));
        }

        return result;
    }

    /// <summary>Linear interpolation between order statistics (numpy's default "linear" method).</summary>
    internal static float Quantile(List<float> sorted, double q)
    {
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return (float)(sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo])));
    }

    /// <summary>The displayed 0..255 value of a band value under a stretch.</summary>
    internal static byte Display(float v, float low, float high)
    {
        double t = high > low ? (v - low) / (high - low) : 0.5;
        return (byte)Math.Round(255 * Math.Pow(Math.Clamp(t, 0, 1), Gamma));
    }

    private Dictionary<int, byte[]> RenderAll(double centreX, double centreY, ChipKind kind)
    {
        var samples = _mosaics.Keys.ToDictionary(y => y, y => Sample(centreX, centreY, y, kind));
        int n = ChipSize, plane = n * n;
        var stretch = Stretch([.. samples.Values], plane);
        var result = new Dictionary<int, byte[]>();
        foreach (var (year, s) in samples)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(n, n, SKColorType.Rgba8888, SKAlphaType.Opaque));
            Span<byte> pixels = bitmap.GetPixelSpan();
            for (int p = 0; p < plane; p++)
            {
                float r = s[p], g = s[plane + p], b = s[(2 * plane) + p];
                bool inside = float.IsFinite(r) && float.IsFinite(g) && float.IsFinite(b);
                pixels[4 * p] = inside ? Display(r, stretch[0].Low, stretch[0].High) : Outside.Red;
                pixels[(4 * p) + 1] = inside ? Display(g, stretch[1].Low, stretch[1].High) : Outside.Green;
                pixels[(4 * p) + 2] = inside ? Display(b, stretch[2].Low, stretch[2].High) : Outside.Blue;
                pixels[(4 * p) + 3] = 255;
            }

            using (var canvas = new SKCanvas(bitmap))
            {
                // The cell is the middle third; a dark halo under a yellow line keeps it visible on bright roofs and dark water.
                float a = n / 3f, w = n / 3f;
                using var halo = new SKPaint { Color = new SKColor(0, 0, 0, 160), Style = SKPaintStyle.Stroke, StrokeWidth = 4, IsAntialias = false };
                using var line = new SKPaint { Color = new SKColor(0xff, 0xd4, 0x00), Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = false };
                canvas.DrawRect(a, a, w, w, halo);
                canvas.DrawRect(a, a, w, w, line);
            }

            using SKImage image = SKImage.FromBitmap(bitmap);
            using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
            result[year] = data.ToArray();
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Mosaic m in _mosaics.Values)
        {
            m.Dispose();
        }

        _mosaics.Clear();
    }
}
