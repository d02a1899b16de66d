using System.Buffers.Binary;
using System.Diagnostics;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>
/// The reproductions of issue 18, each against the contract of docs/cli.md: exit 1 for a bad file and 2 for a bad
/// argument, one line naming the user's file, no stack trace, no partial output, inputs never overwritten.
/// </summary>
public sealed class ErrorContractTests : IClassFixture<Workspace>
{
    private readonly Workspace _w;

    public ErrorContractTests(Workspace workspace) => _w = workspace;

    /// <summary>A tiled Deflate copy of the mosaic with its directory at the front (GDAL's layout), so that cutting its end cuts tiles, not the header.</summary>
    private string GdalCopyOfMosaic(string folder)
    {
        string copy = Path.Combine(folder, "mosaic_gdal.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "BLOCKXSIZE=128", "-co", "BLOCKYSIZE=128", _w.Mosaic, copy);
        return copy;
    }

    [Fact]
    public void TruncatedMosaic_EveryPixelReadingCommand_ExitsOneNamingTheFile_WithAnyThreadCount()
    {
        string folder = _w.NewFolder("truncated");
        string mosaic = GdalCopyOfMosaic(folder);
        byte[] bytes = File.ReadAllBytes(mosaic);
        File.WriteAllBytes(mosaic, bytes[..(bytes.Length * 6 / 10)]);
        foreach (string threads in new[] { "1", "-1" })
        {
            string out1 = Path.Combine(folder, "f" + threads + ".csv"), out2 = Path.Combine(folder, "m" + threads + ".tif"), out3 = Path.Combine(folder, "p" + threads + ".bin");
            Urban.AssertOneLineError(Urban.Run("features", "--mosaic", mosaic, "--grid", _w.Grid, "--out", out1, "--threads", threads), 1, mosaic);
            Urban.AssertOneLineError(Urban.Run("classify", "--mosaic", mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", out2, "--threads", threads), 1, mosaic);
            Urban.AssertOneLineError(Urban.Run("patches", "--mosaic", mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", out3, "--threads", threads), 1, mosaic);
            Assert.False(File.Exists(out1) || File.Exists(out1 + ".settings.json") || File.Exists(out2) || File.Exists(out3), "a partial output was left");
        }

        Urban.AssertOneLineError(Urban.Run("sample", "--grid", _w.Grid, "--per-class", "10", "--out", Path.Combine(folder, "s.csv"), "--mosaic", mosaic), 1, mosaic);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void FlippedBytesInsideTileData_ExitOneNamingTheFile()
    {
        string folder = _w.NewFolder("flipped");
        string mosaic = GdalCopyOfMosaic(folder);
        byte[] bytes = File.ReadAllBytes(mosaic);
        // Flip the first bytes of a tile in the middle of the raster: its zlib stream no longer decodes.
        long tile = MiddleTileOffset(bytes);
        for (long i = tile; i < tile + 8; i++)
        {
            bytes[i] ^= 0xFF;
        }

        File.WriteAllBytes(mosaic, bytes);
        string output = Path.Combine(folder, "f.csv");
        Urban.AssertOneLineError(Urban.Run("features", "--mosaic", mosaic, "--grid", _w.Grid, "--out", output), 1, mosaic);
        Assert.False(File.Exists(output));
    }

    /// <summary>The file offset of the middle tile of a little-endian classic TIFF (tag 324, TileOffsets, of the first directory).</summary>
    private static long MiddleTileOffset(byte[] tiff)
    {
        Assert.Equal((byte)'I', tiff[0]);
        Assert.Equal(42, BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(2)));
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        for (int e = 0; e < entries; e++)
        {
            ReadOnlySpan<byte> entry = tiff.AsSpan(ifd + 2 + 12 * e, 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == 324)
            {
                Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(entry[2..])); // LONG
                int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
                int array = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
                return BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(array + 4 * (count / 2)));
            }
        }

        throw new InvalidOperationException("no TileOffsets tag");
    }

    [Fact]
    public void ModelWhoseHeaderClaimsTwoGigabytes_InspectAndClassifyExitOne()
    {
        string folder = _w.NewFolder("model2g");
        string model = Path.Combine(folder, "huge.ugm");
        byte[] bytes = File.ReadAllBytes(_w.Model);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), int.MaxValue - 64); // the frame's payload length
        File.WriteAllBytes(model, bytes);
        Urban.AssertOneLineError(Urban.Run("inspect", model), 1, model, "truncated");
        Urban.AssertOneLineError(Urban.Run("classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", model, "--out", Path.Combine(folder, "m.tif")), 1, model);
    }

    public static TheoryData<string> OutputsEqualToAnInput => ["classify-mosaic", "classify-grid", "classify-model", "features-cells", "train-features", "sample-grid", "json-equals-out"];

    [Theory]
    [MemberData(nameof(OutputsEqualToAnInput))]
    public void OutputEqualToAnInput_IsRefusedAndTheInputIsUntouched(string @case)
    {
        string folder = _w.NewFolder("same");
        string map = Path.Combine(folder, "map.tif");
        (string[] args, string input) = @case switch
        {
            "classify-mosaic" => (Classify(_w.Mosaic), _w.Mosaic),
            "classify-grid" => (Classify(_w.Grid), _w.Grid),
            "classify-model" => (Classify(_w.Model), _w.Model),
            "features-cells" => (["features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", _w.Sample], _w.Sample),
            "train-features" => (["train", "--features", _w.Features, "--out", _w.Features, "--trees", "5"], _w.Features),
            "sample-grid" => (["sample", "--grid", _w.Grid, "--per-class", "5", "--out", _w.Grid], _w.Grid),
            _ => ([.. Classify(map), "--json", map], map),
        };
        bool existed = File.Exists(input);
        string? before = existed ? Workspace.Hash(input) : null;
        Urban.AssertOneLineError(Urban.Run(args), 2, input);
        Assert.Equal(existed, File.Exists(input));
        if (before is not null)
        {
            Assert.Equal(before, Workspace.Hash(input));
        }

        string[] Classify(string output) => ["classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", output];
    }

    [Fact]
    public void OutputThroughASymbolicOrHardLinkToAnInput_IsRefused()
    {
        string folder = _w.NewFolder("links");
        string symbolic = Path.Combine(folder, "features-link.csv");
        File.CreateSymbolicLink(symbolic, _w.Features);
        string before = Workspace.Hash(_w.Features);
        Urban.AssertOneLineError(Urban.Run("train", "--features", _w.Features, "--out", symbolic, "--trees", "5"), 2, symbolic);
        Assert.True(File.ResolveLinkTarget(symbolic, returnFinalTarget: false) is not null, "the link was replaced");
        string hard = Path.Combine(folder, "sample-hard.csv");
        Oracles.Run("ln", [_w.Sample, hard]);
        string sample = Workspace.Hash(_w.Sample);
        Urban.AssertOneLineError(Urban.Run("features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", hard), 2, hard);
        Assert.Equal(before, Workspace.Hash(_w.Features));
        Assert.Equal(sample, Workspace.Hash(hard));
        Assert.Equal(sample, Workspace.Hash(_w.Sample));
    }

    [Fact]
    public void OutputThatIsAFolder_OrCannotBeWritten_FailsBeforeAnyWork()
    {
        string folder = _w.NewFolder("unwritable");
        Urban.AssertOneLineError(Urban.Run("classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", folder), 2, folder, "folder");

        // A regular file where the output's folder should be: no user, root included, can write there.
        string blocker = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(blocker, "x");
        string output = Path.Combine(blocker, "map.tif");
        var clock = Stopwatch.StartNew();
        UrbanTool.Result r = Urban.Run("classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", output, "--threads", "1");
        clock.Stop();
        Urban.AssertOneLineError(r, 1, output);
        Assert.DoesNotContain("classified", r.Stdout, StringComparison.Ordinal);
        Urban.AssertOneLineError(Urban.Run("features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--out", Path.Combine(blocker, "f.csv")), 1, Path.Combine(blocker, "f.csv"));
    }

    [Fact]
    public void FeaturesAndClassify_InAMissingFolder_BothCreateIt()
    {
        string folder = _w.NewFolder("missing");
        string csv = Path.Combine(folder, "a", "b", "f.csv"), map = Path.Combine(folder, "c", "d", "map.tif");
        Urban.Ok(Urban.Run("features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", csv));
        Urban.Ok(Urban.Run("classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", map));
        Assert.Equal(Workspace.Hash(_w.Features), Workspace.Hash(csv));
        Assert.Equal(Workspace.Hash(_w.Map), Workspace.Hash(map));
    }

    [Fact]
    public void FeaturesCsvBesideAnotherRunsSidecar_OrAHeaderThatDoesNotMatchIt_IsRefusedByTrain()
    {
        string folder = _w.NewFolder("pair");
        string csv = Path.Combine(folder, "f.csv");
        File.Copy(_w.Features, csv);
        File.Copy(_w.Features + ".settings.json", csv + ".settings.json");
        string model = Path.Combine(folder, "m.ugm");
        Urban.Ok(Urban.Run("train", "--features", csv, "--out", model, "--trees", "5", "--calibration-folds", "0"));

        // Another run's CSV (one row fewer) beside this sidecar: what a kill between the two commits left before.
        string[] lines = File.ReadAllLines(_w.Features);
        File.WriteAllLines(csv, lines[..^1]);
        Urban.AssertOneLineError(Urban.Run("train", "--features", csv, "--out", Path.Combine(folder, "n.ugm"), "--trees", "5"), 1, csv + ".settings.json", "another version");

        // A header of other channels than the sidecar lists (a sidecar of the versions without the CSV's hash).
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_w.Features + ".settings.json"))!.AsObject();
        Assert.NotNull(json["features_csv"]);
        json.Remove("features_csv");
        File.WriteAllText(csv + ".settings.json", json.ToJsonString());
        File.WriteAllLines(csv, [string.Join(',', lines[0].Split(',')[..^18]), .. lines[1..].Select(l => string.Join(',', l.Split(',')[..^18]))]);
        Urban.AssertOneLineError(Urban.Run("train", "--features", csv, "--out", Path.Combine(folder, "n.ugm"), "--trees", "5"), 1, csv, "do not match");
        Assert.False(File.Exists(Path.Combine(folder, "n.ugm")));

