namespace Inegi.UrbanGrowth;

/// <summary>
/// A classifier that can read its features straight out of wider rows: the columns it was fitted on are a subset of
/// another schema (the statistics before a fitted selection), so instead of copying the selected columns out of every
/// batch, the classifier's feature indices are remapped once and the batch is read in place.
/// </summary>
public interface IColumnRemappable
{
    /// <summary>
    /// The same classifier reading rows of <paramref name="inputSchema"/>: its feature <c>j</c> is read from column
    /// <c>columns[j]</c>. Its probabilities are those of this classifier on the selected columns, bit for bit.
    /// </summary>
    /// <param name="inputSchema">The schema of the wider rows.</param>
    /// <param name="columns">For each of this classifier's features, in <see cref="IClassifierModel.Schema"/> order, its column in <paramref name="inputSchema"/>.</param>
    /// <returns>A classifier for prediction (its schema is <paramref name="inputSchema"/>); it shares no native memory.</returns>
    /// <exception cref="ArgumentException">A column count other than the feature count, or a column outside the schema.</exception>
    IClassifierModel ReadingColumnsOf(FeatureSchema inputSchema, IReadOnlyList<int> columns);
}
