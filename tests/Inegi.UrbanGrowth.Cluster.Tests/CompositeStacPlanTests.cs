using System.Text.Json;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// <c>urban plan composite --stac</c>: a STAC ItemCollection (hrefs relative to it, as USGS's landsat-c2l2-sr items)
/// over five synthetic Collection 2 Level 2 scenes in two overlapping UTM 14N frames, a year selected by
/// <c>--period</c>, composited into EPSG:6372 in 2 x 2 tiles run locally: the merge is byte-identical to one
/// <c>urban composite --stac</c> of the whole grid.
/// </summary>
public sealed class CompositeStacPlanTests : IDisposable
{
    private const int W = 100, H = 80;
    private static readonly string[] Rasters = ["mosaic.tif", "mads.tif", "count.tif"];

    // 160 x 140 pixels of 30 m over both frames (and beyond them: pixels no scene sees), 32-pixel blocks.
    private static readonly string[] Grid =
        ["--crs", "EPSG:6372", "--bounds", "2817000,677000,2821800,681200", "--resolution", "30", "--tile", "32"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Plan_of_a_stac_collection_merges_to_the_bytes_of_one_composite()
    {
        string archive = _dir.File("archive");
        (string Id, double X, double Y)[] scenes =
        [
            ("LT05_L2SP_027046_20100310_20200825_02_T1", 500_000, 2_000_000),
            ("LE07_L2SP_026046_20100415_20200825_02_T1", 501_200, 1_999_400),
            ("LT05_L2SP_027046_20100630_20200825_02_T1", 500_000, 2_000_000),
            ("LE07_L2SP_026046_20100917_20200825_02_T1", 501_200, 1_999_400),
            ("LT05_L2SP_027046_20110120_20200825_02_T1", 500_000, 2_000_000), // outside --period 2010
        ];
        var items = new List<Dictionary<string, object>>();
        for (int s = 0; s < scenes.Length; s++)
        {
            string dir = WriteScene(archive, scenes[s].Id, GeoTransform.NorthUp(scenes[s].X, scenes[s].Y, 30), s);
            string id = scenes[s].Id;
            items.Add(Item(archive, dir, id, $"{id[17..21]}-{id[21..23]}-{id[23..25]}T17:0{s}:00Z"));
        }

        // Listed in another order than the dates: the catalogue is read, then sorted as a scan sorts.
        items.Reverse();
        string stac = Path.Combine(archive, "items.json");
        File.WriteAllText(stac, JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "FeatureCollection", ["features"] = items.ToArray() }));

        string single = Directory.CreateDirectory(_dir.File("single")).FullName;
        Urban.Result run = Urban.Ok(Urban.Run(["composite", "--stac", stac, "--period", "2010", .. Grid,
            "--out", Path.Combine(single, "mosaic.tif"), "--mads", Path.Combine(single, "mads.tif"), "--count", Path.Combine(single, "count.tif")]));
        Assert.Contains("4 observations", run.Stdout, StringComparison.Ordinal);

        // Both frames reach the grid, overlap in part of it, and leave part of it unseen.
        using (GeoTiffReader count = GeoTiffReader.Open(Path.Combine(single, "count.tif")))
        {
            float[] counts = count.ReadAllAsFloat();
            Assert.Contains(counts, c => c == 0);
            Assert.Contains(counts, c => c is 1 or 2);
            Assert.Contains(counts, c => c >= 3);
        }

