using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>What <see cref="GeoTiffWriter"/> writes: size, bands, type, georeferencing and layout.</summary>
public sealed record GeoTiffWriteOptions
{
    /// <summary>Columns.</summary>
    public required int Width { get; init; }

    /// <summary>Rows.</summary>
    public required int Height { get; init; }

    /// <summary>Bands (default 1); several bands are stored pixel-interleaved, as GDAL does by default.</summary>
    public int BandCount { get; init; } = 1;

    /// <summary>Sample type (default Byte).</summary>
    public RasterSampleType SampleType { get; init; } = RasterSampleType.Byte;

    /// <summary>Pixel-to-map transform (pixel-corner convention). North-up transforms are written as ModelPixelScale + ModelTiepoint, others as ModelTransformation.</summary>
    public required GeoTransform GeoTransform { get; init; }

    /// <summary>EPSG code written to the GeoKeyDirectory, or null for none.</summary>
    public int? Epsg { get; init; }

    /// <summary>
    /// Whether <see cref="Epsg"/> names a geographic CRS (GeographicTypeGeoKey) rather than a projected one
    /// (ProjectedCSTypeGeoKey). Null (default) guesses: codes 4000-4999 and a few newer geographic codes
    /// (6318, 6322, 6365, 6668, 7844, 9755) are geographic, every other code projected.
    /// </summary>
    public bool? IsGeographic { get; init; }

    /// <summary>Nodata value written to GDAL_NODATA, or null for none.</summary>
    public double? NoData { get; init; }

    /// <summary>Tile width and height in pixels (default 256; a multiple of 16 as TIFF requires).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Compression (default Deflate; predictor 2 is used for integer types with Deflate and LZW).</summary>
    public RasterCompression Compression { get; init; } = RasterCompression.Deflate;

    /// <summary>True forces BigTIFF, false forces classic TIFF; null (default) picks BigTIFF when the uncompressed image reaches <see cref="GeoTiffWriter.BigTiffThresholdBytes"/>.</summary>
    public bool? BigTiff { get; init; }

    /// <summary>
    /// Deflate effort (default <see cref="CompressionLevel.Fastest"/>, zlib level 1); <see cref="CompressionLevel.Optimal"/>
    /// (level 6) or <see cref="CompressionLevel.SmallestSize"/> (level 9) give smaller files more slowly.
    /// <see cref="CompressionLevel.NoCompression"/> still writes valid Deflate streams (stored blocks).
    /// </summary>
    /// <remarks>Every level is read by any Deflate decoder; the level changes only size and speed, never the values.</remarks>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Most tiles of a row of tiles compressed at once (default -1: as many as there are processors). The file is
    /// byte-identical whatever this value is: each tile is compressed on its own and tiles are written in order.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Reduction factors of the overviews written after the main image (reduced-resolution directories, TIFF
    /// SubFileType 1, which GDAL reads as internal overviews), strictly increasing and each at least 2, e.g.
    /// <see cref="GeoTiffWriter.OverviewFactorsFor"/>; empty (default): none. Each level is computed from the one before
    /// it as the rows stream through, so memory stays a few rows per level.
    /// </summary>
    public IReadOnlyList<int> OverviewFactors { get; init; } = [];

    /// <summary>How the overviews are computed (default <see cref="Raster.OverviewResampling.Average"/>, nodata left out).</summary>
    public OverviewResampling OverviewResampling { get; init; } = OverviewResampling.Average;

    /// <summary>Benchmarks only: Deflate tiles through LibTiff.NET's managed encoder (the slower path used before the native zlib fast path).</summary>
    internal bool UseLibTiffDeflate { get; init; }
}

