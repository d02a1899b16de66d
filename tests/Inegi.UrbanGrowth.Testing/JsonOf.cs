using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Testing;

/// <summary>Reads back what a type's <c>WriteJson(Utf8JsonWriter)</c> writes, for assertions on its fields.</summary>
public static class JsonOf
{
    /// <summary>The JSON object a <c>WriteJson</c> writes, parsed.</summary>
    /// <param name="writeJson">The type's <c>WriteJson</c>.</param>
    public static JsonObject Read(Action<Utf8JsonWriter> writeJson) =>
        JsonNode.Parse(JsonText.Format(writeJson))?.AsObject() ?? throw new InvalidOperationException("WriteJson wrote no JSON object.");
}
