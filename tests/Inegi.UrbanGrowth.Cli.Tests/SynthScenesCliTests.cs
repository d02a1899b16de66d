using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban synth --scenes`: the archive beside or instead of the mosaics, composited by `urban composite --scenes`; bad options exit 2 before any file.</summary>
public sealed class SynthScenesCliTests
{
    [Fact]
    public void SynthScenes_WithoutMosaics_ThenComposite_GivesTheYearsMosaic()
    {
        using var dir = new TempDirectory();
        UrbanProcess.Result synth = UrbanProcess.Run("synth", "--out", dir.File("scene"), "--scenes", dir.File("archive"), "--no-mosaics", "--acquisitions", "2",
            "--cells-x", "10", "--cells-y", "8", "--years", "2015", "--seed", "3");
        Assert.True(synth.ExitCode == 0, synth.Stderr);
        Assert.True(File.Exists(Path.Combine(dir.File("scene"), "labels_2015.tif")));
        Assert.False(File.Exists(Path.Combine(dir.File("scene"), "mosaic_2015.tif")));
        string[] scenes = Directory.GetDirectories(dir.File("archive"));
        Assert.Equal(4, scenes.Length); // two frames x 2 acquisitions
        Assert.Contains("2015: 4 scenes", synth.Stdout, StringComparison.Ordinal);

        // The printed command, run as printed (but for the output path), composites the year onto the scene's grid.
        string line = synth.Stdout.Split('\n').Single(l => l.Contains("urban composite --scenes", StringComparison.Ordinal));
        string[] args = line[(line.IndexOf("urban composite", StringComparison.Ordinal) + "urban ".Length)..].Trim().Split(' ');
        args[^1] = dir.File("mosaic_2015.tif");
        UrbanProcess.Result composite = UrbanProcess.Run(args);
        Assert.True(composite.ExitCode == 0, composite.Stderr);
        string info = Oracles.RunGdal("gdalinfo", dir.File("mosaic_2015.tif"));
        Assert.Contains("Size is 330, 273", info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--acquisitions", "-1", "--acquisitions")]
    [InlineData("--cloud-cover", "4", "--cloud-cover")]
    [InlineData("--years", "1980", "1980")]
    public void SynthScenes_BadOptions_ExitTwoBeforeAnyFile(string option, string value, string mention)
    {
        using var dir = new TempDirectory();
        UrbanProcess.Result r = UrbanProcess.Run("synth", "--out", dir.File("scene"), "--scenes", dir.File("archive"), "--cells-x", "8", "--cells-y", "6", option, value);
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("scene")) || Directory.Exists(dir.File("archive")));
    }

    [Fact]
    public void SynthScenes_ArchiveOptionsWithoutScenes_ExitTwo()
    {
        using var dir = new TempDirectory();
        UrbanProcess.Result r = UrbanProcess.Run("synth", "--out", dir.File("scene"), "--no-mosaics", "--cells-x", "8", "--cells-y", "6");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--scenes", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("scene")));
    }
}
