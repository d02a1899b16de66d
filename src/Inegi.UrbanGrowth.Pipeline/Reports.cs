using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Evaluation;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Text and JSON of the pilot's national table (SPEC 6) for a confusion of a map against labels.</summary>
/// <param name="Table">The table.</param>
/// <param name="Text">Aligned text, as the pilot printed it.</param>
/// <param name="Json">The SPEC 8 evaluation JSON plus macro recall / precision and row totals.</param>
public sealed record NationalReport(NationalAccuracyTable Table, string Text, JsonObject Json);

/// <summary>Builds report objects from pipeline results.</summary>
public static class Reports
{
    /// <summary>The pilot's national table of a 2 x 2 confusion (rows: label, columns: mapped class).</summary>
    /// <param name="confusion">Counts.</param>
    public static NationalReport NationalTable(long[,] confusion)
    {
        var table = new NationalAccuracyTable(ConfusionMatrix.FromCounts(confusion));
        return new NationalReport(table, table.ToText(), (JsonObject)JsonNode.Parse(table.ToJson())!);
    }
}