/// <summary>
/// Writes a tiled GeoTIFF from top to bottom, in bands of rows of any height (only one row of tiles is held in
/// memory), atomically: the file is written under a temporary name in the same folder and renamed by
/// <see cref="Commit"/>; disposing an uncommitted writer deletes the temporary file.
/// </summary>
/// <remarks>Georeferencing and CRS are written as GDAL reads them: GeoKeys GTModelTypeGeoKey (1 projected, 2
/// geographic), GTRasterTypeGeoKey = 1 (PixelIsArea), and ProjectedCSTypeGeoKey or GeographicTypeGeoKey; nodata as
/// the ASCII GDAL_NODATA tag (42113).</remarks>
public sealed class GeoTiffWriter : IDisposable
{
    /// <summary>Uncompressed image size from which BigTIFF is chosen automatically (4,000,000,000 bytes, just under the 4 GiB classic TIFF limit).</summary>
    public const long BigTiffThresholdBytes = 4_000_000_000L;

    private static readonly HashSet<int> GeographicOutsideRange = [6318, 6322, 6365, 6668, 7844, 9755];

    private readonly string _tempPath;
    private readonly int _bytesPerSample;
    private readonly int _pixelBytes;
    private readonly int _tilesAcross;
    private readonly bool _nativeDeflate;
    private readonly bool _predictor;
    private readonly bool _swapBytes;
    private readonly int _workers;
    private byte[][] _compressed = [];
    private int[] _compressedLengths = [];
    private Tiff? _tiff;
    private OverviewLevel? _overviews;
    private byte[] _rowBuffer;
    private byte[] _tileBuffer;
    private int _rowsInBuffer;
    private int _tileRow;
    private bool _committed;

    private GeoTiffWriter(string path, string tempPath, GeoTiffWriteOptions options, Tiff tiff)
    {
        Path = path;
        Options = options;
        _tempPath = tempPath;
        _tiff = tiff;
        _bytesPerSample = RasterSampleTypes.SizeOf(options.SampleType);
        _pixelBytes = _bytesPerSample * options.BandCount;
        _tilesAcross = (options.Width + options.TileSize - 1) / options.TileSize;
        _rowBuffer = ArrayPool<byte>.Shared.Rent(checked(options.TileSize * options.Width * _pixelBytes));
        _tileBuffer = ArrayPool<byte>.Shared.Rent(checked(options.TileSize * options.TileSize * _pixelBytes));
        _nativeDeflate = options.Compression == RasterCompression.Deflate && !options.UseLibTiffDeflate;
        _predictor = UsesPredictor(options);
        _swapBytes = tiff.IsBigEndian() == BitConverter.IsLittleEndian && _bytesPerSample > 1;
        _workers = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
    }

    /// <summary>The final file (it appears on <see cref="Commit"/>).</summary>
    public string Path { get; }

    /// <summary>What is written.</summary>
    public GeoTiffWriteOptions Options { get; }

    /// <summary>Rows received so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Whether the file is BigTIFF.</summary>
    public bool IsBigTiff { get; private init; }

    /// <summary>Starts writing a GeoTIFF.</summary>
    /// <param name="path">The final file; a missing folder is created. An existing file is replaced on commit.</param>
    /// <param name="options">Size, type, georeferencing and layout.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static GeoTiffWriter Create(string path, GeoTiffWriteOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        AtomicFile.RemoveStaleTemporaries(full);
        string temp = AtomicFile.TemporaryPathFor(full);
        long bytes = (long)options.Width * options.Height * options.BandCount * RasterSampleTypes.SizeOf(options.SampleType);
        bool big = options.BigTiff ?? bytes >= BigTiffThresholdBytes;
        Tiff tiff;
        try
        {
            // Create the file first: LibTiff reports an unwritable folder as "not a readable TIFF".
            using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
            }

