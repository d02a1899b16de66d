using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// Which file band holds each of the six mosaic bands (blue, green, red, NIR, SWIR1, SWIR2), 0-based.
/// </summary>
public sealed class BandOrder
{
    private readonly int[] _bands;

    /// <summary>Creates an order from six 0-based file band indices, in blue..swir2 order.</summary>
    /// <param name="fileBands">Six 0-based band indices.</param>
    public BandOrder(IReadOnlyList<int> fileBands)
    {
        ArgumentNullException.ThrowIfNull(fileBands);
        if (fileBands.Count != StandardChannels.BandCount)
        {
            throw new ArgumentException($"A band order names {StandardChannels.BandCount} bands (blue..swir2), not {fileBands.Count}.", nameof(fileBands));
        }

        _bands = [.. fileBands];
        foreach (int b in _bands)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(b, nameof(fileBands));
        }
    }

    /// <summary>Bands 1..6 of the file are blue..swir2 (the default).</summary>
    public static BandOrder Default { get; } = new([0, 1, 2, 3, 4, 5]);

    /// <summary>A Landsat 8/9 OLI stack holding bands B1..B7 in order: blue..swir2 are file bands 2..7.</summary>
    public static BandOrder LandsatOliB1ToB7 { get; } = new([1, 2, 3, 4, 5, 6]);

    /// <summary>0-based file band of each mosaic band, blue..swir2.</summary>
    public IReadOnlyList<int> FileBands => _bands;

    internal ReadOnlySpan<int> Span => _bands;

    /// <summary>Creates an order from 1-based band numbers, as GDAL numbers bands.</summary>
    /// <param name="blue">Band number of blue.</param>
    /// <param name="green">Band number of green.</param>
    /// <param name="red">Band number of red.</param>
    /// <param name="nir">Band number of NIR.</param>
    /// <param name="swir1">Band number of SWIR1.</param>
    /// <param name="swir2">Band number of SWIR2.</param>
    public static BandOrder FromBandNumbers(int blue, int green, int red, int nir, int swir1, int swir2) =>
        new([blue - 1, green - 1, red - 1, nir - 1, swir1 - 1, swir2 - 1]);

    /// <inheritdoc/>
    public override string ToString() => string.Join(',', _bands.Select(b => (b + 1).ToString(CultureInfo.InvariantCulture)));
}

/// <summary>Options of <see cref="Mosaic"/>.</summary>
public sealed record MosaicOptions
{
    /// <summary>For a multi-band file, which file band holds each of blue..swir2 (default bands 1..6).</summary>
    public BandOrder BandOrder { get; init; } = BandOrder.Default;

    /// <summary>Nodata value that overrides the files' GDAL_NODATA (SPEC 1.1).</summary>
    public double? NoData { get; init; }

    /// <summary>Reader options (cache size, parallel decoders) for each file.</summary>
    public GeoTiffReaderOptions? ReaderOptions { get; init; }
}

/// <summary>
/// The six-band surface-reflectance mosaic of SPEC 1.1: one multi-band GeoTIFF or six single-band GeoTIFFs on the
/// same grid, read by windows as raw digital numbers in blue, green, red, NIR, SWIR1, SWIR2 order.
/// Thread-safe for concurrent reads.
/// </summary>
public sealed class Mosaic : IDisposable
{
    // GeoTIFFs, or VRT mosaics of GeoTIFF tiles (VrtRaster).
    private readonly IRasterSource[] _readers;
    private readonly int[] _fileBand;
    private readonly IRasterSource[] _bandReader;

    private Mosaic(IRasterSource[] readers, IRasterSource[] bandReader, int[] fileBand, double? noData)
    {
        _readers = readers;
        _bandReader = bandReader;
        _fileBand = fileBand;
        NoData = noData;
        RasterInfo first = readers[0].Info;
        Info = first;
    }

    /// <summary>The first file's description (size, geotransform, EPSG, sample type, layout), shared by every file.</summary>
    public RasterInfo Info { get; }

    /// <summary>Columns.</summary>
    public int Width => Info.Width;

    /// <summary>Rows.</summary>
    public int Height => Info.Height;

