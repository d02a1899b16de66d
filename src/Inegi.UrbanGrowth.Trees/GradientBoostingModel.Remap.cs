namespace Inegi.UrbanGrowth.Trees;

public sealed partial class GradientBoostingModel : IColumnRemappable, IFeatureUsage
{
    /// <inheritdoc/>
    /// <remarks>
    /// Only the split features change; thresholds, children and leaf values are shared, and each row still sums its
    /// leaf values in tree order, so the probabilities are those of this model on the selected columns bit for bit.
    /// </remarks>
    public IClassifierModel ReadingColumnsOf(FeatureSchema inputSchema, IReadOnlyList<int> columns)
    {
        (int[] feature, double[] importances) = ColumnRemap.Apply(Schema, inputSchema, columns, _feature, _importances);
        return new GradientBoostingModel(inputSchema, Options, BaselineScore, importances, _roots, feature, _threshold, _child, _value);
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> UsedFeatures() => ColumnRemap.UsedFeatures(_feature);
}
