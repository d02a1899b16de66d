namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Decides each cell's urban state in every year from its yearly built-up scores and the census label of one year
/// (docs/growth.md, "The growth method"). The scores are log-odds of urban of a score fitted on the census year
/// (<see cref="LogisticScore"/>), already normalised per year (<see cref="YearNormalisation"/>).
/// </summary>
/// <remarks>
/// <para>Per cell: the scores are made non-decreasing (<see cref="IsotonicRegression"/>: built-up land does not go
/// back); <c>d_t = m_t - m_c</c> is the smoothed change since the census year <c>c</c>, and <c>sigma_t</c> the
/// noise of a yearly change (robust spread of <c>s_t - s_c</c> over all cells, most of which do not change).</para>
/// <para>The census year is known: its state is the label. A cell labelled non-urban becomes urban in a later year
/// <c>t</c> with confidence <c>p_t = logistic(m_t) * Phi(d_t / sigma_t - Margin)</c>: it must both look urban and
/// have risen by more than year-to-year noise explains. A cell labelled urban was already urban in an earlier
/// year with confidence <c>1 - (1 - logistic(m_t)) * Phi(-d_t / sigma_t - Margin)</c>. Static look-alikes
/// (quarries, bright soils, greenhouses) therefore never turn into growth, whatever their score: their score does
/// not rise. A cell without a census label (no data, undefined) gets <c>p_t = logistic(m_t)</c>.</para>
/// <para>The class of a year is urban where <c>p_t &gt;= 0.5</c>; the confidences never decrease over the years,
/// so neither do the classes.</para>
/// </remarks>
public sealed class AnchoredGrowthRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="censusIndex">Index of the census year in the series.</param>
    /// <param name="changeNoise">The noise <c>sigma_t</c> of each year's score change from the census year (the census year's own value is ignored).</param>
    /// <param name="margin">How many noise spreads a change must exceed to count (<see cref="Margin"/>).</param>
    public AnchoredGrowthRule(int censusIndex, IReadOnlyList<double> changeNoise, double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(changeNoise);
        if (censusIndex < 0 || censusIndex >= changeNoise.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(censusIndex), censusIndex, $"The census year must be one of the {changeNoise.Count} years.");
        }

        for (int t = 0; t < changeNoise.Count; t++)
        {
            if (t != censusIndex && !(changeNoise[t] > 0 && double.IsFinite(changeNoise[t])))
            {
                throw new ArgumentException($"The change noise of year {t} must be positive; got {changeNoise[t]}.", nameof(changeNoise));
            }
        }

        if (!double.IsFinite(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be finite.");
        }

        CensusIndex = censusIndex;
        ChangeNoise = [.. changeNoise];
        Margin = margin;
    }

    /// <summary>The default <see cref="Margin"/> (tuned on synthetic seeds 1-3, docs/growth.md).</summary>
    public const double DefaultMargin = 0.0;

    /// <summary>Index of the census year.</summary>
    public int CensusIndex { get; }

    /// <summary>Noise of the yearly score change, per year.</summary>
    public IReadOnlyList<double> ChangeNoise { get; }

    /// <summary>Noise spreads a change must exceed: larger is fewer false alerts and more missed growth.</summary>
    public double Margin { get; }

    /// <summary>Years in the series.</summary>
    public int YearCount => ChangeNoise.Count;

    /// <summary>
    /// The confidence that the cell is urban in each year: NaN where the year has no score and the census label does
    /// not settle it (it settles the census year, the years after an urban census and those before a non-urban one).
    /// </summary>
    /// <param name="scores">Normalised scores, one per year (NaN = no data that year).</param>
    /// <param name="censusLabel">The census label: 0, 1, or anything else for unknown.</param>
    /// <param name="confidence">Receives p(urban) per year.</param>
    public void Apply(ReadOnlySpan<double> scores, byte censusLabel, Span<double> confidence)
    {
        int n = YearCount;
        if (scores.Length != n || confidence.Length != n)
        {
            throw new ArgumentException($"The rule has {n} years; {scores.Length} scores and {confidence.Length} outputs given.", nameof(scores));
        }

        Span<double> smooth = stackalloc double[n];
        IsotonicRegression.Fit(scores, smooth);
        double reference = ReferenceScore(smooth);
        bool known = censusLabel <= 1;
        for (int t = 0; t < n; t++)
        {
            // Built-up land is taken not to go back: after an urban census a cell stays urban, before a non-urban
            // census it was non-urban, whether or not the mosaic of that year saw it.
            if (known && (t == CensusIndex || (censusLabel == 1 && t > CensusIndex) || (censusLabel == 0 && t < CensusIndex)))
            {
                confidence[t] = censusLabel;
                continue;
            }

            double m = smooth[t];
            if (double.IsNaN(m))
            {
                confidence[t] = double.NaN;
                continue;
            }

            double looksUrban = Logistic(m);
            if (!known || double.IsNaN(reference))
            {
                confidence[t] = looksUrban;
                continue;
            }

            double z = (m - reference) / ChangeNoise[t];
            confidence[t] = censusLabel == 0
                ? looksUrban * NormalCdf(z - Margin)
                : 1 - ((1 - looksUrban) * NormalCdf(-z - Margin));
        }
    }

    // The census year's smoothed score, or, when that year has no data, the nearest earlier valid year's (the
    // smoothed series is monotone, so an earlier year is a lower bound), else the nearest later one's.
    private double ReferenceScore(ReadOnlySpan<double> smooth)
    {
        for (int t = CensusIndex; t >= 0; t--)
        {
            if (!double.IsNaN(smooth[t]))
            {
                return smooth[t];
            }
        }

        for (int t = CensusIndex + 1; t < smooth.Length; t++)
        {
            if (!double.IsNaN(smooth[t]))
            {
                return smooth[t];
            }
        }

        return double.NaN;
    }

    /// <summary>The logistic function, 1 / (1 + e^-z).</summary>
    /// <param name="z">Log-odds.</param>
    public static double Logistic(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>
    /// The standard normal distribution function, by Marsaglia's series (J. Stat. Softw. 11(4), 2004):
    /// <c>Phi(z) = 1/2 + phi(z) (z + z^3/3 + z^5/(3*5) + ...)</c>, absolute error below 1e-15 on [-8, 8]; 0 and 1 beyond.
    /// </summary>
    public static double NormalCdf(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        if (z < -8)
        {
            return 0;
        }

        if (z > 8)
        {
            return 1;
        }

        // Marsaglia (2004), "Evaluating the normal distribution": Phi(z) = 1/2 + phi(z) (z + z^3/3 + z^5/(3*5) + ...).
        double sum = z, term = z, z2 = z * z;
        for (int i = 3; i < 200 && sum + term != sum; i += 2)
        {
            term *= z2 / i;
            sum += term;
        }

        return Math.Clamp(0.5 + (sum * Math.Exp(-(z2 / 2) - 0.91893853320467274178)), 0, 1);
    }
}
