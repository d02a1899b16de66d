using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class ExtraTreesModel
{
    /// <summary><see cref="ExtraTreesModelKind.KindName"/>.</summary>
    public string Kind => ExtraTreesModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Adds <c>trees</c>, <c>nodes</c>, <c>max_depth</c> and <c>feature_importances</c> (most important first) to a summary.</summary>
    /// <param name="description">The summary.</param>
    public void Describe(JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(description);
        description["trees"] = TreeCount;
        description["nodes"] = NodeCount;
        description["max_depth"] = MaxTreeDepth;
        var importances = new JsonArray();
        IReadOnlyList<double> imp = FeatureImportances;
        foreach (int i in Enumerable.Range(0, imp.Count).OrderByDescending(i => imp[i]).ThenBy(i => i))
        {
            importances.Add((JsonNode)new JsonObject { ["feature"] = Schema.Names[i], ["importance"] = Math.Round(imp[i], 6) });
        }

        description["feature_importances"] = importances;
    }

    /// <summary>Does nothing: the forest lives in managed arrays.</summary>
    public void Dispose()
    {
    }
}