            tiff = LibTiffGlue.Open(temp, big ? "w8" : "w");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DataFileException)
        {
            AtomicFile.TryDelete(temp);
            throw AtomicFile.WriteFailure(full, temp, e is DataFileException { InnerException: { } inner } ? inner : e);
        }

        try
        {
            WriteTags(tiff, options);
        }
        catch
        {
            tiff.Dispose();
            File.Delete(temp);
            throw;
        }

        var writer = new GeoTiffWriter(full, temp, options, tiff) { IsBigTiff = big };
        if (options.OverviewFactors.Count > 0)
        {
            try
            {
                writer._overviews = new OverviewLevel(options, options.Width, options.Height, options.OverviewFactors, 0, temp);
            }
            catch
            {
                writer.Dispose();
                throw;
            }
        }

        return writer;
    }

    /// <summary>
    /// The overview factors GDAL's <c>gdaladdo</c> picks by default for a tiled image: 2, 4, 8, ... until the smallest
    /// level fits in one tile (none when the image already does).
    /// </summary>
    /// <param name="width">Columns of the full image.</param>
    /// <param name="height">Rows of the full image.</param>
    /// <param name="tileSize">Tile side.</param>
    public static IReadOnlyList<int> OverviewFactorsFor(int width, int height, int tileSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 1);
        var factors = new List<int>();
        for (int f = 2; f < int.MaxValue / 2 && (long)Math.Max(width, height) > (long)tileSize * (f / 2); f *= 2)
        {
            factors.Add(f);
        }

        return factors;
    }

    /// <summary>Writes a whole raster held in memory (small rasters), atomically.</summary>
    /// <typeparam name="T">The .NET type of <see cref="GeoTiffWriteOptions.SampleType"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">Size, type, georeferencing and layout.</param>
    /// <param name="bandPlanes">All bands, band-planar: <c>BandCount * Width * Height</c> values.</param>
    public static void Write<T>(string path, GeoTiffWriteOptions options, ReadOnlySpan<T> bandPlanes) where T : unmanaged
    {
        using GeoTiffWriter writer = Create(path, options);
        writer.WriteRows(bandPlanes);
        writer.Commit();
    }

    /// <summary>Writes the next rows, top to bottom.</summary>
    /// <typeparam name="T">The .NET type of the sample type (byte, ushort, short, uint, int, float, double).</typeparam>
    /// <param name="bandPlanarRows">
    /// <c>BandCount * n * Width</c> values for n rows, band-planar: band b's rows occupy
    /// <c>[b * n * Width, (b + 1) * n * Width)</c>.
    /// </param>
    /// <exception cref="ArgumentException">The length is not a whole number of rows or the type is wrong.</exception>
    /// <exception cref="InvalidOperationException">More rows than the raster holds, or the writer is committed.</exception>
    public void WriteRows<T>(ReadOnlySpan<T> bandPlanarRows) where T : unmanaged
    {
        Tiff tiff = _tiff ?? throw new InvalidOperationException($"{Path}: the writer is already committed or disposed.");
        if (RasterSampleTypes.Of<T>() != Options.SampleType)
        {
            throw new ArgumentException($"{Path} is written as {Options.SampleType}, not {typeof(T).Name}.", nameof(bandPlanarRows));
        }

        int width = Options.Width, bands = Options.BandCount;
        long rowValues = (long)width * bands;
        if (bandPlanarRows.Length % rowValues != 0)
        {
            throw new ArgumentException($"{bandPlanarRows.Length} values is not a whole number of rows of {bands} bands x {width} columns.", nameof(bandPlanarRows));
        }

        int n = (int)(bandPlanarRows.Length / rowValues);
        if (RowsWritten + n > Options.Height)
        {
            throw new InvalidOperationException($"{Path}: {RowsWritten + n} rows written but the raster has {Options.Height}.");
        }

        Span<T> buffer = MemoryMarshal.Cast<byte, T>(_rowBuffer.AsSpan());
        for (int r = 0; r < n; r++)
        {
            Span<T> dst = buffer.Slice(_rowsInBuffer * width * bands, width * bands);
            if (bands == 1)
            {
                bandPlanarRows.Slice(r * width, width).CopyTo(dst);
            }
            else
            {
                for (int b = 0; b < bands; b++)
                {
                    ReadOnlySpan<T> src = bandPlanarRows.Slice((b * n + r) * width, width);
                    for (int x = 0, k = b; x < width; x++, k += bands)
                    {
                        dst[k] = src[x];
                    }
                }
            }

            if (_overviews is not null)
            {
                _overviews.Push(RowsWritten, RowAsDoubles(bandPlanarRows, n, r));
            }

            _rowsInBuffer++;
            RowsWritten++;
            if (_rowsInBuffer == Options.TileSize || RowsWritten == Options.Height)
            {
                FlushTileRow(tiff);
            }
        }
    }

    /// <summary>Finishes the file and moves it to <see cref="Path"/> (replacing any file there).</summary>
    /// <exception cref="InvalidOperationException">Not every row was written.</exception>
    public void Commit()
    {
        Tiff tiff = _tiff ?? throw new InvalidOperationException($"{Path}: the writer is already committed or disposed.");
        if (RowsWritten != Options.Height)
        {
            throw new InvalidOperationException($"{Path}: only {RowsWritten} of {Options.Height} rows were written.");
        }

        LibTiffGlue.ClearError();
        bool ok = tiff.WriteDirectory();
        if (ok && _overviews is not null)
        {
            try
            {
                // The full image's directory comes first (every reader of this project reads the first directory);
                // the reduced-resolution ones follow, largest first, as gdaladdo writes them.
                _overviews.Commit();
                _overviews.CopyInto(tiff, Options);
            }
            catch (Exception e) when (e is IOException or DataFileException or UnauthorizedAccessException)
            {
                tiff.Dispose();
                _tiff = null;
                File.Delete(_tempPath);
                throw new IOException($"{Path}: could not write the overviews ({e.Message}).", e);
            }
            finally
            {
                _overviews.Dispose();
                _overviews = null;
            }
        }

        tiff.Dispose();
        _tiff = null;
        if (!ok)
        {
            File.Delete(_tempPath);
            throw new IOException($"{Path}: could not write the TIFF directory ({LibTiffGlue.LastError("LibTiff error")}).");
        }

        try
        {
            File.Move(_tempPath, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AtomicFile.TryDelete(_tempPath);
            throw AtomicFile.WriteFailure(Path, _tempPath, e);
        }

        _committed = true;
        ReturnBuffers();
    }

    /// <summary>Closes the writer; without <see cref="Commit"/>, deletes the temporary file and leaves no output.</summary>
    public void Dispose()
    {
        if (_tiff is not null)
        {
            try
            {
                _tiff.Dispose();
            }
            catch (IOException)
            {
            }

            _tiff = null;
        }

        _overviews?.Dispose();
        _overviews = null;
        if (!_committed)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
            }
        }

        ReturnBuffers();
    }

    /// <summary>Row <paramref name="r"/> of <paramref name="n"/> band-planar rows as doubles, band-planar (what the overview levels take).</summary>
    private double[] RowAsDoubles<T>(ReadOnlySpan<T> bandPlanarRows, int n, int r) where T : unmanaged
    {
        int width = Options.Width, bands = Options.BandCount;
        var row = new double[bands * width];
        for (int b = 0; b < bands; b++)
        {
            ReadOnlySpan<T> src = bandPlanarRows.Slice(((b * n) + r) * width, width);
            Span<double> dst = row.AsSpan(b * width, width);
            for (int x = 0; x < width; x++)
            {
                dst[x] = ToDouble(src[x]);
            }
        }

        return row;
    }

    private static double ToDouble<T>(T value) where T : unmanaged => value switch
    {
        byte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        float v => v,
        double v => v,
        _ => throw new ArgumentException($"Unsupported sample type {typeof(T).Name}."),
    };

    internal static bool GuessGeographic(int epsg) => epsg is >= 4000 and < 5000 || GeographicOutsideRange.Contains(epsg);

    private void ReturnBuffers()
    {
        if (_rowBuffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_rowBuffer);
            ArrayPool<byte>.Shared.Return(_tileBuffer);
            _rowBuffer = [];
            _tileBuffer = [];
        }
    }

    private static bool UsesPredictor(GeoTiffWriteOptions o) =>
        o.Compression is RasterCompression.Deflate or RasterCompression.Lzw && o.SampleType is not (RasterSampleType.Float32 or RasterSampleType.Float64);

    private void FlushTileRow(Tiff tiff)
    {
        if (_nativeDeflate)
        {
            FlushTileRowNative(tiff);
            return;
        }

        int ts = Options.TileSize, width = Options.Width;
        int tileBytes = ts * ts * _pixelBytes;
        int srcRowBytes = width * _pixelBytes;
        for (int tx = 0; tx < _tilesAcross; tx++)
        {
            Span<byte> tile = _tileBuffer.AsSpan(0, tileBytes);
            int cols = Math.Min(ts, width - tx * ts);
            if (cols < ts || _rowsInBuffer < ts)
            {
                tile.Clear();
            }

            for (int r = 0; r < _rowsInBuffer; r++)
            {
                _rowBuffer.AsSpan(r * srcRowBytes + tx * ts * _pixelBytes, cols * _pixelBytes).CopyTo(tile.Slice(r * ts * _pixelBytes));
            }

            LibTiffGlue.ClearError();
            int written = tiff.WriteEncodedTile(_tileRow * _tilesAcross + tx, _tileBuffer, 0, tileBytes);
            if (written < 0)
            {
                throw new IOException($"{Path}: could not write tile ({LibTiffGlue.LastError("LibTiff error")}).");
            }
        }

        _tileRow++;
        _rowsInBuffer = 0;
    }

    /// <summary>
    /// Deflate fast path: tiles are assembled, differenced (predictor 2) and compressed by the runtime's native zlib
    /// (ZLibStream: the zlib wrapper TIFF Deflate expects), several tiles at once, then written in tile order with
    /// WriteRawTile. Tiles go in groups of twice the worker count, so at most that many compressed tiles are held.
    /// </summary>
    private void FlushTileRowNative(Tiff tiff)
    {
        int ts = Options.TileSize;
        int tileBytes = ts * ts * _pixelBytes;

        // Deflate never grows data by more than 5 bytes per stored block of at most 64 KiB plus the zlib header and
        // Adler-32 trailer; an eighth plus 1 KiB is far above that, so the fixed-size MemoryStream cannot overflow.
        int bound = checked(tileBytes + (tileBytes >> 3) + 1024);
        int group = Math.Min(_tilesAcross, Math.Max(1, 2 * _workers));
        if (_compressed.Length < group || (_compressed.Length > 0 && _compressed[0].Length < bound))
        {
            _compressed = new byte[group][];
            for (int i = 0; i < group; i++)
            {
                _compressed[i] = new byte[bound];
            }

            _compressedLengths = new int[group];
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism };
        for (int first = 0; first < _tilesAcross; first += group)
        {
            int count = Math.Min(group, _tilesAcross - first);
            if (count == 1 || _workers == 1)
            {
                for (int i = 0; i < count; i++)
                {
                    CompressTile(first, i, tileBytes, bound);
                }
            }
            else
            {
                int start = first;
                Parallel.For(0, count, parallel, i => CompressTile(start, i, tileBytes, bound));
            }

            for (int i = 0; i < count; i++)
            {
                LibTiffGlue.ClearError();
                int written = tiff.WriteRawTile(_tileRow * _tilesAcross + first + i, _compressed[i], 0, _compressedLengths[i]);
                if (written < 0)
                {
                    throw new IOException($"{Path}: could not write tile ({LibTiffGlue.LastError("LibTiff error")}).");
                }
            }
        }

        _tileRow++;
        _rowsInBuffer = 0;
    }

    /// <summary>Assembles tile <paramref name="first"/> + <paramref name="slot"/> of the buffered row, applies predictor 2 and compresses it into slot <paramref name="slot"/>.</summary>
    private void CompressTile(int first, int slot, int tileBytes, int bound)
    {
        int ts = Options.TileSize, width = Options.Width, tx = first + slot;
        int srcRowBytes = width * _pixelBytes;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(tileBytes);
        try
        {
            Span<byte> tile = scratch.AsSpan(0, tileBytes);
            int cols = Math.Min(ts, width - tx * ts);
            if (cols < ts || _rowsInBuffer < ts)
            {
                tile.Clear();
            }

            for (int r = 0; r < _rowsInBuffer; r++)
            {
                _rowBuffer.AsSpan(r * srcRowBytes + tx * ts * _pixelBytes, cols * _pixelBytes).CopyTo(tile.Slice(r * ts * _pixelBytes));
            }

            // Rows below the data are zeros and stay zeros when differenced; padded columns are differenced like data,
            // as the decoder accumulates across the whole tile width.
            Span<byte> used = tile[..(_rowsInBuffer * ts * _pixelBytes)];
            if (_predictor)
            {
                int rowSamples = ts * Options.BandCount, stride = Options.BandCount;
                switch (_bytesPerSample)
                {
                    case 1: Difference(used, rowSamples, stride); break;
                    case 2: Difference(MemoryMarshal.Cast<byte, ushort>(used), rowSamples, stride); break;
                    default: Difference(MemoryMarshal.Cast<byte, uint>(used), rowSamples, stride); break;
                }
            }

            if (_swapBytes)
            {
                switch (_bytesPerSample)
                {
                    case 2: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(used), MemoryMarshal.Cast<byte, ushort>(used)); break;
                    case 4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(used), MemoryMarshal.Cast<byte, uint>(used)); break;
                    default: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(used), MemoryMarshal.Cast<byte, ulong>(used)); break;
                }
            }

            using var output = new MemoryStream(_compressed[slot], 0, bound, writable: true);
            using (var zlib = new ZLibStream(output, Options.DeflateLevel, leaveOpen: true))
            {
                zlib.Write(tile);
            }

            _compressedLengths[slot] = (int)output.Position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// TIFF predictor 2 (horizontal differencing, TIFF 6.0 section 14): in each row, every sample becomes its
    /// difference from the same band of the previous pixel (<paramref name="stride"/> samples back), modulo 2^bits;
    /// the first pixel of a row is kept. Done from the right so each difference reads an unchanged neighbour.
    /// </summary>
    internal static void Difference<T>(Span<T> data, int rowSamples, int stride) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        int lanes = System.Numerics.Vector<T>.Count;
        for (int start = 0; start + rowSamples <= data.Length; start += rowSamples)
        {
            Span<T> row = data.Slice(start, rowSamples);
            int end = rowSamples;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                while (end - lanes >= stride)
                {
                    var current = new System.Numerics.Vector<T>(row.Slice(end - lanes, lanes));
                    var previous = new System.Numerics.Vector<T>(row.Slice(end - lanes - stride, lanes));
                    (current - previous).CopyTo(row.Slice(end - lanes, lanes));
                    end -= lanes;
                }
            }

            for (int i = end - 1; i >= stride; i--)
            {
                row[i] -= row[i - stride];
            }
        }
    }

    private static void Validate(GeoTiffWriteOptions o)
    {
        if (o.Width <= 0 || o.Height <= 0)
        {
            throw new ArgumentException($"The raster size {o.Width} x {o.Height} must be positive.", nameof(o));
        }

        if (o.BandCount is <= 0 or > 1024)
        {
            throw new ArgumentException($"BandCount {o.BandCount} must be 1..1024.", nameof(o));
        }

        if (o.TileSize <= 0 || o.TileSize % 16 != 0)
        {
            throw new ArgumentException($"TileSize {o.TileSize} must be a positive multiple of 16.", nameof(o));
        }

        GeoTransform g = o.GeoTransform;
        if (!double.IsFinite(g.OriginX) || !double.IsFinite(g.OriginY) || g.PixelWidth * g.PixelHeight - g.RowRotation * g.ColumnRotation == 0)
        {
            throw new ArgumentException($"The geotransform {g} is not invertible.", nameof(o));
        }

        if (o.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism {o.MaxDegreeOfParallelism} must be -1 (all processors) or positive.", nameof(o));
        }

        if (!Enum.IsDefined(o.DeflateLevel))
        {
            throw new ArgumentException($"Unknown DeflateLevel {o.DeflateLevel}.", nameof(o));
        }

        int previous = 1;
        foreach (int f in o.OverviewFactors)
        {
            if (f <= previous)
            {
                throw new ArgumentException($"Overview factors must be at least 2 and strictly increasing, not {string.Join(", ", o.OverviewFactors)}.", nameof(o));
            }

            previous = f;
        }

        if (!Enum.IsDefined(o.OverviewResampling))
        {
            throw new ArgumentException($"Unknown OverviewResampling {o.OverviewResampling}.", nameof(o));
        }

        if (o.Epsg is { } e && e is <= 0 or >= 32767)
        {
            throw new ArgumentException($"EPSG code {e} is out of the GeoTIFF range 1..32766.", nameof(o));
        }
    }

    private static void WriteTags(Tiff tiff, GeoTiffWriteOptions o)
    {
        WriteImageTags(tiff, o);
        WriteGeoTags(tiff, o);
    }

    /// <summary>The tags of the image layout (size, samples, tiles, compression), shared by the main image and its overviews.</summary>
    internal static void WriteImageTags(Tiff tiff, GeoTiffWriteOptions o)
    {
        int bps = RasterSampleTypes.SizeOf(o.SampleType);
        SampleFormat format = o.SampleType switch
        {
            RasterSampleType.Int16 or RasterSampleType.Int32 => SampleFormat.INT,
            RasterSampleType.Float32 or RasterSampleType.Float64 => SampleFormat.IEEEFP,
            _ => SampleFormat.UINT,
        };
        tiff.SetField(TiffTag.IMAGEWIDTH, o.Width);
        tiff.SetField(TiffTag.IMAGELENGTH, o.Height);
        tiff.SetField(TiffTag.BITSPERSAMPLE, bps * 8);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, o.BandCount);
        tiff.SetField(TiffTag.SAMPLEFORMAT, format);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.TILEWIDTH, o.TileSize);
        tiff.SetField(TiffTag.TILELENGTH, o.TileSize);
        if (o.BandCount > 1)
        {
            tiff.SetField(TiffTag.EXTRASAMPLES, o.BandCount - 1, new short[o.BandCount - 1]);
        }

        Compression compression = o.Compression switch
        {
            RasterCompression.None => Compression.NONE,
            RasterCompression.Deflate => Compression.ADOBE_DEFLATE,
            RasterCompression.Lzw => Compression.LZW,
            RasterCompression.PackBits => Compression.PACKBITS,
            _ => throw new ArgumentException($"Unknown compression {o.Compression}.", nameof(o)),
        };
        tiff.SetField(TiffTag.COMPRESSION, compression);
        if (UsesPredictor(o))
        {
            tiff.SetField(TiffTag.PREDICTOR, Predictor.HORIZONTAL);
        }
    }

    private static void WriteGeoTags(Tiff tiff, GeoTiffWriteOptions o)
    {
        GeoTransform g = o.GeoTransform;
        if (g.IsNorthUp && g.PixelWidth > 0 && g.PixelHeight < 0)
        {
            tiff.SetField(LibTiffGlue.ModelPixelScale, 3, new[] { g.PixelWidth, -g.PixelHeight, 0.0 });
            tiff.SetField(LibTiffGlue.ModelTiepoint, 6, new[] { 0.0, 0.0, 0.0, g.OriginX, g.OriginY, 0.0 });
        }
        else
        {
            double[] m =
            [
                g.PixelWidth, g.RowRotation, 0, g.OriginX,
                g.ColumnRotation, g.PixelHeight, 0, g.OriginY,
                0, 0, 0, 0,
                0, 0, 0, 1,
            ];
            tiff.SetField(LibTiffGlue.ModelTransformation, 16, m);
        }

        var keys = new List<short> { 1, 1, 0, 0 };
        void Key(int id, int value)
        {
            keys.Add((short)id);
            keys.Add(0);
            keys.Add(1);
            keys.Add(unchecked((short)value));
        }

        if (o.Epsg is { } epsg)
        {
            bool geographic = o.IsGeographic ?? GuessGeographic(epsg);
            Key(1024, geographic ? 2 : 1);
            Key(1025, 1);
            Key(geographic ? 2048 : 3072, epsg);
        }
        else
        {
            Key(1025, 1);
        }

        keys[3] = (short)((keys.Count - 4) / 4);
        tiff.SetField(LibTiffGlue.GeoKeyDirectory, keys.Count, keys.ToArray());
        if (o.NoData is { } nd)
        {
            tiff.SetField(LibTiffGlue.GdalNoData, LibTiffGlue.FormatNoData(nd));
        }

    }
}
