namespace Inegi.UrbanGrowth;

/// <summary>
/// The two-class view of a <see cref="ConfusionMatrix"/> (<see cref="ConfusionMatrix.Binary"/>): one positive class
/// (urban by default) against the rest, as four counts or sums of weights, with the binary metrics. Weights let a
/// balanced held-out sample stand for the population (the threshold selection of <c>Inegi.UrbanGrowth.Accuracy</c>).
/// It is a value, not a tally: count with <see cref="ConfusionMatrix"/>; a sweep that already knows the four sums
/// (a threshold sweep) builds the view directly.
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

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}
