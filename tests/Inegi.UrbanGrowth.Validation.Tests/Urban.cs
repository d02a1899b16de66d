using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>Runs the real <c>urban</c> program (urban.dll beside the tests) to completion.</summary>
internal static class Urban
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var (code, stdout, stderr) = UrbanTool.Run(args);
        return (code, stdout, stderr);
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
