using System.Globalization;
using System.Text.RegularExpressions;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>The kind of Landsat product a scene folder holds, which decides how its values become reflectance.</summary>
public enum LandsatProduct
{
    /// <summary>Collection 2 Level 2 surface reflectance: <c>SR_B*</c>, <c>QA_PIXEL</c>, <c>QA_RADSAT</c>; DN x 0.0000275 - 0.2, fill 0.</summary>
    Collection2Level2,

    /// <summary>Collection 1 Level 1: <c>B*</c> and <c>BQA</c>; top-of-atmosphere reflectance from the MTL.</summary>
    Collection1Level1,

    /// <summary>Pre-collection Level 1 (Landsat 8 before 2017): as Collection 1 but with the older <c>BQA</c> bits.</summary>
    PreCollectionLevel1,

    /// <summary>
    /// Open Data Cube / Digital Earth Australia analysis-ready data (ga_ls*_ard_3): <c>*_nbart_blue.tif</c> ...
    /// <c>*_nbart_swir_2.tif</c> and <c>*_fmask.tif</c>; value / 10000, nodata -999, fmask classes.
    /// </summary>
    DeaArd,

    /// <summary>
    /// Geoscience Australia's earlier NBAR (or NBART) scenes with their PQ25 pixel quality (as the Open Data Cube's
    /// <c>ls5_nbar_scene</c> / <c>ls5_pq_scene</c>): <c>LS5_TM_NBAR_..._B10.tif</c> ... <c>_B70.tif</c> and
    /// <c>LS5_TM_PQ_..._*.tif</c>; value / 10000, nodata -999.
    /// </summary>
    GaNbar,
}

/// <summary>One scene found by <see cref="SceneInventory.Scan"/>: an observation date with its files and conversion.</summary>
/// <param name="Id">The product id (e.g. <c>LC08_L1TP_013032_20180131_20180207_01_T1</c>) or the pre-collection scene id.</param>
/// <param name="Date">The acquisition date (from the id).</param>
/// <param name="Sensor"><c>TM</c>, <c>ETM+</c> or <c>OLI</c>.</param>
/// <param name="Product">How the values are calibrated and flagged.</param>
/// <param name="Image">The bands (blue, green, red, NIR, SWIR1, SWIR2), quality band and conversion, ready for <see cref="ObservationReader"/>.</param>
/// <param name="Assumption">What had to be assumed (no MTL), or null when everything came from the scene's files.</param>
public sealed record SceneObservation(string Id, DateOnly Date, string Sensor, LandsatProduct Product, CompositeImage Image, string? Assumption);

/// <summary>
/// Finds Landsat scenes in a folder tree and describes each as an observation: date and sensor from the product id,
/// band files by the sensor's band map, quality band, and the reflectance conversion (docs/compositing.md).
/// </summary>
/// <remarks>
/// Files are grouped by the prefix before <c>_SR_B{n}</c>, <c>_B{n}</c>, <c>_QA_PIXEL</c>, <c>_BQA</c>,
/// <c>_QA_RADSAT</c> or <c>_MTL.txt</c>; the product id is the prefix when it parses, else the folder's name, else the MTL's
/// <c>LANDSAT_PRODUCT_ID</c> or <c>LANDSAT_SCENE_ID</c>. Scenes come out by date, then id (ordinal), so the
/// observation order, and with it every output byte, does not depend on the file system's listing order.
/// </remarks>
public static partial class SceneInventory
{
    /// <summary>Collection 2 Level 2 surface reflectance scale (USGS).</summary>
    public const double Collection2Scale = 0.0000275;

    /// <summary>Collection 2 Level 2 surface reflectance offset (USGS).</summary>
    public const double Collection2Offset = -0.2;

    /// <summary>The Landsat 8 OLI reflectance rescaling every Level 1 MTL gives (REFLECTANCE_MULT/ADD_BAND_n), assumed without an MTL.</summary>
    public const double OliReflectanceMult = 2.0e-5, OliReflectanceAdd = -0.1;

    private static readonly int[] OliBands = [2, 3, 4, 5, 6, 7];
    private static readonly int[] TmBands = [1, 2, 3, 4, 5, 7];

    /// <summary>Scans <paramref name="directory"/> and its subfolders for Landsat scenes acquired from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    /// <param name="directory">The archive folder.</param>
    /// <param name="from">First date kept, or null for no lower limit.</param>
    /// <param name="to">Last date kept, or null for no upper limit.</param>
    /// <returns>The scenes by date, then id.</returns>
    /// <exception cref="DataFileException">The folder is missing, a scene is incomplete or its MTL unreadable; the message names the file.</exception>
    public static IReadOnlyList<SceneObservation> Scan(string directory, DateOnly? from = null, DateOnly? to = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DataFileException(directory, "is not a folder");
        }

