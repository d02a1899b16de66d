using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cli.Tests;

/// <summary>`urban demo`: renders the mosaics by default, `--from-scenes` composites them from a scene archive; bad options exit 2 before any file.</summary>
public sealed class DemoCliTests
{
    [Theory]
    [InlineData(new[] { "--from-scenes", "--from-mosaics" }, "--from-mosaics")]
    [InlineData(new[] { "--acquisitions", "0" }, "--acquisitions")]
    [InlineData(new[] { "--keep-scenes" }, "--from-scenes")]
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
