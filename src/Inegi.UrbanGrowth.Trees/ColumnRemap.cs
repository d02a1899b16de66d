namespace Inegi.UrbanGrowth.Trees;

/// <summary>The remapping of split features that both tree models share (<see cref="IColumnRemappable"/>).</summary>
internal static class ColumnRemap
{
    /// <summary>
    /// The split features read from the wider schema: <c>columns[feature]</c> at split nodes, leaves (negative) kept;
    /// and the importances spread over the wider schema (0 for a column the trees never saw).
    /// </summary>
    public static (int[] Feature, double[] Importances) Apply(FeatureSchema schema, FeatureSchema inputSchema, IReadOnlyList<int> columns, int[] feature, IReadOnlyList<double> importances)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != schema.Count)
        {
            throw new ArgumentException($"{columns.Count} columns were given for a model of {schema.Count} features.", nameof(columns));
        }

        for (int j = 0; j < columns.Count; j++)
        {
            int column = columns[j];
            if ((uint)column >= (uint)inputSchema.Count)
            {
                throw new ArgumentException($"Column {column} of feature {j} lies outside the {inputSchema.Count}-column input schema.", nameof(columns));
            }

            if (inputSchema.Names[column] != schema.Names[j])
            {
                throw new ArgumentException($"Column {column} of the input schema is '{inputSchema.Names[column]}', but the model's feature {j} is '{schema.Names[j]}'.", nameof(columns));
            }
        }

        int[] remapped = new int[feature.Length];
        for (int i = 0; i < feature.Length; i++)
        {
            remapped[i] = feature[i] < 0 ? feature[i] : columns[feature[i]];
        }

        double[] spread = new double[inputSchema.Count];
        for (int j = 0; j < columns.Count; j++)
        {
            spread[columns[j]] = importances[j];
        }

        return (remapped, spread);
    }

    /// <summary>The distinct split features of a node array (leaves are negative), ascending.</summary>
    public static int[] UsedFeatures(int[] feature)
    {
        var used = new SortedSet<int>();
        foreach (int f in feature)
        {
            if (f >= 0)
            {
                used.Add(f);
            }
        }

        return [.. used];
    }
}
