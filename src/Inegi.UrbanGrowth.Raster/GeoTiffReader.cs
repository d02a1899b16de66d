using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>Options of <see cref="GeoTiffReader.Open(string, GeoTiffReaderOptions?)"/>.</summary>
public sealed record GeoTiffReaderOptions
{
    /// <summary>
    /// Bytes of decoded blocks kept in the LRU cache. Null (default) sizes it to hold two full rows of blocks
    /// (so a scan in bands of 33 rows decodes each block once), at least 16 MiB and at most 1 GiB. 0 disables it.
    /// </summary>
    public long? BlockCacheBytes { get; init; }

    /// <summary>Most LibTiff handles opened on the file at once, i.e. blocks decoded in parallel (default: processor count).</summary>
    public int MaxConcurrentDecoders { get; init; } = Environment.ProcessorCount;

    /// <summary>When true (default), a file without georeferencing is refused; when false it gets GDAL's default transform (0, 1, 0, 0, 0, 1).</summary>
    public bool RequireGeoreferencing { get; init; } = true;

    /// <summary>Nodata value that overrides the file's GDAL_NODATA tag (SPEC 1.1 "or from an option").</summary>
    public double? NoDataOverride { get; init; }

    /// <summary>
    /// When true (default), the blocks a window needs that are not cached are decoded in parallel (up to
    /// <see cref="MaxConcurrentDecoders"/>) before the window is copied; the values are the same either way.
    /// </summary>
    public bool ParallelWindowDecode { get; init; } = true;

    /// <summary>The reader as it was before issue 21 (LibTiff.NET decoders, Deflate through a stream): benchmarks' and tests' baseline.</summary>
    internal bool LegacyDecoding { get; init; }

    /// <summary>False forces the runtime's zlib-ng even where libdeflate is available (benchmarks, tests).</summary>
    internal bool UseLibDeflate { get; init; } = true;
}

/// <summary>
/// Reads GeoTIFFs by windows: strips or tiles, pixel- or band-interleaved, uncompressed, Deflate, LZW or PackBits
/// with any predictor, classic or BigTIFF, either byte order; Byte, UInt16, Int16, UInt32, Int32, Float32, Float64.
/// Thread-safe: several threads may read windows at once.
/// </summary>
/// <remarks>
/// Only the blocks a window touches are decoded, each by one of a small pool of LibTiff handles (one per
/// concurrent decoder), into buffers from <see cref="ArrayPool{T}.Shared"/> that an LRU cache bounded in bytes
/// keeps for the next windows. Georeferencing follows GDAL: ModelTiepoint + ModelPixelScale, else
/// ModelTransformation; a PixelIsPoint raster (GTRasterTypeGeoKey = 2) is shifted by half a pixel up-left so
/// that the transform always refers to pixel corners.
/// </remarks>
public sealed partial class GeoTiffReader : IRasterSource
{
    private const int MaxHandles = 64;
    private readonly ConcurrentBag<Tiff> _idle = [];
    private readonly SemaphoreSlim _handleSlots;
    private readonly BlockCache _cache;
    private readonly int _blocksAcross;
    private readonly int _blocksDown;
    private readonly int _rowsPerStrip;
    private readonly int _samplesPerBlockPixel;
    private readonly int _bytesPerSample;
    private readonly bool _nativeDeflate;
    private readonly bool _legacy;
    private readonly bool _parallelWindowDecode;
    private readonly int _maxDecoders;
    private readonly bool _useLibDeflate;
    private readonly BlockLayout _layout;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _file;
    private readonly int _predictor;
    private readonly bool _swapBytes;
    private int _disposed;

    /// <summary>Which blocks are absent from the file (byte count or offset 0), or null when all are present.</summary>
    private readonly bool[]? _sparse;

