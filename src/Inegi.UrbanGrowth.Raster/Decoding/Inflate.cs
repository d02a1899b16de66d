using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Raster.Decoding;

/// <summary>
/// Inflates the zlib streams of Deflate-compressed TIFF blocks: with libdeflate (Debian's <c>libdeflate0</c>) where
/// the process can load it, otherwise with the runtime's zlib-ng through <see cref="ZLibStream"/>.
/// </summary>
/// <remarks>
/// libdeflate decodes a whole buffer whose decoded size is known, which is exactly a TIFF block, and does so faster
/// than a streaming inflater (docs/benchmarks.md, issue 21). Where it refuses a block (corrupt data, or a stream that
/// decodes to more than the block, which libtiff and the stream path quietly cut), the stream path decodes it, so the
/// result is always the stream path's.
/// </remarks>
internal static unsafe class Inflate
{
    private static readonly LibDeflate? Native = LibDeflate.TryLoad();

    /// <summary>Whether libdeflate was found and is used.</summary>
    public static bool HasLibDeflate => Native is not null;

    /// <summary>Inflates a zlib stream into <paramref name="destination"/>; returns the bytes written (at most its length).</summary>
    /// <param name="source">The zlib stream (a whole compressed block).</param>
    /// <param name="sourceLength">Bytes of <paramref name="source"/> that hold the stream.</param>
    /// <param name="destination">The decoded block.</param>
    /// <param name="useLibDeflate">False to force the stream path (benchmarks, tests).</param>
    /// <exception cref="InvalidDataException">The stream path met corrupt data.</exception>
    public static int ZLib(byte[] source, int sourceLength, Span<byte> destination, bool useLibDeflate = true)
    {
        if (useLibDeflate && Native is { } native && native.TryDecompress(source.AsSpan(0, sourceLength), destination, out int written))
        {
            return written;
        }

        int total = 0;
        using var input = new MemoryStream(source, 0, sourceLength, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        int n;
        while (total < destination.Length && (n = zlib.Read(destination[total..])) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>libdeflate 1.x through function pointers; decompressors are pooled (one per concurrent caller).</summary>
    private sealed class LibDeflate
    {
        private readonly delegate* unmanaged<nint> _alloc;
        private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint*, int> _zlibDecompress;
        private readonly ConcurrentBag<nint> _idle = [];

        private LibDeflate(nint library)
        {
            _alloc = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "libdeflate_alloc_decompressor");
            _zlibDecompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint*, int>)NativeLibrary.GetExport(library, "libdeflate_zlib_decompress");
        }

        public static LibDeflate? TryLoad()
        {
            if (Environment.GetEnvironmentVariable("URBANGROWTH_NO_LIBDEFLATE") == "1")
            {
                return null;
            }

            foreach (string name in (ReadOnlySpan<string>)["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib", "libdeflate.dll", "deflate.dll"])
            {
                if (NativeLibrary.TryLoad(name, out nint handle))
                {
                    try
                    {
                        return new LibDeflate(handle);
                    }
                    catch (EntryPointNotFoundException)
                    {
                        NativeLibrary.Free(handle);
                    }
                }
            }

            return null;
        }

        public bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
        {
            if (!_idle.TryTake(out nint decompressor))
            {
                decompressor = _alloc();
                if (decompressor == 0)
                {
                    written = 0;
                    return false;
                }
            }

            try
            {
                nuint actual;
                int result;
                fixed (byte* input = source)
                fixed (byte* output = destination)
                {
                    result = _zlibDecompress(decompressor, input, (nuint)source.Length, output, (nuint)destination.Length, &actual);
                }

                // 0 = success; 1 bad data, 3 insufficient space: left to the stream path.
                written = result == 0 ? (int)actual : 0;
                return result == 0;
            }
            finally
            {
                // Kept for the process's lifetime: a few per thread that ever inflated, 30-odd kB each.
                _idle.Add(decompressor);
            }
        }
    }
}
