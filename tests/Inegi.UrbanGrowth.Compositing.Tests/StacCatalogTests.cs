using System.Text.Json;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>
/// <c>--stac</c>: ItemCollections of local files, Landsat Collection 2 Level 2 items over a synthetic archive and DEA
/// ARD items over the real Canberra scene, give the same bytes as the same scenes found by <c>--scenes</c>; remote
/// hrefs and broken collections are refused naming the item.
/// </summary>
public sealed class StacCatalogTests : IDisposable
{
    private const int W = 6, H = 4;
    private static readonly GeoTransform Transform = GeoTransform.NorthUp(500_000, 2_000_000, 30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes a Collection 2 Level 2 scene (real file layout) whose clear pixels are <paramref name="clear"/>, band 3 saturated at pixel <paramref name="saturated"/>; returns its folder.</summary>
    internal static string C2Scene(string root, string id, Func<int, int, ushort> value, Func<int, bool> clear, int saturated = 1)
    {
        string dir = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        int[] bands = id.StartsWith("LC08", StringComparison.Ordinal) ? [1, 2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5, 7];
        void Band(string name, Func<int, ushort> v)
        {
            var data = new ushort[W * H];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = v(i);
            }

            GeoTiffWriter.Write<ushort>(Path.Combine(dir, $"{id}_{name}.TIF"), new GeoTiffWriteOptions { Width = W, Height = H, SampleType = RasterSampleType.UInt16, GeoTransform = Transform, Epsg = 32614 }, data);
        }

        foreach (int b in bands)
        {
            Band($"SR_B{b}", i => value(b, i));
        }

        Band("QA_PIXEL", i => (ushort)(clear(i) ? 21824 : 21824 | 8));
        Band("QA_RADSAT", i => (ushort)(i == saturated ? 1 << 2 : 0));
        return dir;
    }

