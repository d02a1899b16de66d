using System.Globalization;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>Every command of SPEC 8 against its contract: outputs on success; on bad input a non-zero exit, one line naming the problem, and no partial output.</summary>
public sealed class CliContractTests : IClassFixture<CliContractTests.Workspace>
{
    private readonly Workspace _w;

    public CliContractTests(Workspace workspace) => _w = workspace;

    /// <summary>A synthetic scene made with `urban synth` and the files each command makes from it, in order.</summary>
    public sealed class Workspace : IDisposable
    {
        public Workspace()
        {
            Ok(UrbanProcess.Run("synth", "--out", Dir.File("scene"), "--cells-x", "48", "--cells-y", "36", "--years", "2010,2020", "--seed", "11"));
            Ok(UrbanProcess.Run("sample", "--grid", Grid(2010), "--per-class", "300", "--seed", "4", "--out", Dir.File("sample.csv"), "--mosaic", Mosaic(2010)));
            Ok(UrbanProcess.Run("features", "--mosaic", Mosaic(2010), "--grid", Grid(2010), "--cells", Dir.File("sample.csv"), "--out", Dir.File("features.csv")));
            Ok(UrbanProcess.Run("train", "--features", Dir.File("features.csv"), "--out", Dir.File("model.ugm"), "--trees", "30", "--seed", "1", "--prevalence", Grid(2010), "--calibration-folds", "3"));
            foreach (int y in new[] { 2010, 2020 })
            {
                Ok(UrbanProcess.Run("classify", "--mosaic", Mosaic(y), "--grid", Grid(y), "--model", Dir.File("model.ugm"), "--out", Map(y), "--json", Dir.File($"national_{y}.json")));
            }
        }

        public TempDirectory Dir { get; } = new();

        public string Mosaic(int year) => Dir.File(Path.Combine("scene", $"mosaic_{year}.tif"));

        public string Grid(int year) => Dir.File(Path.Combine("scene", $"labels_{year}.tif"));

        public string Map(int year) => Dir.File($"map_{year}.tif");

        public void Dispose() => Dir.Dispose();

        private static void Ok(UrbanProcess.Result r) =>
            Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");
    }

