using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban demo`: composites its mosaics from a scene archive by default, `--from-mosaics` renders them; bad options exit 2 before any file.</summary>
public sealed class DemoCliTests
{
    [Theory]
    [InlineData(new[] { "--from-scenes", "--from-mosaics" }, "--from-mosaics")]
    [InlineData(new[] { "--acquisitions", "0" }, "--acquisitions")]
    [InlineData(new[] { "--keep-scenes", "--from-mosaics" }, "--from-mosaics")]
    public void Demo_BadOptions_ExitTwoBeforeAnyFile(string[] options, string mention)
    {
        using var dir = new TempDirectory();
        UrbanProcess.Result r = UrbanProcess.Run(["demo", "--out", dir.File("demo"), "--cells-x", "8", "--cells-y", "6", .. options]);
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("demo")));
    }

    [Fact]
    public void Demo_ByDefault_CompositesItsMosaicsFromScenesAndDeletesThem()
    {
        using var dir = new TempDirectory();
        string output = dir.File("demo");
        UrbanProcess.Result r = UrbanProcess.Run("demo", "--out", output, "--cells-x", "24", "--cells-y", "18");
        Assert.True(r.ExitCode == 0, r.Stderr);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("### From scenes to mosaics", report, StringComparison.Ordinal);
        Assert.Contains("deleted once composited", report, StringComparison.Ordinal);
        foreach (int year in new[] { 2010, 2015, 2020 })
        {
            Assert.True(File.Exists(Path.Combine(output, "scene", $"mosaic_{year}.tif")), $"mosaic_{year}.tif");
            Assert.True(File.Exists(Path.Combine(output, "scene", $"count_{year}.tif")), $"count_{year}.tif: only a composite writes the clear-observation count");
        }

        Assert.False(Directory.Exists(Path.Combine(output, "scenes")), "the scenes are deleted once composited");
    }

    [Fact]
    public void Demo_SceneTooSmallToTrainOn_OneLineAndNoOutputFolder()
    {
        // 16 x 12 cells hold too few urban cells for the sample: the demo fails after writing its scene; the folder it
        // created must not stay behind half-written.
        using var dir = new TempDirectory();
        string output = dir.File("demo");
        UrbanProcess.Result r = UrbanProcess.Run("demo", "--out", output, "--cells-x", "16", "--cells-y", "12", "--from-mosaics");
        Assert.NotEqual(0, r.ExitCode);
        string[] errors = [.. r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("urban: ", StringComparison.Ordinal))];
        Assert.Single(errors); // one line says why (the progress lines before it are not errors)
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the half-written demo folder was left behind");
    }

    [Fact]
    public void Demo_Help_NamesBothStartingPoints()
    {
        UrbanProcess.Result r = UrbanProcess.Run("demo", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--from-mosaics", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--from-scenes", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("scene archive", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--keep-scenes", r.Stdout, StringComparison.Ordinal);
    }
}
