using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban patches`, `train --model lenet`, `evaluate --model lenet` and `classify` with the LeNet model, on a tiny scene with tiny networks.</summary>
public sealed class LeNetCliTests
{
    private static void Ok(UrbanProcess.Result r) =>
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");

    [Fact]
    public void PatchesTrainEvaluateClassify_LeNet_RunEndToEnd()
    {
        using var dir = new TempDirectory();
        string mosaic = dir.File("scene/mosaic_2010.tif"), grid = dir.File("scene/labels_2010.tif");
        string[] small = ["--epochs", "2", "--batch-size", "16", "--threads", "1"];
        Ok(UrbanProcess.Run("synth", "--out", dir.File("scene"), "--cells-x", "20", "--cells-y", "14", "--years", "2010", "--seed", "3"));
        Ok(UrbanProcess.Run("sample", "--grid", grid, "--per-class", "15", "--seed", "4", "--out", dir.File("sample.csv"), "--mosaic", mosaic));
        UrbanProcess.Result patches = UrbanProcess.Run("patches", "--mosaic", mosaic, "--grid", grid, "--cells", dir.File("sample.csv"), "--out", dir.File("patches.bin"));
        Ok(patches);
        int cells = File.ReadAllLines(dir.File("sample.csv")).Length - 1;
        // Frame header, settings JSON and sizes, then 17 bytes of identity and 29,403 float32 per cell, then the SHA-256.
        long header = new FileInfo(dir.File("patches.bin")).Length - (cells * (17L + (4 * 29403)));
        Assert.InRange(header, 28, 4096);

        Ok(UrbanProcess.Run(["train", "--model", "lenet", "--features", dir.File("patches.bin"), "--out", dir.File("lenet.ugm"), "--seed", "1", .. small]));
        UrbanProcess.Result inspect = UrbanProcess.Run("inspect", dir.File("lenet.ugm"));
        Ok(inspect);
        JsonNode model = JsonNode.Parse(inspect.Stdout)!;
        Assert.Equal("lenet", (string)model["classifier"]!);
        Assert.Equal(29403, (int)model["input_features"]!);
        Assert.Equal(cells, (int)model["training_rows"]!);

        UrbanProcess.Result cv = UrbanProcess.Run(["evaluate", "--model", "lenet", "--features", dir.File("patches.bin"), "--folds", "2", "--block-cells", "0", "--json", dir.File("cv.json"), .. small]);
        Ok(cv);
        Assert.Contains("Stratified 2-fold", cv.Stdout, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(dir.File("cv.json")))!["per_class"]);

        Ok(UrbanProcess.Run("classify", "--mosaic", mosaic, "--grid", grid, "--model", dir.File("lenet.ugm"), "--out", dir.File("map.tif")));
        JsonNode info = JsonNode.Parse(Oracles.RunGdal("gdalinfo", "-json", dir.File("map.tif")))!;
        Assert.Equal(20, (int)info["size"]![0]!);
        Assert.Equal(2, info["bands"]!.AsArray().Count);

        // A features CSV is not a patch table: one clear line, exit 1, no model left behind.
        Ok(UrbanProcess.Run("features", "--mosaic", mosaic, "--grid", grid, "--cells", dir.File("sample.csv"), "--out", dir.File("features.csv")));
        UrbanProcess.Result wrong = UrbanProcess.Run(["train", "--model", "lenet", "--features", dir.File("features.csv"), "--out", dir.File("wrong.ugm"), .. small]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("urban patches", wrong.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("wrong.ugm")));
    }
}
