using System.Buffers;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>The score a decision threshold is chosen to maximise.</summary>
public enum ThresholdScore
{
    /// <summary>Urban F1 = 2 tp / (2 tp + fp + fn) (the default).</summary>
    UrbanF1,

    /// <summary>(urban recall + non-urban recall) / 2; unaffected by class weights.</summary>
    BalancedAccuracy,

    /// <summary>Urban precision among thresholds whose urban recall is at least <see cref="ThresholdOptions.MinimumRecall"/>.</summary>
    PrecisionAtMinimumRecall,
}

/// <summary>Settings of <see cref="ThresholdSelector.Select"/>.</summary>
public sealed record ThresholdOptions
{
    /// <summary>The score to maximise (urban F1 by default).</summary>
    public ThresholdScore Score { get; init; } = ThresholdScore.UrbanF1;

    /// <summary>Lowest acceptable urban recall for <see cref="ThresholdScore.PrecisionAtMinimumRecall"/> (0.9 by default).</summary>
    public double MinimumRecall { get; init; } = 0.9;

    /// <summary>Weight of each held-out non-urban cell (1 by default).</summary>
    public double NonUrbanWeight { get; init; } = 1;

    /// <summary>Weight of each held-out urban cell (1 by default).</summary>
    public double UrbanWeight { get; init; } = 1;

    /// <summary>
    /// Options whose class weights make a held-out sample drawn with urban fraction <paramref name="trainPrior"/>
    /// stand for a population with urban fraction <paramref name="populationPrior"/>.
    /// </summary>
    /// <param name="trainPrior">Urban fraction of the held-out (training) sample, e.g. 0.5.</param>
    /// <param name="populationPrior">Urban fraction of the population, e.g. 0.021.</param>
    /// <param name="score">The score to maximise.</param>
    /// <remarks>
    /// Importance weights <c>w(c) = pi_pop(c) / pi_train(c)</c>: urban <c>q / t</c>, non-urban <c>(1 - q) / (1 - t)</c>.
    /// Within a class, the held-out cells are a random sample of that class, so the weighted confusion matrix
    /// estimates the population's confusion matrix up to a constant factor, and the weighted F1 or precision is the
    /// population's. Without weights, a 50/50 sample counts one false positive per true positive where the
    /// population has about 48 non-urban cells per urban one: its F1 is far too optimistic.
    /// </remarks>
    public static ThresholdOptions ForPopulation(double trainPrior, double populationPrior, ThresholdScore score = ThresholdScore.UrbanF1)
    {
        if (!(trainPrior > 0 && trainPrior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainPrior), trainPrior, "A class prior must lie strictly between 0 and 1.");
        }

        if (!(populationPrior > 0 && populationPrior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(populationPrior), populationPrior, "A class prior must lie strictly between 0 and 1.");
        }

        return new ThresholdOptions
        {
            Score = score,
            UrbanWeight = populationPrior / trainPrior,
            NonUrbanWeight = (1 - populationPrior) / (1 - trainPrior),
        };
    }
}

/// <summary>The threshold chosen by <see cref="ThresholdSelector.Select"/>.</summary>
/// <param name="Threshold">Cells with p &gt;= Threshold are urban. Above every probability when no cell should be urban.</param>
/// <param name="Score">Value of the chosen score at that threshold.</param>
/// <param name="Confusion">The weighted confusion matrix at that threshold.</param>
public readonly record struct ThresholdChoice(double Threshold, double Score, BinaryConfusion Confusion);

