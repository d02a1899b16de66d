using System.Diagnostics;
using System.Globalization;

namespace Inegi.UrbanGrowth.Testing;

/// <summary>
/// Runs the independent implementations the tests compare with: GDAL's command-line tools and Debian's
/// python3 with numpy, scipy and scikit-learn (<c>/usr/bin/python3</c>, not whatever python is first on PATH).
/// <c>.ci/run</c> installs them; a missing oracle fails the test with a message saying what to install.
/// </summary>
public static class Oracles
{
    /// <summary>The interpreter that has numpy, scipy and sklearn.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs a Python script given as text; returns its standard output.</summary>
    /// <param name="script">Python source.</param>
    /// <param name="args">Arguments passed to the script (sys.argv[1:]).</param>
    /// <param name="timeoutSeconds">Kills the process after this long.</param>
    public static string RunPython(string script, IEnumerable<string>? args = null, int timeoutSeconds = 600)
    {
        string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "urbangrowth-oracle-" + Guid.NewGuid().ToString("N") + ".py");
        File.WriteAllText(file, script);
        try
        {
            return Run(Python, [file, .. args ?? []], timeoutSeconds);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs a GDAL tool (gdalinfo, gdal_translate, ...); returns its standard output.</summary>
    /// <param name="tool">Tool name on PATH.</param>
    /// <param name="args">Arguments.</param>
    public static string RunGdal(string tool, params string[] args) => Run(tool, args, 300);

    /// <summary>Runs a program and returns its standard output; throws with its standard error on failure.</summary>
    /// <param name="fileName">Program.</param>
    /// <param name="args">Arguments.</param>
    /// <param name="timeoutSeconds">Kills the process after this long.</param>
    public static string Run(string fileName, IEnumerable<string> args, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Oracle '{fileName}' is not installed (apt-get install gdal-bin python3-numpy python3-scipy python3-sklearn; .ci/run does it).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} did not finish in {timeoutSeconds} s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', psi.ArgumentList)} exited {process.ExitCode}: {stderr.Result}");
            }

            return stdout.Result;
        }
    }

    /// <summary>Parses whitespace- or comma-separated invariant-culture numbers.</summary>
    /// <param name="text">The text.</param>
    public static double[] ParseNumbers(string text) =>
        [.. text.Split([' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
}
