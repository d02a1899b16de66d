namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Least-squares non-decreasing fit of a short series (pool-adjacent-violators): the closest series, in the sum of
/// weighted squared differences, that never goes down. Built-up land does not come back to fields within a
/// decade, so a cell's built-up score over the years is smoothed this way before growth is decided.
/// </summary>
public static class IsotonicRegression
{
    /// <summary>
    /// Fits <paramref name="values"/> (NaN = missing, skipped and left NaN in <paramref name="fitted"/>) with equal
    /// weights; the fit is the mean of each pooled block.
    /// </summary>
    /// <param name="values">The series, oldest first.</param>
    /// <param name="fitted">Receives the non-decreasing fit (same length).</param>
    public static void Fit(ReadOnlySpan<double> values, Span<double> fitted)
    {
        if (fitted.Length != values.Length)
        {
            throw new ArgumentException($"The fit holds {fitted.Length} values for a series of {values.Length}.", nameof(fitted));
        }

        // Blocks as (sum, count, first index of the valid values); at most values.Length of them.
        Span<double> sums = values.Length <= 64 ? stackalloc double[values.Length] : new double[values.Length];
        Span<int> counts = values.Length <= 64 ? stackalloc int[values.Length] : new int[values.Length];
        int blocks = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            sums[blocks] = v;
            counts[blocks] = 1;
            blocks++;
            // Merge backwards while the previous block's mean is above this one's (compare sums cross-multiplied).
            while (blocks > 1 && sums[blocks - 2] * counts[blocks - 1] > sums[blocks - 1] * counts[blocks - 2])
            {
                sums[blocks - 2] += sums[blocks - 1];
                counts[blocks - 2] += counts[blocks - 1];
                blocks--;
            }
        }

        int block = 0, usedInBlock = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                fitted[i] = double.NaN;
                continue;
            }

            fitted[i] = sums[block] / counts[block];
            if (++usedInBlock == counts[block])
            {
                block++;
                usedInBlock = 0;
            }
        }
    }
}
