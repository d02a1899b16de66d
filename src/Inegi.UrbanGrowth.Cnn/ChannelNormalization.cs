namespace Inegi.UrbanGrowth.Cnn;

/// <summary>Per-channel standardisation of patch rows: <c>z = (x - mean_c) / std_c</c>, statistics from training rows only.</summary>
internal static class ChannelNormalization
{
    /// <summary>
    /// Mean and population standard deviation of every channel over all pixels of all rows (two passes, in double).
    /// A constant channel gets standard deviation 1, so it maps to 0 instead of dividing by zero.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static (float[] Mean, float[] Std) Fit(FeatureMatrix features, PatchPixelLayout layout)
    {
        int channels = layout.ChannelCount;
        int plane = layout.PixelsPerChannel;
        var sum = new double[channels];
        for (int r = 0; r < features.RowCount; r++)
        {
            ReadOnlySpan<float> row = features.Row(r);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> values = row.Slice(c * plane, plane);
                double s = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    float v = values[i];
                    if (!float.IsFinite(v))
                    {
                        throw NonFinite(features, r, c * plane + i);
                    }

                    s += v;
                }

                sum[c] += s;
            }
        }

        double n = (double)features.RowCount * plane;
        var mean = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            mean[c] = sum[c] / n;
        }

        var squares = new double[channels];
        for (int r = 0; r < features.RowCount; r++)
        {
            ReadOnlySpan<float> row = features.Row(r);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> values = row.Slice(c * plane, plane);
                double m = mean[c];
                double s = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    double d = values[i] - m;
                    s += d * d;
                }

                squares[c] += s;
            }
        }

        var meanF = new float[channels];
        var stdF = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double std = Math.Sqrt(squares[c] / n);
            meanF[c] = (float)mean[c];
            stdF[c] = std > 0 && double.IsFinite(std) && (float)std > 0 ? (float)std : 1f;
        }

        return (meanF, stdF);
    }

    /// <summary>Writes the standardised values of one row into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void Apply(FeatureMatrix features, int rowIndex, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, int plane, Span<float> destination)
    {
        ReadOnlySpan<float> row = features.Row(rowIndex);
        for (int c = 0; c < mean.Length; c++)
        {
            ReadOnlySpan<float> source = row.Slice(c * plane, plane);
            Span<float> target = destination.Slice(c * plane, plane);
            float m = mean[c];
            float inv = 1f / std[c];
            for (int i = 0; i < source.Length; i++)
            {
                float v = source[i];
                if (!float.IsFinite(v))
                {
                    throw NonFinite(features, rowIndex, c * plane + i);
                }

                target[i] = (v - m) * inv;
            }
        }
    }

    private static ArgumentException NonFinite(FeatureMatrix features, int row, int column) =>
        new($"Row {row}, column '{features.Schema.Names[column]}' is not a finite number; incomplete patches must be left out.", nameof(features));
}
