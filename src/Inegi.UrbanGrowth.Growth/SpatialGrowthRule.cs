namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Yearly urban classes of a whole grid from yearly built-up scores and one census year's labels, decided together
/// so that the census year is exact, cells never turn back from urban to non-urban, the mapped urban area of the census
/// year equals the labelled one, and growth spreads from towns (docs/growth.md, "The decision").
/// </summary>
/// <remarks>
/// <para>Inputs: per year, one score per cell (log-odds of urban, already normalised to the census year; NaN where the
/// year has no complete patch) and the census labels (0, 1, anything else unlabelled).</para>
/// <para>The decision, in order:</para>
/// <list type="number">
/// <item>Each cell's scores are replaced by their non-decreasing least-squares fit over its valid years
/// (<see cref="IsotonicRegression"/>): built-up land does not go back to fields within a decade.</item>
/// <item>The threshold <see cref="Decision.Threshold"/> is the fitted census-year score of the k-th most urban labelled
/// cell, k the number of cells labelled urban, so that thresholding the census year maps the labelled urban area
/// (count matching: the area, not the recall, is what the population estimates need).</item>
/// <item>The census year is its labels (also where its mosaic has no complete patch). After it, a cell urban the year before stays urban; a non-urban one becomes
/// urban where its score reaches the threshold and it touches (8 neighbours) an urban cell of the same year, found in
/// <see cref="InclusionPasses"/> sweeps outward from the previous year's towns, or where its score exceeds the
/// threshold by <see cref="DetachedMargin"/> (a new development away from towns must look clearly urban).</item>
/// <item>Before it, a cell non-urban the year after stays non-urban; an urban one stays urban unless it lies on the
/// edge of its town the year after (a non-urban neighbour) and its score falls below the threshold less
/// <see cref="PreCensusTolerance"/>: towns grew outward, so their cores were there already.</item>
/// <item>Unlabelled cells are the threshold of their fitted scores.</item>
/// </list>
/// <para>Memory: the scores of all years (4 bytes per cell and year) and the classes (1 byte); 60 MB for Mexico's two
/// million cells and five years. Single-threaded and order-independent sweeps (each reads the previous sweep's
/// classes), so the result does not depend on threads.</para>
/// </remarks>
public sealed class SpatialGrowthRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="preCensusTolerance">Log-odds below the threshold an edge cell's score must fall to be non-urban before the census.</param>
    /// <param name="detachedMargin">Log-odds above the threshold a cell away from towns needs to become urban.</param>
    /// <param name="inclusionPasses">Sweeps outward from the previous year's towns per year.</param>
    public SpatialGrowthRule(double preCensusTolerance = DefaultPreCensusTolerance, double detachedMargin = DefaultDetachedMargin, int inclusionPasses = DefaultInclusionPasses)
    {
        if (!double.IsFinite(preCensusTolerance) || !double.IsFinite(detachedMargin))
        {
            throw new ArgumentOutOfRangeException(nameof(preCensusTolerance), "The tolerance and the margin must be numbers.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(inclusionPasses, 1);
        PreCensusTolerance = preCensusTolerance;
        DetachedMargin = detachedMargin;
        InclusionPasses = inclusionPasses;
    }

    /// <summary>The default <see cref="PreCensusTolerance"/> (measured on seeds 1-3, docs/growth.md).</summary>
    public const double DefaultPreCensusTolerance = 0.5;

    /// <summary>The default <see cref="DetachedMargin"/>.</summary>
    public const double DefaultDetachedMargin = 3.0;

    /// <summary>The default <see cref="InclusionPasses"/>: three cells of 1 km outward per year step.</summary>
    public const int DefaultInclusionPasses = 3;

    /// <summary>Log-odds below the threshold an edge cell must fall to be non-urban before the census.</summary>
    public double PreCensusTolerance { get; }

    /// <summary>Log-odds above the threshold a cell touching no town needs to become urban.</summary>
    public double DetachedMargin { get; }

    /// <summary>Sweeps outward from the previous year's towns per year.</summary>
    public int InclusionPasses { get; }

    /// <summary>Decides every cell and year.</summary>
    /// <param name="scores">Per year (oldest first) the normalised scores of all cells, row-major; NaN = no data. Fitted in place.</param>
    /// <param name="censusLabels">The census year's labels, one per cell.</param>
    /// <param name="width">Cells per row.</param>
    /// <param name="censusIndex">Index of the census year in <paramref name="scores"/>.</param>
    /// <returns>The classes and confidences.</returns>
    public Decision Decide(float[][] scores, ReadOnlySpan<byte> censusLabels, int width, int censusIndex)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int n = scores.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(censusIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(censusIndex, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        int cells = censusLabels.Length;
        if (cells % width != 0 || scores.Any(s => s is null || s.Length != cells))
        {
            throw new ArgumentException($"Every year needs one score per cell ({cells} cells, {width} per row).", nameof(scores));
        }

        int height = cells / width;
        FitMonotone(scores, cells);
        double threshold = CountMatchingThreshold(scores[censusIndex], censusLabels);
        byte[][] classes = new byte[n][];
        for (int t = 0; t < n; t++)
        {
            classes[t] = new byte[cells];
        }

        // The census year and the unlabelled cells of every year.
        for (int i = 0; i < cells; i++)
        {
            for (int t = 0; t < n; t++)
            {
                float s = scores[t][i];
                classes[t][i] = censusLabels[i] <= 1 && t == censusIndex ? censusLabels[i] // even without a score
                    : float.IsNaN(s) ? UrbanClass.Undefined
                    : s >= threshold ? UrbanClass.Urban : UrbanClass.NonUrban;
            }
        }

        // The state of labelled cells carried from year to year (the last valid year's class), forward then backward.
        byte[] state = new byte[cells], next = new byte[cells];
        for (int i = 0; i < cells; i++)
        {
            state[i] = censusLabels[i] <= 1 ? censusLabels[i] : UrbanClass.Undefined;
        }

        for (int t = censusIndex + 1; t < n; t++)
        {
            float[] s = scores[t];
            state.CopyTo(next, 0);
            for (int pass = 0; pass < InclusionPasses; pass++)
            {
                bool changed = false;
                byte[] from = (byte[])next.Clone();
                for (int i = 0; i < cells; i++)
                {
                    if (from[i] != UrbanClass.NonUrban || float.IsNaN(s[i]) || s[i] < threshold)
                    {
                        continue;
                    }

                    if (s[i] >= threshold + DetachedMargin || TouchesUrban(from, i, width, height))
                    {
                        next[i] = UrbanClass.Urban;
                        changed = true;
                    }
                }

                if (!changed)
                {
                    break;
                }
            }

            Commit(classes[t], s, censusLabels, next, state);
        }

        for (int i = 0; i < cells; i++)
        {
            state[i] = censusLabels[i] <= 1 ? censusLabels[i] : UrbanClass.Undefined;
        }

        for (int t = censusIndex - 1; t >= 0; t--)
        {
            float[] s = scores[t];
            state.CopyTo(next, 0);
            double floor = threshold - PreCensusTolerance;
            for (int i = 0; i < cells; i++)
            {
                if (state[i] == UrbanClass.Urban && !float.IsNaN(s[i]) && s[i] < floor && TouchesNonUrban(state, i, width, height))
                {
                    next[i] = UrbanClass.NonUrban;
                }
            }

            Commit(classes[t], s, censusLabels, next, state);
        }

        byte[][] confidence = new byte[n][];
        for (int t = 0; t < n; t++)
        {
            confidence[t] = new byte[cells];
            for (int i = 0; i < cells; i++)
            {
                confidence[t][i] = Confidence(classes[t][i], scores[t][i], threshold, t == censusIndex && censusLabels[i] <= 1);
            }
        }

        return new Decision(classes, confidence, threshold);
    }

    /// <summary>A cell's confidence of urban in percent, consistent with its class: the logistic of its score above the threshold, kept at 50 or more for urban cells and below 50 for the others; the census labels are certain.</summary>
    /// <param name="cls">The decided class.</param>
    /// <param name="score">The fitted score.</param>
    /// <param name="threshold">The threshold.</param>
    /// <param name="labelled">Whether the class is the census label.</param>
    public static byte Confidence(byte cls, float score, double threshold, bool labelled)
    {
        if (cls > 1)
        {
            return UrbanClass.Undefined;
        }

        if (labelled)
        {
            return cls == UrbanClass.Urban ? (byte)100 : (byte)0;
        }

        double p = 100 / (1 + Math.Exp(-(score - threshold)));
        return cls == UrbanClass.Urban ? (byte)Math.Clamp(Math.Round(p), 50, 100) : (byte)Math.Clamp(Math.Round(p), 0, 49);
    }

    private static void Commit(byte[] classes, float[] scores, ReadOnlySpan<byte> labels, byte[] next, byte[] state)
    {
        for (int i = 0; i < classes.Length; i++)
        {
            if (labels[i] > 1)
            {
                continue;
            }

            if (float.IsNaN(scores[i]))
            {
                classes[i] = UrbanClass.Undefined; // no data this year; the state carries over
                continue;
            }

            classes[i] = next[i];
            state[i] = next[i];
        }
    }

    private static void FitMonotone(float[][] scores, int cells)
    {
        int n = scores.Length;
        Span<double> series = stackalloc double[n], fitted = stackalloc double[n];
        for (int i = 0; i < cells; i++)
        {
            for (int t = 0; t < n; t++)
            {
                series[t] = scores[t][i];
            }

            IsotonicRegression.Fit(series, fitted);
            for (int t = 0; t < n; t++)
            {
                scores[t][i] = (float)fitted[t];
            }
        }
    }

    /// <summary>The fitted census score above which exactly as many labelled cells lie as are labelled urban (ties: the lower score).</summary>
    private static double CountMatchingThreshold(float[] census, ReadOnlySpan<byte> labels)
    {
        var values = new List<float>();
        int urban = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] <= 1 && !float.IsNaN(census[i]))
            {
                values.Add(census[i]);
                urban += labels[i];
            }
        }

        if (urban == 0)
        {
            return double.PositiveInfinity;
        }

        values.Sort((a, b) => b.CompareTo(a));
        return values[urban - 1];
    }

    private static bool TouchesUrban(byte[] classes, int i, int width, int height) => Touches(classes, i, width, height, UrbanClass.Urban);

    private static bool TouchesNonUrban(byte[] classes, int i, int width, int height) => Touches(classes, i, width, height, UrbanClass.NonUrban);

    private static bool Touches(byte[] classes, int i, int width, int height, byte value)
    {
        int x = i % width, y = i / width;
        for (int dy = -1; dy <= 1; dy++)
        {
            int yy = y + dy;
            if (yy < 0 || yy >= height)
            {
                continue;
            }

            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                if ((dx != 0 || dy != 0) && xx >= 0 && xx < width && classes[(yy * width) + xx] == value)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The decided classes and confidences of every year.</summary>
    /// <param name="Classes">Per year, per cell: 0 non-urban, 1 urban, 255 no data.</param>
    /// <param name="Confidence">Per year, per cell: confidence of urban in percent (255 no data).</param>
    /// <param name="Threshold">The count-matching threshold on the fitted scores.</param>
    public sealed record Decision(byte[][] Classes, byte[][] Confidence, double Threshold);
}