/// <summary>
/// Chooses the decision threshold on held-out (out-of-fold) probabilities that maximises a score.
/// </summary>
/// <remarks>
/// <para>Exact search in O(n log n): the cells are sorted by probability, descending; lowering the threshold past
/// each distinct value moves that value's cells to "urban", so one sweep gives the weighted confusion matrix at every
/// distinct threshold. Candidates are the distinct probabilities (rule: urban where p &gt;= t, SPEC 5) and one value
/// above the largest (nothing urban). Among equal scores the highest threshold wins.</para>
/// <para>Typical use: correct the out-of-fold probabilities with <see cref="PriorShift.AdjustBinary(Span{float}, double, double)"/>,
/// then select with <see cref="ThresholdOptions.ForPopulation"/> weights; apply the threshold to the map's corrected
/// probabilities. Both steps are needed: the correction makes probabilities meaningful for the population, the weights
/// make the score the population's.</para>
/// </remarks>
public static class ThresholdSelector
{
    /// <summary>Chooses the threshold.</summary>
    /// <param name="pUrban">Held-out p(urban) per cell.</param>
    /// <param name="labels">Reference labels per cell: 0 or 1 (255 skipped).</param>
    /// <param name="options">Score and class weights; null for urban F1 with unit weights.</param>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1/255, a probability is NaN, or no cell is labelled.</exception>
    public static ThresholdChoice Select(ReadOnlySpan<float> pUrban, ReadOnlySpan<byte> labels, ThresholdOptions? options = null)
    {
        options ??= new ThresholdOptions();
        if (pUrban.Length != labels.Length)
        {
            throw new ArgumentException($"pUrban has {pUrban.Length} values but labels has {labels.Length}.", nameof(labels));
        }

        if (!(options.UrbanWeight > 0 && options.NonUrbanWeight > 0 && double.IsFinite(options.UrbanWeight) && double.IsFinite(options.NonUrbanWeight)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Class weights must be positive and finite.");
        }

        if (!(options.MinimumRecall >= 0 && options.MinimumRecall <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumRecall, "MinimumRecall must lie in [0, 1].");
        }

        float[] keys = ArrayPool<float>.Shared.Rent(pUrban.Length);
        byte[] items = ArrayPool<byte>.Shared.Rent(pUrban.Length);
        try
        {
            int n = 0;
            double positives = 0, negatives = 0;
            for (int i = 0; i < pUrban.Length; i++)
            {
                byte label = labels[i];
                if (label == UrbanClass.Undefined)
                {
                    continue;
                }

                if (label > 1)
                {
                    throw new ArgumentException($"labels[{i}] is {label}; expected 0, 1 or 255.", nameof(labels));
                }

                if (float.IsNaN(pUrban[i]))
                {
                    throw new ArgumentException($"pUrban[{i}] is NaN.", nameof(pUrban));
                }

                keys[n] = -pUrban[i]; // ascending sort of -p = descending p
                items[n] = label;
                n++;
                if (label == 1)
                {
                    positives += options.UrbanWeight;
                }
                else
                {
                    negatives += options.NonUrbanWeight;
                }
            }

            if (n == 0)
            {
                throw new ArgumentException("No labelled cell.", nameof(labels));
            }

            Array.Sort(keys, items, 0, n);

            // Threshold above every probability: nothing urban.
            var confusion = new BinaryConfusion(negatives, 0, positives, 0);
            double best = Score(confusion, options);
            var choice = new ThresholdChoice(Math.BitIncrement((double)-keys[0]), best, confusion);
            double tp = 0, fp = 0;
            int k = 0;
            while (k < n)
            {
                float value = keys[k];
                while (k < n && keys[k] == value)
                {
                    if (items[k] == 1)
                    {
                        tp += options.UrbanWeight;
                    }
                    else
                    {
                        fp += options.NonUrbanWeight;
                    }

                    k++;
                }

                confusion = new BinaryConfusion(negatives - fp, fp, positives - tp, tp);
                double score = Score(confusion, options);
                if (score > best)
                {
                    best = score;
                    choice = new ThresholdChoice(-value, score, confusion);
                }
            }

            return choice;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(keys);
            ArrayPool<byte>.Shared.Return(items);
        }
    }

    /// <summary>The value of a score for a confusion matrix (negative infinity where the recall constraint fails).</summary>
    /// <param name="confusion">The matrix.</param>
    /// <param name="options">Score and minimum recall.</param>
    public static double Score(BinaryConfusion confusion, ThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Score switch
        {
            ThresholdScore.UrbanF1 => confusion.F1,
            ThresholdScore.BalancedAccuracy => confusion.BalancedAccuracy,
            ThresholdScore.PrecisionAtMinimumRecall => confusion.Positives > 0 && confusion.Recall >= options.MinimumRecall
                ? confusion.Precision
                : double.NegativeInfinity,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Score, "Unknown score."),
        };
    }
}
