using System.Globalization;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>Checks an answer sent to the API against the plan; every problem is one sentence for the client.</summary>
internal static class LabelValidation
{
    public const int MaxComment = 2000;
    private static readonly HashSet<string> Known = ["cellId", "label", "years", "firstYearUrban", "confidence", "comment"];

    public static (LabelAnswer? Answer, string? Error) Parse(JsonElement e, LabellingPlan plan, Func<long, bool> inSample, bool adjudication = false)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object");
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!Known.Contains(p.Name) || (adjudication && p.Name is "years" or "firstYearUrban" or "confidence"))
            {
                return (null, $"unknown field '{p.Name}'");
            }
        }

        if (!e.TryGetProperty("cellId", out JsonElement idElement) || !(idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out long cellId)))
        {
            return (null, "cellId must be an integer");
        }

        if (!inSample(cellId))
        {
            return (null, $"cell {cellId.ToString(CultureInfo.InvariantCulture)} is not in the sample");
        }

        if (!e.TryGetProperty("label", out JsonElement labelElement) || !TryLabel(labelElement, out byte label))
        {
            return (null, "label must be 0 (non-urban), 1 (urban) or 255 (cannot tell)");
        }

        var years = new Dictionary<int, byte>();
        if (e.TryGetProperty("years", out JsonElement yearsElement) && yearsElement.ValueKind != JsonValueKind.Null)
        {
            if (yearsElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "years must be an object such as {\"2010\": 0, \"2020\": 1}");
            }

            foreach (JsonProperty p in yearsElement.EnumerateObject())
            {
                if (!int.TryParse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int y) || !plan.Years.Contains(y))
                {
                    return (null, $"years: '{p.Name}' is not one of the mosaic years ({string.Join(", ", plan.Years)})");
                }

                if (!TryLabel(p.Value, out byte v))
                {
                    return (null, $"years: the answer for {p.Name} must be 0, 1 or 255");
                }

                years[y] = v;
            }
        }

        int? first = null;
        if (e.TryGetProperty("firstYearUrban", out JsonElement firstElement) && firstElement.ValueKind != JsonValueKind.Null)
        {
            if (!(firstElement.ValueKind == JsonValueKind.Number && firstElement.TryGetInt32(out int f)) || !plan.Years.Contains(f))
            {
                return (null, $"firstYearUrban must be one of the mosaic years ({string.Join(", ", plan.Years)}) or null");
            }

            first = f;
        }

        if (years.TryGetValue(plan.ReferenceYear, out byte atReference) && atReference != label)
        {
            return (null, $"label {label} differs from the answer {atReference} given for the reference year {plan.ReferenceYear}");
        }

        if (first is { } fy)
        {
            if (label != (fy <= plan.ReferenceYear ? 1 : 0))
            {
                return (null, $"firstYearUrban {fy} means label {(fy <= plan.ReferenceYear ? 1 : 0)} for {plan.ReferenceYear}, not {label}");
            }

            foreach (var (y, v) in years)
            {
                if (v != 255 && v != (y >= fy ? 1 : 0))
                {
                    return (null, $"firstYearUrban {fy} contradicts the answer {v} for {y}");
                }
            }
        }

        int? confidence = null;
        if (e.TryGetProperty("confidence", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
        {
            if (!(c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int k)) || k is < 1 or > 3)
            {
                return (null, "confidence must be 1 (low), 2 (medium), 3 (high) or null");
            }

            confidence = k;
        }

        string? comment = null;
        if (e.TryGetProperty("comment", out JsonElement m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind != JsonValueKind.String || m.GetString()!.Length > MaxComment)
            {
                return (null, $"comment must be a string of at most {MaxComment} characters");
            }

            comment = m.GetString()!.Trim();
            comment = comment.Length == 0 ? null : comment;
        }

        return (new LabelAnswer(cellId, label, years, first, confidence, comment), null);
    }

    private static bool TryLabel(JsonElement e, out byte label)
    {
        label = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v is not (0 or 1 or 255))
        {
            return false;
        }

        label = (byte)v;
        return true;
    }
}
