using System.Diagnostics;

namespace Inegi.UrbanGrowth.Testing;

/// <summary>
/// Runs the real <c>urban</c> program (the <c>urban.dll</c> copied beside the test assembly) in a child process, as
/// users run it: its exit code, standard output and standard error.
/// </summary>
public static class UrbanTool
{
    /// <summary>What a finished process left.</summary>
    /// <param name="ExitCode">The exit code.</param>
    /// <param name="Stdout">Everything written to standard output.</param>
    /// <param name="Stderr">Everything written to standard error.</param>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The path of <c>urban.dll</c> beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "urban.dll");

    /// <summary>A start description of <c>dotnet urban.dll ARGS</c> with both streams redirected, for tests that manage the process.</summary>
    /// <param name="args">The command line after <c>urban</c>.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args) => StartInfo("dotnet", [Dll, .. args]);

    /// <summary>Runs <c>urban ARGS</c> to completion.</summary>
    /// <param name="args">The command line after <c>urban</c>.</param>
    /// <exception cref="TimeoutException">It ran for more than five minutes (it is killed).</exception>
    public static Result Run(params string[] args) => Run(StartInfo(args), 300);

    /// <summary>Runs any program to completion.</summary>
    /// <param name="program">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="environment">Variables added to its environment, or null.</param>
    /// <param name="timeoutSeconds">Killed after this long.</param>
    /// <exception cref="TimeoutException">It ran too long (it is killed).</exception>
    public static Result RunProcess(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        ProcessStartInfo psi = StartInfo(program, args);
        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        return Run(psi, timeoutSeconds);
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private static Result Run(ProcessStartInfo psi, int timeoutSeconds)
    {
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(psi.FileName + " " + string.Join(' ', psi.ArgumentList));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
