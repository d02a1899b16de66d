using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Spectral;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// How a cell's features are computed from the mosaic: reflectance scale and offset, the tasseled-cap coefficient
/// set, and the channels (standard names, or custom index expressions). Saved beside a features CSV and inside every
/// model file, so that a map is always classified with the features its model was trained on.
/// </summary>
public sealed record FeatureExtractionSettings
{
    /// <summary>The pilot's settings: the 27 standard channels, Crist (1985) TM tasseled cap, scale 0.0001, offset 0.</summary>
    public static FeatureExtractionSettings Default { get; } = new();

    /// <summary>Reflectance = DN * Scale + Offset (SPEC 1.1; 0.0000275 for Landsat Collection 2 Level 2).</summary>
    public float Scale { get; init; } = SpectralTransform.DefaultScale;

    /// <summary>Reflectance offset (-0.2 for Landsat Collection 2 Level 2).</summary>
    public float Offset { get; init; } = SpectralTransform.DefaultOffset;

    /// <summary>Name of the tasseled-cap coefficient set (see <see cref="TasseledCapCoefficients.FromName"/>).</summary>
    public string TasseledCap { get; init; } = TasseledCapCoefficients.Default.Name;

    /// <summary>Channel names in order; a name that is not standard needs an entry in <see cref="CustomChannels"/>.</summary>
    public IReadOnlyList<string> Channels { get; init; } = StandardChannels.Names;

    /// <summary>Expressions of the custom channels by name (e.g. <c>"(nir - swir1) / (nir + swir1)"</c>).</summary>
    public IReadOnlyDictionary<string, string> CustomChannels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Builds the channel set these settings describe.</summary>
    /// <exception cref="ArgumentException">An unknown channel without an expression.</exception>
    public ChannelSet CreateChannelSet()
    {
        if (Channels.SequenceEqual(StandardChannels.Names) && CustomChannels.Count == 0)
        {
            return ChannelSet.Standard;
        }

        ChannelSet set = ChannelSet.Standard;
        foreach ((string name, string expression) in CustomChannels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            set = set.Add(name, expression);
        }

        foreach (string name in Channels)
        {
            if (set.IndexOf(name) < 0)
            {
                throw new ArgumentException($"Channel '{name}' is neither standard nor defined by a custom expression.", nameof(Channels));
            }
        }

        return set.Select(Channels);
    }

    /// <summary>The spectral transform for these settings.</summary>
    public SpectralTransform CreateSpectralTransform() =>
        new(CreateChannelSet(), TasseledCapCoefficients.FromName(TasseledCap), Scale, Offset);

    /// <summary>The names of the patch features these settings produce (channel-major, 18 per channel).</summary>
    public FeatureSchema CreateSchema() => new PatchFeatureLayout(Channels).Schema;

