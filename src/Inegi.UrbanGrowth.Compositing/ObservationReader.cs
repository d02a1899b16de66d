using System.Buffers;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Raster.Projections;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>How a source image is sampled at the centres of the target pixels.</summary>
public enum Resampling
{
    /// <summary>The source pixel that contains the centre.</summary>
    Nearest,

    /// <summary>
    /// Bilinear over the four source pixels around the centre; masked neighbours are left out and the weights of the
    /// others renormalised (as gdalwarp does with nodata). Quality flags are never interpolated: each neighbour is
    /// masked at its own resolution first.
    /// </summary>
    Bilinear,
}

/// <summary>One observation date: a multi-band reflectance GeoTIFF, and optionally its quality band on the same grid.</summary>
/// <param name="Path">The image (with <see cref="BandPaths"/>: the first band file, which gives the grid).</param>
/// <param name="QualityPath">The quality band (single-band GeoTIFF on the image's grid), or null.</param>
/// <remarks>
/// The init-only properties let a scene (<see cref="SceneInventory"/>) carry what differs from scene to scene: its
/// bands as separate files, its own reflectance conversion and quality encoding; null means "as the run's options".
/// </remarks>
public sealed record CompositeImage(string Path, string? QualityPath = null)
{
    /// <summary>One single-band file per band (blue, green, red, NIR, SWIR1, SWIR2), all on one grid; null: <see cref="Path"/> is multi-band.</summary>
    public IReadOnlyList<string>? BandPaths { get; init; }

    /// <summary>Per-band reflectance = value * Scales[b] + Offsets[b]; null: the run's scale.</summary>
    public IReadOnlyList<double>? Scales { get; init; }

    /// <summary>Per-band reflectance offsets (with <see cref="Scales"/>).</summary>
    public IReadOnlyList<double>? Offsets { get; init; }

    /// <summary>This image's nodata value; null: the run's (or the file's).</summary>
    public double? NoData { get; init; }

    /// <summary>This image's quality encoding; null: the run's.</summary>
    public QualityFormat? QualityFormat { get; init; }

    /// <summary>A radiometric saturation band (Collection 2 <c>QA_RADSAT</c>) on the image's grid, or null.</summary>
    public string? SaturationPath { get; init; }

    /// <summary>The bits of <see cref="SaturationPath"/> that drop a pixel (those of the bands read) when saturation is masked.</summary>
    public int SaturationBits { get; init; }

    /// <summary>The scene's product id when the image comes from a scene (recorded in the provenance), else null.</summary>
    public string? SceneId { get; init; }

    /// <summary>Every file this observation reads.</summary>
    public IEnumerable<string> Files => new[] { Path, QualityPath, SaturationPath }.Concat(BandPaths ?? []).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>How the values of the images become reflectance, and what is masked.</summary>
public sealed record ImageReadOptions
{
    /// <summary>File band numbers (1-based) of blue, green, red, NIR, SWIR1, SWIR2 (default 1..6).</summary>
    public IReadOnlyList<int> Bands { get; init; } = [1, 2, 3, 4, 5, 6];

    /// <summary>The value that marks missing data; the file's GDAL_NODATA when null.</summary>
    public double? NoData { get; init; }

    /// <summary>Reflectance = value * Scale + Offset (default 0.0001, the ARD convention).</summary>
    public double Scale { get; init; } = 1e-4;

    /// <summary>Reflectance offset (default 0).</summary>
    public double Offset { get; init; }

    /// <summary>The encoding of the quality bands.</summary>
    public QualityFormat QualityFormat { get; init; } = QualityFormat.LandsatCollection2;

    /// <summary>The conditions the quality band removes.</summary>
    public MaskedConditions Masked { get; init; } = MaskedConditions.Default;

    /// <summary>Sampling onto the target grid.</summary>
    public Resampling Resampling { get; init; } = Resampling.Nearest;

    /// <summary>
    /// Radius in source pixels of a morphological opening (erosion then dilation by a disk) of the cloud mask (the
    /// pixels flagged cloud or cloud shadow, of those <see cref="Masked"/> names) before it is applied; 0: none. Removes
    /// specks of false cloud (bright roofs) as Digital Earth Australia's mask clean-up does.
    /// </summary>
    public int CloudOpening { get; init; }

