namespace Inegi.UrbanGrowth.Raster;

/// <summary>The numeric type of a raster's samples (GDAL's data type names).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "GDAL's data type names, which users know.")]
public enum RasterSampleType
{
    /// <summary>Unsigned 8-bit integer.</summary>
    Byte,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,

    /// <summary>Signed 16-bit integer.</summary>
    Int16,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,

    /// <summary>Signed 32-bit integer.</summary>
    Int32,

    /// <summary>IEEE 754 single precision.</summary>
    Float32,

    /// <summary>IEEE 754 double precision.</summary>
    Float64,
}

/// <summary>The compression of a GeoTIFF's strips or tiles.</summary>
public enum RasterCompression
{
    /// <summary>No compression (TIFF code 1).</summary>
    None,

    /// <summary>Deflate / zlib (TIFF codes 8 and 32946).</summary>
    Deflate,

    /// <summary>Lempel-Ziv-Welch (TIFF code 5).</summary>
    Lzw,

    /// <summary>PackBits run-length (TIFF code 32773).</summary>
    PackBits,
}

/// <summary>Helpers for <see cref="RasterSampleType"/>.</summary>
public static class RasterSampleTypes
{
    /// <summary>Bytes per sample of a type.</summary>
    /// <param name="type">The sample type.</param>
    public static int SizeOf(RasterSampleType type) => type switch
    {
        RasterSampleType.Byte => 1,
        RasterSampleType.UInt16 or RasterSampleType.Int16 => 2,
        RasterSampleType.UInt32 or RasterSampleType.Int32 or RasterSampleType.Float32 => 4,
        RasterSampleType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown sample type."),
    };

    /// <summary>The sample type that a .NET type stands for (byte, ushort, short, uint, int, float, double).</summary>
    /// <typeparam name="T">The .NET type.</typeparam>
    /// <exception cref="ArgumentException">No sample type matches <typeparamref name="T"/>.</exception>
    public static RasterSampleType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            return RasterSampleType.Byte;
        }

        if (typeof(T) == typeof(ushort))
        {
            return RasterSampleType.UInt16;
        }

        if (typeof(T) == typeof(short))
        {
            return RasterSampleType.Int16;
        }

        if (typeof(T) == typeof(uint))
        {
            return RasterSampleType.UInt32;
        }

        if (typeof(T) == typeof(int))
        {
            return RasterSampleType.Int32;
        }

        if (typeof(T) == typeof(float))
        {
            return RasterSampleType.Float32;
        }

        if (typeof(T) == typeof(double))
        {
            return RasterSampleType.Float64;
        }

        throw new ArgumentException($"{typeof(T).Name} is not a raster sample type (byte, ushort, short, uint, int, float, double).", nameof(T));
    }
}

