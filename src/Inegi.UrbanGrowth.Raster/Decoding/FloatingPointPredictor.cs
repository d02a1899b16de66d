using System.Buffers;

namespace Inegi.UrbanGrowth.Raster.Decoding;

/// <summary>
/// Undoes TIFF predictor 3 (Adobe's floating-point predictor, TIFF Technical Note 3), as libtiff's <c>fpAcc</c>:
/// per row, the bytes are summed with a stride of the samples per pixel, then regrouped: the row holds byte plane 0
/// (the most significant byte of every sample), then plane 1, and so on, whatever the file's byte order.
/// </summary>
internal static class FloatingPointPredictor
{
    /// <summary>Undoes predictor 3 in place; the result is in little-endian (this machine's) byte order.</summary>
    /// <param name="data">Whole rows.</param>
    /// <param name="bytesPerSample">4 or 8.</param>
    /// <param name="rowSamples">Samples per row.</param>
    /// <param name="stride">Samples per pixel.</param>
    public static void Undo(Span<byte> data, int bytesPerSample, int rowSamples, int stride)
    {
        int rowBytes = rowSamples * bytesPerSample;
        if (rowBytes <= 0)
        {
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(rowBytes);
        try
        {
            Span<byte> planes = scratch.AsSpan(0, rowBytes);
            for (int start = 0; start + rowBytes <= data.Length; start += rowBytes)
            {
                Span<byte> row = data.Slice(start, rowBytes);
                HorizontalPredictor.Undo(row, 1, rowBytes, stride);
                row.CopyTo(planes);
                for (int b = 0; b < bytesPerSample; b++)
                {
                    // Plane b holds byte b counted from the most significant: little-endian byte (bytesPerSample - 1 - b).
                    ReadOnlySpan<byte> plane = planes.Slice(b * rowSamples, rowSamples);
                    int target = bytesPerSample - 1 - b;
                    for (int i = 0; i < plane.Length; i++)
                    {
                        row[i * bytesPerSample + target] = plane[i];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
