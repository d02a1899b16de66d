using System.Diagnostics;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>Runs the real <c>urban</c> program (urban.dll beside the tests) to completion.</summary>
internal static class Urban
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "urban.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("urban " + string.Join(' ', args));
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The token in the link <c>add-interpreter</c> printed.</summary>
    public static string AddInterpreter(string db, string name, params string[] extra)
    {
        var (code, stdout, stderr) = Run(["validate", "add-interpreter", name, "--db", db, .. extra]);
        Assert.True(code == 0, stderr);
        string link = stdout.Trim();
        Assert.StartsWith("http://127.0.0.1:8080/?token=", link, StringComparison.Ordinal);
        return Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
    }
}
