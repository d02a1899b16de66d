using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Accuracy.Tests;

public sealed class SampleDesignTests
{
    [Fact]
    public void SampleSize_Olofsson2014Example_Is641()
    {
        // Olofsson et al. 2014 section 5.1.1: target S(O) = 0.01, conjectured user's accuracies 0.70 / 0.60 / 0.90 / 0.95
        // (as restated by pyeo's validation example, total_sample_size = 641).
        double[] w = [200_000, 150_000, 3_200_000, 6_450_000];
        double[] u = [0.70, 0.60, 0.90, 0.95];
        Assert.Equal(641, SampleDesign.SampleSize(w, u, 0.01));

        // By hand: sum W_i S_i = 0.02*sqrt(.21) + 0.015*sqrt(.24) + 0.32*0.3 + 0.645*sqrt(.0475) = 0.25309...
        double s = (0.02 * Math.Sqrt(0.21)) + (0.015 * Math.Sqrt(0.24)) + (0.32 * 0.3) + (0.645 * Math.Sqrt(0.0475));
        Assert.Equal((int)Math.Ceiling(s * s / 0.0001), SampleDesign.SampleSize(w, u, 0.01));

        // The finite-population term lowers n only for a tiny population.
        Assert.Equal(641, SampleDesign.SampleSize(w, u, 0.01, 10_000_000));
        Assert.True(SampleDesign.SampleSize(w, u, 0.01, 1_000) < 400);
    }

    private static (byte[] Strata, int W, int H) GrowthMap()
    {
        const int w = 400, h = 300;
        var rng = new Random(5);
        var g = new byte[w * h];
        for (int i = 0; i < g.Length; i++)
        {
            double u = rng.NextDouble();
            g[i] = u < 0.03 ? (byte)255 : u < 0.05 ? (byte)1 : u < 0.056 ? (byte)2 : u < 0.0575 ? (byte)3 : (byte)0;
        }

        return (g, w, h);
    }

    [Fact]
    public void Allocate_ProportionalEqualAndCompromise_SumAndRespectRules()
    {
        var (g, _, _) = GrowthMap();
        var counts = new long[256];
        SampleDesign.CountStrata(g, counts);

        var prop = SampleDesign.Allocate(counts, 1000, SampleAllocation.Proportional);
        Assert.Equal(1000, prop.Sum(a => a.SampleSize));
        long n = prop.Sum(a => a.Population);
        Assert.Equal(g.Count(v => v != 255), n);
        foreach (var a in prop)
        {
            Assert.InRange(a.SampleSize, Math.Floor(1000.0 * a.Population / n), Math.Ceiling(1000.0 * a.Population / n));
        }

        var equal = SampleDesign.Allocate(counts, 1000, SampleAllocation.Equal);
        Assert.Equal(187, equal.Single(a => a.Stratum == 3).SampleSize); // the whole stratum
        Assert.All(equal.Where(a => a.Stratum != 3), a => Assert.Equal(271, a.SampleSize)); // (1000 - 187) / 3

        var mixed = SampleDesign.Allocate(counts, 1000, SampleAllocation.MinimumThenProportional, minimumPerStratum: 100);
        Assert.Equal(1000, mixed.Sum(a => a.SampleSize));
        Assert.All(mixed, a => Assert.True(a.SampleSize >= 100));
        Assert.Equal([0, 1, 2, 3], mixed.Select(a => (int)a.Stratum));
        Assert.Equal(100, mixed.Single(a => a.Stratum == 3).SampleSize);
        var rest = mixed.Where(a => a.SampleSize > 100).ToArray();
        Assert.Equal(1000 - (100 * (4 - rest.Length)), rest.Sum(a => a.SampleSize));
    }

    [Fact]
    public void Allocate_StratumSmallerThanItsShare_IsTakenWholeAndRestMovesOn()
    {
        var counts = new long[256];
        counts[0] = 10_000;
        counts[7] = 30;
        var alloc = SampleDesign.Allocate(counts, 500, SampleAllocation.Equal);
        Assert.Equal(30, alloc.Single(a => a.Stratum == 7).SampleSize);
        Assert.Equal(470, alloc.Single(a => a.Stratum == 0).SampleSize);
    }