        string plan = _dir.File("plan");
        Urban.Ok(Urban.Run(["plan", "composite", "--stac", stac, "--period", "2010", .. Grid, "--tiles-x", "2", "--tiles-y", "2", "--out", plan]));
        Urban.Ok(Urban.Run("plan", "run", plan, "--parallel", "2", "--threads", "1"));
        string merged = _dir.File("merged");
        Urban.Ok(Urban.Run("merge", plan, "--out", merged));
        foreach (string name in Rasters)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(single, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, name))), name + " differs");
        }

        Assert.Contains("\"stac\": ", File.ReadAllText(Path.Combine(merged, "mosaic.provenance.json")), StringComparison.Ordinal);
    }

    /// <summary>A TM / ETM+ Collection 2 Level 2 scene in UTM 14N: smooth varied reflectance, fill in its first 3 columns, some pixels flagged cloud.</summary>
    private static string WriteScene(string root, string id, GeoTransform transform, int scene)
    {
        string dir = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        void Band(string name, Func<int, int, ushort> value)
        {
            var data = new ushort[W * H];
            for (int y = 0; y < H; y++)
            {
                for (int x = 0; x < W; x++)
                {
                    data[(y * W) + x] = x < 3 ? (ushort)(name == "QA_PIXEL" ? 1 : 0) : value(x, y);
                }
            }

            GeoTiffWriter.Write<ushort>(Path.Combine(dir, $"{id}_{name}.TIF"),
                new GeoTiffWriteOptions { Width = W, Height = H, SampleType = RasterSampleType.UInt16, GeoTransform = transform, Epsg = 32614, NoData = name == "QA_PIXEL" ? 1 : name.StartsWith("SR_", StringComparison.Ordinal) ? 0 : null }, data);
        }

        foreach (int b in new[] { 1, 2, 3, 4, 5, 7 })
        {
            // Reflectance 0.03-0.45 (DN = (rho + 0.2) / 0.0000275), varying by band, place and date.
            Band($"SR_B{b}", (x, y) => (ushort)(8500 + (700 * b) + (23 * x) + (17 * y) + (311 * scene) + (((x * 7919) ^ (y * 104729) ^ (scene * 31)) % 97)));
        }

        Band("QA_PIXEL", (x, y) => (ushort)(((x * 7) + (y * 3) + scene) % 11 == 0 ? 21824 | 8 : 5440));
        Band("QA_RADSAT", (x, y) => 0);
        return dir;
    }

    /// <summary>A STAC Item as USGS's landsat-c2l2-sr ones: assets by common name, hrefs relative to the collection.</summary>
    private static Dictionary<string, object> Item(string root, string dir, string id, string datetime)
    {
        string Href(string name) => Path.GetRelativePath(root, Path.Combine(dir, $"{id}_{name}.TIF"));
        string[] common = ["blue", "green", "red", "nir08", "swir16", "swir22"];
        int[] numbers = [1, 2, 3, 4, 5, 7];
        var assets = new Dictionary<string, object>();
        for (int b = 0; b < 6; b++)
        {
            assets[common[b]] = new Dictionary<string, object>
            {
                ["href"] = Href($"SR_B{numbers[b]}"),
                ["type"] = "image/tiff; application=geotiff; profile=cloud-optimized",
                ["eo:bands"] = new[] { new Dictionary<string, object> { ["name"] = $"SR_B{numbers[b]}", ["common_name"] = common[b] } },
                ["raster:bands"] = new[] { new Dictionary<string, object> { ["data_type"] = "uint16", ["nodata"] = 0, ["scale"] = 0.0000275, ["offset"] = -0.2 } },
            };
        }

        assets["qa_pixel"] = new Dictionary<string, object> { ["href"] = Href("QA_PIXEL"), ["roles"] = new[] { "cloud", "cloud-shadow", "snow-ice" } };
        assets["qa_radsat"] = new Dictionary<string, object> { ["href"] = Href("QA_RADSAT"), ["roles"] = new[] { "saturation" } };
        return new Dictionary<string, object>
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["id"] = id,
            ["properties"] = new Dictionary<string, object> { ["datetime"] = datetime, ["platform"] = id.StartsWith("LE07", StringComparison.Ordinal) ? "LANDSAT_7" : "LANDSAT_5" },
            ["geometry"] = new Dictionary<string, object> { ["type"] = "Point", ["coordinates"] = new[] { -99.0, 18.08 } },
            ["assets"] = assets,
        };
    }
}
