namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// A straightforward implementation of SPEC 3, one pass per statistic and a sorted copy for the median: the
/// baseline for benchmarks and a second opinion in tests. Not for production use (it allocates per channel).
/// </summary>
internal static class ReferencePatchFeatures
{
    /// <summary>The features of one patch.</summary>
    public static void Extract(PatchFeatureLayout layout, ReadOnlySpan<float> channelPlanes, Span<float> destination)
    {
        int n = layout.PixelCount;
        for (int c = 0; c < layout.ChannelCount; c++)
        {
            ExtractChannel(channelPlanes.Slice(c * n, n), layout.CenterIndex, destination.Slice(c * PatchStatistics.Count, PatchStatistics.Count));
        }
    }

    /// <summary>The 18 statistics of one channel plane.</summary>
    public static void ExtractChannel(ReadOnlySpan<float> x, int centerIndex, Span<float> d)
    {
        int n = x.Length;
        foreach (float v in x)
        {
            if (!float.IsFinite(v))
            {
                d[..PatchStatistics.Count].Fill(float.NaN);
                return;
            }
        }

        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        double mean = sum / n;
        double m2 = CentralMoment(x, mean, 2);
        double m3 = CentralMoment(x, mean, 3);
        double m4 = CentralMoment(x, mean, 4);

        float[] sorted = x.ToArray();
        Array.Sort(sorted);
        float median = sorted[n / 2];

        float min = sorted[0];
        float max = sorted[n - 1];
        var edges = new float[NumpyHistogram.EdgeBufferLength];
        NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
        var counts = new int[NumpyHistogram.Bins];
        foreach (float v in x)
        {
            counts[NumpyHistogram.BinOf(v, edges, first, norm)]++;
        }

        PatchKernels.WriteStatistics(n, mean, m2, m3, m4, median, counts, x[centerIndex], d);
    }

    private static double CentralMoment(ReadOnlySpan<float> x, double mean, int k)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += Math.Pow(v - mean, k);
        }

        return s / x.Length;
    }
}