/// <summary>
/// What a GeoTIFF holds: size, bands, sample type, georeferencing, nodata and storage layout. Read from the file's
/// first image (overviews and masks in later directories are ignored).
/// </summary>
public sealed class RasterInfo
{
    /// <summary>Creates the description (the reader fills it; tests and in-memory sources may too).</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="bandCount">Bands (samples per pixel).</param>
    /// <param name="sampleType">Type of every sample.</param>
    /// <param name="geoTransform">Pixel-to-map transform (pixel-corner convention, as GDAL).</param>
    /// <param name="epsg">EPSG code of the CRS, or null when the file has none or a user-defined one.</param>
    /// <param name="noData">The GDAL_NODATA value, or null.</param>
    /// <param name="isTiled">Tiles (true) or strips (false).</param>
    /// <param name="blockWidth">Tile width, or the raster width for strips.</param>
    /// <param name="blockHeight">Tile height, or rows per strip.</param>
    /// <param name="compression">Compression of the blocks.</param>
    /// <param name="isBandInterleaved">True for PLANARCONFIG separate (one plane per band), false for pixel-interleaved.</param>
    /// <param name="isBigTiff">True for BigTIFF.</param>
    public RasterInfo(
        string path, int width, int height, int bandCount, RasterSampleType sampleType, GeoTransform geoTransform, int? epsg,
        double? noData, bool isTiled, int blockWidth, int blockHeight, RasterCompression compression, bool isBandInterleaved, bool isBigTiff)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockHeight);
        Path = path;
        Width = width;
        Height = height;
        BandCount = bandCount;
        SampleType = sampleType;
        GeoTransform = geoTransform;
        Epsg = epsg;
        NoData = noData;
        IsTiled = isTiled;
        BlockWidth = blockWidth;
        BlockHeight = blockHeight;
        Compression = compression;
        IsBandInterleaved = isBandInterleaved;
        IsBigTiff = isBigTiff;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>Number of bands.</summary>
    public int BandCount { get; }

    /// <summary>Type of every sample.</summary>
    public RasterSampleType SampleType { get; }

    /// <summary>Bytes per sample.</summary>
    public int BytesPerSample => RasterSampleTypes.SizeOf(SampleType);

    /// <summary>Pixel-to-map transform, pixel-corner convention (PixelIsPoint files are shifted by half a pixel, as GDAL does).</summary>
    public GeoTransform GeoTransform { get; }

    /// <summary>EPSG code of the projected CRS (ProjectedCSTypeGeoKey), else of the geographic CRS (GeographicTypeGeoKey); null when absent or user-defined.</summary>
    public int? Epsg { get; }

    /// <summary>The nodata value from GDAL_NODATA (applies to every band, as in GDAL), or null.</summary>
    public double? NoData { get; }

    /// <summary>True when the image is stored in tiles, false for strips.</summary>
    public bool IsTiled { get; }

    /// <summary>Tile width, or the raster width for strips.</summary>
    public int BlockWidth { get; }

    /// <summary>Tile height, or rows per strip.</summary>
    public int BlockHeight { get; }

    /// <summary>Compression of the blocks.</summary>
    public RasterCompression Compression { get; }

    /// <summary>True for band-planar storage (PLANARCONFIG separate), false for pixel-interleaved.</summary>
    public bool IsBandInterleaved { get; }

    /// <summary>True for BigTIFF (64-bit offsets).</summary>
    public bool IsBigTiff { get; }

    /// <summary>Whether the window lies inside the raster.</summary>
    /// <param name="window">The window.</param>
    public bool Contains(PixelWindow window) => window.IsInside(Width, Height);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Path}: {Width} x {Height} x {BandCount} {SampleType}, EPSG:{(Epsg?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}, {(IsTiled ? "tiles" : "strips")} {BlockWidth} x {BlockHeight}, {Compression}");
}

/// <summary>
/// A raster read by windows, never whole (SPEC 1.1). Destinations are band-planar: band <c>i</c> of the request
/// occupies <c>[i * w * h, (i + 1) * w * h)</c>, each plane row-major.
/// </summary>
public interface IRasterSource : IDisposable
{
    /// <summary>What the raster holds.</summary>
    RasterInfo Info { get; }

    /// <summary>Reads a window of some bands in the native sample type.</summary>
    /// <typeparam name="T">Must match <see cref="RasterInfo.SampleType"/> (byte, ushort, short, uint, int, float, double).</typeparam>
    /// <param name="window">Pixels to read; must lie inside the raster.</param>
    /// <param name="bands">0-based band indices, in destination order (repeats allowed).</param>
    /// <param name="destination">At least <c>bands.Length * window.PixelCount</c> values.</param>
    void Read<T>(PixelWindow window, ReadOnlySpan<int> bands, Span<T> destination) where T : unmanaged;

    /// <summary>Reads a window of some bands converted to float32 (the pipeline's common path).</summary>
    /// <param name="window">Pixels to read; must lie inside the raster.</param>
    /// <param name="bands">0-based band indices, in destination order.</param>
    /// <param name="destination">At least <c>bands.Length * window.PixelCount</c> values.</param>
    void ReadAsFloat(PixelWindow window, ReadOnlySpan<int> bands, Span<float> destination);
}
