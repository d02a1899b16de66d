namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>
/// A seeded synthetic national-style scene: multi-year 6-band mosaics at 30 m, the 1 km label grid of each year and a
/// zone raster, all rendered on demand by windows or rows. No file I/O: the caller writes the arrays.
/// </summary>
/// <remarks>
/// <para>Construction precomputes everything that is global to the scene (cities, roads, a spatial index of both,
/// the undefined-cell mask, zones, nodata gaps). Pixels are then a pure function of (seed, year, column, row):
/// hash-based value noise, no sequential random stream, so any window tiling and any thread count give the same
/// bytes. The model, the label rule and the endmember sources are described in docs/synthetic.md.</para>
/// <para>Label rule: a cell is urban (1) when the mean built-up abundance of the mosaic pixels whose centres fall in
/// its footprint is at least <see cref="SyntheticSceneOptions.BuiltUpThreshold"/>; undefined (255) in the
/// "no census data" blobs; non-urban (0) otherwise. The built-up abundance is the impervious + bright-roof abundance
/// that is mixed into those very pixels (<see cref="RenderBuiltUp"/>).</para>
/// <para>Instances are immutable after construction and thread-safe.</para>
/// </remarks>
public sealed partial class SyntheticScene
{
    /// <summary>Number of bands of the mosaic (Blue, Green, Red, NIR, SWIR1, SWIR2).</summary>
    public const int BandCount = 6;

    /// <summary>Reflectance = DN * <see cref="ReflectanceScale"/> (offset 0).</summary>
    public const double ReflectanceScale = 0.0001;

    /// <summary>Value of nodata mosaic pixels, in every band. Valid pixels never hold it in any band.</summary>
    public const ushort NoDataValue = 0;

    private readonly SyntheticSceneOptions _options;
    private readonly int[] _years;
    private readonly double _px;
    private readonly double _cs;
    private readonly double _offX;
    private readonly double _offY;
    private readonly byte[] _undefined;
    private readonly ushort[] _zones;
    private readonly Lazy<float[]>[] _fractions;
    private readonly SyntheticCity[] _cities;