    [Fact]
    public void Select_SameSeed_SameCells_DifferentSeed_Different_CountsPerStratumExact()
    {
        var (g, w, h) = GrowthMap();
        var counts = new long[256];
        SampleDesign.CountStrata(g, counts);
        var alloc = SampleDesign.Allocate(counts, 600, SampleAllocation.MinimumThenProportional, 75);
        var a = SampleDesign.Select(g, w, h, alloc, 42);
        var b = SampleDesign.Select(g, w, h, alloc, 42);
        var c = SampleDesign.Select(g, w, h, alloc, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        foreach (var s in alloc)
        {
            Assert.Equal(s.SampleSize, a.Count(x => x.Stratum == s.Stratum));
        }

        Assert.All(a, x =>
        {
            Assert.Equal(g[x.CellId], x.Stratum);
            Assert.Equal((x.Row * (long)w) + x.Column, x.CellId);
        });
        Assert.Equal(a.Count, a.Select(x => x.CellId).Distinct().Count());
    }

    [Fact]
    public void Select_ManySeeds_EveryCellEquallyLikely()
    {
        // 1 stratum of 50 cells, 10 drawn, 4000 times: each cell is drawn with probability 0.2.
        var g = new byte[50];
        var counts = new long[256];
        SampleDesign.CountStrata(g, counts);
        var alloc = SampleDesign.Allocate(counts, 10, SampleAllocation.Proportional);
        var hits = new int[50];
        for (ulong seed = 0; seed < 4000; seed++)
        {
            foreach (var cell in SampleDesign.Select(g, 10, 5, alloc, seed))
            {
                hits[cell.CellId]++;
            }
        }

        // Binomial(4000, 0.2): sd = 25.3; 5 sd bounds.
        Assert.All(hits, k => Assert.InRange(k, 800 - 127, 800 + 127));
    }

    [Fact]
    public void WriteCsvAndGeoJson_CellCornersFromGeoTransform()
    {
        var transform = GeoTransform.NorthUp(2_000_000, 1_500_000, 1000);
        SampleCell[] cells = [new(5 * 100 + 7, 5, 7, 2, 1), new(0, 0, 0, 0, 0)];
        using var dir = new TempDirectory();
        string csv = dir.File("sample.csv"), geo = dir.File("sample.geojson");
        SampleFiles.WriteCsv(csv, cells, transform);
        SampleFiles.WriteGeoJson(geo, cells, transform, 6372);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(SampleFiles.CsvHeader, lines[0]);
        Assert.Equal("507,5,7,2,1,2007500,1494500,", lines[1]);

        using var doc = JsonDocument.Parse(File.ReadAllText(geo));
        var root = doc.RootElement;
        Assert.Equal("urn:ogc:def:crs:EPSG::6372", root.GetProperty("crs").GetProperty("properties").GetProperty("name").GetString());
        var feature = root.GetProperty("features")[0];
        var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray()
            .Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray();
        Assert.Equal([(2_007_000.0, 1_495_000.0), (2_007_000.0, 1_494_000.0), (2_008_000.0, 1_494_000.0), (2_008_000.0, 1_495_000.0), (2_007_000.0, 1_495_000.0)], ring);
        double area2 = 0;
        for (int i = 0; i < 4; i++)
        {
            area2 += (ring[i].Item1 * ring[i + 1].Item2) - (ring[i + 1].Item1 * ring[i].Item2);
        }

        Assert.Equal(2e6, area2); // positive = counter-clockwise, 1 km2
        Assert.Equal(JsonValueKind.Null, feature.GetProperty("properties").GetProperty("reference").ValueKind);
        Assert.Equal(2, feature.GetProperty("properties").GetProperty("stratum").GetInt32());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void WriteGeoJson_ReadByGdal_SameCrsAndFeatureCount()
    {
        var transform = GeoTransform.NorthUp(2_000_000, 1_500_000, 1000);
        SampleCell[] cells = [new(507, 5, 7, 2, 1), new(0, 0, 0, 0, 0), new(1, 0, 1, 3, 3)];
        using var dir = new TempDirectory();
        string geo = dir.File("sample.geojson");
        SampleFiles.WriteGeoJson(geo, cells, transform, 6372);
        string info = Oracles.Run("ogrinfo", ["-so", "-al", geo]);
        Assert.Contains("Feature Count: 3", info, StringComparison.Ordinal);
        Assert.Contains("6372", info, StringComparison.Ordinal);
        Assert.Contains("Polygon", info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1,1,1,0.5,0.5,\n", "line 2: cell 1 has no reference label")]
    [InlineData("cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1,1,1,0.5,0.5,1\n2,0,2,1,1,0.5,0.5,urban\n", "line 3: reference 'urban' is not an integer in 0..254")]
    [InlineData("cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1,1,1,0.5,0.5,255\n", "line 2: reference '255'")]
    [InlineData("cell_id,row,col,stratum,map_class,x,y\n1,0,1,1,1,0.5,0.5\n", "line 1: no 'reference' column")]
    [InlineData("cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1\n", "line 2: 3 fields, expected 8")]
    [InlineData("", "empty file")]
    public void ReadReferenceCsv_BadFile_ErrorNamesFileAndLine(string content, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("filled.csv");
        File.WriteAllText(path, content);
        var e = Assert.Throws<DataFileException>(() => SampleFiles.ReadReferenceCsv(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
