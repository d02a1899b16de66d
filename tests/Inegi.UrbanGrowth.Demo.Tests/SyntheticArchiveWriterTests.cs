using System.Security.Cryptography;
using System.Text.Json;
using Inegi.UrbanGrowth.Compositing;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Demo.Tests;

/// <summary>The written archive: what GDAL and the scene inventory read, the masks the compositing stage decodes, the composite against the truth, determinism.</summary>
public sealed class SyntheticArchiveWriterTests(ArchiveFixture f) : IClassFixture<ArchiveFixture>
{
    [Fact]
    public void Archive_GdalReadsUtmFramesWithNodata_AndTheInventoryFindsEveryScene()
    {
        Assert.Equal(f.Archive.Acquisitions.Count, f.Written.Count);
        IReadOnlyList<SceneObservation> found = SceneInventory.Scan(f.Dir.File("scenes"));
        Assert.Equal(f.Written.Select(s => s.Acquisition.ProductId).Order(StringComparer.Ordinal), found.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(found, s => Assert.Equal(LandsatProduct.Collection2Level2, s.Product));
        Assert.Equal(["ETM+", "TM"], found.Select(s => s.Sensor).Distinct().Order(StringComparer.Ordinal));

        // The default scene sits at about 102.9 W: UTM zone 13 (its centre) or 14.
        foreach (SyntheticArchiveScene s in f.Written.Where(s => s.Acquisition.Index < 2))
        {
            string id = s.Acquisition.ProductId;
            using JsonDocument band = JsonDocument.Parse(Oracles.RunGdal("gdalinfo", "-json", Path.Combine(s.Folder, id + "_SR_B" + s.Acquisition.BandNumbers[0] + ".TIF")));
            JsonElement root = band.RootElement;
            Assert.Contains("UTM zone " + (s.Grid.Epsg % 100) + "N", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), StringComparison.Ordinal);
            Assert.Equal([s.Grid.Width, s.Grid.Height], root.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal(s.Grid.GeoTransform.ToArray(), root.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(15, ((s.Grid.GeoTransform.OriginX % 30) + 30) % 30, 6); // corners on Landsat's 15 m lattice
            JsonElement b1 = root.GetProperty("bands")[0];
            Assert.Equal("UInt16", b1.GetProperty("type").GetString());
            Assert.Equal(0, b1.GetProperty("noDataValue").GetDouble());
            using JsonDocument qa = JsonDocument.Parse(Oracles.RunGdal("gdalinfo", "-json", Path.Combine(s.Folder, id + "_QA_PIXEL.TIF")));
            Assert.Equal(1, qa.RootElement.GetProperty("bands")[0].GetProperty("noDataValue").GetDouble());
            Assert.True(s.Grid.Epsg is 32613 or 32614, $"EPSG:{s.Grid.Epsg}");

            IReadOnlyDictionary<string, string> mtl = SceneInventory.ReadMtl(Path.Combine(s.Folder, id + "_MTL.txt"));
            Assert.Equal(id, mtl["LANDSAT_PRODUCT_ID"]);
            Assert.Equal(s.Acquisition.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), mtl["DATE_ACQUIRED"]);
            Assert.Equal("2.75E-05", mtl["REFLECTANCE_MULT_BAND_" + s.Acquisition.BandNumbers[0]]);
        }

        Assert.Empty(Directory.GetDirectories(f.Dir.File("scenes"), ".partial-*"));
    }

    /// <summary>
    /// Read back through the compositing stage's own reader on each frame's grid, a pixel is masked exactly where the
    /// generator drew fill, cloud, dilated cloud, shadow, snow or saturation: the QA bands say what was drawn.
    /// </summary>
    [Fact]
    public void QualityBands_DecodedByTheCompositingReader_AreTheGeneratedMasks()
    {
        IReadOnlyList<SceneObservation> found = SceneInventory.Scan(f.Dir.File("scenes"));
        long masked = 0, total = 0;
        foreach (SyntheticArchiveScene s in f.Written.Where(s => s.Acquisition.Index % 3 == 0))
        {
            SyntheticFrameGrid g = s.Grid;
            int n = g.Width * g.Height;
            var columns = new double[n];
            var rows = new double[n];
            SyntheticArchiveWriter.MapToScene(f.Archive, g, 0, g.Height, columns, rows);
            var conditions = new SyntheticConditions[n];
            f.Archive.Render(s.Acquisition, f.Archive.Ground(columns, rows), new ushort[6 * n], new ushort[n], new ushort[n], conditions);

            var grid = new TargetGrid(g.Width, g.Height, g.GeoTransform, g.Epsg);
            SceneObservation scene = found.Single(o => o.Id == s.Acquisition.ProductId);
            using var reader = new ObservationReader([scene.Image], grid, new ImageReadOptions());
            var values = new float[6 * n];
            reader.Read(new PixelWindow(0, 0, g.Width, g.Height), values);
            const SyntheticConditions Dropped = SyntheticConditions.Fill | SyntheticConditions.Cloud | SyntheticConditions.DilatedCloud
                | SyntheticConditions.CloudShadow | SyntheticConditions.Snow | SyntheticConditions.Saturated;
            for (int p = 0; p < n; p++)
            {
                bool expected = (conditions[p] & Dropped) != 0;
                Assert.True(expected == float.IsNaN(values[p]), $"{s.Acquisition.ProductId} pixel {p}: drawn {conditions[p]}, read {values[p]}");
                masked += expected ? 1 : 0;
            }

            total += n;
        }

        Assert.InRange(masked / (double)total, 0.05, 0.95);
    }

    /// <summary>
    /// The masked composite of the year is within a few hundredths of reflectance of the clear-sky surface it observed;
    /// compositing the same scenes with only fill masked lets clouds, shadows and snow through, and is further off in the
    /// visible bands.
    /// </summary>
    [Fact]
    public void Composite_IsCloseToTheClearSurface_UnmaskedCloudsWouldNotBe()
    {
        SurfaceComparison masked = SurfaceComparison.Measure(f.Scene, 2010, f.Masked);
        SurfaceComparison unmasked = SurfaceComparison.Measure(f.Scene, 2010, f.Unmasked);
        Assert.True(masked.PixelsWithData > 0.995 * masked.Pixels, masked.ToString());
        for (int b = 0; b < 6; b++)
        {
            // Nearest-neighbour resampling twice (scene -> UTM -> scene) moves a share of the pixels by one: the
            // scene's +-6% per-pixel texture and its sharp roads and field edges show in the median, not the bias.
            Assert.InRange(masked.MedianAbsoluteError[b], 0, 0.012);
            Assert.InRange(masked.Share90[b], 0, 0.06);
            Assert.InRange(masked.MeanError[b], -0.01, 0.01);
        }

        // The geomedian itself resists a few cloudy dates; what gets through brightens the visible bands.
        for (int b = 0; b < 3; b++)
        {
            Assert.True(unmasked.Share90[b] > 1.5 * masked.Share90[b], $"band {b}: unmasked {unmasked}, masked {masked}");
            Assert.True(unmasked.MeanError[b] > masked.MeanError[b] + 0.0015, $"band {b}: unmasked {unmasked}, masked {masked}");
        }

        // The provenance names the scenes: all of the year's, read from the archive folder.
        using JsonDocument provenance = JsonDocument.Parse(File.ReadAllText(GeomedianCompositor.ProvenancePath(f.Masked)));
        Assert.Contains(f.Written[0].Acquisition.ProductId, provenance.RootElement.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameSceneYearAndSeed_SameBytes_AndScenesReplacedWhole()
    {
        using var dir = new TempDirectory();
        var options = f.Options with { MaxAcquisitionsPerFrame = 1 };
        SyntheticArchiveWriter.Write(f.Scene, 2010, dir.File("a"), options);
        SyntheticArchiveWriter.Write(f.Scene, 2010, dir.File("b"), options);
        Dictionary<string, string> Hashes(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(root, p), p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))));
        Dictionary<string, string> a = Hashes(dir.File("a"));
        Assert.Equal(2 * 9, a.Count); // two frames x (6 bands + QA_PIXEL + QA_RADSAT + MTL)
        Assert.Equal(a, Hashes(dir.File("b")));

        // The same files as the fixture's archive for the acquisitions both hold (a scene does not depend on the others).
        foreach ((string name, string hash) in a.Where(e => !e.Key.EndsWith("_MTL.txt", StringComparison.Ordinal)))
        {
            string other = Path.Combine(f.Dir.File("scenes"), name);
            if (File.Exists(other))
            {
                Assert.Equal(hash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(other))));
            }
        }

        // Writing again over an archive replaces its scene folders whole; a killed run's partial folder is removed.
        Directory.CreateDirectory(Path.Combine(dir.File("a"), ".partial-LT05_L2SP_031041_20100101_20100121_02_T1"));
        SyntheticArchiveWriter.Write(f.Scene, 2010, dir.File("a"), options);
        Assert.Equal(a, Hashes(dir.File("a")));
    }

    [Fact]
    public void MapToScene_LatticeWithinAThousandthOfAPixelOfTheExactTransform()
    {
        SyntheticArchiveScene s = f.Written[0];
        SyntheticFrameGrid g = s.Grid;
        int rows = Math.Min(70, g.Height);
        var columns = new double[rows * g.Width];
        var sceneRows = new double[columns.Length];
        SyntheticArchiveWriter.MapToScene(f.Archive, g, 3, rows, columns, sceneRows);
        ProjNet.CoordinateSystems.Transformations.MathTransform exact = Raster.Projections.CrsCatalog.Transformation(g.Epsg, f.Scene.Epsg);
        for (int p = 0; p < columns.Length; p += 97)
        {
            (double x, double y) = g.GeoTransform.PixelToMap((p % g.Width) + 0.5, 3 + (p / g.Width) + 0.5);
            double[] m = exact.Transform([x, y]);
            (double c, double r) = f.Scene.MosaicTransform.MapToPixel(m[0], m[1]);
            Assert.Equal(c, columns[p], 1e-3);
            Assert.Equal(r, sceneRows[p], 1e-3);
        }
    }
}
