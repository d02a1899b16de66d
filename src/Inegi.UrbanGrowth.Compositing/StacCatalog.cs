using System.Globalization;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// Reads the scenes of a STAC ItemCollection JSON file (local files only): Landsat Collection 2 Level 2 items (assets
/// <c>blue</c>, <c>green</c>, <c>red</c>, <c>nir08</c>, <c>swir16</c>, <c>swir22</c>, <c>qa_pixel</c>, optional
/// <c>qa_radsat</c>, or the same by <c>eo:bands</c> common name) and DEA / Open Data Cube ARD items (<c>nbart_*</c>
/// and <c>oa_fmask</c> or <c>fmask</c>), as <see cref="SceneObservation"/>s like those of <see cref="SceneInventory.Scan"/>.
/// </summary>
/// <remarks>
/// The date is the UTC date of <c>properties.datetime</c> (or <c>start_datetime</c>); the sensor comes from
/// <c>properties.platform</c>, else from a Landsat product id. A band's <c>raster:bands</c> scale, offset and nodata
/// are used when given, else the product's (Collection 2: 0.0000275, -0.2, 0; DEA: 0.0001, 0, -999). Hrefs are local
/// paths, absolute or relative to the JSON file's folder, or <c>file://</c> URIs; any other scheme (http, https, s3)
/// is refused naming the item: this library reads no network.
/// </remarks>
public static class StacCatalog
{
    private static readonly string[][] Collection2Keys =
    [
        ["blue"], ["green"], ["red"], ["nir08", "nir"], ["swir16"], ["swir22"],
    ];

    private static readonly string[][] DeaKeys =
    [
        ["nbart_blue"], ["nbart_green"], ["nbart_red"], ["nbart_nir", "nbart_nir_1", "nbart_nir08"], ["nbart_swir_1", "nbart_swir16"], ["nbart_swir_2", "nbart_swir_3", "nbart_swir22"],
    ];

