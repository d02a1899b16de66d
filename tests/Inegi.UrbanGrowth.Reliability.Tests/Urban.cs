using System.Diagnostics;
using Inegi.UrbanGrowth.Testing;
using Result = Inegi.UrbanGrowth.Testing.UrbanTool.Result;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>Runs the real `urban` program (urban.dll beside the tests) in a child process, as users do.</summary>
internal static partial class Urban
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z-]+: \d+/\d+ \(\d+ %\)")]
    private static partial System.Text.RegularExpressions.Regex Progress();

    public static ProcessStartInfo StartInfo(IEnumerable<string> args) => UrbanTool.StartInfo(args);

    public static Result Run(params string[] args) => UrbanTool.Run(args);

    public static void Ok(Result r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");

    /// <summary>The contract of docs/cli.md: the exit code, one line on stderr starting with "urban:", no trace, no .NET parameter text.</summary>
    public static void AssertOneLineError(Result r, int exitCode, params string[] mentions)
    {
        Assert.True(r.ExitCode == exitCode, $"expected exit {exitCode}, got {r.ExitCode}: {r.Stderr}");
        // Progress lines ("classify: 80/320 (25 %) ...") share stderr; the error is one line, the last.
        string[] lines = [.. r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !Progress().IsMatch(l))];
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + r.Stderr);
        Assert.StartsWith("urban:", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(lines[0], r.Stderr.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Stderr, StringComparison.Ordinal);
        foreach (string m in mentions)
        {
            Assert.Contains(m, lines[0], StringComparison.Ordinal);
        }
    }
}
