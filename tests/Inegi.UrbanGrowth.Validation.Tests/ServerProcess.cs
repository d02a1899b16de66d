using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>The real <c>urban validate serve</c> in a child process on a free loopback port; killed on dispose.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static ServerProcess Start(Scene scene, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "urban.dll"), "validate", "serve", "--sample", scene.SamplePath,
            "--mosaics", scene.MosaicsArgument, "--db", scene.DatabasePath, "--port", "0", .. extra])
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi)!;
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m)
            {
                address.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!address.Task.Wait(TimeSpan.FromSeconds(90)))
        {
            p.Kill(entireProcessTree: true);
            p.Dispose();
            throw new TimeoutException("urban validate serve did not start: " + errors);
        }

        return new ServerProcess(p, address.Task.Result);
    }

    /// <summary>SIGKILL: no shutdown hook, no flush, no chance to finish a request.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(30_000), "the server did not die");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"serving .* at (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex Listening();
}
