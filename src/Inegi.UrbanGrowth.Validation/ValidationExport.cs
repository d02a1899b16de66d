using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Accuracy;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>What an export wrote and what it left out.</summary>
/// <param name="Written">Cells written with a reference label.</param>
/// <param name="CannotTell">Cells left out because the answer (or the adjudication) is "cannot tell".</param>
/// <param name="Disputed">Cells left out because their answers differ and nobody adjudicated them yet.</param>
/// <param name="Unlabelled">Cells nobody answered yet.</param>
public sealed record ExportSummary(int Written, int CannotTell, int Disputed, int Unlabelled)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Written} cells written; left out: {CannotTell} cannot tell, {Disputed} disputed (see the adjudication queue), {Unlabelled} not labelled yet");
}

/// <summary>
/// Writes the labels out: the filled validation sample that <c>urban validation-assess</c> reads, and the training
/// sample (<c>cell_id,row,col,label</c>) that <c>urban features --cells</c> reads.
/// </summary>
/// <remarks>
/// A cell's reference is its adjudication when there is one, else the answer all its interpreters agree on. Cells
/// answered "cannot tell", disputed or not answered yet are left out: the area estimator of Olofsson et al. (2014)
/// uses the sample size of each stratum as it is, so a smaller sample widens the intervals but does not bias them
/// (as long as the cells left out are not selected by what they show; the summary counts them so this can be judged).
/// </remarks>
public static class ValidationExport
{
    /// <summary>The header of the training sample.</summary>
    public const string TrainingHeader = "cell_id,row,col,label";

    /// <summary>
    /// Writes the filled validation CSV (<see cref="SampleFiles.CsvHeader"/>, then a <c>map_YEAR</c> column per map that
    /// <c>serve --maps</c> was given: that map's class of the cell), cells in the sample's order.
    /// </summary>
    /// <param name="store">The labels database.</param>
    /// <param name="path">Output file (written whole or not at all).</param>
    public static ExportSummary WriteReferenceCsv(LabelStore store, string path) => Write(store, path, training: false);

    /// <summary>Writes the labelled cells in the training sample's form (<see cref="TrainingHeader"/>; label 0 or 1).</summary>
    /// <param name="store">The labels database.</param>
    /// <param name="path">Output file (written whole or not at all).</param>
    public static ExportSummary WriteTrainingCsv(LabelStore store, string path) => Write(store, path, training: true);

    /// <summary>The reference label of every cell: adjudication, else the agreed answer; null when none.</summary>
    /// <param name="store">The labels database.</param>
    public static IReadOnlyDictionary<long, byte?> References(LabelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var settled = store.Adjudications();
        var answers = store.AllLabels().GroupBy(l => l.Answer.CellId).ToDictionary(g => g.Key, g => g.Select(l => l.Answer.Label).Distinct().ToList());
        var result = new Dictionary<long, byte?>();
        foreach (var (cell, _) in store.Cells())
        {
            result[cell.CellId] = settled.TryGetValue(cell.CellId, out byte a) ? a
                : answers.TryGetValue(cell.CellId, out var labels) && labels.Count == 1 ? labels[0]
                : null;
        }

        return result;
    }

    private static ExportSummary Write(LabelStore store, string path, bool training)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (string.Equals(Path.GetFullPath(path), store.Path, StringComparison.Ordinal))
        {
            throw new ArgumentException($"--out {path} is the labels database itself");
        }

        var cells = store.Cells();
        if (cells.Count == 0)
        {
            throw new DataFileException(store.Path, "holds no sample yet (run 'urban validate serve --sample ...' first)");
        }

        var references = References(store);
        var answered = store.AllLabels().Select(l => l.Answer.CellId).ToHashSet();
        // The maps given to 'serve' (--maps) travel as extra map_YEAR columns; readers of the sample find columns by name.
        var maps = training ? new Dictionary<int, IReadOnlyDictionary<long, byte>>() : store.MapClasses();
        var sb = new StringBuilder(training ? TrainingHeader : SampleFiles.CsvHeader);
        foreach (int year in maps.Keys)
        {
            sb.Append(CultureInfo.InvariantCulture, $",map_{year}");
        }

        sb.Append('\n');
        int written = 0, cannotTell = 0, disputed = 0, unlabelled = 0;
        foreach (var (cell, _) in cells)
        {
            byte? reference = references[cell.CellId];
            if (reference is null)
            {
                _ = answered.Contains(cell.CellId) ? disputed++ : unlabelled++;
                continue;
            }

            if (reference.Value == UrbanClass.Undefined)
            {
                cannotTell++;
                continue;
            }

            string id = cell.CellId.ToString(CultureInfo.InvariantCulture), row = cell.Row.ToString(CultureInfo.InvariantCulture);
            string col = cell.Column.ToString(CultureInfo.InvariantCulture), label = reference.Value.ToString(CultureInfo.InvariantCulture);
            _ = training
                ? sb.Append(CultureInfo.InvariantCulture, $"{id},{row},{col},{label}\n")
                : sb.Append(CultureInfo.InvariantCulture, $"{id},{row},{col},{cell.Stratum},{cell.MapClass},{cell.X},{cell.Y},{label}");
            if (!training)
            {
                foreach (var classes in maps.Values)
                {
                    sb.Append(',').Append(classes.TryGetValue(cell.CellId, out byte c) ? c : UrbanClass.Undefined);
                }

                sb.Append('\n');
            }

            written++;
        }

        if (written == 0)
        {
            throw new DataFileException(store.Path, "holds no settled urban / non-urban label yet; nothing to export");
        }

        AtomicFile.WriteAllText(path, sb.ToString());
        return new ExportSummary(written, cannotTell, disputed, unlabelled);
    }
}
