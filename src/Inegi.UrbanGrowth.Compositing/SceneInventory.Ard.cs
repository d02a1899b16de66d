using System.Globalization;
using System.Text.RegularExpressions;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>The analysis-ready products of the Open Data Cube family: DEA's ga_ls*_ard_3 and GA's earlier NBAR with PQ25.</summary>
public static partial class SceneInventory
{
    /// <summary>Scale of DEA and GA surface reflectance (value / 10000).</summary>
    public const double AnalysisReadyScale = 1e-4;

    /// <summary>Nodata of DEA and GA surface reflectance bands.</summary>
    public const double AnalysisReadyNoData = -999;

    // DEA's measurement names (and the STAC common names some catalogues use) for blue, green, red, NIR, SWIR1, SWIR2.
    private static readonly string[][] DeaBandNames =
    [
        ["blue"], ["green"], ["red"], ["nir", "nir08"], ["swir_1", "swir1", "swir16"], ["swir_2", "swir2", "swir22"],
    ];

    private static readonly string[] GaBands = ["B10", "B20", "B30", "B40", "B50", "B70"];

    /// <summary>The DEA fmask or GA PQ25 conversion of a scene whose bands and quality band are known.</summary>
    /// <param name="id">The scene's id.</param>
    /// <param name="bandPaths">Blue, green, red, NIR, SWIR1, SWIR2.</param>
    /// <param name="qualityPath">The fmask (DEA) or PQ (GA) band.</param>
    /// <param name="format"><see cref="QualityFormat.DeaFmask"/> or <see cref="QualityFormat.GaPixelQuality"/>.</param>
    /// <param name="scale">Reflectance per unit (DEA: 1e-4).</param>
    /// <param name="offset">Reflectance offset.</param>
    /// <param name="noData">The bands' nodata.</param>
    internal static CompositeImage AnalysisReadyImage(string id, IReadOnlyList<string> bandPaths, string qualityPath, QualityFormat format, double scale = AnalysisReadyScale, double offset = 0, double noData = AnalysisReadyNoData) =>
        new(bandPaths[0], qualityPath)
        {
            BandPaths = bandPaths,
            Scales = [.. bandPaths.Select(_ => scale)],
            Offsets = [.. bandPaths.Select(_ => offset)],
            NoData = noData,
            QualityFormat = format,
            SceneId = id,
        };

    /// <summary>The sensor of a DEA or GA platform spelling (<c>ga_ls8c</c>, <c>landsat-5</c>, <c>LANDSAT_7</c>, <c>LS5</c>), or "" when none is named.</summary>
    /// <param name="text">A product name, id or STAC platform.</param>
    internal static string SensorOfPlatform(string text)
    {
        Match m = Platform().Match(text);
        return !m.Success ? "" : m.Groups["n"].Value switch
        {
            "4" or "5" => "TM",
            "7" => "ETM+",
            _ => "OLI",
        };
    }

    private static bool IsAnalysisReadyFile(string path)
    {
        string name = Path.GetFileName(path);
        return DeaFile().IsMatch(name) || GaFile().IsMatch(name);
    }