    /// <summary>The scenes of the ItemCollection at <paramref name="path"/> acquired from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    /// <param name="path">The JSON file (a FeatureCollection of STAC Items, or one Item).</param>
    /// <param name="from">First date kept, or null.</param>
    /// <param name="to">Last date kept, or null.</param>
    /// <returns>The scenes by date, then id.</returns>
    /// <exception cref="DataFileException">The file is not such a collection, an item is incomplete, remote, or names a missing file; the message names the item.</exception>
    public static IReadOnlyList<SceneObservation> Read(string path, DateOnly? from = null, DateOnly? to = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, "cannot be read: " + e.Message, e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, "is not JSON: " + e.Message, e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string? type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            IEnumerable<JsonElement> items = type switch
            {
                "FeatureCollection" when root.TryGetProperty("features", out JsonElement f) && f.ValueKind == JsonValueKind.Array => f.EnumerateArray(),
                "Feature" => [root],
                _ => throw new DataFileException(path, "is not a STAC ItemCollection (a FeatureCollection with a features array) nor an Item"),
            };
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            var scenes = new List<SceneObservation>();
            int index = 0;
            foreach (JsonElement item in items)
            {
                SceneObservation scene = Describe(path, folder, item, index++);
                if ((from is null || scene.Date >= from) && (to is null || scene.Date <= to))
                {
                    scenes.Add(scene);
                }
            }

            return [.. scenes.OrderBy(s => s.Date).ThenBy(s => s.Id, StringComparer.Ordinal)];
        }
    }

    private static SceneObservation Describe(string path, string folder, JsonElement item, int index)
    {
        string id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
        string name = id.Length > 0 ? $"item {id}" : $"item {index}";
        DataFileException Bad(string problem) => new(path, $"{name}: {problem}");
        if (id.Length == 0)
        {
            throw Bad("has no id");
        }

        if (!item.TryGetProperty("properties", out JsonElement properties) || properties.ValueKind != JsonValueKind.Object)
        {
            throw Bad("has no properties");
        }

        string? when = String(properties, "datetime") ?? String(properties, "start_datetime")
            ?? throw Bad("has no properties.datetime");
        if (!DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset stamp))
        {
            throw Bad($"has a datetime that is not RFC 3339: '{when}'");
        }

        var date = DateOnly.FromDateTime(stamp.UtcDateTime);
        if (!item.TryGetProperty("assets", out JsonElement assets) || assets.ValueKind != JsonValueKind.Object)
        {
            throw Bad("has no assets");
        }

        string sensor = SceneInventory.SensorOfPlatform(String(properties, "platform") ?? "");
        if (sensor.Length == 0 && SceneInventory.TryParseId(id, out _, out string fromId, out _))
        {
            sensor = fromId;
        }

        bool dea = assets.EnumerateObject().Any(a => a.Name.StartsWith("nbart_", StringComparison.Ordinal));
        string[][] keys = dea ? DeaKeys : Collection2Keys;
        var bands = new string[keys.Length];
        var scales = new double[keys.Length];
        var offsets = new double[keys.Length];
        double? noData = null;
        for (int b = 0; b < keys.Length; b++)
        {
            JsonElement asset = Find(assets, keys[b], dea)
                ?? throw Bad(dea
                    ? $"has no asset {keys[b][0]}: a DEA ARD item needs nbart_blue, nbart_green, nbart_red, nbart_nir, nbart_swir_1 and nbart_swir_2"
                    : $"has no asset {keys[b][0]} (nor one with that eo:bands common name): a Landsat Collection 2 Level 2 item needs blue, green, red, nir08, swir16, swir22 and qa_pixel, or DEA ARD nbart_* and fmask");
            bands[b] = LocalFile(path, folder, name, keys[b][0], asset);
            (double? scale, double? offset, double? nd) = RasterBand(asset);
            scales[b] = scale ?? (dea ? SceneInventory.AnalysisReadyScale : SceneInventory.Collection2Scale);
            offsets[b] = offset ?? (dea ? 0 : SceneInventory.Collection2Offset);
            noData ??= nd;
        }

        if (dea)
        {
            JsonElement fmask = Find(assets, ["oa_fmask", "fmask"], true) ?? throw Bad("has no asset oa_fmask (or fmask): a DEA ARD item is masked with it");
            CompositeImage ard = SceneInventory.AnalysisReadyImage(id, bands, LocalFile(path, folder, name, "oa_fmask", fmask), QualityFormat.DeaFmask) with
            {
                Scales = scales, Offsets = offsets, NoData = noData ?? SceneInventory.AnalysisReadyNoData,
            };
            return new SceneObservation(id, date, sensor.Length > 0 ? sensor : "unknown", LandsatProduct.DeaArd, ard, null);
        }

        JsonElement qa = Find(assets, ["qa_pixel"], true) ?? throw Bad("has no asset qa_pixel: a Landsat Collection 2 Level 2 item is masked with it");
        if (sensor.Length == 0)
        {
            throw Bad("names no Landsat platform (properties.platform) nor a Landsat product id: the band map of QA_RADSAT depends on the sensor");
        }

        int[] bandNumbers = sensor == "OLI" ? [2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5, 7];
        string? radsat = Find(assets, ["qa_radsat"], true) is JsonElement r ? LocalFile(path, folder, name, "qa_radsat", r) : null;
        var image = new CompositeImage(bands[0], LocalFile(path, folder, name, "qa_pixel", qa))
        {
            BandPaths = bands,
            Scales = scales,
            Offsets = offsets,
            NoData = noData ?? 0,
            QualityFormat = QualityFormat.LandsatCollection2,
            SaturationPath = radsat,
            SaturationBits = bandNumbers.Aggregate(0, (bits, n) => bits | (1 << (n - 1))),
            SceneId = id,
        };
        return new SceneObservation(id, date, sensor, LandsatProduct.Collection2Level2, image, null);
    }

    /// <summary>The asset under one of <paramref name="keys"/>, else (not exact) the one whose first eo:bands common name is the first key.</summary>
    private static JsonElement? Find(JsonElement assets, string[] keys, bool exact)
    {
        foreach (string key in keys)
        {
            if (assets.TryGetProperty(key, out JsonElement a) && a.ValueKind == JsonValueKind.Object)
            {
                return a;
            }
        }

        if (exact)
        {
            return null;
        }

        foreach (JsonProperty a in assets.EnumerateObject().OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (a.Value.ValueKind == JsonValueKind.Object && a.Value.TryGetProperty("eo:bands", out JsonElement eo) && eo.ValueKind == JsonValueKind.Array
                && eo.GetArrayLength() > 0 && eo[0].ValueKind == JsonValueKind.Object && String(eo[0], "common_name") is { } common && keys.Contains(common))
            {
                return a.Value;
            }
        }

        return null;
    }

    private static (double? Scale, double? Offset, double? NoData) RasterBand(JsonElement asset)
    {
        if (!asset.TryGetProperty("raster:bands", out JsonElement rb) || rb.ValueKind != JsonValueKind.Array || rb.GetArrayLength() == 0 || rb[0].ValueKind != JsonValueKind.Object)
        {
            return (null, null, null);
        }

        static double? Number(JsonElement o, string key) => o.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        return (Number(rb[0], "scale"), Number(rb[0], "offset"), Number(rb[0], "nodata"));
    }

    private static string LocalFile(string path, string folder, string item, string key, JsonElement asset)
    {
        string href = String(asset, "href") ?? throw new DataFileException(path, $"{item}: asset {key} has no href");
        string local;
        if (href.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(href, UriKind.Absolute, out Uri? uri))
        {
            local = uri.LocalPath;
        }
        else if (href.Contains("://", StringComparison.Ordinal) || href.StartsWith("s3:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("/vsi", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFileException(path, $"{item}: asset {key} is remote ({href}); only local files are read");
        }
        else
        {
            local = Path.GetFullPath(Path.IsPathRooted(href) ? href : Path.Combine(folder, href));
        }

        return File.Exists(local) ? local : throw new DataFileException(local, $"is missing (asset {key} of {item} in {path})");
    }

    private static string? String(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
