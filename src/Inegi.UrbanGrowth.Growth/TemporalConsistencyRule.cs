namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Makes a cell's yearly classes consistent in time: once urban, a cell stays urban unless the evidence against it
/// is strong in several consecutive years; a cell turns urban only on confident evidence, optionally confirmed by
/// the next year.
/// </summary>
/// <remarks>
/// <para>Inputs per cell and year <c>t</c> (years in increasing order): the class <c>c[t]</c> (0, 1, 255) and
/// p(urban) <c>p[t]</c> as a byte 0..100 (255 nodata), as in bands 1 and 2 of a map (SPEC 7). A year is
/// <em>valid</em> when <c>c[t] &lt;= 1</c> and <c>p[t] &lt;= 100</c>; an invalid year gives 255 in the output,
/// leaves the state as it was, and is skipped by the "next year" and "consecutive years" counts below (it
/// neither counts towards a run nor breaks one).</para>
/// <para>The output <c>s[t]</c> is computed with a state <c>urban</c> (false before the first year):</para>
/// <list type="number">
/// <item><description>Onset (state non-urban): year <c>t</c> <em>qualifies</em> when <c>c[t] = 1</c> and
/// <c>p[t] &gt;= UrbanThreshold</c>. With <see cref="ConfirmNextYear"/>, the next valid year must qualify too
/// (the last valid year needs no confirmation: there is no later evidence, the single-year call stands). If the
/// onset holds, <c>s[t] = 1</c> and the state becomes urban; otherwise <c>s[t] = 0</c>.</description></item>
/// <item><description>Persistence (state urban): a year with <c>p[t] &lt; LossThreshold</c> is evidence against
/// urban. While fewer than <see cref="LossYears"/> such valid years have come in a row, <c>s[t] = 1</c>. When the
/// run reaches <see cref="LossYears"/>, the loss is accepted from the run's first year: every valid year of the
/// run becomes 0 and the state becomes non-urban (later years may turn urban again by rule 1). A valid year with
/// <c>p[t] &gt;= LossThreshold</c> resets the run. A run still shorter than <see cref="LossYears"/> at the end of
/// the series keeps the cell urban.</description></item>
/// </list>
/// <para>Defaults: UrbanThreshold 50 (p(urban) &gt;= 0.5, the classifier's own threshold), ConfirmNextYear false,
/// LossThreshold 30, LossYears 2.</para>
/// </remarks>
public sealed class TemporalConsistencyRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="urbanThreshold">Minimum p(urban), percent 0..100, for a cell to turn urban.</param>
    /// <param name="confirmNextYear">Whether a new urban cell must also qualify in the next valid year.</param>
    /// <param name="lossThreshold">p(urban), percent 0..100, below which a year counts as evidence against urban.</param>
    /// <param name="lossYears">Consecutive valid years of such evidence needed to drop an urban cell (&gt;= 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is above 100, or <paramref name="lossYears"/> is below 1.</exception>
    public TemporalConsistencyRule(int urbanThreshold = 50, bool confirmNextYear = false, int lossThreshold = 30, int lossYears = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(urbanThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(urbanThreshold, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(lossThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lossThreshold, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(lossYears, 1);
        UrbanThreshold = urbanThreshold;
        ConfirmNextYear = confirmNextYear;
        LossThreshold = lossThreshold;
        LossYears = lossYears;
    }

    /// <summary>Minimum p(urban), percent, for a cell to turn urban.</summary>
    public int UrbanThreshold { get; }

    /// <summary>Whether a new urban cell must also qualify in the next valid year.</summary>
    public bool ConfirmNextYear { get; }

    /// <summary>p(urban), percent, below which a year is evidence against urban.</summary>
    public int LossThreshold { get; }

    /// <summary>Consecutive valid years of evidence against urban needed to drop an urban cell.</summary>
    public int LossYears { get; }

    /// <summary>Applies the rule to one cell's series.</summary>
    /// <param name="classes">Class per year (0, 1, 255), years in increasing order.</param>
    /// <param name="probabilities">p(urban) per year, byte 0..100 (255 nodata), same length.</param>
    /// <param name="result">Receives the consistent classes (0, 1, 255), same length.</param>
    public void ApplyToCell(ReadOnlySpan<byte> classes, ReadOnlySpan<byte> probabilities, Span<byte> result)
    {
        if (probabilities.Length != classes.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {classes.Length} classes.", nameof(probabilities));
        }

        if (result.Length < classes.Length)
        {
            throw new ArgumentException($"The result holds {result.Length} years; {classes.Length} are needed.", nameof(result));
        }

        ApplyStrided(classes, probabilities, 0, 1, classes.Length, result);
    }

    /// <summary>Applies the rule to every cell of a row given for all years.</summary>
    /// <param name="classes">The class rows of all years, year-major: <c>classes[t * width + x]</c>.</param>
    /// <param name="probabilities">The p(urban) rows, same layout.</param>
    /// <param name="years">Number of years (rows); <c>classes.Length</c> must be a multiple of it.</param>
    /// <param name="result">Receives the consistent class rows, same layout.</param>
    public void Apply(ReadOnlySpan<byte> classes, ReadOnlySpan<byte> probabilities, int years, Span<byte> result)
    {
        int width = SeriesLayout.Width(classes.Length, years, nameof(classes));
        if (probabilities.Length != classes.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {classes.Length} classes.", nameof(probabilities));
        }

        if (result.Length < classes.Length)
        {
            throw new ArgumentException($"The result holds {result.Length} values; {classes.Length} are needed.", nameof(result));
        }

        for (int x = 0; x < width; x++)
        {
            ApplyStrided(classes, probabilities, x, width, years, result);
        }
    }

    /// <summary>Whether a year is valid for the rule.</summary>
    internal static bool IsValid(byte c, byte p) => c <= 1 && p <= 100;

    /// <summary>The rule on the values at <c>offset + t * stride</c>, t = 0..n-1.</summary>
    internal void ApplyStrided(ReadOnlySpan<byte> c, ReadOnlySpan<byte> p, int offset, int stride, int n, Span<byte> s)
    {
        bool urban = false;
        int run = 0;
        int runStart = 0;
        for (int t = 0; t < n; t++)
        {
            int k = offset + (t * stride);
            if (!IsValid(c[k], p[k]))
            {
                s[k] = UrbanClass.Undefined;
                continue;
            }

            if (!urban)
            {
                bool onset = Qualifies(c[k], p[k]);
                if (onset && ConfirmNextYear)
                {
                    for (int u = t + 1; u < n; u++)
                    {
                        int j = offset + (u * stride);
                        if (IsValid(c[j], p[j]))
                        {
                            onset = Qualifies(c[j], p[j]);
                            break;
                        }
                    }
                }

                urban = onset;
                run = 0;
                s[k] = onset ? UrbanClass.Urban : UrbanClass.NonUrban;
                continue;
            }

            s[k] = UrbanClass.Urban;
            if (p[k] >= LossThreshold)
            {
                run = 0;
                continue;
            }

            if (run == 0)
            {
                runStart = t;
            }

            run++;
            if (run >= LossYears)
            {
                for (int u = runStart; u <= t; u++)
                {
                    int j = offset + (u * stride);
                    if (s[j] != UrbanClass.Undefined)
                    {
                        s[j] = UrbanClass.NonUrban;
                    }
                }

                urban = false;
                run = 0;
            }
        }
    }

    private bool Qualifies(byte c, byte p) => c == UrbanClass.Urban && p >= UrbanThreshold;
}