    /// <summary>Radius in source pixels of a dilation by a disk of the (opened) cloud mask; 0: none. Catches the haze at cloud edges.</summary>
    public int CloudDilation { get; init; }

    /// <summary>
    /// Bytes of decoded blocks kept for all the images of a reader together (default 256 MiB), shared equally by their
    /// files, each at least <see cref="ObservationReader.MinBlockCacheBytesPerFile"/>: the memory a composite needs
    /// does not grow with the number of scenes beyond that floor. Caching only saves decoding (blocks that straddle
    /// two target tiles); it changes no value.
    /// </summary>
    public long BlockCacheBytes { get; init; } = 256L << 20;
}

/// <summary>
/// Reads the observations of a window of the target grid from every image: reprojected (nearest or bilinear) where the
/// image is in another coordinate system or on another grid, masked (nodata, quality, reflectance at or below zero),
/// as an <see cref="ObservationBlock"/> buffer. Each image is read only over the window's footprint.
/// </summary>
public sealed class ObservationReader : IDisposable
{
    // Coordinates are transformed exactly on a lattice every LatticeStep target pixels and interpolated between:
    // gdalwarp's approximate transformer does the same; at 30 m the interpolation error is far below 1e-3 pixel.
    private const int LatticeStep = 16;
    private const double MaxLatticeError = 1e-3;

    // Source pixels beyond the image that a window's outline may reach and still be read: bilinear needs one, and the
    // outline bounds the footprint only to within curvature and rounding.
    private const double OutlineMargin = 2;

    // The flags the cloud opening and dilation act on (DEA cleans its cloud and shadow mask together).
    private const MaskedConditions CloudConditions = MaskedConditions.Cloud | MaskedConditions.CloudShadow;

    /// <summary>The least block cache a file gets: eight 256 x 256 UInt16 blocks, one row of blocks of a 2,000-pixel-wide band.</summary>
    public const long MinBlockCacheBytesPerFile = 1L << 20;

    private readonly Source[] _sources;
    private readonly ImageReadOptions _options;
    private readonly int[] _bands;

    /// <summary>Opens the images (and quality bands) and checks them.</summary>
    /// <param name="images">One per date.</param>
    /// <param name="grid">The target grid.</param>
    /// <param name="options">Reflectance conversion and masking.</param>
    /// <exception cref="DataFileException">An image or quality band is unreadable or inconsistent.</exception>
    public ObservationReader(IReadOnlyList<CompositeImage> images, TargetGrid grid, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Bands.Count < 1)
        {
            throw new ArgumentException("--bands must list at least one band.");
        }

        if (!CrsCatalog.TryGet(grid.Epsg, out _))
        {
            throw new ArgumentException($"The target grid's EPSG:{grid.Epsg} is not supported for reprojection.");
        }

        Grid = grid;
        _options = options;
        _bands = [.. options.Bands.Select(b => b - 1)];
        _sources = new Source[images.Count];
        if (options.BlockCacheBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BlockCacheBytes, "The block cache must be at least 0 bytes.");
        }

