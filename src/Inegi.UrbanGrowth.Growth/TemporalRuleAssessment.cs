using System.Buffers;
using System.Text;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Measures what the <see cref="TemporalConsistencyRule"/> changes against known true labels (a synthetic
/// multi-year scene): false growth and false loss before the rule (the yearly classes as they are) and after it.
/// </summary>
/// <remarks>
/// A cell-year counts when the class is 0/1, p(urban) is 0..100 and the truth is 0/1, so that "before" and "after"
/// cover the same cells. A transition counts for years (t-1, t) both counted. False growth: predicted 0 then 1
/// where the truth is not 0 then 1; false loss: predicted 1 then 0 where the truth is not 1 then 0.
/// </remarks>
public sealed class TemporalRuleAssessment
{
    private static readonly string[] TextHeader = ["", "transitions", "pred_growth", "true_growth", "false_growth", "pred_loss", "true_loss", "false_loss", "class_errors"];

    private readonly long[] _before = new long[9];
    private readonly long[] _after = new long[9];

    /// <summary>Creates an empty assessment.</summary>
    /// <param name="years">Number of years of each series (&gt;= 1).</param>
    /// <param name="rule">The rule to assess.</param>
    public TemporalRuleAssessment(int years, TemporalConsistencyRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        ArgumentNullException.ThrowIfNull(rule);
        YearCount = years;
        Rule = rule;
    }

    /// <summary>Number of years of each series.</summary>
    public int YearCount { get; }

    /// <summary>The rule assessed.</summary>
    public TemporalConsistencyRule Rule { get; }

    /// <summary>Errors of the yearly classes as they are.</summary>
    public TransitionErrors Before => ToErrors(_before);

    /// <summary>Errors after the rule.</summary>
    public TransitionErrors After => ToErrors(_after);

    /// <summary>Adds one grid row of every year.</summary>
    /// <param name="classes">Predicted class rows, year-major (<c>YearCount * width</c>).</param>
    /// <param name="probabilities">p(urban) rows, same layout.</param>
    /// <param name="truth">True label rows (0, 1, 255 unknown), same layout.</param>
    public void AddRow(ReadOnlySpan<byte> classes, ReadOnlySpan<byte> probabilities, ReadOnlySpan<byte> truth)
    {
        int width = SeriesLayout.Width(classes.Length, YearCount, nameof(classes));
        if (probabilities.Length != classes.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities for {classes.Length} classes.", nameof(probabilities));
        }

        if (truth.Length != classes.Length)
        {
            throw new ArgumentException($"{truth.Length} true labels for {classes.Length} classes.", nameof(truth));
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(classes.Length);
        try
        {
            Span<byte> after = rented.AsSpan(0, classes.Length);
            Rule.Apply(classes, probabilities, YearCount, after);
            Count(classes, probabilities, truth, classes, width, _before);
            Count(classes, probabilities, truth, after, width, _after);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A two-row text table (before, after) of the counts.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var rows = new List<string[]> { TextHeader };
        AddRow(rows, "before", Before);
        AddRow(rows, "after", After);
        sb.Append(TextTable.Format(rows));
        return sb.ToString();
    }

    private static void AddRow(List<string[]> rows, string name, TransitionErrors e) => rows.Add(
    [
        name, CsvText.Integer(e.Transitions), CsvText.Integer(e.PredictedGrowth), CsvText.Integer(e.TrueGrowth),
        CsvText.Integer(e.FalseGrowth), CsvText.Integer(e.PredictedLoss), CsvText.Integer(e.TrueLoss),
        CsvText.Integer(e.FalseLoss), CsvText.Integer(e.ClassErrors),
    ]);

    private static TransitionErrors ToErrors(long[] c) => new(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);

    private void Count(ReadOnlySpan<byte> classes, ReadOnlySpan<byte> probabilities, ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, int width, long[] c)
    {
        for (int x = 0; x < width; x++)
        {
            bool previousValid = false;
            byte previousPredicted = 0;
            byte previousTruth = 0;
            for (int t = 0; t < YearCount; t++)
            {
                int k = (t * width) + x;
                bool valid = TemporalConsistencyRule.IsValid(classes[k], probabilities[k]) && truth[k] <= 1;
                if (!valid)
                {
                    previousValid = false;
                    continue;
                }

                byte s = predicted[k];
                byte y = truth[k];
                c[7]++;
                if (s != y)
                {
                    c[8]++;
                }

                if (previousValid)
                {
                    c[0]++;
                    bool predictedGrowth = previousPredicted == 0 && s == 1;
                    bool trueGrowth = previousTruth == 0 && y == 1;
                    bool predictedLoss = previousPredicted == 1 && s == 0;
                    bool trueLoss = previousTruth == 1 && y == 0;
                    c[1] += predictedGrowth ? 1 : 0;
                    c[2] += trueGrowth ? 1 : 0;
                    c[3] += predictedGrowth && !trueGrowth ? 1 : 0;
                    c[4] += predictedLoss ? 1 : 0;
                    c[5] += trueLoss ? 1 : 0;
                    c[6] += predictedLoss && !trueLoss ? 1 : 0;
                }

                previousValid = true;
                previousPredicted = s;
                previousTruth = y;
            }
        }
    }
}
