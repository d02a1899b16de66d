namespace Inegi.UrbanGrowth.Validation;

/// <summary>Agreement of one pair of interpreters on the cells both answered.</summary>
/// <param name="First">One interpreter.</param>
/// <param name="Second">The other.</param>
/// <param name="Cells">Cells both answered.</param>
/// <param name="Agreed">Cells with the same answer.</param>
/// <param name="Kappa">Cohen's kappa over the answers 0, 1 and 255 (NaN when undefined: no cells, or chance agreement 1).</param>
public sealed record PairAgreement(string First, string Second, int Cells, int Agreed, double Kappa);

/// <summary>A cell whose answers differ, waiting for an adjudicator.</summary>
/// <param name="CellId">The cell.</param>
/// <param name="Answers">(interpreter name, answer) pairs.</param>
public sealed record Disagreement(long CellId, IReadOnlyList<(string Interpreter, LabelAnswer Answer)> Answers);

/// <summary>Inter-interpreter agreement on the double-labelled cells (Cohen 1960) and the adjudication queue.</summary>
public static class Agreement
{
    /// <summary>Cohen's kappa of two raters' labels: (p_o - p_e) / (1 - p_e).</summary>
    /// <param name="first">First rater's labels.</param>
    /// <param name="second">Second rater's labels, same length and order.</param>
    /// <returns>Kappa, or NaN when there are no labels or the chance agreement is 1 (both raters gave one class only),
    /// as scikit-learn's <c>cohen_kappa_score</c>.</returns>
    public static double CohenKappa(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException($"{first.Length} labels against {second.Length}.", nameof(second));
        }

        int n = first.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        Span<long> a = stackalloc long[256], b = stackalloc long[256];
        a.Clear();
        b.Clear();
        long same = 0;
        for (int i = 0; i < n; i++)
        {
            a[first[i]]++;
            b[second[i]]++;
            same += first[i] == second[i] ? 1 : 0;
        }

        double po = (double)same / n, pe = 0;
        for (int k = 0; k < 256; k++)
        {
            pe += (double)a[k] * b[k];
        }

        pe /= (double)n * n;
        return pe >= 1 ? double.NaN : (po - pe) / (1 - pe);
    }

    /// <summary>Kappa for every pair of interpreters that answered at least one cell in common.</summary>
    /// <param name="store">The labels database.</param>
    public static IReadOnlyList<PairAgreement> Pairs(LabelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = store.Interpreters().ToDictionary(i => i.Id, i => i.Name);
        var byCell = store.AllLabels().GroupBy(l => l.Answer.CellId).Where(g => g.Count() >= 2).ToList();
        var pairs = new SortedDictionary<(long, long), (List<byte> A, List<byte> B)>();
        foreach (var cell in byCell)
        {
            var answers = cell.OrderBy(l => l.InterpreterId).ToList();
            for (int i = 0; i < answers.Count; i++)
            {
                for (int j = i + 1; j < answers.Count; j++)
                {
                    var key = (answers[i].InterpreterId, answers[j].InterpreterId);
                    if (!pairs.TryGetValue(key, out var lists))
                    {
                        pairs[key] = lists = ([], []);
                    }

                    lists.A.Add(answers[i].Answer.Label);
                    lists.B.Add(answers[j].Answer.Label);
                }
            }
        }

        return [.. pairs.Select(p => new PairAgreement(names[p.Key.Item1], names[p.Key.Item2], p.Value.A.Count,
            p.Value.A.Zip(p.Value.B).Count(x => x.First == x.Second), CohenKappa([.. p.Value.A], [.. p.Value.B])))];
    }

    /// <summary>Cells whose answers differ and that no adjudicator has settled yet, in the order they were answered.</summary>
    /// <param name="store">The labels database.</param>
    public static IReadOnlyList<Disagreement> Queue(LabelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = store.Interpreters().ToDictionary(i => i.Id, i => i.Name);
        var settled = store.Adjudications();
        return [.. store.AllLabels().GroupBy(l => l.Answer.CellId)
            .Where(g => !settled.ContainsKey(g.Key) && g.Select(l => l.Answer.Label).Distinct().Count() > 1)
            .Select(g => new Disagreement(g.Key, [.. g.Select(l => (names[l.InterpreterId], l.Answer))]))];
    }
}
