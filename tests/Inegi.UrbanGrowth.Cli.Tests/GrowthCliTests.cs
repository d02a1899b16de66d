using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban growth` end to end on a small three-epoch synthetic series, read back with GDAL.</summary>
public sealed class GrowthCliTests : IClassFixture<GrowthCliTests.Workspace>
{
    private static readonly int[] Years = [2000, 2010, 2020];
    private readonly Workspace _w;

    public GrowthCliTests(Workspace workspace) => _w = workspace;

    /// <summary>A 40 x 30-cell scene of three epochs and one `urban growth` run on it, census 2010.</summary>
    public sealed class Workspace : IDisposable
    {
        public Workspace()
        {
            Ok(UrbanProcess.Run("synth", "--out", Dir.File("scene"), "--cells-x", "40", "--cells-y", "30", "--years", "2000,2010,2020", "--seed", "5"));
            UrbanProcess.Result result = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(Mosaic), "--years", "2000,2010,2020", "--grid", Labels(2010),
                "--zones", Dir.File(Path.Combine("scene", "zones.tif")), "--out", Dir.File("growth"), "--threads", "2"]);
            Ok(result);
        }

        public TempDirectory Dir { get; } = new();

        public string Mosaic(int year) => Dir.File(Path.Combine("scene", $"mosaic_{year}.tif"));

        public string Labels(int year) => Dir.File(Path.Combine("scene", $"labels_{year}.tif"));

        public string Output(string name) => Dir.File(Path.Combine("growth", name));

        public void Dispose() => Dir.Dispose();

        private static void Ok(UrbanProcess.Result r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");
    }

    // Reads a band with GDAL (an independent reader) as integers.
    private static int[] Band(string path, int band)
    {
        string text = Oracles.RunPython("""
            import sys
            from osgeo import gdal
            ds = gdal.Open(sys.argv[1])
            print(" ".join(str(int(v)) for v in ds.GetRasterBand(int(sys.argv[2])).ReadAsArray().ravel()))
            """, [path, band.ToString(CultureInfo.InvariantCulture)]);
        return [.. Oracles.ParseNumbers(text).Select(v => (int)v)];
    }

    [Fact]
    public void Growth_WritesConsistentMapsFirstYearAndGrowth()
    {
        int[][] classes = [.. Years.Select(y => Band(_w.Output($"map_{y}.tif"), 1))];
        int[][] confidence = [.. Years.Select(y => Band(_w.Output($"map_{y}.tif"), 2))];
        int[] census = Band(_w.Labels(2010), 1);
        int[] first = Band(_w.Output("first_year_urban.tif"), 1);
        int[] growth = Band(_w.Output("growth_2000_2020.tif"), 1);
        for (int i = 0; i < census.Length; i++)
        {
            for (int t = 0; t < Years.Length; t++)
            {
                Assert.Contains(classes[t][i], new[] { 0, 1, 255 });
                // Band 2 is p rounded to a percent, the class p >= 0.5: they agree up to the rounding at 50.
                Assert.True(classes[t][i] == 255 ? confidence[t][i] == 255 : confidence[t][i] <= 100 && (classes[t][i] == 1 ? confidence[t][i] >= 50 : confidence[t][i] <= 50));
                if (t > 0 && classes[t][i] < 2 && classes[t - 1][i] < 2)
                {
                    Assert.True(classes[t][i] >= classes[t - 1][i], $"cell {i} went from urban to non-urban");
                }
            }

            // The census year's map is the census wherever both exist.
            if (census[i] < 2 && classes[1][i] < 2)
            {
                Assert.Equal(census[i], classes[1][i]);
            }

            int expectedFirst = classes.All(c => c[i] == 255) ? 65535 : Years.Select((y, t) => classes[t][i] == 1 ? y : 0).FirstOrDefault(y => y > 0);
            Assert.Equal(expectedFirst, first[i]);
            int a = classes[0][i], b = classes[2][i];
            Assert.Equal(a > 1 || b > 1 ? 255 : a | ((a ^ b) << 1), growth[i]);
            Assert.NotEqual(3, growth[i]);
        }
    }

    [Fact]
    public void Growth_AreaTableAndReportShowGrowthOfTheTruthsSign()
    {
        string[] lines = File.ReadAllLines(_w.Output("urban_area.csv"));
        Assert.Equal("zone,year,valid_cells,urban_cells,urban_km2,expected_km2,ci95_low_km2,ci95_high_km2", lines[0]);
        double[][] all = [.. lines.Skip(1).Where(l => l.StartsWith("all,", StringComparison.Ordinal)).Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        Assert.Equal(3, all.Length);
        foreach (double[] row in all)
        {
            Assert.True(row[5] <= row[4] && row[4] <= row[6], "the expected area lies in its interval");
        }

        int[] truthFirst = Band(_w.Labels(2000), 1), truthLast = Band(_w.Labels(2020), 1);
        int trueGrowth = truthLast.Count(v => v == 1) - truthFirst.Count(v => v == 1);
        Assert.True(trueGrowth > 0, "the synthetic cities grow");
        Assert.True(all[2][2] > all[0][2], $"mapped urban cells must grow as the truth does ({all[0][2]} -> {all[2][2]})");
        Assert.True(lines.Any(l => l.StartsWith("1,2000,", StringComparison.Ordinal)), "zone rows are written");
        string report = File.ReadAllText(_w.Output("report.md"));
        Assert.Contains("![growth](growth_2000_2020.png)", report, StringComparison.Ordinal);
        Assert.True(File.Exists(_w.Output("growth_2000_2020.png")) && File.Exists(_w.Output("urban_area.png")) && File.Exists(_w.Output("first_year_urban.png")));
        Assert.Empty(Directory.GetDirectories(_w.Dir.File("growth")));
    }

    [Fact]
    public void Growth_AlertsAreTheEightConnectedPatchesOfNewUrban()
    {
        // Count with GDAL and scipy, independently: the features of the GeoPackage and the 8-connected patches of code 2.
        string text = Oracles.RunPython("""
            import sys, json
            import numpy as np
            from osgeo import gdal, ogr
            from scipy import ndimage
            raster = gdal.Open(sys.argv[1])
            growth = raster.GetRasterBand(1).ReadAsArray()
            _, patches = ndimage.label(growth == 2, structure=np.ones((3, 3)))
            source = ogr.Open(sys.argv[2])
            layer = source.GetLayer(0)
            cells = sum(int(f.GetField("cell_count")) for f in layer)
            geojson = json.load(open(sys.argv[3]))
            print(patches, layer.GetFeatureCount(), int((growth == 2).sum()), cells, len(geojson["features"]))
            """, [_w.Output("growth_2000_2020.tif"), _w.Output("alerts.gpkg"), _w.Output("alerts.geojson")]);
        int[] n = [.. Oracles.ParseNumbers(text).Select(v => (int)v)];
        Assert.True(n[0] > 0, "the synthetic cities grow, so there are alerts");
        Assert.Equal(n[0], n[1]);
        Assert.Equal(n[2], n[3]);
        Assert.Equal(n[1], n[4]);
    }

    [Fact]
    public void Growth_VectorZones_GiveTheSameAreasAsTheZoneRaster()
    {
        // The zone raster polygonised by GDAL, then given back to `urban growth` as a GeoPackage layer.
        string zonesTif = _w.Dir.File(Path.Combine("scene", "zones.tif"));
        string layer = _w.Dir.File("zones_polygons.gpkg");
        Oracles.RunPython("""
            import sys
            from osgeo import gdal, ogr, osr
            src = gdal.Open(sys.argv[1])
            band = src.GetRasterBand(1)
            ds = ogr.GetDriverByName("GPKG").CreateDataSource(sys.argv[2])
            srs = osr.SpatialReference(wkt=src.GetProjection())
            lyr = ds.CreateLayer("zones", srs, ogr.wkbPolygon)
            lyr.CreateField(ogr.FieldDefn("zone_id", ogr.OFTInteger))
            gdal.Polygonize(band, band.GetMaskBand(), lyr, 0)
            ds = None
            print(1)
            """, [zonesTif, layer]);
        UrbanProcess.Result run = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010,2020", "--grid", _w.Labels(2010),
            "--zones", layer, "--zone-field", "zone_id", "--out", _w.Dir.File("growth_vector"), "--threads", "1"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        int[] burnt = Band(_w.Dir.File(Path.Combine("growth_vector", "zones.tif")), 1);
        int[] original = Band(zonesTif, 1);
        Assert.Equal(original, burnt);
        Assert.Equal(File.ReadAllText(_w.Output("urban_area.csv")), File.ReadAllText(_w.Dir.File(Path.Combine("growth_vector", "urban_area.csv"))));

        UrbanProcess.Result noField = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010,2020", "--grid", _w.Labels(2010),
            "--zones", layer, "--out", _w.Dir.File("growth_nofield")]);
        Assert.Equal(2, noField.ExitCode);
        Assert.Contains("--zone-field", noField.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Growth_WithModel_CensusExactAreaMatchedMonotoneAndBaselineKept()
    {
        // The user flow in small: sample the 2010 grid, features, train with --prevalence, then growth --model.
        string Scene(string name) => _w.Dir.File(Path.Combine("scene", name));
        string model = _w.Dir.File("growth_model.ugm"), output = _w.Dir.File("growth_with_model");
        Ok(UrbanProcess.Run("sample", "--grid", _w.Labels(2010), "--per-class", "60", "--non-urban", "300", "--seed", "3", "--out", _w.Dir.File("gm_sample.csv"), "--mosaic", _w.Mosaic(2010)));
        Ok(UrbanProcess.Run("features", "--mosaic", _w.Mosaic(2010), "--grid", _w.Labels(2010), "--cells", _w.Dir.File("gm_sample.csv"), "--out", _w.Dir.File("gm_features.csv")));
        Ok(UrbanProcess.Run("train", "--features", _w.Dir.File("gm_features.csv"), "--out", model, "--trees", "30", "--seed", "1", "--prevalence", _w.Labels(2010), "--calibration-folds", "3"));
        Ok(UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010,2020", "--grid", _w.Labels(2010), "--model", model,
            "--zones", Scene("zones.tif"), "--out", output, "--threads", "2"]));

        int[] census = Band(_w.Labels(2010), 1);
        int[][] classes = [.. Years.Select(y => Band(Path.Combine(output, $"map_{y}.tif"), 1))];
        int[][] confidence = [.. Years.Select(y => Band(Path.Combine(output, $"map_{y}.tif"), 2))];
        for (int i = 0; i < census.Length; i++)
        {
            if (census[i] <= 1)
            {
                Assert.Equal(census[i], classes[1][i]); // the census year is its labels
            }

            for (int t = 0; t < 3; t++)
            {
                if (classes[t][i] <= 1)
                {
                    Assert.Equal(classes[t][i] == 1, confidence[t][i] >= 50);
                }

                if (t > 0 && classes[t][i] <= 1 && classes[t - 1][i] <= 1)
                {
                    Assert.True(classes[t][i] >= classes[t - 1][i], $"cell {i} went from urban to non-urban");
                }
            }
        }

        // The post-classification baseline is kept beside the maps: each year classified on its own with the model.
        foreach (int y in Years)
        {
            Assert.True(File.Exists(Path.Combine(output, $"independent_{y}.tif")));
        }

        Assert.Contains("classified on its own with the model", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "alerts.gpkg")));
    }

    private static void Ok(UrbanProcess.Result r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");

    [Fact]
    public void Growth_BadInput_OneLineNoOutput()
    {
        UrbanProcess.Result mismatch = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010", "--grid", _w.Labels(2010), "--out", _w.Dir.File("bad1")]);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Single(mismatch.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--years", mismatch.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_w.Dir.File("bad1")));

        UrbanProcess.Result missing = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010,2020", "--grid", _w.Dir.File("nope.tif"), "--out", _w.Dir.File("bad2")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.tif", missing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Stderr, StringComparison.Ordinal);

        UrbanProcess.Result noCensus = UrbanProcess.Run(["growth", "--mosaics", .. Years.Select(_w.Mosaic), "--years", "2000,2010,2020", "--grid", _w.Dir.File(Path.Combine("scene", "zones.tif")), "--out", _w.Dir.File("bad3")]);
        Assert.Equal(2, noCensus.ExitCode);
        Assert.Contains("--census-year", noCensus.Stderr, StringComparison.Ordinal);
    }
}