    /// <summary>Creates a scene and precomputes its cities, roads, zones and undefined mask.</summary>
    /// <param name="options">Settings; null gives the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public SyntheticScene(SyntheticSceneOptions? options = null)
    {
        _options = options ?? new SyntheticSceneOptions();
        Validate(_options);
        _years = [.. _options.Years];
        _px = _options.PixelSizeMeters;
        _cs = _options.CellSizeMeters;

        // The grid's corner sits a non-integer number of pixels inside the mosaic (3.43 and 3.23 pixels: 103 m and
        // 97 m for 30 m pixels) so that no cell edge falls on a pixel edge.
        _offX = Math.Round(3.43 * _px);
        _offY = Math.Round(3.23 * _px);
        GridWidth = _options.CellsX;
        GridHeight = _options.CellsY;

        // Left, top and bottom margins keep every border patch complete; the right edge stops 0.2 cell short of the
        // grid, so the patches of the last column of cells leave the mosaic (incomplete cells, SPEC 1.2).
        MosaicWidth = (int)Math.Floor((_offX + GridWidth * _cs - 0.2 * _cs) / _px);
        MosaicHeight = (int)Math.Ceiling((_offY + GridHeight * _cs + 3 * _px) / _px);
        GridTransform = GeoTransform.NorthUp(_options.GridOriginX, _options.GridOriginY, _cs);
        MosaicTransform = GeoTransform.NorthUp(_options.GridOriginX - _offX, _options.GridOriginY + _offY, _px);

        var rng = new SceneRandom(((ulong)(uint)_options.Seed << 16) ^ 0x5EED_0F_C17E5UL);
        _seedSalt = Hashing.Mix((uint)_options.Seed ^ 0xA511E9B3u);
        InitNoise(rng);
        _cities = CalibrateCities(DrawCities(rng), rng);
        _strips = CreateStrips(rng);
        _undefined = CreateUndefinedMask();
        _zones = CreateZones(rng);
        _fractions = new Lazy<float[]>[_years.Length];
        for (int y = 0; y < _years.Length; y++)
        {
            int yi = y;
            _fractions[y] = new Lazy<float[]>(() => (yi == 0 ? _calibratedFirstYear : null) ?? ComputeFractions(yi), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <summary>The settings the scene was built from.</summary>
    public SyntheticSceneOptions Options => _options;

    /// <summary>The rendered years, increasing.</summary>
    public IReadOnlyList<int> Years => _years;

    /// <summary>EPSG code of the CRS of every raster (6372 by default).</summary>
    public int Epsg => _options.Epsg;

    /// <summary>Mosaic width in pixels.</summary>
    public int MosaicWidth { get; }

    /// <summary>Mosaic height in pixels.</summary>
    public int MosaicHeight { get; }

    /// <summary>Geotransform of the mosaic (30 m pixels, north-up).</summary>
    public GeoTransform MosaicTransform { get; }

    /// <summary>Number of grid columns.</summary>
    public int GridWidth { get; }

    /// <summary>Number of grid rows.</summary>
    public int GridHeight { get; }

    /// <summary>Geotransform of the 1 km grid (labels and zones).</summary>
    public GeoTransform GridTransform { get; }

    /// <summary>The cities and towns, largest first.</summary>
    public IReadOnlyList<SyntheticCity> Cities => _cities;

    /// <summary>Number of roads (segments between city centres).</summary>
    public int RoadCount => _roadAx.Length;

    /// <summary>Number of grid cells labelled undefined (the same every year).</summary>
    public int UndefinedCellCount { get; private set; }

    /// <summary>Writes the labels of one grid row for a year: 0 non-urban, 1 urban, 255 undefined.</summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="gridRow">Grid row, 0 at the top.</param>
    /// <param name="rowLabels">At least <see cref="GridWidth"/> bytes.</param>
    /// <remarks>The first call for a year computes the built-up fraction of every cell of that year (in parallel).</remarks>
    public void RenderLabels(int year, int gridRow, Span<byte> rowLabels)
    {
        float[] fractions = Fractions(year);
        ArgumentOutOfRangeException.ThrowIfNegative(gridRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gridRow, GridHeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowLabels.Length, GridWidth, nameof(rowLabels));
        float threshold = (float)_options.BuiltUpThreshold;
        int start = gridRow * GridWidth;
        for (int c = 0; c < GridWidth; c++)
        {
            rowLabels[c] = _undefined[start + c] != 0 ? UrbanClass.Undefined
                : fractions[start + c] >= threshold ? UrbanClass.Urban : UrbanClass.NonUrban;
        }
    }

    /// <summary>Writes the zone ids (1 .. <see cref="SyntheticSceneOptions.ZoneCount"/>) of one grid row.</summary>
    /// <param name="gridRow">Grid row, 0 at the top.</param>
    /// <param name="rowZones">At least <see cref="GridWidth"/> values.</param>
    /// <remarks>Zones are a Voronoi partition of the grid around random seeds, with borders bent by noise ("states").</remarks>
    public void RenderZones(int gridRow, Span<ushort> rowZones)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gridRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gridRow, GridHeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowZones.Length, GridWidth, nameof(rowZones));
        _zones.AsSpan(gridRow * GridWidth, GridWidth).CopyTo(rowZones);
    }

    /// <summary>The built-up fraction of a cell in a year: mean built-up abundance of the pixels whose centres lie in the cell.</summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="cellColumn">Grid column.</param>
    /// <param name="cellRow">Grid row.</param>
    public double BuiltUpFraction(int year, int cellColumn, int cellRow)
    {
        float[] fractions = Fractions(year);
        ArgumentOutOfRangeException.ThrowIfNegative(cellColumn);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cellColumn, GridWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(cellRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cellRow, GridHeight);
        return fractions[cellRow * GridWidth + cellColumn];
    }

    /// <summary>Number of cells labelled urban in a year.</summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    public int UrbanCellCount(int year)
    {
        float[] fractions = Fractions(year);
        float threshold = (float)_options.BuiltUpThreshold;
        int n = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            if (_undefined[i] == 0 && fractions[i] >= threshold)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The mosaic pixel that contains a cell's centre (the centre of its 33 x 33 patch, SPEC 1.2).</summary>
    /// <param name="cellColumn">Grid column.</param>
    /// <param name="cellRow">Grid row.</param>
    public (int Column, int Row) CellCenterPixel(int cellColumn, int cellRow) =>
        ((int)Math.Floor((_offX + (cellColumn + 0.5) * _cs) / _px), (int)Math.Floor((_offY + (cellRow + 0.5) * _cs) / _px));

    /// <summary>Whether a cell's 33 x 33 patch lies inside the mosaic and holds no nodata pixel in a year.</summary>
    /// <param name="year">One of <see cref="Years"/>.</param>
    /// <param name="cellColumn">Grid column.</param>
    /// <param name="cellRow">Grid row.</param>
    public bool IsPatchComplete(int year, int cellColumn, int cellRow)
    {
        int yi = YearIndex(year);
        var (cx, cy) = CellCenterPixel(cellColumn, cellRow);
        var window = new PixelWindow(cx - PatchGeometry.HalfSize, cy - PatchGeometry.HalfSize, PatchGeometry.Size, PatchGeometry.Size);
        if (!window.IsInside(MosaicWidth, MosaicHeight))
        {
            return false;
        }

        for (int j = window.Y; j < window.Bottom; j++)
        {
            for (int i = window.X; i < window.Right; i++)
            {
                if (IsNoData(yi, i, j))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private int YearIndex(int year)
    {
        int yi = Array.IndexOf(_years, year);
        if (yi < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"Year {year} is not one of the scene's years ({string.Join(", ", _years)}).");
        }

        return yi;
    }

    private float[] Fractions(int year) => _fractions[YearIndex(year)].Value;

    private static void Validate(SyntheticSceneOptions options)
    {
        SyntheticSceneOptions o = options;
        if (o.CellsX < 4 || o.CellsX > 5000)
        {
            throw new ArgumentException($"options.CellsX must be 4 .. 5000, got {o.CellsX}.", nameof(options));
        }

        if (o.CellsY < 4 || o.CellsY > 5000)
        {
            throw new ArgumentException($"options.CellsY must be 4 .. 5000, got {o.CellsY}.", nameof(options));
        }

        if (o.Years is null || o.Years.Count == 0)
        {
            throw new ArgumentException("options.Years must hold at least one year.", nameof(options));
        }

        for (int i = 1; i < o.Years.Count; i++)
        {
            if (o.Years[i] <= o.Years[i - 1])
            {
                throw new ArgumentException("options.Years must be strictly increasing.", nameof(options));
            }
        }

        if (!(o.UrbanFraction > 0 && o.UrbanFraction <= 0.2))
        {
            throw new ArgumentException($"options.UrbanFraction must be in (0, 0.2], got {o.UrbanFraction}.", nameof(options));
        }

        if (!(o.UndefinedFraction >= 0 && o.UndefinedFraction <= 0.5))
        {
            throw new ArgumentException($"options.UndefinedFraction must be in [0, 0.5], got {o.UndefinedFraction}.", nameof(options));
        }

        if (!(o.BuiltUpThreshold > 0 && o.BuiltUpThreshold < 0.9))
        {
            throw new ArgumentException($"options.BuiltUpThreshold must be in (0, 0.9), got {o.BuiltUpThreshold}.", nameof(options));
        }

        if (!(o.PixelSizeMeters > 0) || !double.IsFinite(o.PixelSizeMeters))
        {
            throw new ArgumentException($"options.PixelSizeMeters must be positive, got {o.PixelSizeMeters}.", nameof(options));
        }

        if (!(o.CellSizeMeters >= PatchGeometry.Size * o.PixelSizeMeters) || !double.IsFinite(o.CellSizeMeters))
        {
            throw new ArgumentException($"options.CellSizeMeters must be at least 33 pixels, got {o.CellSizeMeters}.", nameof(options));
        }

        if ((o.CellsX * o.CellSizeMeters / o.PixelSizeMeters) > 200_000 || (o.CellsY * o.CellSizeMeters / o.PixelSizeMeters) > 200_000)
        {
            throw new ArgumentException("options.CellsX / CellsY: the mosaic would exceed 200,000 pixels on a side.", nameof(options));
        }

        if (o.ZoneCount < 1 || o.ZoneCount > 1000)
        {
            throw new ArgumentException($"options.ZoneCount must be 1 .. 1000, got {o.ZoneCount}.", nameof(options));
        }

        if (o.Epsg <= 0)
        {
            throw new ArgumentException($"options.Epsg must be positive, got {o.Epsg}.", nameof(options));
        }
    }
}
