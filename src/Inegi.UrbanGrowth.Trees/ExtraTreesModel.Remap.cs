namespace Inegi.UrbanGrowth.Trees;

public sealed partial class ExtraTreesModel : IColumnRemappable, IFeatureUsage
{
    /// <inheritdoc/>
    /// <remarks>
    /// Only the split features change; thresholds, children and leaf values are shared, and each row still sums its
    /// leaves in tree order, so the probabilities are those of this model on the selected columns bit for bit.
    /// </remarks>
    public IClassifierModel ReadingColumnsOf(FeatureSchema inputSchema, IReadOnlyList<int> columns)
    {
        (int[] feature, double[] importances) = ColumnRemap.Apply(Schema, inputSchema, columns, _feature, _importances);
        return new ExtraTreesModel(inputSchema, ClassCount, Options, ResolvedMaxFeatures, _classCounts, _classPriors, importances,
            _roots, feature, _threshold, _child, _values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> UsedFeatures() => ColumnRemap.UsedFeatures(_feature);
}