        // A CSV and sidecar of the versions before the hash (no "features_csv" record) still train.
        File.Copy(_w.Features, csv, overwrite: true);
        string old = Path.Combine(folder, "old.ugm");
        Urban.Ok(Urban.Run("train", "--features", csv, "--out", old, "--trees", "5", "--calibration-folds", "0"));
        Assert.Equal(Workspace.Hash(model), Workspace.Hash(old));
    }

    [Fact]
    public void TableWithALabelOfTwo_OrOneClass_IsADataErrorNamingTheCsv()
    {
        string folder = _w.NewFolder("labels");
        string[] lines = File.ReadAllLines(_w.Features);
        string two = Path.Combine(folder, "two.csv"), one = Path.Combine(folder, "one.csv");
        File.WriteAllLines(two, [lines[0], .. lines[1..].Select((l, i) => i == 3 ? SetLabel(l, "2") : l)]);
        File.WriteAllLines(one, [lines[0], .. lines[1..].Select(l => SetLabel(l, "1"))]);
        foreach (string csv in new[] { two, one })
        {
            UrbanTool.Result r = Urban.Run("train", "--features", csv, "--out", Path.Combine(folder, "m.ugm"), "--trees", "5");
            Assert.True(r.ExitCode == 1, r.Stderr);
            Urban.AssertOneLineError(r, 1, csv);
            Urban.AssertOneLineError(Urban.Run("evaluate", "--features", csv, "--folds", "2", "--trees", "5", "--block-cells", "0"), 1, csv);
        }

        static string SetLabel(string line, string label)
        {
            string[] f = line.Split(',');
            f[3] = label;
            return string.Join(',', f);
        }
    }

    [Fact]
    public void GridWithPixelWidthZero_IsADataErrorNamingTheGrid()
    {
        string folder = _w.NewFolder("pixel0");
        string grid = Path.Combine(folder, "grid.tif");
        // -a_ullr with equal left and right edges: GDAL writes a pixel width of 0.
        Oracles.RunGdal("gdal_translate", "-q", "-a_ullr", "1000", "2000", "1000", "0", _w.Grid, grid);
        Urban.AssertOneLineError(Urban.Run("sample", "--grid", grid, "--per-class", "5", "--out", Path.Combine(folder, "s.csv")), 1, grid);
    }

    [Fact]
    public void SynthWithThreeCells_IsRefusedByTheCli()
    {
        string folder = _w.NewFolder("synth3");
        Urban.AssertOneLineError(Urban.Run("synth", "--out", Path.Combine(folder, "s"), "--cells-x", "3"), 2, "--cells-x");
        Assert.False(Directory.Exists(Path.Combine(folder, "s")) && Directory.EnumerateFileSystemEntries(Path.Combine(folder, "s")).Any());
    }

    [Fact]
    public void StaleTemporaryFilesOfAKilledRun_AreRemovedByTheNextRunForTheSameOutput()
    {
        string folder = _w.NewFolder("stale");
        string map = Path.Combine(folder, "map.tif"), csv = Path.Combine(folder, "f.csv");
        int deadPid = DeadProcessId();
        string[] stale =
        [
            Path.Combine(folder, $".map.tif.{deadPid}.0badf00d.tmp"),
            Path.Combine(folder, ".map.tif.1a2b3c4d.tmp"),                       // the versions before process ids
            Path.Combine(folder, $".f.csv.{deadPid}.12345678.tmp"),
            Path.Combine(folder, $".f.csv.settings.json.{deadPid}.abcdef12.tmp"),
        ];
        string live = Path.Combine(folder, $".map.tif.{Environment.ProcessId}.feedbeef.tmp"); // a run still going
        string other = Path.Combine(folder, $".other.tif.{deadPid}.0badf00d.tmp");           // another output's
        foreach (string f in stale.Append(live).Append(other))
        {
            File.WriteAllText(f, "partial");
        }

        Urban.Ok(Urban.Run("classify", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--model", _w.Model, "--out", map));
        Urban.Ok(Urban.Run("features", "--mosaic", _w.Mosaic, "--grid", _w.Grid, "--cells", _w.Sample, "--out", csv));
        Assert.All(stale, f => Assert.False(File.Exists(f), f));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }

    /// <summary>The id of a process that has exited (a pid being reused in the test's few seconds is not a concern).</summary>
    internal static int DeadProcessId()
    {
        using Process p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