    private static IEnumerable<SceneObservation> ScanAnalysisReady(IReadOnlyList<string> files)
    {
        // DEA: one prefix per scene, in one folder.
        foreach (IGrouping<(string Folder, string Prefix), (string Path, Match Match)> group in files
            .Select(path => (Path: path, Match: DeaFile().Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .GroupBy(f => (Path.GetDirectoryName(f.Path)!, f.Match.Groups["prefix"].Value)))
        {
            string where = Path.Combine(group.Key.Folder, group.Key.Prefix);
            if (!group.Any(f => f.Match.Groups["band"].Success))
            {
                continue; // a quality band alone is no observation
            }

            string id = group.Key.Prefix;
            DateOnly date = DateIn(id) ?? DateIn(Path.GetFileName(group.Key.Folder))
                ?? throw new DataFileException(where + "_nbart_*.tif", "has no acquisition date (yyyy-MM-dd or yyyyMMdd) in its name or its folder's");
            string[] bands = new string[DeaBandNames.Length];
            for (int b = 0; b < bands.Length; b++)
            {
                bands[b] = group.FirstOrDefault(f => f.Match.Groups["band"].Success && DeaBandNames[b].Contains(f.Match.Groups["band"].Value.ToLowerInvariant())).Path
                    ?? throw new DataFileException(where + $"_nbart_{DeaBandNames[b][0]}.tif", "is missing: a DEA ARD scene needs nbart blue, green, red, nir, swir_1 and swir_2");
            }

            string fmask = group.FirstOrDefault(f => f.Match.Groups["fmask"].Success).Path
                ?? throw new DataFileException(where + "_fmask.tif", "is missing: a DEA ARD scene is masked with its fmask band");
            string sensor = SensorOfPlatform(id) is { Length: > 0 } s ? s : "unknown";
            yield return new SceneObservation(id, date, sensor, LandsatProduct.DeaArd, AnalysisReadyImage(id, bands, fmask, QualityFormat.DeaFmask), null);
        }

        // GA NBAR and PQ: separate products (and folders) of one acquisition, joined by satellite, path, row and date.
        foreach (IGrouping<string, (string Path, Match Match)> group in files
            .Select(path => (Path: path, Match: GaFile().Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .GroupBy(f => string.Join('_', f.Match.Groups["sat"].Value.ToUpperInvariant(), f.Match.Groups["path"].Value, f.Match.Groups["row"].Value, f.Match.Groups["date"].Value), StringComparer.Ordinal))
        {
            var reflectance = group.Where(f => f.Match.Groups["kind"].Value.StartsWith("NBAR", StringComparison.OrdinalIgnoreCase)).ToList();
            if (reflectance.Count == 0)
            {
                continue;
            }

            // NBART (terrain corrected) when both products are there.
            bool terrain = reflectance.Any(f => f.Match.Groups["kind"].Value.Equals("NBART", StringComparison.OrdinalIgnoreCase));
            reflectance = [.. reflectance.Where(f => f.Match.Groups["kind"].Value.Equals(terrain ? "NBART" : "NBAR", StringComparison.OrdinalIgnoreCase))];
            string first = reflectance[0].Path;
            string where = Path.Combine(Path.GetDirectoryName(first)!, Path.GetFileName(first)[..^"_B10.tif".Length]);
            string[] bands = new string[GaBands.Length];
            for (int b = 0; b < bands.Length; b++)
            {
                bands[b] = reflectance.FirstOrDefault(f => f.Match.Groups["band"].Value.Equals(GaBands[b], StringComparison.OrdinalIgnoreCase)).Path
                    ?? throw new DataFileException(where + $"_{GaBands[b]}.tif", "is missing: a GA NBAR scene needs bands B10, B20, B30, B40, B50 and B70");
            }

            string pq = group.FirstOrDefault(f => f.Match.Groups["kind"].Value.Equals("PQ", StringComparison.OrdinalIgnoreCase)).Path
                ?? throw new DataFileException(where.Replace("_NBAR", "_PQ", StringComparison.OrdinalIgnoreCase) + "_*.tif", "is missing: a GA NBAR scene is masked with the PQ product of its acquisition");
            Match m = group.First().Match;
            string id = $"{m.Groups["sat"].Value.ToUpperInvariant()}_{m.Groups["sensor"].Value.ToUpperInvariant()}_{(terrain ? "NBART" : "NBAR")}_{m.Groups["path"].Value}_{m.Groups["row"].Value}_{m.Groups["date"].Value}";
            DateOnly date = DateOnly.ParseExact(m.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture);
            yield return new SceneObservation(id, date, SensorOfPlatform(m.Groups["sat"].Value), LandsatProduct.GaNbar, AnalysisReadyImage(id, bands, pq, QualityFormat.GaPixelQuality), null);
        }
    }

    private static DateOnly? DateIn(string text)
    {
        foreach (Match m in DateText().Matches(text))
        {
            string digits = m.Value.Replace("-", "", StringComparison.Ordinal);
            if (DateOnly.TryParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d) && d.Year >= 1972)
            {
                return d;
            }
        }

        return null;
    }

    // <prefix>_nbart_<band>.tif and <prefix>_fmask.tif / <prefix>_oa_fmask.tif (DEA Collection 3 measurement names).
    [GeneratedRegex(@"^(?<prefix>.+?)_(?:(?:nbart|nbar)_(?<band>blue|green|red|nir|nir08|swir_1|swir1|swir16|swir_2|swir2|swir22)|(?:oa_)?(?<fmask>fmask))\.tiff?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeaFile();

    // LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_B10.tif, LS5_TM_PQ_P55_GAPQ01-002_090_084_19920323_1111111111111100.tif.
    [GeneratedRegex(@"^(?<sat>LS[4578])_(?<sensor>TM|ETM)_(?<kind>NBART?|PQ)_P\d+_GA[A-Z0-9]+-\d+_(?<path>\d{3})_(?<row>\d{3})_(?<date>\d{8})_(?<band>B\d0|[01]{16})\.tiff?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GaFile();

    [GeneratedRegex(@"(?<![0-9])(?:\d{4}-\d{2}-\d{2}|\d{8})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DateText();

    [GeneratedRegex(@"(?:ga_ls|landsat[-_ ]?|^ls|_ls)(?<n>[4-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Platform();
}