    /// <summary>A STAC Item (as USGS's landsat-c2l2-sr items) for a scene written by <see cref="C2Scene"/>, hrefs relative to <paramref name="root"/>.</summary>
    internal static Dictionary<string, object> C2Item(string root, string sceneDir, string id, string datetime, bool byCommonName = false)
    {
        string Href(string name) => Path.GetRelativePath(root, Path.Combine(sceneDir, $"{id}_{name}.TIF"));
        bool oli = id.StartsWith("LC08", StringComparison.Ordinal);
        string[] common = ["blue", "green", "red", "nir08", "swir16", "swir22"];
        int[] numbers = oli ? [2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5, 7];
        var assets = new Dictionary<string, object>();
        for (int b = 0; b < 6; b++)
        {
            // USGS keys assets by common name; some catalogues key them by file band and name the colour in eo:bands.
            assets[byCommonName ? $"SR_B{numbers[b]}" : common[b]] = new Dictionary<string, object>
            {
                ["href"] = Href($"SR_B{numbers[b]}"),
                ["type"] = "image/tiff; application=geotiff; profile=cloud-optimized",
                ["eo:bands"] = new[] { new Dictionary<string, object> { ["name"] = $"SR_B{numbers[b]}", ["common_name"] = common[b] } },
                ["raster:bands"] = new[] { new Dictionary<string, object> { ["data_type"] = "uint16", ["nodata"] = 0, ["scale"] = 0.0000275, ["offset"] = -0.2 } },
            };
        }

        if (oli)
        {
            assets["coastal"] = new Dictionary<string, object> { ["href"] = Href("SR_B1"), ["eo:bands"] = new[] { new Dictionary<string, object> { ["common_name"] = "coastal" } } };
        }

        assets["qa_pixel"] = new Dictionary<string, object> { ["href"] = Href("QA_PIXEL"), ["roles"] = new[] { "cloud", "cloud-shadow", "snow-ice" } };
        assets["qa_radsat"] = new Dictionary<string, object> { ["href"] = Href("QA_RADSAT"), ["roles"] = new[] { "saturation" } };
        return new Dictionary<string, object>
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["id"] = id,
            ["properties"] = new Dictionary<string, object> { ["datetime"] = datetime, ["platform"] = oli ? "LANDSAT_8" : "LANDSAT_5" },
            ["geometry"] = new Dictionary<string, object> { ["type"] = "Point", ["coordinates"] = new[] { -99.0, 18.0 } },
            ["assets"] = assets,
        };
    }

    internal static string WriteCollection(string path, IEnumerable<Dictionary<string, object>> items)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "FeatureCollection", ["features"] = items.ToArray() }));
        return path;
    }

    [Fact]
    public void Collection2Items_GiveTheSameBytesAsTheScannedScenes()
    {
        string archive = _dir.File("archive");
        string[] ids =
        [
            "LT05_L2SP_026046_20100315_20200825_02_T1",
            "LC08_L2SP_026046_20100422_20200825_02_T1",
            "LC08_L2SP_026046_20100508_20200825_02_T1",
            "LT05_L2SP_026046_20100901_20200825_02_T1",
        ];
        var items = new List<Dictionary<string, object>>();
        for (int s = 0; s < ids.Length; s++)
        {
            int scene = s;
            string dir = C2Scene(archive, ids[s], (b, i) => (ushort)(9000 + (500 * b) + (97 * i) + (311 * scene)), i => (i + scene) % 3 != 0);
            items.Add(C2Item(archive, dir, ids[s], $"2010-{ids[s][21..23]}-{ids[s][23..25]}T16:5{s}:12.123Z", byCommonName: s == 1));
        }

        // The catalogue in another order than the dates, beside the archive (hrefs relative to it).
        string stac = WriteCollection(Path.Combine(archive, "items.json"), [items[2], items[0], items[3], items[1]]);
        IReadOnlyList<SceneObservation> listed = StacCatalog.Read(stac);
        IReadOnlyList<SceneObservation> scanned = SceneInventory.Scan(archive);
        Assert.Equal(scanned.Select(s => (s.Id, s.Date, s.Sensor, s.Product)), listed.Select(s => (s.Id, s.Date, s.Sensor, s.Product)));
        for (int i = 0; i < listed.Count; i++)
        {
            CompositeImage a = listed[i].Image, b = scanned[i].Image;
            Assert.Equal(b.BandPaths, a.BandPaths);
            Assert.Equal((b.QualityPath, b.SaturationPath, b.SaturationBits, b.NoData, b.QualityFormat), (a.QualityPath, a.SaturationPath, a.SaturationBits, a.NoData, a.QualityFormat));
        }

        // The first half of 2010 from both, as urban composite writes it.
        var grid = new CompositeSettings { Crs = "EPSG:32614", Bounds = "500000,1999880,500180,2000000", Resolution = 30, Period = "2010-H1" };
        string[] fromStac = Composite(grid with { Stac = stac }, "stac");
        string[] fromScan = Composite(grid with { Scenes = archive }, "scan");
        for (int k = 0; k < fromStac.Length; k++)
        {
            Assert.Equal(File.ReadAllBytes(fromScan[k]), File.ReadAllBytes(fromStac[k]));
        }

        using var count = GeoTiffReader.Open(fromStac[2]);
        var counts = new ushort[W * H];
        count.Read<ushort>(new PixelWindow(0, 0, W, H), counts);
        Assert.Equal(2, counts.Max()); // each pixel is clear in two of the three scenes of the half year
        Assert.Equal(0, counts[1]); // saturated in band 3 (bit 2): TM's and OLI's blue or green, read in every scene
        Assert.Contains("\"stac\": ", File.ReadAllText(GeomedianCompositor.ProvenancePath(fromStac[0])), StringComparison.Ordinal);
        Assert.Equal(3, StacCatalog.Read(stac, new DateOnly(2010, 1, 1), new DateOnly(2010, 6, 30)).Count);
    }

    [Fact]
    public void DeaItems_OverTheRealCanberraScene_GiveTheSameBytesAsItsFolder()
    {
        string dea = AnalysisReadyTests.MakeDeaCopy(_dir.File("dea"));
        SceneObservation scene = Assert.Single(SceneInventory.Scan(dea));
        var assets = new Dictionary<string, object>();
        for (int b = 0; b < 6; b++)
        {
            assets["nbart_" + AnalysisReadyTests.DeaBands[b]] = new Dictionary<string, object> { ["href"] = "file://" + scene.Image.BandPaths![b] };
        }

        assets["oa_fmask"] = new Dictionary<string, object> { ["href"] = scene.Image.QualityPath! };
        var item = new Dictionary<string, object>
        {
            ["type"] = "Feature",
            ["id"] = "ga_ls5t_ard_3-2-0_090084_1992-03-23_final",
            ["properties"] = new Dictionary<string, object> { ["datetime"] = "1992-03-23T23:14:25.500000Z", ["platform"] = "landsat-5" },
            ["assets"] = assets,
        };
        string stac = WriteCollection(_dir.File("ard.json"), [item]);
        SceneObservation listed = Assert.Single(StacCatalog.Read(stac));
        Assert.Equal((LandsatProduct.DeaArd, "TM", new DateOnly(1992, 3, 23)), (listed.Product, listed.Sensor, listed.Date));

        var grid = new CompositeSettings { Crs = "EPSG:28355", Bounds = "689000,6085900,700400,6096000", Resolution = 25 };
        string[] fromStac = Composite(grid with { Stac = stac }, "stac");
        string[] fromFolder = Composite(grid with { Scenes = dea }, "folder");
        for (int k = 0; k < fromStac.Length; k++)
        {
            Assert.Equal(File.ReadAllBytes(fromFolder[k]), File.ReadAllBytes(fromStac[k]));
        }
    }

    [Fact]
    public void RemoteHrefsAndBrokenCollections_AreRefusedNamingTheItem()
    {
        string archive = _dir.File("archive");
        const string id = "LC08_L2SP_026046_20200601_20200825_02_T1";
        string dir = C2Scene(archive, id, (b, i) => 10000, _ => true);
        Dictionary<string, object> item = C2Item(archive, dir, id, "2020-06-01T17:00:00Z");
        ((Dictionary<string, object>)((Dictionary<string, object>)item["assets"])["red"])["href"] = "https://landsatlook.usgs.gov/data/collection02/level-2/standard/oli-tirs/2020/026/046/LC08_L2SP_026046_20200601_20200825_02_T1/LC08_L2SP_026046_20200601_20200825_02_T1_SR_B4.TIF";
        string remote = WriteCollection(Path.Combine(archive, "remote.json"), [item]);
        var e = Assert.Throws<DataFileException>(() => StacCatalog.Read(remote));
        Assert.Contains($"item {id}: asset red is remote", e.Message, StringComparison.Ordinal);
        Assert.Contains("remote.json", e.Message, StringComparison.Ordinal);

        // Through the settings (what urban composite reads): the same data error, before any output.
        Assert.Throws<DataFileException>(() => new CompositeSettings { Stac = remote, Crs = "EPSG:32614", Bounds = "500000,1999880,500180,2000000" }.OpenReader());

        item = C2Item(archive, dir, id, "2020-06-01T17:00:00Z");
        ((Dictionary<string, object>)item["assets"]).Remove("qa_pixel");
        Assert.Contains("has no asset qa_pixel", Assert.Throws<DataFileException>(() => StacCatalog.Read(WriteCollection(Path.Combine(archive, "noqa.json"), [item]))).Message, StringComparison.Ordinal);

        item = C2Item(archive, dir, id, "2020-06-01T17:00:00Z");
        ((Dictionary<string, object>)((Dictionary<string, object>)item["assets"])["nir08"])["href"] = "missing/B5.TIF";
        Assert.Contains("missing", Assert.Throws<DataFileException>(() => StacCatalog.Read(WriteCollection(Path.Combine(archive, "missing.json"), [item]))).Message, StringComparison.Ordinal);

        File.WriteAllText(_dir.File("catalog.json"), """{"type": "Catalog", "id": "x", "links": []}""");
        Assert.Contains("not a STAC ItemCollection", Assert.Throws<DataFileException>(() => StacCatalog.Read(_dir.File("catalog.json"))).Message, StringComparison.Ordinal);
        File.WriteAllText(_dir.File("broken.json"), "{\"type\": \"FeatureCollection\", \"features\": [");
        Assert.Contains("is not JSON", Assert.Throws<DataFileException>(() => StacCatalog.Read(_dir.File("broken.json"))).Message, StringComparison.Ordinal);

        // --stac with --scenes or --images is a bad argument.
        Assert.Throws<ArgumentException>(() => new CompositeSettings { Stac = remote, Scenes = archive }.CompositeImages());
        Assert.Throws<ArgumentException>(() => new CompositeSettings { Stac = remote, Images = ["a.tif"] }.CompositeImages());
    }

    private string[] Composite(CompositeSettings settings, string name)
    {
        using ObservationReader reader = settings.OpenReader();
        string mosaic = _dir.File(name + ".tif"), mads = _dir.File(name + "_mads.tif"), count = _dir.File(name + "_count.tif");
        new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: 2)).Write(mosaic, mads, count, settings.Provenance());
        return [mosaic, mads, count];
    }
}
