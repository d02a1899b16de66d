using System.Globalization;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>Scene folders found by scanning: product ids, band maps, quality bands and reflectance conversions, on real scenes.</summary>
public sealed class SceneInventoryTests : IDisposable
{
    private static readonly string Nyc = TestData.Path("nyc-l8-2018-coarse");
    private static readonly string Florida = TestData.Path("florida-ls8-l1t");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Scan_FindsTheNineteenNycScenes_ByDate_WithTheOliBandMapAndTheDocumentedAssumption()
    {
        IReadOnlyList<SceneObservation> scenes = SceneInventory.Scan(Nyc);

        // Independently of the parser: the folder names are the product ids, their 4th field the date.
        var folders = Directory.GetDirectories(Nyc).Select(Path.GetFileName).OfType<string>()
            .Select(f => (Id: f, Date: DateOnly.ParseExact(f.Split('_')[3], "yyyyMMdd", CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Date).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(19, folders.Count);
        Assert.Equal(folders.Select(f => f.Id), scenes.Select(s => s.Id));
        Assert.Equal(folders.Select(f => f.Date), scenes.Select(s => s.Date));
        foreach (SceneObservation s in scenes)
        {
            Assert.Equal("OLI", s.Sensor);
            Assert.Equal(LandsatProduct.Collection1Level1, s.Product);
            CompositeImage image = s.Image;
            string prefix = Path.Combine(Nyc, s.Id, s.Id[..25]);
            Assert.Equal([.. new[] { 2, 3, 4, 5, 6, 7 }.Select(b => $"{prefix}_B{b}.TIF")], image.BandPaths);
            Assert.Equal(prefix + "_BQA.TIF", image.QualityPath);
            Assert.Equal(image.BandPaths![0], image.Path);
            Assert.Equal(QualityFormat.LandsatCollection1, image.QualityFormat);
            Assert.All(image.Scales!, v => Assert.Equal(2e-5, v));
            Assert.All(image.Offsets!, v => Assert.Equal(-0.1, v));
            Assert.Equal(0, image.NoData);
            Assert.Contains("no MTL", s.Assumption, StringComparison.Ordinal);
        }

        // A period: both ends inclusive (2018-04-05 and 2018-09-03 are acquisition dates).
        var from = new DateOnly(2018, 4, 5);
        var to = new DateOnly(2018, 9, 3);
        IReadOnlyList<SceneObservation> summer = SceneInventory.Scan(Nyc, from, to);
        Assert.Equal(folders.Where(f => f.Date >= from && f.Date <= to).Select(f => f.Id), summer.Select(s => s.Id));
        Assert.Equal(10, summer.Count);
        Assert.Empty(SceneInventory.Scan(Nyc, new DateOnly(2019, 1, 1)));
    }

    [Theory]
    [InlineData("LC08_L1TP_013032_20180131_20180207_01_T1", "2018-01-31", "OLI", 1)]
    [InlineData("LC09_L2SP_026046_20220315_20220317_02_T1", "2022-03-15", "OLI", 2)]
    [InlineData("LE07_L2SP_026046_20030601_20200916_02_T1", "2003-06-01", "ETM+", 2)]
    [InlineData("LT05_L1TP_026046_19900110_20170131_01_T2", "1990-01-10", "TM", 1)]
    [InlineData("LT04_L2SP_026046_19890110_20200916_02_T1", "1989-01-10", "TM", 2)]
    [InlineData("LC80200392015216LGN00", "2015-08-04", "OLI", 0)]
    [InlineData("LE70260462000060EDC00", "2000-02-29", "ETM+", 0)]
    public void TryParseId_ReadsDateSensorAndCollection(string id, string date, string sensor, int collection)
    {
        Assert.True(SceneInventory.TryParseId(id, out DateOnly d, out string s, out int c));
        Assert.Equal((DateOnly.Parse(date, CultureInfo.InvariantCulture), sensor, collection), (d, s, c));
    }

    [Theory]
    [InlineData("LM05_L1GS_026046_19900110_20180101_01_T2")] // MSS: no six reflective bands
    [InlineData("LC08_L1TP_013032_20181331_20180207_01_T1")] // month 13
    [InlineData("LC80200392015366LGN00")] // day 366 of a common year
    [InlineData("l8")]
    public void TryParseId_RefusesWhatIsNotATmEtmOrOliId(string id) =>
        Assert.False(SceneInventory.TryParseId(id, out _, out _, out _));

    /// <summary>
    /// The florida scene (pre-collection L8 with its MTL): TOA reflectance (M DN + A) / sin(sun elevation) and the
    /// pre-collection BQA, read through <see cref="ObservationReader"/> on the scene's own grid, against numpy reading
    /// the same files (via gdal_translate) and the MTL on its own.
    /// </summary>
    [Fact]
    public void Florida_TopOfAtmosphereReflectanceAndMask_MatchNumpyFromTheMtl()
    {
        SceneObservation scene = Assert.Single(SceneInventory.Scan(Florida));
        Assert.Equal(("LC80200392015216LGN00", new DateOnly(2015, 8, 4), "OLI", LandsatProduct.PreCollectionLevel1), (scene.Id, scene.Date, scene.Sensor, scene.Product));
        Assert.Null(scene.Assumption);
        Assert.Equal(QualityFormat.LandsatPreCollection, scene.Image.QualityFormat);

        RasterInfo info = GeoTiffReader.ReadInfo(scene.Image.Path);
        var grid = new TargetGrid(info.Width, info.Height, info.GeoTransform, info.Epsg!.Value);
        int n = info.Width * info.Height;
        var window = new PixelWindow(0, 0, info.Width, info.Height);
        float[] Ours(MaskedConditions masked)
        {
            using var reader = new ObservationReader([scene.Image], grid, new ImageReadOptions { Masked = masked });
            var values = new float[6 * n];
            reader.Read(window, values);
            return values;
        }

        float[] unmasked = Ours(MaskedConditions.None), masked = Ours(MaskedConditions.Default);
        string outUnmasked = _dir.File("toa.f32"), outMasked = _dir.File("toa-masked.f32");
        Oracles.RunPython(FloridaOracle, [Florida, _dir.Path, outUnmasked, outMasked]);
        float[] expectedUnmasked = ReadFloats(outUnmasked), expectedMasked = ReadFloats(outMasked);
        Assert.Equal(6 * n, expectedUnmasked.Length);

        int compared = 0, dropped = 0;
        for (int i = 0; i < 6 * n; i++)
        {
            foreach ((float e, float a) in new[] { (expectedUnmasked[i], unmasked[i]), (expectedMasked[i], masked[i]) })
            {
                Assert.True(float.IsNaN(e) == float.IsNaN(a), $"value {i}: numpy {e}, ours {a}");
                if (!float.IsNaN(e))
                {
                    Assert.True(Math.Abs(e - a) <= 1e-6, $"value {i}: numpy {e}, ours {a}");
                    compared++;
                }
            }

            dropped += float.IsNaN(masked[i]) && !float.IsNaN(unmasked[i]) ? 1 : 0;
        }

        // Real values, and the cumulus field (a third of the frame by the data's description) masked.
        Assert.True(compared > 6 * n, $"only {compared} values compared");
        double cloudy = dropped / (6.0 * n);
        Assert.InRange(cloudy, 0.05, 0.6);
        Assert.InRange(unmasked.Where(float.IsFinite).Average(), 0.05, 0.4);
    }

    private const string FloridaOracle = """
        import math, os, subprocess, sys
        import numpy as np
        folder, work, out_unmasked, out_masked = sys.argv[1:5]
        mtl = {}
        for line in open(os.path.join(folder, 'l8_MTL.txt')):
            if '=' in line:
                k, v = line.split('=', 1)
                mtl.setdefault(k.strip(), v.strip().strip('"'))
        def read(name):
            raw = os.path.join(work, name + '.bin')
            subprocess.run(['gdal_translate', '-q', '-of', 'ENVI', '-ot', 'UInt16', os.path.join(folder, name + '.tif'), raw], check=True)
            hdr = open(raw[:-4] + '.hdr').read() if os.path.exists(raw[:-4] + '.hdr') else open(raw + '.hdr').read()
            w = int([l for l in hdr.splitlines() if l.startswith('samples')][0].split('=')[1])
            h = int([l for l in hdr.splitlines() if l.startswith('lines')][0].split('=')[1])
            return np.fromfile(raw, dtype='<u2').reshape(h, w).astype(np.float64)
        sine = math.sin(math.radians(float(mtl['SUN_ELEVATION'])))
        toa = []
        for b in [2, 3, 4, 5, 6, 7]:
            dn = read('l8_B%d' % b)
            r = (dn * float(mtl['REFLECTANCE_MULT_BAND_%d' % b]) + float(mtl['REFLECTANCE_ADD_BAND_%d' % b])) / sine
            r[dn == 0] = np.nan
            toa.append(r)
        toa = np.stack(toa)
        bad = np.isnan(toa).any(axis=0) | (toa <= 0).any(axis=0)
        unmasked = np.where(bad, np.nan, toa).astype('<f4')
        q = read('l8_BQA').astype(np.uint32)
        high = lambda shift: ((q >> shift) & 3) == 3
        flagged = ((q & 1) != 0) | high(10) | high(12) | high(14)
        masked = np.where(bad | flagged, np.nan, toa).astype('<f4')
        unmasked.tofile(out_unmasked)
        masked.tofile(out_masked)
        """;

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    /// <summary>
    /// A synthetic Collection 2 Level 2 archive (real file layout, tiny rasters): the TM band map (SR_B1..5, 7, not the
    /// thermal 6), the surface reflectance scale and offset, QA_PIXEL and QA_RADSAT masking, OLI beside it, and the
    /// acquisition order whatever the folder names.
    /// </summary>
    [Fact]
    public void Collection2Level2_BandMapsScaleQaPixelAndRadsat()
    {
        const int W = 4, H = 2;
        var transform = GeoTransform.NorthUp(500_000, 2_000_000, 30);
        void Band(string path, Func<int, ushort> value)
        {
            var data = new ushort[W * H];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = value(i);
            }

            GeoTiffWriter.Write<ushort>(path, new GeoTiffWriteOptions { Width = W, Height = H, SampleType = RasterSampleType.UInt16, GeoTransform = transform, Epsg = 32614 }, data);
        }

        // 21824 is clear land in QA_PIXEL; pixel 0 fill, 1 cloud (bit 3), 2 shadow (bit 4), 3 snow (bit 5).
        ushort[] qaPixel = [1, 21824 | 8, 21824 | 16, 21824 | 32, 21824, 21824, 21824, 21824];

        // QA_RADSAT: pixel 4 band 5 saturated (bit 4, read by both sensors), pixel 5 band 6 (bit 5: TM thermal, OLI SWIR1).
        ushort[] radsat = [0, 0, 0, 0, 1 << 4, 1 << 5, 0, 0];
        string Scene(string folder, string id, int[] bands)
        {
            string dir = Directory.CreateDirectory(_dir.File(folder)).FullName;
            foreach (int b in bands)
            {
                Band(Path.Combine(dir, $"{id}_SR_B{b}.TIF"), i => (ushort)(10_000 + (1000 * b) + i));
            }

            Band(Path.Combine(dir, $"{id}_ST_B6.TIF"), _ => 1);
            Band(Path.Combine(dir, $"{id}_QA_PIXEL.TIF"), i => qaPixel[i]);
            Band(Path.Combine(dir, $"{id}_QA_RADSAT.TIF"), i => radsat[i]);
            File.WriteAllText(Path.Combine(dir, $"{id}_MTL.txt"), $"GROUP = LANDSAT_METADATA_FILE\n  LANDSAT_PRODUCT_ID = \"{id}\"\nEND_GROUP = LANDSAT_METADATA_FILE\n");
            return dir;
        }

        Scene("b", "LT05_L2SP_026046_20100315_20200825_02_T1", [1, 2, 3, 4, 5, 7]);
        Scene("a", "LC08_L2SP_026046_20200601_20200825_02_T1", [1, 2, 3, 4, 5, 6, 7]);

        IReadOnlyList<SceneObservation> scenes = SceneInventory.Scan(_dir.Path);
        Assert.Equal(["LT05_L2SP_026046_20100315_20200825_02_T1", "LC08_L2SP_026046_20200601_20200825_02_T1"], scenes.Select(s => s.Id));
        Assert.Equal(["TM", "OLI"], scenes.Select(s => s.Sensor));
        Assert.All(scenes, s => Assert.Equal(LandsatProduct.Collection2Level2, s.Product));

        var grid = new TargetGrid(W, H, transform, 32614);
        using var reader = new ObservationReader([.. scenes.Select(s => s.Image)], grid, new ImageReadOptions());
        var values = new float[2 * 6 * W * H];
        reader.Read(new PixelWindow(0, 0, W, H), values);
        int[][] bandMaps = [[1, 2, 3, 4, 5, 7], [2, 3, 4, 5, 6, 7]];
        for (int o = 0; o < 2; o++)
        {
            for (int b = 0; b < 6; b++)
            {
                for (int i = 0; i < W * H; i++)
                {
                    float actual = values[(((o * 6) + b) * W * H) + i];
                    // Bit 5 of QA_RADSAT is band 6: TM's thermal band (not read), OLI's SWIR1 (read, so masked).
                    if (i < 5 || (o == 1 && i == 5))
                    {
                        Assert.True(float.IsNaN(actual), $"scene {o} band {b} pixel {i} should be masked, is {actual}");
                        continue;
                    }

                    double dn = 10_000 + (1000 * bandMaps[o][b]) + i;
                    Assert.Equal((float)((dn * 0.0000275) - 0.2), actual);
                }
            }
        }

        // Saturation left unmasked: pixel 4 comes back; the quality flags still drop 0-3.
        using var keepSaturated = new ObservationReader([scenes[0].Image], grid, new ImageReadOptions { Masked = MaskedConditions.Default & ~MaskedConditions.Saturation });
        var kept = new float[6 * W * H];
        keepSaturated.Read(new PixelWindow(0, 0, W, H), kept);
        Assert.False(float.IsNaN(kept[4]));
        Assert.True(float.IsNaN(kept[3]));
    }

    [Fact]
    public void IncompleteScenes_AreRefusedNamingTheMissingFile()
    {
        string dir = Directory.CreateDirectory(_dir.File("LE07_L2SP_026046_20050601_20200916_02_T1")).FullName;
        string id = Path.GetFileName(dir);
        foreach (int b in new[] { 1, 2, 3, 4, 5 })
        {
            File.Copy(Path.Combine(Nyc, "LC08_L1TP_013032_20180131_20180207_01_T1", "LC08_L1TP_013032_20180131_B2.TIF"), Path.Combine(dir, $"{id}_SR_B{b}.TIF"));
        }

        var e = Assert.Throws<DataFileException>(() => SceneInventory.Scan(_dir.Path));
        Assert.Contains($"{id}_SR_B7.TIF", e.Message, StringComparison.Ordinal);

        File.Copy(Path.Combine(dir, $"{id}_SR_B1.TIF"), Path.Combine(dir, $"{id}_SR_B7.TIF"));
        e = Assert.Throws<DataFileException>(() => SceneInventory.Scan(_dir.Path));
        Assert.Contains($"{id}_QA_PIXEL.TIF", e.Message, StringComparison.Ordinal);

        // A TM Level 1 scene without its MTL has no reflectance coefficients to assume.
        string tm = Directory.CreateDirectory(_dir.File("tm")).FullName;
        foreach (string b in new[] { "B1", "B2", "B3", "B4", "B5", "B7", "BQA" })
        {
            File.Copy(Path.Combine(dir, $"{id}_SR_B1.TIF"), Path.Combine(tm, $"LT05_L1TP_026046_19900110_20170131_01_T1_{b}.TIF"));
        }

        Directory.Delete(dir, recursive: true);
        e = Assert.Throws<DataFileException>(() => SceneInventory.Scan(_dir.Path));
        Assert.Contains("_MTL.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_ReadScenesAndTheirPeriod_AndRefuseMixedOrBadInputs()
    {
        var settings = new CompositeSettings { Scenes = Nyc, From = "2018-04-05", To = "2018-09-03", Crs = "EPSG:32618", Bounds = "500000,4400000,700000,4600000", Resolution = 3000 };
        Assert.Equal(10, settings.CompositeImages().Count);
        using (ObservationReader reader = settings.OpenReader())
        {
            Assert.Equal(10, reader.ObservationCount);
        }

        IReadOnlyDictionary<string, string> provenance = settings.Provenance();
        Assert.Equal(Path.GetFullPath(Nyc), provenance["scenes"]);
        Assert.Equal("2018-04-05", provenance["from"]);
        Assert.Contains("no MTL", provenance["assumed"], StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => (settings with { Images = ["a.tif"] }).CompositeImages());
        Assert.Contains("--from", Assert.Throws<ArgumentException>(() => (settings with { From = "2018-4-5" }).CompositeImages()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (settings with { From = "2018-10-01" }).CompositeImages());
        Assert.Throws<ArgumentException>(() => new CompositeSettings { From = "2018-01-01" }.CompositeImages());
        Assert.Throws<ArgumentException>(() => new CompositeSettings().CompositeImages());
        var none = Assert.Throws<DataFileException>(() => (settings with { From = "2019-01-01", To = "2019-12-31" }).CompositeImages());
        Assert.Contains("no Landsat scene", none.Message, StringComparison.Ordinal);
        Assert.Throws<DataFileException>(() => (settings with { Scenes = _dir.File("missing") }).CompositeImages());
    }
}