        var scenes = new List<SceneObservation>();
        string[] all = [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        foreach (IGrouping<(string Folder, string Prefix), (string Path, string Role)> group in all
            .Where(path => !IsAnalysisReadyFile(path))
            .Select(path => (Path: path, Match: SceneFile().Match(System.IO.Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .GroupBy(f => (System.IO.Path.GetDirectoryName(f.Path)!, f.Match.Groups["prefix"].Value), f => (f.Path, f.Match.Groups["role"].Value.ToUpperInvariant())))
        {
            var files = group.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            if (!files.Any(f => f.Role.StartsWith("SR_B", StringComparison.Ordinal) || (f.Role.StartsWith('B') && f.Role != "BQA")))
            {
                continue; // An MTL or quality band alone (e.g. an angle file's folder) is no observation.
            }

            SceneObservation scene = Describe(group.Key.Folder, group.Key.Prefix, files);
            if ((from is null || scene.Date >= from) && (to is null || scene.Date <= to))
            {
                scenes.Add(scene);
            }
        }

        scenes.AddRange(ScanAnalysisReady(all).Where(scene => (from is null || scene.Date >= from) && (to is null || scene.Date <= to)));
        return [.. scenes.OrderBy(s => s.Date).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>Reads the acquisition date and sensor from a Landsat product id (<c>LC08_L1TP_013032_20180131_...</c>) or pre-collection scene id (<c>LC80200392015216LGN00</c>).</summary>
    /// <param name="id">The id.</param>
    /// <param name="date">The acquisition date.</param>
    /// <param name="sensor"><c>TM</c>, <c>ETM+</c> or <c>OLI</c>.</param>
    /// <param name="collection">The collection number (1, 2), or 0 for a pre-collection scene id.</param>
    /// <returns>False when <paramref name="id"/> is not such an id, or names a sensor without the six reflective bands (MSS).</returns>
    public static bool TryParseId(string id, out DateOnly date, out string sensor, out int collection)
    {
        ArgumentNullException.ThrowIfNull(id);
        date = default;
        sensor = "";
        collection = 0;
        Match m = ProductId().Match(id);
        if (m.Success)
        {
            collection = int.Parse(m.Groups["collection"].Value, CultureInfo.InvariantCulture);
            if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                return false;
            }
        }
        else
        {
            m = SceneId().Match(id);
            if (!m.Success)
            {
                return false;
            }

            int year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture), day = int.Parse(m.Groups["doy"].Value, CultureInfo.InvariantCulture);
            if (day < 1 || day > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return false;
            }

            date = new DateOnly(year, 1, 1).AddDays(day - 1);
        }

        sensor = (m.Groups["sensor"].Value.ToUpperInvariant(), m.Groups["mission"].Value.TrimStart('0')) switch
        {
            ("C", "8" or "9") or ("O", "8" or "9") => "OLI",
            ("E", "7") => "ETM+",
            ("T", "4" or "5") => "TM",
            _ => "",
        };
        return sensor.Length > 0;
    }

    /// <summary>Reads an MTL file's <c>KEY = value</c> lines (quotes removed; the first of a repeated key wins).</summary>
    /// <param name="path">The MTL file.</param>
    /// <exception cref="DataFileException">The file cannot be read or holds no <c>KEY = value</c> line.</exception>
    public static IReadOnlyDictionary<string, string> ReadMtl(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException e)
        {
            throw new DataFileException(path, "cannot be read: " + e.Message, e);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values.TryAdd(line[..eq].Trim(), line[(eq + 1)..].Trim().Trim('"'));
            }
        }

        return values.Count > 0 ? values : throw new DataFileException(path, "is not an MTL file (no KEY = value line)");
    }

    private static SceneObservation Describe(string folder, string prefix, List<(string Path, string Role)> files)
    {
        string? File(string role) => files.FirstOrDefault(f => f.Role == role).Path;
        string? mtlPath = File("MTL.TXT");
        IReadOnlyDictionary<string, string>? mtl = mtlPath is null ? null : ReadMtl(mtlPath);
        string where = System.IO.Path.Combine(folder, prefix);

        string? id = new[] { prefix, System.IO.Path.GetFileName(folder), mtl?.GetValueOrDefault("LANDSAT_PRODUCT_ID"), mtl?.GetValueOrDefault("LANDSAT_SCENE_ID") }
            .FirstOrDefault(c => c is not null && TryParseId(c, out _, out _, out _));
        if (id is null || !TryParseId(id, out DateOnly date, out string sensor, out int collection))
        {
            throw new DataFileException(where + "_*", "has no Landsat TM, ETM+ or OLI product id in its file names nor an MTL with one");
        }

        int[] bandNumbers = sensor == "OLI" ? OliBands : TmBands;
        bool surface = files.Any(f => f.Role.StartsWith("SR_B", StringComparison.Ordinal));
        string bandRole = surface ? "SR_B" : "B";
        string[] bandPaths = new string[bandNumbers.Length];
        for (int i = 0; i < bandNumbers.Length; i++)
        {
            bandPaths[i] = File(bandRole + bandNumbers[i].ToString(CultureInfo.InvariantCulture) + ".TIF")
                ?? throw new DataFileException(where + $"_{bandRole}{bandNumbers[i]}.TIF", $"is missing: a {sensor} scene needs bands {string.Join(", ", bandNumbers)}");
        }

        if (surface)
        {
            string qa = File("QA_PIXEL.TIF") ?? throw new DataFileException(where + "_QA_PIXEL.TIF", "is missing: a Collection 2 Level 2 scene is masked with its QA_PIXEL band");
            int saturationBits = bandNumbers.Aggregate(0, (bits, b) => bits | (1 << (b - 1)));
            var image = new CompositeImage(bandPaths[0], qa)
            {
                BandPaths = bandPaths,
                Scales = [.. bandNumbers.Select(_ => Collection2Scale)],
                Offsets = [.. bandNumbers.Select(_ => Collection2Offset)],
                NoData = 0,
                QualityFormat = QualityFormat.LandsatCollection2,
                SaturationPath = File("QA_RADSAT.TIF"),
                SaturationBits = saturationBits,
                SceneId = id,
            };
            return new SceneObservation(id, date, sensor, LandsatProduct.Collection2Level2, image, null);
        }

        string bqa = File("BQA.TIF") ?? throw new DataFileException(where + "_BQA.TIF", "is missing: a Level 1 scene is masked with its BQA band");
        bool preCollection = collection == 0 && (mtl is null || !mtl.ContainsKey("COLLECTION_NUMBER"));
        double[] scales = new double[bandNumbers.Length], offsets = new double[bandNumbers.Length];
        string? assumption = null;
        if (mtl is not null)
        {
            // TOA reflectance with the sun-angle correction: (M * DN + A) / sin(sun elevation), as USGS gives it.
            double sine = Math.Sin(MtlNumber(mtl, mtlPath!, "SUN_ELEVATION") * Math.PI / 180);
            if (!(sine > 0))
            {
                throw new DataFileException(mtlPath!, "gives a sun elevation at or below the horizon");
            }

            for (int i = 0; i < bandNumbers.Length; i++)
            {
                string n = bandNumbers[i].ToString(CultureInfo.InvariantCulture);
                scales[i] = MtlNumber(mtl, mtlPath!, "REFLECTANCE_MULT_BAND_" + n) / sine;
                offsets[i] = MtlNumber(mtl, mtlPath!, "REFLECTANCE_ADD_BAND_" + n) / sine;
            }
        }
        else if (sensor == "OLI")
        {
            // Every OLI Level 1 MTL gives the same rescaling; the sun elevation is not in the file names, so the values
            // are TOA reflectance without the sun-angle correction (rho * sin(elevation)).
            Array.Fill(scales, OliReflectanceMult);
            Array.Fill(offsets, OliReflectanceAdd);
            assumption = "no MTL: OLI REFLECTANCE_MULT 2.0E-05 and ADD -0.1 assumed, no sun-angle correction";
        }
        else
        {
            throw new DataFileException(where + "_MTL.txt", $"is missing: a {sensor} Level 1 scene needs its MTL for the reflectance coefficients");
        }

        var level1 = new CompositeImage(bandPaths[0], bqa)
        {
            BandPaths = bandPaths,
            Scales = scales,
            Offsets = offsets,
            NoData = 0,
            QualityFormat = preCollection ? QualityFormat.LandsatPreCollection : QualityFormat.LandsatCollection1,
            SceneId = id,
        };
        return new SceneObservation(id, date, sensor, preCollection ? LandsatProduct.PreCollectionLevel1 : LandsatProduct.Collection1Level1, level1, assumption);
    }

    private static double MtlNumber(IReadOnlyDictionary<string, string> mtl, string path, string key) =>
        mtl.TryGetValue(key, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new DataFileException(path, $"has no number for {key}");

    // The look-behind keeps Collection 2's surface temperature files (ST_B6, ST_B10) out of a "..._ST" pseudo-scene.
    [GeneratedRegex(@"^(?<prefix>.+?)(?<!_(?:SR|ST))_(?<role>SR_B\d{1,2}\.TIF|B\d{1,2}\.TIF|BQA\.TIF|QA_PIXEL\.TIF|QA_RADSAT\.TIF|MTL\.TXT)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SceneFile();

    // LXSS_LLLL_PPPRRR_YYYYMMDD_yyyymmdd_CC_TX (Collection 1 and 2 product ids).
    [GeneratedRegex(@"^L(?<sensor>[CEOTM])(?<mission>0[4-9])_L\w{3}_\d{6}_(?<date>\d{8})_\d{8}_(?<collection>\d{2})_\w{2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProductId();

    // LXSPPPRRRYYYYDDDGSIVV (pre-collection scene ids).
    [GeneratedRegex(@"^L(?<sensor>[CEOTM])(?<mission>[4-9])\d{6}(?<year>\d{4})(?<doy>\d{3})\w{3}\d{2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SceneId();
}
