using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using Inegi.UrbanGrowth.Raster.Decoding;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>Block decoding: the cache, the blocks in flight, and the decoders.</summary>
public sealed partial class GeoTiffReader
{
    /// <summary>Blocks being decoded by some thread: others needing one wait for it rather than decode it again.</summary>
    private readonly ConcurrentDictionary<long, ManualResetEventSlim> _inFlight = new();

    /// <summary>Who decodes the blocks of a file.</summary>
    internal enum BlockCodec
    {
        /// <summary>LibTiff.NET's own decoders (PackBits, old-style LZW, or a layout the fast path does not know).</summary>
        LibTiff,

        /// <summary>Uncompressed: the block's bytes are read straight into the buffer.</summary>
        None,

        /// <summary>zlib stream: libdeflate or zlib-ng.</summary>
        Deflate,

        /// <summary>TIFF LZW (new style; old style falls back to LibTiff.NET block by block).</summary>
        Lzw,
    }

    /// <summary>How this file's blocks are read: the codec and where each block's bytes lie.</summary>
    private readonly record struct BlockLayout(BlockCodec Kind, long[]? Offsets, long[]? ByteCounts);

    private static BlockLayout ChooseLayout(RasterInfo info, int predictor, long[]? offsets, long[]? byteCounts)
    {
        if (offsets is null || byteCounts is null || !BitConverter.IsLittleEndian)
        {
            return new BlockLayout(BlockCodec.LibTiff, null, null);
        }

        bool floating = info.SampleType is RasterSampleType.Float32 or RasterSampleType.Float64;
        bool predictorKnown = predictor == 1 || predictor == 2 || (predictor == 3 && floating);
        BlockCodec codec = info.Compression switch
        {
            // libtiff ignores the predictor tag without compression.
            RasterCompression.None => BlockCodec.None,
            RasterCompression.Deflate when predictorKnown => BlockCodec.Deflate,
            RasterCompression.Lzw when predictorKnown => BlockCodec.Lzw,
            _ => BlockCodec.LibTiff,
        };
        return codec == BlockCodec.LibTiff ? new BlockLayout(codec, null, null) : new BlockLayout(codec, offsets, byteCounts);
    }

    private long KeyOf(int plane, int bx, int by) => ((long)plane * _blocksDown + by) * _blocksAcross + bx;

    private BlockCache.Entry Acquire(int plane, int bx, int by) => Acquire(KeyOf(plane, bx, by));

    private BlockCache.Entry Acquire(long key)
    {
        while (true)
        {
            BlockCache.Entry? cached = _cache.TryAcquire(key);
            if (cached is not null)
            {
                return cached;
            }

            if (_legacy)
            {
                return DecodeAndAdd(key);
            }

            var mine = new ManualResetEventSlim(false);
            ManualResetEventSlim owner = _inFlight.GetOrAdd(key, mine);
            if (owner != mine)
            {
                // Another thread is decoding this block: wait, then take it from the cache (or decode it if it was
                // evicted meanwhile or its decoding failed).
                mine.Dispose();
                owner.Wait();
                continue;
            }

            try
            {
                return _cache.TryAcquire(key) ?? DecodeAndAdd(key);
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
                mine.Set();
            }
        }
    }