    /// <summary>Pixel-to-map transform.</summary>
    public GeoTransform GeoTransform => Info.GeoTransform;

    /// <summary>EPSG code of the CRS, or null.</summary>
    public int? Epsg => Info.Epsg;

    /// <summary>Sample type of the digital numbers.</summary>
    public RasterSampleType SampleType => Info.SampleType;

    /// <summary>The nodata value (option, else the first file's GDAL_NODATA), or null when the mosaic has none.</summary>
    public double? NoData { get; }

    /// <summary>The files, one or six.</summary>
    public IReadOnlyList<string> Paths => [.. _readers.Select(r => r.Info.Path)];

    /// <summary>Opens a multi-band mosaic file.</summary>
    /// <param name="path">A GeoTIFF, or a GDAL VRT mosaic of GeoTIFF tiles (<see cref="VrtRaster"/>), with at least the bands named by the band order.</param>
    /// <param name="options">Band order, nodata and reader options.</param>
    /// <exception cref="DataFileException">The file cannot be read or lacks a band.</exception>
    public static Mosaic Open(string path, MosaicOptions? options = null)
    {
        options ??= new MosaicOptions();
        IRasterSource reader = VrtRaster.OpenRaster(path, options.ReaderOptions);
        try
        {
            CheckSampleType(reader.Info);
            int[] fileBand = [.. options.BandOrder.Span];
            foreach (int b in fileBand)
            {
                if (b >= reader.Info.BandCount)
                {
                    throw new DataFileException(path, $"has {reader.Info.BandCount} bands but the band order {options.BandOrder} asks for band {b + 1}");
                }
            }

            var bandReader = new IRasterSource[StandardChannels.BandCount];
            Array.Fill(bandReader, reader);
            return new Mosaic([reader], bandReader, fileBand, options.NoData ?? reader.Info.NoData);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Opens six single-band files, given in blue, green, red, NIR, SWIR1, SWIR2 order.</summary>
    /// <param name="bandPaths">Six GeoTIFFs on the same grid (same size, geotransform, EPSG and sample type).</param>
    /// <param name="options">Nodata and reader options (the band order does not apply: the list is the order).</param>
    /// <exception cref="DataFileException">A file cannot be read or does not match the first one; the message names it.</exception>
    public static Mosaic Open(IReadOnlyList<string> bandPaths, MosaicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bandPaths);
        if (bandPaths.Count == 1)
        {
            return Open(bandPaths[0], options);
        }

        if (bandPaths.Count != StandardChannels.BandCount)
        {
            throw new ArgumentException($"A mosaic is one multi-band file or {StandardChannels.BandCount} single-band files, not {bandPaths.Count}.", nameof(bandPaths));
        }

        options ??= new MosaicOptions();
        var readers = new List<IRasterSource>();
        try
        {
            foreach (string p in bandPaths)
            {
                IRasterSource r = VrtRaster.OpenRaster(p, options.ReaderOptions);
                readers.Add(r);
                RasterInfo a = readers[0].Info, b = r.Info;
                CheckSampleType(b);
                string? problem =
                    b.Width != a.Width || b.Height != a.Height ? $"size {b.Width} x {b.Height} differs from {a.Width} x {a.Height} of {a.Path}"
                    : !RasterGrids.SameTransform(a.GeoTransform, b.GeoTransform) ? $"geotransform ({string.Join(", ", b.GeoTransform.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}) differs from that of {a.Path}"
                    : a.Epsg != b.Epsg ? $"EPSG:{Code(b.Epsg)} differs from EPSG:{Code(a.Epsg)} of {a.Path}"
                    : a.SampleType != b.SampleType ? $"sample type {b.SampleType} differs from {a.SampleType} of {a.Path}"
                    : null;
                if (problem is not null)
                {
                    throw new DataFileException(p, problem);
                }
            }

            IRasterSource[] all = [.. readers];
            return new Mosaic(all, all, new int[StandardChannels.BandCount], options.NoData ?? all[0].Info.NoData);
        }
        catch
        {
            foreach (IRasterSource r in readers)
            {
                r.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads the six bands of a window as raw digital numbers converted to float32.</summary>
    /// <param name="window">Pixels to read; must lie inside the mosaic.</param>
    /// <param name="sixBandPlanes">At least <c>6 * window.PixelCount</c> values; band b (blue..swir2) fills plane b, row-major.</param>
    /// <exception cref="DataFileException">The window leaves the mosaic, or a block cannot be decoded.</exception>
    public void Read(PixelWindow window, Span<float> sixBandPlanes)
    {
        long plane = window.PixelCount;
        if (sixBandPlanes.Length < plane * StandardChannels.BandCount)
        {
            throw new ArgumentException($"The destination holds {sixBandPlanes.Length} values; six bands of {window.Width} x {window.Height} need {plane * StandardChannels.BandCount}.", nameof(sixBandPlanes));
        }

        if (_readers.Length == 1)
        {
            _readers[0].ReadAsFloat(window, _fileBand, sixBandPlanes);
            return;
        }

        ReadOnlySpan<int> band0 = [0];
        for (int b = 0; b < StandardChannels.BandCount; b++)
        {
            _bandReader[b].ReadAsFloat(window, band0, sixBandPlanes.Slice((int)(b * plane), (int)plane));
        }
    }

    /// <summary>Whether any value equals the nodata value (NaN matches NaN). False when the mosaic has no nodata value.</summary>
    /// <param name="values">Values read by <see cref="Read"/>.</param>
    public bool ContainsNoData(ReadOnlySpan<float> values)
    {
        if (NoData is not { } nd)
        {
            return false;
        }

        if (double.IsNaN(nd))
        {
            foreach (float v in values)
            {
                if (float.IsNaN(v))
                {
                    return true;
                }
            }

            return false;
        }

        return ContainsValue(values, (float)nd);
    }

    /// <summary>Whether <paramref name="values"/> holds <paramref name="target"/> (IEEE equality, as <c>==</c>).</summary>
    /// <remarks>
    /// <c>MemoryExtensions.Contains</c> walks float spans one value at a time (float equality is not bitwise, so it is
    /// not vectorised): 4% of <c>urban classify</c>'s CPU went to this check of every cell's 6 x 1,089 values.
    /// </remarks>
    internal static bool ContainsValue(ReadOnlySpan<float> values, float target)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            Vector256<float> t = Vector256.Create(target);
            ref float start = ref MemoryMarshal.GetReference(values);
            int last = values.Length - Vector256<float>.Count;
            for (; i <= last; i += Vector256<float>.Count)
            {
                if (Vector256.EqualsAny(Vector256.LoadUnsafe(ref start, (nuint)i), t))
                {
                    return true;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] == target)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any band holds nodata anywhere in the window (reads the window).</summary>
    /// <param name="window">Pixels to test; must lie inside the mosaic.</param>
    public bool ContainsNoData(PixelWindow window)
    {
        if (!Info.Contains(window))
        {
            throw new DataFileException(Info.Path, string.Create(CultureInfo.InvariantCulture,
                $"window (x {window.X}, y {window.Y}, {window.Width} x {window.Height}) is not inside the {Info.Width} x {Info.Height} raster"));
        }

        if (NoData is null)
        {
            return false;
        }

        int length = checked((int)window.PixelCount * StandardChannels.BandCount);
        float[] buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Read(window, buffer.AsSpan(0, length));
            return ContainsNoData(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether a window is complete (SPEC 1.2): inside the mosaic and without nodata in any band.</summary>
    /// <param name="window">The window.</param>
    public bool IsComplete(PixelWindow window) => Info.Contains(window) && !ContainsNoData(window);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IRasterSource r in _readers)
        {
            r.Dispose();
        }
    }

    private static void CheckSampleType(RasterInfo info)
    {
        if (info.SampleType is not (RasterSampleType.UInt16 or RasterSampleType.Int16 or RasterSampleType.Float32 or RasterSampleType.Byte))
        {
            throw new DataFileException(info.Path, $"mosaic samples must be UInt16, Int16, Float32 or Byte, not {info.SampleType}");
        }
    }

    private static string Code(int? epsg) => epsg?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