    private GeoTiffReader(RasterInfo info, Tiff first, GeoTiffReaderOptions options)
    {
        Info = info;
        _bytesPerSample = info.BytesPerSample;
        _samplesPerBlockPixel = info.IsBandInterleaved ? 1 : info.BandCount;
        _blocksAcross = (int)(((long)info.Width + info.BlockWidth - 1) / info.BlockWidth);
        _blocksDown = (int)(((long)info.Height + info.BlockHeight - 1) / info.BlockHeight);
        _rowsPerStrip = info.BlockHeight;
        int handles = Math.Clamp(options.MaxConcurrentDecoders, 1, MaxHandles);
        _handleSlots = new SemaphoreSlim(handles, handles);
        _maxDecoders = handles;
        long rowOfBlocks = (long)info.BlockWidth * info.BlockHeight * _bytesPerSample * info.BandCount * _blocksAcross;
        long capacity = options.BlockCacheBytes ?? Math.Clamp(2 * rowOfBlocks, 16L << 20, 1L << 30);
        _cache = new BlockCache(capacity);
        _predictor = LibTiffGlue.GetInt(first, TiffTag.PREDICTOR, 1);
        _swapBytes = first.IsBigEndian() == BitConverter.IsLittleEndian && _bytesPerSample > 1;
        _nativeDeflate = info.Compression == RasterCompression.Deflate && _predictor is 1 or 2;
        _sparse = SparseBlocks(first, info.IsTiled, out long[]? offsets, out long[]? byteCounts);
        _legacy = options.LegacyDecoding;
        _parallelWindowDecode = options.ParallelWindowDecode && !options.LegacyDecoding && handles > 1;
        _useLibDeflate = options.UseLibDeflate;
        _layout = ChooseLayout(info, _predictor, offsets, byteCounts);
        if (_layout.Kind != BlockCodec.LibTiff)
        {
            _file = File.OpenHandle(info.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }

        _idle.Add(first);
    }

    /// <summary>What the raster holds.</summary>
    public RasterInfo Info { get; }

    /// <summary>Capacity of the decoded-block cache in bytes.</summary>
    public long BlockCacheBytes => _cache.CapacityBytes;

    /// <summary>Blocks decoded since the file was opened (each cache miss).</summary>
    public long BlocksDecoded => Interlocked.Read(ref _cache.Misses);

    /// <summary>Opens a GeoTIFF and reads its description.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Cache, concurrency and georeferencing options.</param>
    /// <exception cref="DataFileException">The file is missing, not a TIFF, of an unsupported layout, or not georeferenced.</exception>
    public static GeoTiffReader Open(string path, GeoTiffReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new GeoTiffReaderOptions();
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        if (new FileInfo(path).Length < 8)
        {
            throw new DataFileException(path, "file is empty or too short to be a TIFF");
        }

        TiffDirectoryCheck.Validate(path);
        Tiff tiff = LibTiffGlue.Open(path, "r");
        try
        {
            RasterInfo info = Describe(path, tiff, options);
            return new GeoTiffReader(info, tiff, options);
        }
        catch
        {
            tiff.Dispose();
            throw;
        }
    }

    /// <summary>Reads only the description of a GeoTIFF.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Georeferencing options.</param>
    public static RasterInfo ReadInfo(string path, GeoTiffReaderOptions? options = null)
    {
        using GeoTiffReader reader = Open(path, options);
        return reader.Info;
    }

    /// <inheritdoc/>
    public void Read<T>(PixelWindow window, ReadOnlySpan<int> bands, Span<T> destination) where T : unmanaged
    {
        RasterSampleType requested = RasterSampleTypes.Of<T>();
        if (requested != Info.SampleType)
        {
            throw new ArgumentException($"{Info.Path} holds {Info.SampleType} samples; read it as {Info.SampleType} or with ReadAsFloat, not as {typeof(T).Name}.", nameof(destination));
        }

        ReadCore<T, NativeCopier<T>>(window, bands, destination);
    }

    /// <inheritdoc/>
    public void ReadAsFloat(PixelWindow window, ReadOnlySpan<int> bands, Span<float> destination) =>
        ReadCore<float, FloatCopier>(window, bands, destination);

    /// <summary>Reads a window of every band in the native type.</summary>
    /// <typeparam name="T">The native sample type.</typeparam>
    /// <param name="window">Pixels to read.</param>
    /// <param name="destination">At least <c>BandCount * window.PixelCount</c> values, band-planar.</param>
    public void Read<T>(PixelWindow window, Span<T> destination) where T : unmanaged => Read(window, AllBands(), destination);

    /// <summary>Reads a window of every band as float32.</summary>
    /// <param name="window">Pixels to read.</param>
    /// <param name="destination">At least <c>BandCount * window.PixelCount</c> values, band-planar.</param>
    public void ReadAsFloat(PixelWindow window, Span<float> destination) => ReadAsFloat(window, AllBands(), destination);

    /// <summary>
    /// Reads one whole band in its native sample type: for rasters on the 1 km cell grid (labels, maps, zones; a
    /// country is a few MB), never for a mosaic, which is read by windows.
    /// </summary>
    /// <typeparam name="T">The native sample type (<c>byte</c> for a Byte raster, <c>ushort</c> for UInt16, ...).</typeparam>
    /// <param name="band">0-based band.</param>
    /// <returns>Width x Height values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such band.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the raster's sample type.</exception>
    /// <exception cref="DataFileException">The band has more pixels than an array holds.</exception>
    public T[] ReadBand<T>(int band = 0) where T : unmanaged
    {
        T[] values = new T[BandPixelCount(band)];
        Read(new PixelWindow(0, 0, Info.Width, Info.Height), [band], values.AsSpan());
        return values;
    }

    /// <summary>Reads one whole band converted to float32 (any sample type; see <see cref="ReadBand{T}(int)"/> for the size).</summary>
    /// <param name="band">0-based band.</param>
    /// <returns>Width x Height values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such band.</exception>
    /// <exception cref="DataFileException">The band has more pixels than an array holds.</exception>
    public float[] ReadBandAsFloat(int band = 0)
    {
        float[] values = new float[BandPixelCount(band)];
        ReadAsFloat(new PixelWindow(0, 0, Info.Width, Info.Height), [band], values);
        return values;
    }

    /// <summary>Opens a raster, reads one whole band in its native sample type (<see cref="ReadBand{T}(int)"/>) and closes it.</summary>
    /// <typeparam name="T">The native sample type.</typeparam>
    /// <param name="path">The raster.</param>
    /// <param name="band">0-based band.</param>
    /// <returns>Width x Height values, row-major.</returns>
    public static T[] ReadBand<T>(string path, int band = 0) where T : unmanaged
    {
        using GeoTiffReader reader = Open(path);
        return reader.ReadBand<T>(band);
    }

    private int BandPixelCount(int band)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Info.BandCount);
        long pixels = (long)Info.Width * Info.Height;
        return pixels <= Array.MaxLength
            ? (int)pixels
            : throw new DataFileException(Info.Path, $"a band of {Info.Width} x {Info.Height} pixels is too large to read whole; read it by windows");
    }

    /// <summary>Reads every band of the whole raster as float32 (small rasters only).</summary>
    public float[] ReadAllAsFloat()
    {
        var result = new float[checked((long)Info.Width * Info.Height * Info.BandCount)];
        ReadAsFloat(new PixelWindow(0, 0, Info.Width, Info.Height), result);
        return result;
    }

    /// <summary>Drops the decoded blocks kept in the cache.</summary>
    public void ClearCache() => _cache.Clear();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out Tiff? t))
        {
            t.Dispose();
        }

        _cache.Clear();
        _handleSlots.Dispose();
        _file?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Info.ToString();

    private ReadOnlySpan<int> AllBands()
    {
        int n = Info.BandCount;
        return n <= BandIndexCache.Length ? BandIndexCache.AsSpan(0, n) : Enumerable.Range(0, n).ToArray();
    }

    private static readonly int[] BandIndexCache = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private void ReadCore<TOut, TCopier>(PixelWindow window, ReadOnlySpan<int> bands, Span<TOut> destination)
        where TOut : unmanaged
        where TCopier : struct, IRowCopier<TOut>
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!Info.Contains(window))
        {
            throw new DataFileException(Info.Path, string.Create(CultureInfo.InvariantCulture,
                $"window (x {window.X}, y {window.Y}, {window.Width} x {window.Height}) is not inside the {Info.Width} x {Info.Height} raster"));
        }

        if (bands.IsEmpty)
        {
            throw new ArgumentException("At least one band is needed.", nameof(bands));
        }

        foreach (int b in bands)
        {
            if ((uint)b >= (uint)Info.BandCount)
            {
                throw new ArgumentOutOfRangeException(nameof(bands), b, $"{Info.Path} has bands 0..{Info.BandCount - 1}.");
            }
        }

        long planeLength = window.PixelCount;
        if (destination.Length < planeLength * bands.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {bands.Length} bands of {window.Width} x {window.Height} need {planeLength * bands.Length}.", nameof(destination));
        }

        int bw = Info.BlockWidth, bh = Info.BlockHeight;
        int firstBy = window.Y / bh, lastBy = (window.Bottom - 1) / bh;
        int firstBx = window.X / bw, lastBx = (window.Right - 1) / bw;
        if (_parallelWindowDecode && (lastBy > firstBy || lastBx > firstBx || (Info.IsBandInterleaved && bands.Length > 1)))
        {
            DecodeMissingInParallel(bands, firstBx, lastBx, firstBy, lastBy);
        }

        int rowBytes = bw * _samplesPerBlockPixel * _bytesPerSample;
        for (int by = firstBy; by <= lastBy; by++)
        {
            int blockY0 = by * bh;
            int y0 = Math.Max(window.Y, blockY0), y1 = Math.Min(window.Bottom, blockY0 + bh);
            for (int bx = firstBx; bx <= lastBx; bx++)
            {
                int blockX0 = bx * bw;
                int x0 = Math.Max(window.X, blockX0), x1 = Math.Min(window.Right, blockX0 + bw);
                int count = x1 - x0;
                if (Info.IsBandInterleaved)
                {
                    for (int i = 0; i < bands.Length; i++)
                    {
                        BlockCache.Entry block = Acquire(bands[i], bx, by);
                        try
                        {
                            CopyRows<TOut, TCopier>(block, rowBytes, blockX0, blockY0, x0, y0, y1, count, 0, 1, destination.Slice((int)(i * planeLength), (int)planeLength), window);
                        }
                        finally
                        {
                            _cache.Release(block);
                        }
                    }
                }
                else
                {
                    BlockCache.Entry block = Acquire(0, bx, by);
                    try
                    {
                        for (int i = 0; i < bands.Length; i++)
                        {
                            CopyRows<TOut, TCopier>(block, rowBytes, blockX0, blockY0, x0, y0, y1, count, bands[i], _samplesPerBlockPixel, destination.Slice((int)(i * planeLength), (int)planeLength), window);
                        }
                    }
                    finally
                    {
                        _cache.Release(block);
                    }
                }
            }
        }
    }

    private void CopyRows<TOut, TCopier>(
        BlockCache.Entry block, int rowBytes, int blockX0, int blockY0, int x0, int y0, int y1, int count, int sample, int stride, Span<TOut> plane, PixelWindow window)
        where TOut : unmanaged
        where TCopier : struct, IRowCopier<TOut>
    {
        ReadOnlySpan<byte> data = block.Data.AsSpan(0, block.Length);
        int first = (x0 - blockX0) * stride + sample;
        RasterSampleType type = Info.SampleType;
        for (int y = y0; y < y1; y++)
        {
            ReadOnlySpan<byte> row = data.Slice((y - blockY0) * rowBytes, rowBytes);
            Span<TOut> dst = plane.Slice((y - window.Y) * window.Width + (x0 - window.X), count);
            TCopier.Copy(row, first, stride, dst, type);
        }
    }

    /// <summary>The blocks whose byte count or offset is 0: GDAL writes no data for them (SPARSE_OK=TRUE).</summary>
    private static bool[]? SparseBlocks(Tiff tiff, bool tiled, out long[]? offsets, out long[]? counts)
    {
        counts = tiff.GetField(tiled ? TiffTag.TILEBYTECOUNTS : TiffTag.STRIPBYTECOUNTS)?[0].TolongArray();
        offsets = tiff.GetField(tiled ? TiffTag.TILEOFFSETS : TiffTag.STRIPOFFSETS)?[0].TolongArray();
        if (counts is null || offsets is null)
        {
            return null;
        }

        bool[]? sparse = null;
        int n = Math.Min(counts.Length, offsets.Length);
        for (int i = 0; i < n; i++)
        {
            if (counts[i] == 0 || offsets[i] == 0)
            {
                sparse ??= new bool[n];
                sparse[i] = true;
            }
        }

        return sparse;
    }

    /// <summary>Fills a decoded block with the nodata value (zero without one), in the block's native sample type.</summary>
    private void FillSparse(Span<byte> block)
    {
        double value = Info.NoData ?? 0;
        switch (Info.SampleType)
        {
            case RasterSampleType.Byte: block.Fill(Saturate<byte>(value)); break;
            case RasterSampleType.UInt16: MemoryMarshal.Cast<byte, ushort>(block).Fill(Saturate<ushort>(value)); break;
            case RasterSampleType.Int16: MemoryMarshal.Cast<byte, short>(block).Fill(Saturate<short>(value)); break;
            case RasterSampleType.UInt32: MemoryMarshal.Cast<byte, uint>(block).Fill(Saturate<uint>(value)); break;
            case RasterSampleType.Int32: MemoryMarshal.Cast<byte, int>(block).Fill(Saturate<int>(value)); break;
            case RasterSampleType.Float32: MemoryMarshal.Cast<byte, float>(block).Fill((float)value); break;
            case RasterSampleType.Float64: MemoryMarshal.Cast<byte, double>(block).Fill(value); break;
            default: block.Clear(); break;
        }
    }

    private static T Saturate<T>(double value) where T : unmanaged, INumber<T> =>
        double.IsNaN(value) ? T.Zero : T.CreateSaturating(value);

    private static RasterInfo Describe(string path, Tiff tiff, GeoTiffReaderOptions options)
    {
        int width = LibTiffGlue.GetInt(tiff, TiffTag.IMAGEWIDTH, 0);
        int height = LibTiffGlue.GetInt(tiff, TiffTag.IMAGELENGTH, 0);
        if (width <= 0 || height <= 0)
        {
            throw new DataFileException(path, "the TIFF has no image size");
        }

        int spp = LibTiffGlue.GetInt(tiff, TiffTag.SAMPLESPERPIXEL, 1);
        if (spp < 1)
        {
            throw new DataFileException(path, $"SamplesPerPixel is {spp}: a raster needs at least one band");
        }
        int bits = LibTiffGlue.GetInt(tiff, TiffTag.BITSPERSAMPLE, 1);
        var format = (SampleFormat)LibTiffGlue.GetInt(tiff, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        RasterSampleType type = (format, bits) switch
        {
            (SampleFormat.UINT, 8) => RasterSampleType.Byte,
            (SampleFormat.UINT, 16) => RasterSampleType.UInt16,
            (SampleFormat.INT, 16) => RasterSampleType.Int16,
            (SampleFormat.UINT, 32) => RasterSampleType.UInt32,
            (SampleFormat.INT, 32) => RasterSampleType.Int32,
            (SampleFormat.IEEEFP, 32) => RasterSampleType.Float32,
            (SampleFormat.IEEEFP, 64) => RasterSampleType.Float64,
            _ => throw new DataFileException(path, $"unsupported sample type ({bits}-bit, sample format {format})"),
        };

        var compressionCode = (Compression)LibTiffGlue.GetInt(tiff, TiffTag.COMPRESSION, (int)Compression.NONE);
        RasterCompression compression = compressionCode switch
        {
            Compression.NONE => RasterCompression.None,
            Compression.DEFLATE or Compression.ADOBE_DEFLATE => RasterCompression.Deflate,
            Compression.LZW => RasterCompression.Lzw,
            Compression.PACKBITS => RasterCompression.PackBits,
            _ => throw new DataFileException(path, $"unsupported compression {compressionCode} ({(int)compressionCode}); use none, Deflate, LZW or PackBits"),
        };

        var predictor = (Predictor)LibTiffGlue.GetInt(tiff, TiffTag.PREDICTOR, (int)Predictor.NONE);
        if (predictor == Predictor.FLOATINGPOINT && compression != RasterCompression.None && tiff.IsBigEndian())
        {
            throw new DataFileException(path, "the floating-point predictor (3) in a big-endian file is not supported (LibTiff.NET decodes it wrongly); rewrite it little-endian or with predictor 1");
        }

        var planar = (PlanarConfig)LibTiffGlue.GetInt(tiff, TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG);
        bool tiled = tiff.IsTiled();
        int blockWidth, blockHeight;
        if (tiled)
        {
            blockWidth = LibTiffGlue.GetInt(tiff, TiffTag.TILEWIDTH, 0);
            blockHeight = LibTiffGlue.GetInt(tiff, TiffTag.TILELENGTH, 0);
        }
        else
        {
            blockWidth = width;
            int rps = LibTiffGlue.GetInt(tiff, TiffTag.ROWSPERSTRIP, height);
            blockHeight = rps <= 0 || rps > height ? height : rps;
        }

        if (blockWidth <= 0 || blockHeight <= 0)
        {
            throw new DataFileException(path, "the TIFF has an invalid tile size");
        }

        (GeoTransform? transform, int? epsg) = ReadGeoreferencing(path, tiff);
        if (transform is null && options.RequireGeoreferencing)
        {
            throw new DataFileException(path, "no georeferencing (neither ModelPixelScale + ModelTiepoint nor ModelTransformation)");
        }

        if (transform is { } g && (!double.IsFinite(g.OriginX) || !double.IsFinite(g.OriginY) || !double.IsFinite(g.PixelWidth) || !double.IsFinite(g.PixelHeight)
            || g.PixelWidth * g.PixelHeight - g.RowRotation * g.ColumnRotation == 0))
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"invalid georeferencing: pixel size {g.PixelWidth} x {g.PixelHeight} (a pixel must have a non-zero, finite size)"));
        }

        double? noData = options.NoDataOverride ?? LibTiffGlue.ParseNoData(LibTiffGlue.GetText(tiff, LibTiffGlue.GdalNoData));
        bool bigTiff = IsBigTiffFile(path);
        return new RasterInfo(path, width, height, spp, type, transform ?? new GeoTransform(0, 1, 0, 0, 0, 1), epsg, noData,
            tiled, blockWidth, blockHeight, compression, planar == PlanarConfig.SEPARATE && spp > 1, bigTiff);
    }

    private static bool IsBigTiffFile(string path)
    {
        Span<byte> header = stackalloc byte[4];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        fs.ReadExactly(header);
        int version = header[0] == (byte)'I' ? header[2] | (header[3] << 8) : (header[2] << 8) | header[3];
        return version == 43;
    }

    private static (GeoTransform? Transform, int? Epsg) ReadGeoreferencing(string path, Tiff tiff)
    {
        double[]? keys = LibTiffGlue.GetDoubles(tiff, LibTiffGlue.GeoKeyDirectory);
        int? projected = null, geographic = null, rasterType = null;
        if (keys is { Length: >= 4 })
        {
            int n = (int)keys[3];
            for (int k = 0; k < n && 4 + 4 * k + 3 < keys.Length; k++)
            {
                int id = (int)keys[4 + 4 * k], location = (int)keys[4 + 4 * k + 1], value = (int)keys[4 + 4 * k + 3];
                if (location != 0)
                {
                    continue;
                }

                switch (id)
                {
                    case 1025: rasterType = value; break;
                    case 2048: geographic = value; break;
                    case 3072: projected = value; break;
                    default: break;
                }
            }
        }

        int? epsg = projected is > 0 and < 32767 ? projected : geographic is > 0 and < 32767 ? geographic : null;

        GeoTransform? gt = null;
        double[]? scale = LibTiffGlue.GetDoubles(tiff, LibTiffGlue.ModelPixelScale);
        double[]? tie = LibTiffGlue.GetDoubles(tiff, LibTiffGlue.ModelTiepoint);
        double[]? matrix = LibTiffGlue.GetDoubles(tiff, LibTiffGlue.ModelTransformation);
        if (tie is { Length: >= 6 } && scale is { Length: >= 2 })
        {
            gt = new GeoTransform(tie[3] - tie[0] * scale[0], scale[0], 0, tie[4] + tie[1] * scale[1], 0, -scale[1]);
        }
        else if (matrix is { Length: >= 16 })
        {
            gt = new GeoTransform(matrix[3], matrix[0], matrix[1], matrix[7], matrix[4], matrix[5]);
        }
        else if (tie is { Length: >= 6 } || scale is not null || matrix is not null)
        {
            throw new DataFileException(path, "georeferencing by ground control points only (no pixel scale or transformation) is not supported");
        }

        if (gt is { } g && rasterType == 2)
        {
            // PixelIsPoint: the tie point refers to the pixel centre; GDAL moves the origin half a pixel up-left.
            gt = g with
            {
                OriginX = g.OriginX - (g.PixelWidth * 0.5 + g.RowRotation * 0.5),
                OriginY = g.OriginY - (g.ColumnRotation * 0.5 + g.PixelHeight * 0.5),
            };
        }

        return (gt, epsg);
    }

    internal interface IRowCopier<TOut> where TOut : unmanaged
    {
        static abstract void Copy(ReadOnlySpan<byte> row, int first, int stride, Span<TOut> destination, RasterSampleType type);
    }

    private readonly struct NativeCopier<T> : IRowCopier<T> where T : unmanaged
    {
        public static void Copy(ReadOnlySpan<byte> row, int first, int stride, Span<T> destination, RasterSampleType type)
        {
            ReadOnlySpan<T> src = MemoryMarshal.Cast<byte, T>(row);
            if (stride == 1)
            {
                src.Slice(first, destination.Length).CopyTo(destination);
                return;
            }

            for (int i = 0, s = first; i < destination.Length; i++, s += stride)
            {
                destination[i] = src[s];
            }
        }
    }

    private readonly struct FloatCopier : IRowCopier<float>
    {
        public static void Copy(ReadOnlySpan<byte> row, int first, int stride, Span<float> destination, RasterSampleType type)
        {
            switch (type)
            {
                case RasterSampleType.Byte: Gather(row, first, stride, destination); break;
                case RasterSampleType.UInt16: Gather(MemoryMarshal.Cast<byte, ushort>(row), first, stride, destination); break;
                case RasterSampleType.Int16: Gather(MemoryMarshal.Cast<byte, short>(row), first, stride, destination); break;
                case RasterSampleType.UInt32: Gather(MemoryMarshal.Cast<byte, uint>(row), first, stride, destination); break;
                case RasterSampleType.Int32: Gather(MemoryMarshal.Cast<byte, int>(row), first, stride, destination); break;
                case RasterSampleType.Float32:
                    if (stride == 1)
                    {
                        MemoryMarshal.Cast<byte, float>(row).Slice(first, destination.Length).CopyTo(destination);
                    }
                    else
                    {
                        Gather(MemoryMarshal.Cast<byte, float>(row), first, stride, destination);
                    }

                    break;
                case RasterSampleType.Float64: Gather(MemoryMarshal.Cast<byte, double>(row), first, stride, destination); break;
                default: throw new InvalidOperationException("Unknown sample type.");
            }
        }

        private static void Gather<TSrc>(ReadOnlySpan<TSrc> src, int first, int stride, Span<float> destination)
            where TSrc : unmanaged, INumberBase<TSrc>
        {
            if (stride == 1)
            {
                ReadOnlySpan<TSrc> s = src.Slice(first, destination.Length);
                for (int i = 0; i < s.Length; i++)
                {
                    destination[i] = float.CreateTruncating(s[i]);
                }

                return;
            }

            for (int i = 0, k = first; i < destination.Length; i++, k += stride)
            {
                destination[i] = float.CreateTruncating(src[k]);
            }
        }
    }
}