        // One budget for every file of every image: a year of scenes, each with its own generous cache, held more
        // decoded blocks than a tile ever reuses (a 12-scene year peaked at 1.7 GB).
        long files = Math.Max(1, images.Sum(i => i.Files.Count()));
        long perFile = Math.Max(MinBlockCacheBytesPerFile, options.BlockCacheBytes / files);
        BlockCacheBytesPerFile = perFile;
        try
        {
            for (int i = 0; i < images.Count; i++)
            {
                _sources[i] = Source.Open(images[i], grid, _bands, options, perFile);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The target grid.</summary>
    public TargetGrid Grid { get; }

    /// <summary>The block cache each file of the images got: its share of <see cref="ImageReadOptions.BlockCacheBytes"/>.</summary>
    internal long BlockCacheBytesPerFile { get; }

    /// <summary>Number of observations (images).</summary>
    public int ObservationCount => _sources.Length;

    /// <summary>Bands per observation.</summary>
    public int BandCount => _bands.Length;

    /// <summary>Values needed for a window: observations x bands x pixels.</summary>
    /// <param name="window">A window of the target grid.</param>
    public long ValuesFor(PixelWindow window) => (long)ObservationCount * BandCount * window.PixelCount;

    /// <summary>Fills <paramref name="block"/> (laid out as <see cref="ObservationBlock"/>) with the observations of a target window; NaN where masked.</summary>
    /// <param name="window">The window of the target grid.</param>
    /// <param name="block">At least <see cref="ValuesFor"/> values.</param>
    /// <param name="observation">Which observation to read, or -1 for all of them.</param>
    public void Read(PixelWindow window, Span<float> block, int observation = -1)
    {
        if (!window.IsInside(Grid.Width, Grid.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window leaves the target grid.");
        }

        int planes = BandCount * window.Width * window.Height;
        for (int o = 0; o < _sources.Length; o++)
        {
            if (observation < 0 || observation == o)
            {
                _sources[o].Read(Grid, window, block.Slice(o * planes, planes), _options);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="block"/> as <see cref="Read"/> with every observation, in parallel, computing the window's
    /// source coordinates once per source grid: the acquisitions of one frame (a path and row) share their grid, so
    /// an archive of a few frames transforms each window's coordinates a few times instead of once per scene. The
    /// coordinates are the same function of the grid either way, so the values are the same.
    /// </summary>
    internal void ReadAll(PixelWindow window, float[] block, ParallelOptions parallel)
    {
        if (!window.IsInside(Grid.Width, Grid.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window leaves the target grid.");
        }

        int planes = BandCount * window.Width * window.Height, n = window.Width * window.Height;
        int[] gridOf = new int[_sources.Length];
        var grids = new List<Source>();
        var index = new Dictionary<(int Epsg, GeoTransform Transform), int>();
        for (int o = 0; o < _sources.Length; o++)
        {
            (int, GeoTransform) key = _sources[o].GridKey;
            if (!index.TryGetValue(key, out int g))
            {
                g = grids.Count;
                index[key] = g;
                grids.Add(_sources[o]);
            }

            gridOf[o] = g;
        }

        // Pooled as in Source.Read: a tile's coordinates are megabytes.
        var u = new double[grids.Count][];
        var v = new double[grids.Count][];
        var overlaps = new bool[grids.Count];
        try
        {
            Parallel.For(0, grids.Count, parallel, g =>
            {
                overlaps[g] = grids[g].MayOverlap(Grid, window);
                if (overlaps[g])
                {
                    u[g] = ArrayPool<double>.Shared.Rent(n);
                    v[g] = ArrayPool<double>.Shared.Rent(n);
                    grids[g].SourceCoordinates(Grid, window, u[g], v[g]);
                }
            });

            Parallel.For(0, _sources.Length, parallel, o =>
            {
                Span<float> planesOf = block.AsSpan(o * planes, planes);
                planesOf.Fill(float.NaN);
                int g = gridOf[o];
                if (overlaps[g])
                {
                    _sources[o].Sample(window, planesOf, _options, u[g], v[g]);
                }
            });
        }
        finally
        {
            for (int g = 0; g < grids.Count; g++)
            {
                if (u[g] is not null)
                {
                    ArrayPool<double>.Shared.Return(u[g]);
                    ArrayPool<double>.Shared.Return(v[g]);
                }
            }
        }
    }

    /// <summary>The paths of the images, in observation order.</summary>
    public IEnumerable<CompositeImage> Images => _sources.Select(s => s.Image);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Source? s in _sources)
        {
            s?.Dispose();
        }
    }

    private sealed class Source : IDisposable
    {
        private readonly GeoTiffReader _image;
        private readonly GeoTiffReader? _quality;
        private readonly GeoTiffReader? _saturation;
        private readonly GeoTiffReader[]? _bandFiles;
        private readonly int[] _bands;
        private readonly double? _noData;
        private readonly int _epsg;
        private readonly bool _sameCrs;

        private Source(CompositeImage image, GeoTiffReader reader, GeoTiffReader? quality, GeoTiffReader? saturation, GeoTiffReader[]? bandFiles, int[] bands, double? noData, int epsg, bool sameCrs)
        {
            Image = image;
            _image = reader;
            _quality = quality;
            _saturation = saturation;
            _bandFiles = bandFiles;
            _bands = bands;
            _noData = noData;
            _epsg = epsg;
            _sameCrs = sameCrs;
        }

        public CompositeImage Image { get; }

        public static Source Open(CompositeImage image, TargetGrid grid, int[] bands, ImageReadOptions options, long cacheBytes)
        {
            // Where the bands come as separate files, this reader of the first one is read for its metadata only.
            var cache = new GeoTiffReaderOptions { MaxConcurrentDecoders = 2, BlockCacheBytes = cacheBytes };
            GeoTiffReader reader = GeoTiffReader.Open(image.Path, image.BandPaths is null ? cache : cache with { BlockCacheBytes = 0 });
            GeoTiffReader? quality = null, saturation = null;
            var bandFiles = new List<GeoTiffReader>();
            try
            {
                RasterInfo info = reader.Info;
                if (image.BandPaths is { } paths)
                {
                    if (paths.Count != bands.Length)
                    {
                        throw new DataFileException(image.Path, $"comes with {paths.Count} band files; {bands.Length} bands are read");
                    }

                    foreach (string path in paths)
                    {
                        GeoTiffReader band = GeoTiffReader.Open(path, cache);
                        bandFiles.Add(band);
                        RasterInfo b = band.Info;
                        if (b.Width != info.Width || b.Height != info.Height || b.Epsg != info.Epsg || !SameTransform(b.GeoTransform, info.GeoTransform))
                        {
                            throw new DataFileException(path, $"is not on the grid of {image.Path} (size, EPSG and geotransform must match)");
                        }
                    }
                }
                else
                {
                    foreach (int b in bands)
                    {
                        if (b < 0 || b >= info.BandCount)
                        {
                            throw new DataFileException(image.Path, $"has {info.BandCount} band(s); --bands asks for band {b + 1}");
                        }
                    }
                }

                if (image.Scales is { } scales && (scales.Count != bands.Length || image.Offsets?.Count != bands.Length))
                {
                    throw new ArgumentException($"{image.Path}: per-band scales and offsets must give {bands.Length} values each");
                }

                int epsg = info.Epsg ?? throw new DataFileException(image.Path, "has no EPSG code");
                if (epsg != grid.Epsg && !CrsCatalog.TryGet(epsg, out _))
                {
                    throw new DataFileException(image.Path, $"is in EPSG:{epsg}, which is not supported for reprojection");
                }

                if (image.QualityPath is not null)
                {
                    quality = GeoTiffReader.Open(image.QualityPath, cache);
                    RasterInfo q = quality.Info;
                    if (q.Width != info.Width || q.Height != info.Height || q.Epsg != epsg || !SameTransform(q.GeoTransform, info.GeoTransform))
                    {
                        throw new DataFileException(image.QualityPath, $"is not on the grid of {image.Path} (size, EPSG and geotransform must match)");
                    }
                }

                if (image.SaturationPath is not null)
                {
                    saturation = GeoTiffReader.Open(image.SaturationPath, cache);
                    RasterInfo q = saturation.Info;
                    if (q.Width != info.Width || q.Height != info.Height || q.Epsg != epsg || !SameTransform(q.GeoTransform, info.GeoTransform))
                    {
                        throw new DataFileException(image.SaturationPath, $"is not on the grid of {image.Path} (size, EPSG and geotransform must match)");
                    }
                }

                return new Source(image, reader, quality, saturation, bandFiles.Count > 0 ? [.. bandFiles] : null, bands, image.NoData ?? options.NoData ?? info.NoData, epsg, epsg == grid.Epsg);
            }
            catch
            {
                foreach (GeoTiffReader band in bandFiles)
                {
                    band.Dispose();
                }

                saturation?.Dispose();
                quality?.Dispose();
                reader.Dispose();
                throw;
            }
        }

        private static bool SameTransform(GeoTransform a, GeoTransform b)
        {
            double tol = 1e-6 * Math.Abs(a.PixelWidth);
            return Math.Abs(a.OriginX - b.OriginX) <= tol && Math.Abs(a.OriginY - b.OriginY) <= tol
                && Math.Abs(a.PixelWidth - b.PixelWidth) <= tol && Math.Abs(a.PixelHeight - b.PixelHeight) <= tol
                && a.RowRotation == b.RowRotation && a.ColumnRotation == b.ColumnRotation;
        }

        /// <summary>The grid this source is on: sources with the same key have the same coordinates for any window.</summary>
        public (int Epsg, GeoTransform Transform) GridKey => (_epsg, _image.Info.GeoTransform);

        /// <summary>Source pixel coordinates (u, v) of the centre of every target pixel of the window.</summary>
        public void SourceCoordinates(TargetGrid grid, PixelWindow window, double[] u, double[] v)
        {
            GeoTransform src = _image.Info.GeoTransform;
            if (_sameCrs)
            {
                for (int r = 0; r < window.Height; r++)
                {
                    for (int c = 0; c < window.Width; c++)
                    {
                        (double x, double y) = grid.GeoTransform.PixelToMap(window.X + c + 0.5, window.Y + r + 0.5);
                        (u[(r * window.Width) + c], v[(r * window.Width) + c]) = src.MapToPixel(x, y);
                    }
                }

                return;
            }

            // Exact on a lattice, bilinear in between, as gdalwarp's approximate transformer: the lattice is refined
            // (16, 8, 4, 2, 1 pixels) until the interpolation is within MaxLatticeError source pixels at the cell centres.
            MathTransform transform = CrsCatalog.Transformation(grid.Epsg, _epsg);
            (double U, double V) Exact(double c, double r)
            {
                (double x, double y) = grid.GeoTransform.PixelToMap(window.X + c + 0.5, window.Y + r + 0.5);
                double[] p = transform.Transform([x, y]);
                return src.MapToPixel(p[0], p[1]);
            }

            for (int step = LatticeStep; ; step /= 2)
            {
                if (step == 1)
                {
                    for (int r = 0; r < window.Height; r++)
                    {
                        for (int c = 0; c < window.Width; c++)
                        {
                            (u[(r * window.Width) + c], v[(r * window.Width) + c]) = Exact(c, r);
                        }
                    }

                    return;
                }

                if (Interpolated(window, step, Exact, u, v))
                {
                    return;
                }
            }
        }

        /// <summary>Fills u, v by interpolating a lattice of exact points every <paramref name="step"/> pixels; false when it is not accurate enough.</summary>
        private static bool Interpolated(PixelWindow window, int step, Func<double, double, (double U, double V)> exact, double[] u, double[] v)
        {
            int nx = ((window.Width - 1 + step - 1) / step) + 1, ny = ((window.Height - 1 + step - 1) / step) + 1;
            var lu = new double[nx * ny];
            var lv = new double[nx * ny];
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    (lu[(j * nx) + i], lv[(j * nx) + i]) = exact(Math.Min(i * step, window.Width - 1), Math.Min(j * step, window.Height - 1));
                }
            }

            for (int r = 0; r < window.Height; r++)
            {
                int j = Math.Max(0, Math.Min(r / step, ny - 2));
                double r0 = Math.Min(j * step, window.Height - 1), r1 = Math.Min((j + 1) * step, window.Height - 1);
                double fy = ny == 1 || r1 == r0 ? 0 : (r - r0) / (r1 - r0);
                for (int c = 0; c < window.Width; c++)
                {
                    int i = Math.Max(0, Math.Min(c / step, nx - 2));
                    double c0 = Math.Min(i * step, window.Width - 1), c1 = Math.Min((i + 1) * step, window.Width - 1);
                    double fx = nx == 1 || c1 == c0 ? 0 : (c - c0) / (c1 - c0);
                    int a = (j * nx) + i, b = nx == 1 ? a : a + 1, d = ny == 1 ? a : a + nx, e = ny == 1 ? b : b + nx;
                    u[(r * window.Width) + c] = Lerp(Lerp(lu[a], lu[b], fx), Lerp(lu[d], lu[e], fx), fy);
                    v[(r * window.Width) + c] = Lerp(Lerp(lv[a], lv[b], fx), Lerp(lv[d], lv[e], fx), fy);
                }
            }

            // Check at the centres of the lattice cells (where bilinear interpolation errs most).
            for (int j = 0; j + 1 < ny; j++)
            {
                for (int i = 0; i + 1 < nx; i++)
                {
                    int c = Math.Min((i * step) + (step / 2), window.Width - 1), r = Math.Min((j * step) + (step / 2), window.Height - 1);
                    (double eu, double ev) = exact(c, r);
                    int k = (r * window.Width) + c;
                    if (Math.Abs(eu - u[k]) > MaxLatticeError || Math.Abs(ev - v[k]) > MaxLatticeError)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static double Lerp(double a, double b, double f) => a + ((b - a) * f);

        public void Read(TargetGrid grid, PixelWindow window, Span<float> planes, ImageReadOptions options)
        {
            planes.Fill(float.NaN);
            if (!MayOverlap(grid, window))
            {
                return; // a frame of an archive covers part of the grid: most of its tiles see nothing of it
            }

            // Pooled: a tile's coordinates and source window are megabytes, read per observation and tile; fresh
            // arrays would churn the large-object heap (and the peak memory) for nothing.
            int n = window.Width * window.Height;
            double[] u = ArrayPool<double>.Shared.Rent(n);
            double[] v = ArrayPool<double>.Shared.Rent(n);
            try
            {
                SourceCoordinates(grid, window, u, v);
                Sample(window, planes, options, u, v);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(u);
                ArrayPool<double>.Shared.Return(v);
            }
        }

        /// <summary>
        /// False when the window's footprint certainly misses the image: the exact transforms of its outline (every
        /// <see cref="LatticeStep"/> pixels, corners included) bound a box more than <see cref="OutlineMargin"/> source
        /// pixels off the image. The footprint of a window is within a fraction of a pixel of its outline's hull (the
        /// lattice interpolation itself is within 1e-3 pixel), so skipping changes no value.
        /// </summary>
        public bool MayOverlap(TargetGrid grid, PixelWindow window)
        {
            if (_sameCrs)
            {
                return true; // the coordinates are an affine map: cheap, and the footprint test below would cost as much
            }

            MathTransform transform = CrsCatalog.Transformation(grid.Epsg, _epsg);
            GeoTransform src = _image.Info.GeoTransform;
            double minU = double.MaxValue, minV = double.MaxValue, maxU = double.MinValue, maxV = double.MinValue;
            void Add(double c, double r)
            {
                (double x, double y) = grid.GeoTransform.PixelToMap(window.X + c + 0.5, window.Y + r + 0.5);
                double[] p = transform.Transform([x, y]);
                (double pu, double pv) = src.MapToPixel(p[0], p[1]);
                (minU, maxU, minV, maxV) = (Math.Min(minU, pu), Math.Max(maxU, pu), Math.Min(minV, pv), Math.Max(maxV, pv));
            }

            int w = window.Width - 1, h = window.Height - 1;
            for (int c = 0; c <= w; c = c == w ? w + 1 : Math.Min(w, c + LatticeStep))
            {
                Add(c, 0);
                Add(c, h);
            }

            for (int r = 0; r <= h; r = r == h ? h + 1 : Math.Min(h, r + LatticeStep))
            {
                Add(0, r);
                Add(w, r);
            }

            RasterInfo info = _image.Info;
            return double.IsFinite(minU) && double.IsFinite(minV) && double.IsFinite(maxU) && double.IsFinite(maxV)
                ? maxU >= -OutlineMargin && maxV >= -OutlineMargin && minU <= info.Width + OutlineMargin && minV <= info.Height + OutlineMargin
                : true;
        }

        public void Sample(PixelWindow window, Span<float> planes, ImageReadOptions options, double[] u, double[] v)
        {
            int n = window.Width * window.Height;
            bool bilinear = options.Resampling == Resampling.Bilinear;
            double shift = bilinear ? 0.5 : 0;

            // The footprint of the window in the source, clipped to it.
            double minU = double.MaxValue, minV = double.MaxValue, maxU = double.MinValue, maxV = double.MinValue;
            for (int k = 0; k < n; k++)
            {
                minU = Math.Min(minU, u[k]);
                maxU = Math.Max(maxU, u[k]);
                minV = Math.Min(minV, v[k]);
                maxV = Math.Max(maxV, v[k]);
            }

            RasterInfo info = _image.Info;
            int x0 = (int)Math.Max(0, Math.Floor(minU - shift)), y0 = (int)Math.Max(0, Math.Floor(minV - shift));
            int x1 = (int)Math.Min(info.Width - 1, Math.Floor(maxU - shift) + (bilinear ? 1 : 0));
            int y1 = (int)Math.Min(info.Height - 1, Math.Floor(maxV - shift) + (bilinear ? 1 : 0));
            if (!double.IsFinite(minU) || x1 < x0 || y1 < y0)
            {
                return;
            }

            var src = new PixelWindow(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
            int m = src.Width * src.Height, bands = _bands.Length;
            float[] values = ArrayPool<float>.Shared.Rent(bands * m);
            bool[] clear = ArrayPool<bool>.Shared.Rent(m);
            float[]? quality = _quality is null ? null : ArrayPool<float>.Shared.Rent(m);
            float[]? saturation = _saturation is not null && (options.Masked & MaskedConditions.Saturation) != 0 ? ArrayPool<float>.Shared.Rent(m) : null;
            try
            {
                SampleSource(src, n, planes, options, u, v, values, clear, quality, saturation);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
                ArrayPool<bool>.Shared.Return(clear);
                if (quality is not null)
                {
                    ArrayPool<float>.Shared.Return(quality);
                }

                if (saturation is not null)
                {
                    ArrayPool<float>.Shared.Return(saturation);
                }
            }
        }

        /// <summary>Reads and masks the source window <paramref name="src"/> into the (pooled) buffers, then samples it at (u, v) into <paramref name="planes"/>.</summary>
        private void SampleSource(PixelWindow src, int n, Span<float> planes, ImageReadOptions options,
            double[] u, double[] v, float[] values, bool[] clear, float[]? quality, float[]? saturation)
        {
            int m = src.Width * src.Height, bands = _bands.Length;
            int x0 = src.X, y0 = src.Y, x1 = src.X + src.Width - 1, y1 = src.Y + src.Height - 1;
            bool bilinear = options.Resampling == Resampling.Bilinear;
            RasterInfo info = _image.Info;
            if (_bandFiles is null)
            {
                _image.ReadAsFloat(src, _bands, values.AsSpan(0, bands * m));
            }
            else
            {
                for (int b = 0; b < bands; b++)
                {
                    _bandFiles[b].ReadAsFloat(src, [0], values.AsSpan(b * m, m));
                }
            }

            bool[]? cloud = null;
            if (quality is not null)
            {
                _quality!.ReadAsFloat(src, [0], quality.AsSpan(0, m));
                cloud = CleanedCloud(src, options);
            }

            if (saturation is not null)
            {
                _saturation!.ReadAsFloat(src, [0], saturation.AsSpan(0, m));
            }

            QualityFormat format = Image.QualityFormat ?? options.QualityFormat;
            MaskedConditions masked = cloud is null ? options.Masked : options.Masked & ~CloudConditions;
            IReadOnlyList<double>? scales = Image.Scales, offsets = Image.Offsets;
            for (int k = 0; k < m; k++)
            {
                bool ok = (quality is null || QualityMask.IsClear(format, quality[k], masked)) && (cloud is null || !cloud[k])
                    && (saturation is null || ((uint)saturation[k] & (uint)Image.SaturationBits) == 0);
                for (int b = 0; b < bands && ok; b++)
                {
                    float raw = values[(b * m) + k];
                    if (float.IsNaN(raw) || (_noData is double nd && raw == nd))
                    {
                        ok = false;
                        break;
                    }

                    double reflectance = scales is null ? (raw * options.Scale) + options.Offset : (raw * scales[b]) + offsets![b];
                    ok = reflectance > 0 && double.IsFinite(reflectance);
                    values[(b * m) + k] = (float)reflectance;
                }

                clear[k] = ok;
            }

            Span<double> sum = stackalloc double[Math.Min(bands, 64)];
            if (bands > 64)
            {
                sum = new double[bands];
            }

            for (int k = 0; k < n; k++)
            {
                if (!bilinear)
                {
                    double fu = Math.Floor(u[k]), fv = Math.Floor(v[k]);
                    if (fu < x0 || fu > x1 || fv < y0 || fv > y1)
                    {
                        continue;
                    }

                    int s = (((int)fv - y0) * src.Width) + ((int)fu - x0);
                    if (clear[s])
                    {
                        for (int b = 0; b < bands; b++)
                        {
                            planes[(b * n) + k] = values[(b * m) + s];
                        }
                    }

                    continue;
                }

                // Outside the image (beyond the half-pixel margin) there is nothing to interpolate.
                if (u[k] < 0 || v[k] < 0 || u[k] > info.Width || v[k] > info.Height)
                {
                    continue;
                }

                double gu = u[k] - 0.5, gv = v[k] - 0.5;
                int iu = (int)Math.Floor(gu), iv = (int)Math.Floor(gv);
                double fx = gu - iu, fy = gv - iv;
                double weight = 0;
                sum.Clear();
                for (int dy = 0; dy < 2; dy++)
                {
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int cu = iu + dx, cv = iv + dy;
                        double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                        if (w == 0 || cu < x0 || cu > x1 || cv < y0 || cv > y1)
                        {
                            continue;
                        }

                        int s = ((cv - y0) * src.Width) + (cu - x0);
                        if (!clear[s])
                        {
                            continue;
                        }

                        weight += w;
                        for (int b = 0; b < bands; b++)
                        {
                            sum[b] += w * values[(b * m) + s];
                        }
                    }
                }

                if (weight > 1e-5)
                {
                    for (int b = 0; b < bands; b++)
                    {
                        planes[(b * n) + k] = (float)(sum[b] / weight);
                    }
                }
            }
        }

        /// <summary>The cloud and shadow flags opened and dilated (null when neither is asked for), over <paramref name="src"/>.</summary>
        /// <remarks>
        /// Computed over the window grown by the reach of the operations (clipped to the image; outside it counts as
        /// clear, as scipy.ndimage's border_value=0), so a pixel's result does not depend on the window it is read in.
        /// </remarks>
        private bool[]? CleanedCloud(PixelWindow src, ImageReadOptions options)
        {
            MaskedConditions flags = options.Masked & CloudConditions;
            if ((options.CloudOpening <= 0 && options.CloudDilation <= 0) || flags == MaskedConditions.None)
            {
                return null;
            }

            int reach = (2 * Math.Max(0, options.CloudOpening)) + Math.Max(0, options.CloudDilation);
            RasterInfo info = _quality!.Info;
            int x0 = Math.Max(0, src.X - reach), y0 = Math.Max(0, src.Y - reach);
            int x1 = Math.Min(info.Width, src.X + src.Width + reach), y1 = Math.Min(info.Height, src.Y + src.Height + reach);
            var grown = new PixelWindow(x0, y0, x1 - x0, y1 - y0);
            var quality = new float[grown.PixelCount];
            _quality.ReadAsFloat(grown, [0], quality);
            QualityFormat format = Image.QualityFormat ?? options.QualityFormat;
            var mask = new bool[quality.Length];
            for (int k = 0; k < quality.Length; k++)
            {
                mask[k] = float.IsFinite(quality[k]) && quality[k] >= 0 && !QualityMask.IsClear(format, quality[k], flags);
            }

            if (options.CloudOpening > 0)
            {
                mask = Morphology.Dilate(Morphology.Erode(mask, grown.Width, grown.Height, options.CloudOpening), grown.Width, grown.Height, options.CloudOpening);
            }

            if (options.CloudDilation > 0)
            {
                mask = Morphology.Dilate(mask, grown.Width, grown.Height, options.CloudDilation);
            }

            var result = new bool[src.PixelCount];
            for (int r = 0; r < src.Height; r++)
            {
                Array.Copy(mask, ((src.Y - y0 + r) * grown.Width) + (src.X - x0), result, r * src.Width, src.Width);
            }

            return result;
        }

        public void Dispose()
        {
            foreach (GeoTiffReader band in _bandFiles ?? [])
            {
                band.Dispose();
            }

            _saturation?.Dispose();
            _quality?.Dispose();
            _image.Dispose();
        }
    }
}