    /// <summary>Writes the settings as a JSON object (scale, offset, tasseled_cap, channels, custom_channels).</summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteJsonProperties(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    /// <summary>Reads settings written by <see cref="WriteJson"/>.</summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="source">Where the JSON came from, for error messages.</param>
    public static FeatureExtractionSettings FromJson(JsonNode json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var custom = new Dictionary<string, string>(StringComparer.Ordinal);
            if (json["custom_channels"] is JsonObject c)
            {
                foreach ((string k, JsonNode? v) in c)
                {
                    custom[k] = v?.GetValue<string>() ?? throw new FormatException($"custom channel '{k}' has no expression");
                }
            }

            var settings = new FeatureExtractionSettings
            {
                Scale = json["scale"]?.GetValue<float>() ?? SpectralTransform.DefaultScale,
                Offset = json["offset"]?.GetValue<float>() ?? SpectralTransform.DefaultOffset,
                TasseledCap = json["tasseled_cap"]?.GetValue<string>() ?? TasseledCapCoefficients.Default.Name,
                Channels = json["channels"] is JsonArray a ? [.. a.Select(n => n?.GetValue<string>() ?? throw new FormatException("empty channel name"))] : StandardChannels.Names,
                CustomChannels = custom,
            };
            _ = settings.CreateChannelSet();
            _ = TasseledCapCoefficients.FromName(settings.TasseledCap);
            return settings;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException or KeyNotFoundException)
        {
            throw new DataFileException(source, "invalid feature settings: " + e.Message, e);
        }
    }

    /// <summary>The sidecar file that holds the settings of a features CSV (<c>F.csv</c> -> <c>F.csv.settings.json</c>).</summary>
    /// <param name="featuresCsvPath">The features CSV.</param>
    public static string SidecarPath(string featuresCsvPath) => featuresCsvPath + ".settings.json";

    /// <summary>
    /// Writes the settings beside a features CSV with the CSV's length and SHA-256, which
    /// <see cref="ReadSidecarFor"/> checks.
    /// </summary>
    /// <param name="featuresCsvPath">The features CSV.</param>
    /// <param name="csvLength">Its length in bytes.</param>
    /// <param name="csvSha256">Its SHA-256, lower-case hexadecimal.</param>
    public void WriteSidecar(string featuresCsvPath, long csvLength, string csvSha256) => JsonText.Save(SidecarPath(featuresCsvPath), writer =>
    {
        writer.WriteStartObject();
        WriteJsonProperties(writer);
        writer.WriteStartObject(CsvKey);
        writer.WriteNumber("bytes", csvLength);
        writer.WriteString("sha256", csvSha256);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>
    /// Reads the settings of a features CSV and checks that they belong to it: a sidecar that records the CSV's
    /// length and SHA-256 must match the CSV beside it (files of two runs, or of a run killed between the two
    /// writes, are refused), and the CSV's feature columns must be the ones the sidecar's channels produce. A CSV
    /// without a sidecar (default settings, any columns), or with a sidecar of the versions that recorded no hash,
    /// is read as before.
    /// </summary>
    /// <param name="featuresCsvPath">The features CSV.</param>
    /// <param name="csvSchema">The feature columns of its header.</param>
    /// <exception cref="DataFileException">The sidecar is unreadable, belongs to another CSV, or names other channels.</exception>
    public static FeatureExtractionSettings ReadSidecarFor(string featuresCsvPath, FeatureSchema csvSchema)
    {
        ArgumentNullException.ThrowIfNull(csvSchema);
        string sidecar = SidecarPath(featuresCsvPath);
        JsonNode? node = ReadSidecarJson(sidecar);
        FeatureExtractionSettings settings = node is null ? Default : FromJson(node, sidecar);
        if (node?[CsvKey] is JsonObject recorded)
        {
            long bytes;
            string? sha;
            try
            {
                bytes = recorded["bytes"]?.GetValue<long>() ?? -1;
                sha = recorded["sha256"]?.GetValue<string>();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new DataFileException(sidecar, "invalid feature settings: " + e.Message, e);
            }

            long actual = new FileInfo(featuresCsvPath).Length;
            if (bytes != actual || !string.Equals(sha, Sha256Of(featuresCsvPath), StringComparison.OrdinalIgnoreCase))
            {
                throw new DataFileException(sidecar, string.Create(CultureInfo.InvariantCulture,
                    $"these settings were written for another version of {featuresCsvPath} ({bytes} bytes, the file has {actual}, or its SHA-256 differs): the two files come from different runs; rerun 'urban features'"));
            }
        }

        FeatureSchema expected = settings.CreateSchema();
        if (node is not null && !expected.Equals(csvSchema))
        {
            throw new DataFileException(featuresCsvPath, string.Create(CultureInfo.InvariantCulture,
                $"the header's {csvSchema.Count} feature columns do not match the {expected.Count} of the {settings.Channels.Count} channels in its settings {sidecar}"));
        }

        return settings;
    }

    private const string CsvKey = "features_csv";

    private void WriteJsonProperties(Utf8JsonWriter writer)
    {
        writer.WriteNumber("scale", Scale);
        writer.WriteNumber("offset", Offset);
        writer.WriteString("tasseled_cap", TasseledCap);
        writer.WriteStartArray("channels");
        foreach (string channel in Channels)
        {
            writer.WriteStringValue(channel);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("custom_channels");
        foreach ((string name, string expression) in CustomChannels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name, expression);
        }

        writer.WriteEndObject();
    }

    private static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static JsonNode? ReadSidecarJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new DataFileException(path, "empty JSON");
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, "not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>Reads the settings beside a features CSV, or returns <see cref="Default"/> when there is none.</summary>
    /// <param name="featuresCsvPath">The features CSV.</param>
    public static FeatureExtractionSettings ReadSidecarOrDefault(string featuresCsvPath)
    {
        string path = SidecarPath(featuresCsvPath);
        if (!File.Exists(path))
        {
            return Default;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, "not valid JSON: " + e.Message, e);
        }

        return FromJson(node ?? throw new DataFileException(path, "empty JSON"), path);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Channels.Count} channels, tasseled cap {TasseledCap}, reflectance = DN * {Scale} + {Offset}");
}
