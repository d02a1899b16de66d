using System.Diagnostics;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>Runs the real `urban` program (urban.dll beside the tests) in a child process, as users do.</summary>
internal static partial class Urban
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z-]+: \d+/\d+ \(\d+ %\)")]
    private static partial System.Text.RegularExpressions.Regex Progress();

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "urban.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    public static Result Run(params string[] args)
    {
        using Process p = Process.Start(StartInfo(args))!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("urban " + string.Join(' ', args));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

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