    private static void AssertOneLineError(UrbanProcess.Result r, int exitCode, params string[] mentions)
    {
        Assert.Equal(exitCode, r.ExitCode);
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + r.Stderr);
        Assert.StartsWith("urban:", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        foreach (string m in mentions)
        {
            Assert.Contains(m, lines[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Train_GradientBoosting_SavesAModelThatClassifiesAndInspects()
    {
        string model = _w.Dir.File("boosted.ugm");
        UrbanProcess.Result r = UrbanProcess.Run("train", "--features", _w.Dir.File("features.csv"), "--out", model, "--model", "gradient-boosting",
            "--iterations", "60", "--seed", "1", "--prevalence", _w.Grid(2010), "--calibration-folds", "3", "--max-recall-loss", "0.05");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("gradient boosting, 60 iterations", r.Stdout, StringComparison.Ordinal);
        UrbanProcess.Result inspect = UrbanProcess.Run("inspect", model);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        JsonNode json = JsonNode.Parse(inspect.Stdout)!;
        Assert.Equal("gradient-boosting", (string)json["classifier"]!);
        // Version 5: version 4's payload (the kind and the component versions at the front) inside Core's FileFrame
        // (versions 1-4 still read: LegacyModelFileTests).
        Assert.Equal(5, (int)json["format_version"]!);
        Assert.Equal(60, (int)json["boosting"]!["iterations"]!);

        string map = _w.Dir.File("map_boosted.tif"), national = _w.Dir.File("national_boosted.json");
        UrbanProcess.Result c = UrbanProcess.Run("classify", "--mosaic", _w.Mosaic(2020), "--grid", _w.Grid(2020), "--model", model, "--out", map, "--json", national);
        Assert.True(c.ExitCode == 0, c.Stderr);
        double recall = (double)JsonNode.Parse(File.ReadAllText(national))!["per_class"]!["urban"]!["recall"]!;
        Assert.InRange(recall, 0.3, 1.0);
        AssertOneLineError(UrbanProcess.Run("train", "--features", _w.Dir.File("features.csv"), "--out", _w.Dir.File("never.ugm"), "--model", "gradient-boosting", "--iterations", "0"), 2, "--iterations");
        AssertOneLineError(UrbanProcess.Run("train", "--features", _w.Dir.File("features.csv"), "--out", _w.Dir.File("never.ugm"), "--model", "forest"), 2, "gradient-boosting");
        Assert.False(File.Exists(_w.Dir.File("never.ugm")));
    }

    [Fact]
    public void Sample_NonUrban_DrawsMoreNonUrbanCellsAndTheSameUrbanOnes()
    {
        string wide = _w.Dir.File("sample_wide.csv");
        UrbanProcess.Result r = UrbanProcess.Run("sample", "--grid", _w.Grid(2010), "--per-class", "300", "--non-urban", "900", "--seed", "4", "--out", wide, "--mosaic", _w.Mosaic(2010));
        Assert.True(r.ExitCode == 0, r.Stderr);
        string[] rows = File.ReadAllLines(wide)[1..];
        Assert.Equal(900, rows.Count(l => l.EndsWith(",0", StringComparison.Ordinal)));
        string[] urbanRows(IEnumerable<string> lines) => [.. lines.Where(l => l.EndsWith(",1", StringComparison.Ordinal))];
        Assert.Equal(urbanRows(File.ReadAllLines(_w.Dir.File("sample.csv"))[1..]), urbanRows(rows));
        AssertOneLineError(UrbanProcess.Run("sample", "--grid", _w.Grid(2010), "--non-urban", "0", "--out", _w.Dir.File("never.csv")), 2, "--non-urban");
        Assert.False(File.Exists(_w.Dir.File("never.csv")));
    }

    [Fact]
    public void Classify_Exclude_LeavesTheSampleOutOfTheNationalTable()
    {
        string json = _w.Dir.File("national_held.json");
        UrbanProcess.Result r = UrbanProcess.Run("classify", "--mosaic", _w.Mosaic(2010), "--grid", _w.Grid(2010), "--model", _w.Dir.File("model.ugm"),
            "--out", _w.Dir.File("map_held.tif"), "--json", json, "--exclude", _w.Dir.File("sample.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        int sampled = File.ReadAllLines(_w.Dir.File("sample.csv")).Length - 1;
        Assert.Contains($"{sampled:N0} labelled cells of ", r.Stdout, StringComparison.Ordinal);
        static long Support(string path)
        {
            JsonNode perClass = JsonNode.Parse(File.ReadAllText(path))!["per_class"]!;
            return (long)perClass["urban"]!["support"]! + (long)perClass["non_urban"]!["support"]!;
        }

        Assert.Equal(Support(_w.Dir.File("national_2010.json")) - sampled, Support(json));
        Assert.Equal(File.ReadAllBytes(_w.Map(2010)), File.ReadAllBytes(_w.Dir.File("map_held.tif")));

        string outside = _w.Dir.File("outside.csv");
        File.WriteAllText(outside, "cell_id,row,col,label\n1728,36,0,0\n");
        string never = _w.Dir.File("never_held.tif");
        AssertOneLineError(UrbanProcess.Run("classify", "--mosaic", _w.Mosaic(2010), "--grid", _w.Grid(2010), "--model", _w.Dir.File("model.ugm"),
            "--out", never, "--exclude", outside), 1, "outside.csv", "outside the 48 x 36 grid");
        Assert.False(File.Exists(never));
    }

    [Fact]
    public void ContextRefine_FitOnAMapAndItsLabels_RefinesMapsOfBothYears()
    {
        string context = _w.Dir.File("context.json");
        // This small scene's sample took every urban cell of 2010: leaving them out leaves one class, a clear error.
        AssertOneLineError(UrbanProcess.Run("context", "--map", _w.Map(2010), "--grid", _w.Grid(2010), "--exclude", _w.Dir.File("sample.csv"), "--out", context), 1, "labels_2010.tif", "training cells");
        Assert.False(File.Exists(context));

        // 2020's pixels were not trained on, so its map's probabilities are out of sample.
        UrbanProcess.Result fit = UrbanProcess.Run("context", "--map", _w.Map(2020), "--grid", _w.Grid(2020), "--out", context);
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("context model fitted on", fit.Stdout, StringComparison.Ordinal);
        JsonNode model = JsonNode.Parse(File.ReadAllText(context))!;
        Assert.Equal("inegi-urbangrowth-spatial-context", (string)model["format"]!);
        Assert.Equal(6, model["weights"]!.AsArray().Count);
        Assert.InRange((double)model["threshold"]!, 0.01, 0.99);

        foreach (int y in new[] { 2010, 2020 })
        {
            string refined = _w.Dir.File($"refined_{y}.tif"), json = _w.Dir.File($"refined_{y}.json");
            UrbanProcess.Result r = UrbanProcess.Run("refine", "--map", _w.Map(y), "--context", context, "--out", refined, "--grid", _w.Grid(y), "--json", json);
            Assert.True(r.ExitCode == 0, r.Stderr);
            JsonNode info = JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", refined))!;
            Assert.Equal(48, (int)info["size"]![0]!);
            Assert.Equal(2, info["bands"]!.AsArray().Count);
            Assert.NotNull(JsonNode.Parse(File.ReadAllText(json))!["per_class"]!["urban"]!["f1"]);
        }

        double before = (double)JsonNode.Parse(File.ReadAllText(_w.Dir.File("national_2020.json")))!["per_class"]!["urban"]!["f1"]!;
        double after = (double)JsonNode.Parse(File.ReadAllText(_w.Dir.File("refined_2020.json")))!["per_class"]!["urban"]!["f1"]!;
        Assert.True(after >= before, $"urban F1 {before:F4} before, {after:F4} after");

        // --exclude: the same refined map; the table loses exactly the sampled cells that the map classifies.
        string heldJson = _w.Dir.File("refined_held_2010.json");
        UrbanProcess.Result held = UrbanProcess.Run("refine", "--map", _w.Map(2010), "--context", context, "--out", _w.Dir.File("refined_held_2010.tif"),
            "--grid", _w.Grid(2010), "--json", heldJson, "--exclude", _w.Dir.File("sample.csv"));
        Assert.True(held.ExitCode == 0, held.Stderr);
        Assert.Equal(File.ReadAllBytes(_w.Dir.File("refined_2010.tif")), File.ReadAllBytes(_w.Dir.File("refined_held_2010.tif")));
        static long Support(string path)
        {
            JsonNode perClass = JsonNode.Parse(File.ReadAllText(path))!["per_class"]!;
            return (long)perClass["urban"]!["support"]! + (long)perClass["non_urban"]!["support"]!;
        }

        int sampled = File.ReadAllLines(_w.Dir.File("sample.csv")).Length - 1;
        Assert.Equal(Support(_w.Dir.File("refined_2010.json")) - sampled, Support(heldJson));
        AssertOneLineError(UrbanProcess.Run("refine", "--map", _w.Map(2010), "--context", context, "--out", _w.Dir.File("never_refined.tif"), "--exclude", _w.Dir.File("sample.csv")), 2, "--exclude needs --grid");

        // A model file of another kind: one line naming it, exit 1, no map left behind.
        AssertOneLineError(UrbanProcess.Run("refine", "--map", _w.Map(2020), "--context", _w.Dir.File("model.ugm"), "--out", _w.Dir.File("bad.tif")), 1, "model.ugm");
        Assert.False(File.Exists(_w.Dir.File("bad.tif")));
        // A label grid of another size than the map.
        string other = _w.Dir.File("other_grid.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-srcwin", "0", "0", "20", "20", _w.Grid(2010), other);
        AssertOneLineError(UrbanProcess.Run("context", "--map", _w.Map(2010), "--grid", other, "--out", _w.Dir.File("bad.json")), 1, "other_grid.tif");
        Assert.False(File.Exists(_w.Dir.File("bad.json")));
    }

    [Fact]
    public void SynthSampleFeaturesTrainClassify_ProduceTheContractFiles()
    {
        foreach (string f in new[] { "mosaic_2010.tif", "mosaic_2020.tif", "labels_2010.tif", "labels_2020.tif", "zones.tif" })
        {
            Assert.True(File.Exists(_w.Dir.File(Path.Combine("scene", f))), f);
        }

        JsonNode mosaic = JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", _w.Mosaic(2010)))!;
        Assert.Equal(6, mosaic["bands"]!.AsArray().Count);
        Assert.Equal("UInt16", (string)mosaic["bands"]![0]!["type"]!);
        Assert.Equal(30.0, (double)mosaic["geoTransform"]![1]!, 6);

        string[] sample = File.ReadAllLines(_w.Dir.File("sample.csv"));
        Assert.Equal("cell_id,row,col,label", sample[0]);
        string header = File.ReadLines(_w.Dir.File("features.csv")).First();
        Assert.StartsWith("cell_id,row,col,label,blue_mean,blue_variance,blue_median", header, StringComparison.Ordinal);
        Assert.Equal(4 + 486, header.Split(',').Length);
        Assert.EndsWith("tc_sixth_center", header, StringComparison.Ordinal);

        JsonNode national = JsonNode.Parse(File.ReadAllText(_w.Dir.File("national_2010.json")))!;
        Assert.InRange((double)national["overall_accuracy"]!, 0.9, 1.0);
        Assert.NotNull(national["per_class"]!["urban"]!["precision"]);
        Assert.Equal(2, national["confusion"]!.AsArray().Count);
    }

    [Fact]
    public void Sample_SameSeedInAnotherProcess_DrawsTheSameCells()
    {
        string again = _w.Dir.File("sample_again.csv");
        UrbanProcess.Result r = UrbanProcess.Run("sample", "--grid", _w.Grid(2010), "--per-class", "300", "--seed", "4", "--out", again, "--mosaic", _w.Mosaic(2010));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(File.ReadAllBytes(_w.Dir.File("sample.csv")), File.ReadAllBytes(again));
    }

    [Fact]
    public void Inspect_PrintsModelJson()
    {
        UrbanProcess.Result r = UrbanProcess.Run("inspect", _w.Dir.File("model.ugm"));
        Assert.Equal(0, r.ExitCode);
        JsonNode json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(30, (int)json["trees"]!);
        Assert.Equal(486, (int)json["input_features"]!);
        Assert.True(json["selected_features"]!.AsArray().Count is > 0 and <= 486);
        // The statistics classify computes: the trees' split features, all among the selected ones.
        string[] selected = [.. json["selected_features"]!.AsArray().Select(n => (string)n!)];
        string[] read = [.. json["columns_read"]!.AsArray().Select(n => (string)n!)];
        Assert.NotEmpty(read);
        Assert.Subset(selected.ToHashSet(), read.ToHashSet());
        Assert.InRange((double)json["threshold"]!, 0.0, 1.0);
        Assert.NotNull(json["population_prevalence"]);
    }

    [Fact]
    public void Evaluate_WritesPilotTableAndJson()
    {
        string json = _w.Dir.File("eval.json");
        UrbanProcess.Result r = UrbanProcess.Run("evaluate", "--features", _w.Dir.File("features.csv"), "--folds", "3", "--trees", "20", "--block-cells", "12", "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("macro avg", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Spatial", r.Stdout, StringComparison.Ordinal);
        JsonNode report = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.InRange((double)report["overall_accuracy"]!, 0.6, 1.0);
        Assert.NotNull(report["spatial"]!["overall_accuracy"]);
    }

    [Fact]
    public void ChangeAndSeries_WriteGrowthStatisticsAndPictures()
    {
        string growth = _w.Dir.File("growth.tif"), stats = _w.Dir.File("growth.csv");
        UrbanProcess.Result r = UrbanProcess.Run("change", "--from", _w.Map(2010), "--to", _w.Map(2020), "--out", growth,
            "--zones", _w.Dir.File(Path.Combine("scene", "zones.tif")), "--stats", stats, "--png", _w.Dir.File("growth.png"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(growth) && File.Exists(stats) && File.Exists(_w.Dir.File("growth.png")));
        JsonNode info = JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", growth))!;
        Assert.Equal(255.0, (double)info["bands"]![0]!["noDataValue"]!);

        string first = _w.Dir.File("first.tif");
        r = UrbanProcess.Run("series", "--maps", _w.Map(2010), _w.Map(2020), "--years", "2010,2020", "--out", first, "--stats", _w.Dir.File("area.csv"), "--temporal-consistency");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("zone,year,valid_cells,urban_cells,urban_km2", File.ReadLines(_w.Dir.File("area.csv")).First());
    }

    [Fact]
    public void ValidationSampleThenAssess_GivesAreaEstimatesWithIntervals()
    {
        string sample = _w.Dir.File("validation.csv");
        UrbanProcess.Result r = UrbanProcess.Run("validation-sample", "--map", _w.Map(2020), "--out", sample, "--target-se", "0.02", "--min-per-stratum", "20");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.ChangeExtension(sample, ".geojson")));
        // The photo-interpreter's label: here the synthetic truth of each sampled cell.
        byte[] truth = ReadBand(_w.Grid(2020));
        int width = int.Parse(JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", _w.Grid(2020)))!["size"]![0]!.ToString(), CultureInfo.InvariantCulture);
        string[] lines = File.ReadAllLines(sample);
        var filled = new List<string> { lines[0] };
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split(',');
            int row = int.Parse(f[1], CultureInfo.InvariantCulture), col = int.Parse(f[2], CultureInfo.InvariantCulture);
            byte t = truth[row * width + col];
            f[^1] = t == 255 ? f[4] : t.ToString(CultureInfo.InvariantCulture);
            filled.Add(string.Join(',', f));
        }

        File.WriteAllLines(sample, filled);
        r = UrbanProcess.Run("validation-assess", "--map", _w.Map(2020), "--sample", sample, "--json", _w.Dir.File("assess.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        JsonNode assess = JsonNode.Parse(File.ReadAllText(_w.Dir.File("assess.json")))!;
        Assert.NotNull(assess);
    }

    private static byte[] ReadBand(string path)
    {
        string xyz = Oracles.RunGdal("gdal_translate", "-q", "-b", "1", "-of", "XYZ", path, "/vsistdout/");
        return [.. xyz.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => byte.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture))];
    }

    [Theory]
    [InlineData("features")]
    [InlineData("train")]
    [InlineData("classify")]
    [InlineData("change")]
    [InlineData("sample")]
    public void MissingRequiredOption_ExitsTwoWithOneLine(string command)
    {
        AssertOneLineError(UrbanProcess.Run(command), 2, "--");
    }

    [Fact]
    public void UnknownCommandOrBadNumber_ExitsTwo()
    {
        AssertOneLineError(UrbanProcess.Run("frobnicate"), 2);
        AssertOneLineError(UrbanProcess.Run("synth", "--out", _w.Dir.File("x"), "--cells-x", "many"), 2, "many");
        AssertOneLineError(UrbanProcess.Run("classify", "--mosaic", _w.Mosaic(2010), "--grid", _w.Grid(2010), "--model", _w.Dir.File("model.ugm"), "--out", _w.Dir.File("t.tif"), "--threshold", "1.5"), 2, "--threshold");
        AssertOneLineError(UrbanProcess.Run("train", "--features", _w.Dir.File("features.csv"), "--out", _w.Dir.File("t.ugm"), "--threads", "0"), 2, "--threads");
        Assert.False(File.Exists(_w.Dir.File("t.ugm")));
    }

    [Fact]
    public void MissingOrCorruptInputs_ExitOneNamingTheFileAndLeaveNoOutput()
    {
        string output = _w.Dir.File("never.csv");
        AssertOneLineError(UrbanProcess.Run("features", "--mosaic", _w.Dir.File("nope.tif"), "--grid", _w.Grid(2010), "--out", output), 1, "nope.tif");

        string truncated = _w.Dir.File("truncated.tif");
        byte[] bytes = File.ReadAllBytes(_w.Mosaic(2010));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        AssertOneLineError(UrbanProcess.Run("features", "--mosaic", truncated, "--grid", _w.Grid(2010), "--out", output), 1, "truncated.tif");

        string notModel = _w.Dir.File("model.txt");
        File.WriteAllText(notModel, "hello");
        AssertOneLineError(UrbanProcess.Run("inspect", notModel), 1, "model.txt");
        AssertOneLineError(UrbanProcess.Run("classify", "--mosaic", _w.Mosaic(2010), "--grid", _w.Grid(2010), "--model", notModel, "--out", _w.Dir.File("never.tif")), 1, "model.txt");

        string badCsv = _w.Dir.File("bad.csv");
        File.WriteAllText(badCsv, "cell_id,row,col,label,a\n1,0,1,x,0.5\n");
        AssertOneLineError(UrbanProcess.Run("train", "--features", badCsv, "--out", _w.Dir.File("never.ugm")), 1, "bad.csv", "line 2");

        // A grid of another size cannot be compared with the map.
        AssertOneLineError(UrbanProcess.Run("change", "--from", _w.Map(2010), "--to", _w.Mosaic(2010), "--out", _w.Dir.File("never_growth.tif")), 1);

        Assert.False(File.Exists(output));
        Assert.False(File.Exists(_w.Dir.File("never.tif")));
        Assert.False(File.Exists(_w.Dir.File("never.ugm")));
        Assert.False(File.Exists(_w.Dir.File("never_growth.tif")));
        Assert.Empty(Directory.GetFiles(_w.Dir.Path, "*.tmp"));
    }
}
