using System.Buffers;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>Reductions of a grid to the picture's resolution.</summary>
internal static class Raster
{
    public const byte NoIndex = 255;

    /// <summary>Reduces palette indices (0..count-1, 255 nodata) by the mode of each d x d block, ties to the larger index.</summary>
    public static byte[] ReduceMode(ReadOnlySpan<byte> index, int width, int height, int d, int count, out int outWidth, out int outHeight)
    {
        outWidth = (width + d - 1) / d;
        outHeight = (height + d - 1) / d;
        byte[] result = new byte[outWidth * outHeight];
        if (d == 1)
        {
            index[..result.Length].CopyTo(result);
            return result;
        }

        Span<int> counts = count <= 256 ? stackalloc int[count] : new int[count];
        for (int by = 0; by < outHeight; by++)
        {
            for (int bx = 0; bx < outWidth; bx++)
            {
                counts.Clear();
                int y1 = Math.Min(height, (by + 1) * d);
                int x1 = Math.Min(width, (bx + 1) * d);
                for (int y = by * d; y < y1; y++)
                {
                    ReadOnlySpan<byte> row = index.Slice(y * width, width);
                    for (int x = bx * d; x < x1; x++)
                    {
                        byte v = row[x];
                        if (v < count)
                        {
                            counts[v]++;
                        }
                    }
                }

                int best = NoIndex;
                int bestCount = 0;
                for (int v = 0; v < count; v++)
                {
                    if (counts[v] > 0 && counts[v] >= bestCount)
                    {
                        best = v;
                        bestCount = counts[v];
                    }
                }

                result[(by * outWidth) + bx] = (byte)best;
            }
        }

        return result;
    }

    /// <summary>Reduces float values (NaN nodata) by the mean of the valid values of each d x d block.</summary>
    public static float[] ReduceMean(ReadOnlySpan<float> values, int width, int height, int d, out int outWidth, out int outHeight)
    {
        outWidth = (width + d - 1) / d;
        outHeight = (height + d - 1) / d;
        float[] result = new float[outWidth * outHeight];
        for (int by = 0; by < outHeight; by++)
        {
            for (int bx = 0; bx < outWidth; bx++)
            {
                double sum = 0;
                int n = 0;
                int y1 = Math.Min(height, (by + 1) * d);
                int x1 = Math.Min(width, (bx + 1) * d);
                for (int y = by * d; y < y1; y++)
                {
                    for (int x = bx * d; x < x1; x++)
                    {
                        float v = values[(y * width) + x];
                        if (float.IsFinite(v))
                        {
                            sum += v;
                            n++;
                        }
                    }
                }

                result[(by * outWidth) + bx] = n == 0 ? float.NaN : (float)(sum / n);
            }
        }

        return result;
    }

    /// <summary>The value at quantile q (0..1) of the finite values, by sorting a regular sample of at most 1,000,000.</summary>
    public static float Percentile(ReadOnlySpan<float> values, double q0, double q1, out float high)
    {
        int stride = Math.Max(1, values.Length / 1_000_000);
        float[] buffer = ArrayPool<float>.Shared.Rent((values.Length / stride) + 1);
        try
        {
            int n = 0;
            for (int i = 0; i < values.Length; i += stride)
            {
                if (float.IsFinite(values[i]))
                {
                    buffer[n++] = values[i];
                }
            }

            if (n == 0)
            {
                high = 1;
                return 0;
            }

            Span<float> sample = buffer.AsSpan(0, n);
            sample.Sort();
            high = sample[(int)Math.Round(q1 * (n - 1))];
            return sample[(int)Math.Round(q0 * (n - 1))];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
