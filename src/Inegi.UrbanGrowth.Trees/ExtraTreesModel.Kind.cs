using System.Text.Json;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class ExtraTreesModel
{
    /// <summary><see cref="ExtraTreesModelKind.KindName"/>.</summary>
    public string Kind => ExtraTreesModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Writes <c>trees</c>, <c>nodes</c>, <c>max_depth</c> and <c>feature_importances</c> (most important first) into a summary.</summary>
    /// <param name="writer">The summary being written, inside its object.</param>
    public void Describe(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("trees", TreeCount);
        writer.WriteNumber("nodes", NodeCount);
        writer.WriteNumber("max_depth", MaxTreeDepth);
        writer.WriteStartArray("feature_importances");
        IReadOnlyList<double> imp = FeatureImportances;
        foreach (int i in Enumerable.Range(0, imp.Count).OrderByDescending(i => imp[i]).ThenBy(i => i))
        {
            writer.WriteStartObject();
            writer.WriteString("feature", Schema.Names[i]);
            writer.WriteNumber("importance", Math.Round(imp[i], 6));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Does nothing: the forest lives in managed arrays.</summary>
    public void Dispose()
    {
    }
}
