namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Relative normalisation of yearly scores against the census year: each year's scores are shifted by the median of
/// their difference to the census year's over all cells valid in both, and the robust spread of that difference
/// (1.4826 x median absolute deviation) is the year's change noise. Most cells do not change between two years, so
/// the median removes what a whole year has in common (sensor gain, phenology, a hazier season) and the spread
/// measures how much an unchanged cell's score moves. Streams: differences go into a fixed histogram.
/// </summary>
public sealed class YearNormalisation
{
    private const double BinWidth = 0.001;
    private const double Range = 30;
    private static readonly int BinCount = (int)(2 * Range / BinWidth) + 1;
    private readonly long[][] _histograms;

    /// <summary>Creates an empty normalisation.</summary>
    /// <param name="yearCount">Years in the series.</param>
    /// <param name="censusIndex">Index of the census year (the reference).</param>
    public YearNormalisation(int yearCount, int censusIndex)
    {
        if (yearCount < 2 || censusIndex < 0 || censusIndex >= yearCount)
        {
            throw new ArgumentOutOfRangeException(nameof(censusIndex), censusIndex, $"The census year must be one of at least two years ({yearCount}).");
        }

        CensusIndex = censusIndex;
        _histograms = new long[yearCount][];
        for (int t = 0; t < yearCount; t++)
        {
            _histograms[t] = t == censusIndex ? [] : new long[BinCount];
        }
    }

    /// <summary>Index of the census year.</summary>
    public int CensusIndex { get; }

    /// <summary>Adds one cell's scores of all years (NaN = no data that year).</summary>
    /// <param name="scores">One score per year.</param>
    public void Add(ReadOnlySpan<double> scores)
    {
        if (scores.Length != _histograms.Length)
        {
            throw new ArgumentException($"{scores.Length} scores given for {_histograms.Length} years.", nameof(scores));
        }

        double reference = scores[CensusIndex];
        if (double.IsNaN(reference))
        {
            return;
        }

        for (int t = 0; t < scores.Length; t++)
        {
            if (t != CensusIndex && !double.IsNaN(scores[t]))
            {
                double d = Math.Clamp(scores[t] - reference, -Range, Range);
                _histograms[t][(int)Math.Round((d + Range) / BinWidth)]++;
            }
        }
    }

    /// <summary>Per year, the shift to subtract from its scores (0 for the census year and years without data).</summary>
    public double[] Offsets()
    {
        double[] offsets = new double[_histograms.Length];
        for (int t = 0; t < offsets.Length; t++)
        {
            offsets[t] = t == CensusIndex ? 0 : Median(_histograms[t]);
        }

        return offsets;
    }

    /// <summary>Per year, the robust spread of the change from the census year (NaN for the census year; NaN without data).</summary>
    public double[] Noise()
    {
        double[] noise = new double[_histograms.Length];
        for (int t = 0; t < noise.Length; t++)
        {
            if (t == CensusIndex)
            {
                noise[t] = double.NaN;
                continue;
            }

            long[] h = _histograms[t];
            double median = Median(h);
            if (double.IsNaN(median))
            {
                noise[t] = double.NaN;
                continue;
            }

            // Median of |d - median| from the same histogram: walk outwards from the median's bin.
            long total = h.Sum(), half = (total + 1) / 2, seen = 0;
            int centre = (int)Math.Round((median + Range) / BinWidth);
            double mad = 0;
            for (int r = 0; r < BinCount; r++)
            {
                seen += (centre - r >= 0 ? h[centre - r] : 0) + (r > 0 && centre + r < BinCount ? h[centre + r] : 0);
                if (seen >= half)
                {
                    mad = r * BinWidth;
                    break;
                }
            }

            noise[t] = Math.Max(1.4826 * mad, BinWidth);
        }

        return noise;
    }

    private static double Median(long[] histogram)
    {
        long total = 0;
        foreach (long c in histogram)
        {
            total += c;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        long half = (total + 1) / 2, seen = 0;
        for (int b = 0; b < histogram.Length; b++)
        {
            seen += histogram[b];
            if (seen >= half)
            {
                return (b * BinWidth) - Range;
            }
        }

        return double.NaN;
    }
}
