namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>
/// A two-class confusion matrix (non-urban = negative, urban = positive) whose entries are counts or sums of
/// weights. Weights let a balanced held-out sample stand for the population (see <see cref="ThresholdOptions.ForPopulation"/>).
/// </summary>
/// <remarks>
/// <para>precision = tp / (tp + fp); recall = tp / (tp + fn); F1 = 2 tp / (2 tp + fp + fn);
/// specificity = tn / (tn + fp); balanced accuracy = (recall + specificity) / 2;
/// accuracy = (tp + tn) / (tp + tn + fp + fn).</para>
/// <para>A ratio whose denominator is 0 is reported as 0 (sklearn's <c>zero_division=0</c>), except
/// <see cref="Accuracy"/> of an empty matrix, which is NaN.</para>
/// Counts are kept in <see cref="double"/>: integers are exact up to 2^53, far above any grid.
/// </remarks>
/// <param name="TrueNegatives">Reference non-urban, predicted non-urban.</param>
/// <param name="FalsePositives">Reference non-urban, predicted urban.</param>
/// <param name="FalseNegatives">Reference urban, predicted non-urban.</param>
/// <param name="TruePositives">Reference urban, predicted urban.</param>
public readonly record struct BinaryConfusion(double TrueNegatives, double FalsePositives, double FalseNegatives, double TruePositives)
{
    /// <summary>Sum of all four entries.</summary>
    public double Total => TrueNegatives + FalsePositives + FalseNegatives + TruePositives;

    /// <summary>Reference urban total, tp + fn.</summary>
    public double Positives => TruePositives + FalseNegatives;

    /// <summary>Reference non-urban total, tn + fp.</summary>
    public double Negatives => TrueNegatives + FalsePositives;

    /// <summary>Urban precision (user's accuracy of the urban class), tp / (tp + fp).</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Urban recall (producer's accuracy of the urban class), tp / (tp + fn).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Non-urban recall, tn / (tn + fp).</summary>
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    /// <summary>Non-urban precision, tn / (tn + fn).</summary>
    public double NegativePredictiveValue => Ratio(TrueNegatives, TrueNegatives + FalseNegatives);

    /// <summary>Urban F1, 2 tp / (2 tp + fp + fn): the harmonic mean of precision and recall.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Non-urban F1, 2 tn / (2 tn + fn + fp).</summary>
    public double NegativeF1 => Ratio(2 * TrueNegatives, 2 * TrueNegatives + FalsePositives + FalseNegatives);

    /// <summary>(recall + specificity) / 2.</summary>
    public double BalancedAccuracy => (Recall + Specificity) / 2;

    /// <summary>(tp + tn) / total; NaN for an empty matrix.</summary>
    public double Accuracy => Total > 0 ? (TruePositives + TrueNegatives) / Total : double.NaN;

    /// <summary>Adds one observation.</summary>
    /// <param name="reference">Reference class (0 or 1).</param>
    /// <param name="predicted">Predicted class (0 or 1).</param>
    /// <param name="weight">Weight of the observation (1 for a count).</param>
    public BinaryConfusion Add(byte reference, byte predicted, double weight = 1) => (reference, predicted) switch
    {
        (0, 0) => this with { TrueNegatives = TrueNegatives + weight },
        (0, _) => this with { FalsePositives = FalsePositives + weight },
        (_, 0) => this with { FalseNegatives = FalseNegatives + weight },
        _ => this with { TruePositives = TruePositives + weight },
    };

    /// <summary>Entry-wise sum.</summary>
    /// <param name="other">The other matrix.</param>
    public BinaryConfusion Plus(BinaryConfusion other) => new(
        TrueNegatives + other.TrueNegatives, FalsePositives + other.FalsePositives,
        FalseNegatives + other.FalseNegatives, TruePositives + other.TruePositives);

    /// <summary>Counts the cells of a reference grid against a predicted one, skipping cells where either is
    /// <see cref="UrbanClass.Undefined"/> (255).</summary>
    /// <param name="reference">Reference labels: 0, 1 or 255.</param>
    /// <param name="predicted">Predicted classes: 0, 1 or 255; same length.</param>
    /// <exception cref="ArgumentException">Lengths differ or a value is not 0, 1 or 255.</exception>
    public static BinaryConfusion FromLabels(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted)
    {
        if (reference.Length != predicted.Length)
        {
            throw new ArgumentException($"reference has {reference.Length} cells but predicted has {predicted.Length}.", nameof(predicted));
        }

        Span<long> counts = stackalloc long[4];
        for (int i = 0; i < reference.Length; i++)
        {
            byte r = reference[i], p = predicted[i];
            if (r == UrbanClass.Undefined || p == UrbanClass.Undefined)
            {
                continue;
            }

            if (r > 1)
            {
                throw new ArgumentException($"reference[{i}] is {r}; expected 0, 1 or 255.", nameof(reference));
            }

            if (p > 1)
            {
                throw new ArgumentException($"predicted[{i}] is {p}; expected 0, 1 or 255.", nameof(predicted));
            }

            counts[(r << 1) | p]++;
        }

        return new BinaryConfusion(counts[0], counts[1], counts[2], counts[3]);
    }

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