    private BlockCache.Entry DecodeAndAdd(long key)
    {
        int by = (int)(key / _blocksAcross % _blocksDown);
        int rows = Info.IsTiled ? Info.BlockHeight : Math.Min(_rowsPerStrip, Info.Height - by * _rowsPerStrip);
        int length = checked(Info.BlockWidth * rows * _samplesPerBlockPixel * _bytesPerSample);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        bool ok = false;
        try
        {
            Decode((int)key, buffer, length);
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return _cache.AddAndAcquire(key, buffer, length);
    }

    /// <summary>
    /// Decodes the window's blocks that are not cached on several threads at once, so that a window over several
    /// blocks waits for the slowest block rather than for their sum. They stay in the cache for the copy that follows.
    /// </summary>
    private void DecodeMissingInParallel(ReadOnlySpan<int> bands, int firstBx, int lastBx, int firstBy, int lastBy)
    {
        int planes = Info.IsBandInterleaved ? bands.Length : 1;
        List<long>? missing = null;
        for (int p = 0; p < planes; p++)
        {
            int plane = Info.IsBandInterleaved ? bands[p] : 0;
            for (int by = firstBy; by <= lastBy; by++)
            {
                for (int bx = firstBx; bx <= lastBx; bx++)
                {
                    long key = KeyOf(plane, bx, by);
                    if (!_cache.Contains(key) && !_inFlight.ContainsKey(key))
                    {
                        (missing ??= []).Add(key);
                    }
                }
            }
        }

        if (missing is not { Count: > 1 })
        {
            return;
        }

        // Blocks beyond the cache's capacity would be evicted before the copy: decode only what it can hold.
        long blockBytes = (long)Info.BlockWidth * Info.BlockHeight * _samplesPerBlockPixel * _bytesPerSample;
        int fit = (int)Math.Clamp(_cache.CapacityBytes / Math.Max(1, blockBytes), 0, missing.Count);
        if (fit < 2)
        {
            return;
        }

        Parallel.For(0, fit, new ParallelOptions { MaxDegreeOfParallelism = _maxDecoders }, i =>
            _cache.Release(Acquire(missing[i])));
    }

    private void Decode(int blockIndex, byte[] buffer, int length)
    {
        _handleSlots.Wait();
        Tiff? tiff = null;
        try
        {
            if (_sparse is not null && blockIndex < _sparse.Length && _sparse[blockIndex])
            {
                // A sparse block (offset and byte count 0, GDAL's SPARSE_OK=TRUE): GDAL reads it as nodata, or 0
                // without nodata, and so do we.
                FillSparse(buffer.AsSpan(0, length));
                return;
            }

            int read = -1;
            bool decoded;
            try
            {
                decoded = !_legacy && _layout.Kind != BlockCodec.LibTiff && TryDecodeFast(blockIndex, buffer, length, out read);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
                throw new DataFileException(Info.Path, $"cannot decode {BlockName} {blockIndex}: {e.Message}", e);
            }

            if (decoded)
            {
                // Decoded without LibTiff.NET.
            }
            else
            {
                if (!_idle.TryTake(out tiff))
                {
                    tiff = LibTiffGlue.Open(Info.Path, "r");
                }

                LibTiffGlue.ClearError();
                try
                {
                    read = _legacy && _nativeDeflate ? InflateBlockLegacy(tiff, blockIndex, buffer, length)
                        : Info.IsTiled ? tiff.ReadEncodedTile(blockIndex, buffer, 0, length) : tiff.ReadEncodedStrip(blockIndex, buffer, 0, length);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Tiff broken = tiff;
                    tiff = null;
                    broken.Dispose();
                    throw new DataFileException(Info.Path, $"cannot decode {BlockName} {blockIndex}: {e.Message}", e);
                }
            }

            if (read < length)
            {
                throw new DataFileException(Info.Path, $"cannot decode {BlockName} {blockIndex} (file truncated or corrupt): " + LibTiffGlue.LastError($"{Math.Max(read, 0)} of {length} bytes decoded"));
            }
        }
        finally
        {
            if (tiff is not null)
            {
                _idle.Add(tiff);
            }

            _handleSlots.Release();
        }
    }

    private string BlockName => Info.IsTiled ? "tile" : "strip";

    /// <summary>
    /// Reads the block's bytes with one positioned read (no LibTiff.NET handle, no lock), decodes them in place, fixes
    /// the byte order and undoes the predictor, as libtiff does: swab, then predictor 2; predictor 3 regroups bytes
    /// and so needs no swab. False (nothing decoded) for old-style LZW, which LibTiff.NET decodes.
    /// </summary>
    private bool TryDecodeFast(int blockIndex, byte[] buffer, int length, out int read)
    {
        read = -1;
        long[] offsets = _layout.Offsets!, counts = _layout.ByteCounts!;
        if (blockIndex >= offsets.Length || blockIndex >= counts.Length || counts[blockIndex] <= 0 || counts[blockIndex] > int.MaxValue)
        {
            return false;
        }

        long offset = offsets[blockIndex];
        int rawSize = (int)counts[blockIndex];
        if (offset < 0 || rawSize > RandomAccess.GetLength(_file!) - offset)
        {
            // A block that points outside the file (truncated or corrupt): reported as such, nothing rented for it.
            return true;
        }

        Span<byte> data = buffer.AsSpan(0, length);
        if (_layout.Kind == BlockCodec.None)
        {
            read = ReadAt(data[..Math.Min(rawSize, length)], offset);
        }
        else
        {
            byte[] raw = ArrayPool<byte>.Shared.Rent(rawSize);
            try
            {
                if (ReadAt(raw.AsSpan(0, rawSize), offset) < rawSize)
                {
                    return true; // truncated file: read stays -1
                }

                if (_layout.Kind == BlockCodec.Lzw)
                {
                    if (TiffLzw.IsOldStyle(raw.AsSpan(0, rawSize)))
                    {
                        return false;
                    }

                    read = TiffLzw.Decode(raw.AsSpan(0, rawSize), data);
                }
                else
                {
                    try
                    {
                        read = Inflate.ZLib(raw, rawSize, data, _useLibDeflate);
                    }
                    catch (InvalidDataException)
                    {
                        read = -1;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }

        if (read < length)
        {
            return true;
        }

        // Predictor 3 stores byte planes most significant first whatever the file's byte order: no swab then (libtiff
        // does the same); without compression libtiff ignores the predictor, so the bytes are swapped as usual.
        if (_swapBytes && (_predictor != 3 || _layout.Kind == BlockCodec.None))
        {
            SwapBytes(data, _bytesPerSample);
        }

        int rowSamples = Info.BlockWidth * _samplesPerBlockPixel;
        if (_layout.Kind != BlockCodec.None && _predictor == 2)
        {
            HorizontalPredictor.Undo(data, _bytesPerSample, rowSamples, _samplesPerBlockPixel);
        }
        else if (_layout.Kind != BlockCodec.None && _predictor == 3)
        {
            FloatingPointPredictor.Undo(data, _bytesPerSample, rowSamples, _samplesPerBlockPixel);
        }

        return true;
    }

    /// <summary>Reads at a file offset until the span is full or the file ends; returns the bytes read.</summary>
    private int ReadAt(Span<byte> destination, long offset)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = RandomAccess.Read(_file!, destination[total..], offset + total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private static void SwapBytes(Span<byte> data, int bytesPerSample)
    {
        switch (bytesPerSample)
        {
            case 2: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(data)); break;
            case 4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(data)); break;
            case 8: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(data), MemoryMarshal.Cast<byte, ulong>(data)); break;
            default: break;
        }
    }

    /// <summary>
    /// The Deflate path before issue 21, kept as the baseline (<see cref="GeoTiffReaderOptions.LegacyDecoding"/>):
    /// LibTiff.NET reads the raw block, <see cref="System.IO.Compression.ZLibStream"/> inflates it, then the byte order
    /// is fixed and predictor 2 undone by a scalar loop.
    /// </summary>
    private int InflateBlockLegacy(Tiff tiff, int blockIndex, byte[] buffer, int length)
    {
        int rawSize = (int)(Info.IsTiled ? tiff.RawTileSize(blockIndex) : tiff.RawStripSize(blockIndex));
        if (rawSize <= 0)
        {
            return -1;
        }

        byte[] raw = ArrayPool<byte>.Shared.Rent(rawSize);
        try
        {
            int got = Info.IsTiled ? tiff.ReadRawTile(blockIndex, raw, 0, rawSize) : tiff.ReadRawStrip(blockIndex, raw, 0, rawSize);
            if (got != rawSize)
            {
                return -1;
            }

            int total = 0;
            using (var input = new MemoryStream(raw, 0, rawSize, writable: false))
            using (var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress))
            {
                int n;
                while (total < length && (n = zlib.Read(buffer, total, length - total)) > 0)
                {
                    total += n;
                }
            }

            if (total < length)
            {
                return total;
            }
        }
        catch (InvalidDataException)
        {
            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }

        Span<byte> data = buffer.AsSpan(0, length);
        if (_swapBytes)
        {
            SwapBytes(data, _bytesPerSample);
        }

        if (_predictor == 2)
        {
            int rowSamples = Info.BlockWidth * _samplesPerBlockPixel;
            switch (_bytesPerSample)
            {
                case 1: AccumulateLegacy(data, rowSamples, _samplesPerBlockPixel); break;
                case 2: AccumulateLegacy(MemoryMarshal.Cast<byte, ushort>(data), rowSamples, _samplesPerBlockPixel); break;
                case 4: AccumulateLegacy(MemoryMarshal.Cast<byte, uint>(data), rowSamples, _samplesPerBlockPixel); break;
                default: AccumulateLegacy(MemoryMarshal.Cast<byte, ulong>(data), rowSamples, _samplesPerBlockPixel); break;
            }
        }

        return length;
    }

    private static void AccumulateLegacy<T>(Span<T> values, int rowSamples, int stride) where T : unmanaged, IBinaryInteger<T>
    {
        for (int start = 0; start + rowSamples <= values.Length; start += rowSamples)
        {
            Span<T> row = values.Slice(start, rowSamples);
            for (int i = stride; i < row.Length; i++)
            {
                row[i] += row[i - stride];
            }
        }
    }
}
