using System.Diagnostics;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>Runs the real `urban` (urban.dll beside the tests) in a child process.</summary>
internal static class Urban
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "urban.dll");

    /// <summary>The launcher recorded in plans made here: this dotnet and urban.dll.</summary>
    public static string[] Launcher => [Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet", Dll];

    public static Result Run(params string[] args) => RunProcess(Launcher[0], [Dll, .. args]);

    public static Result RunProcess(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " " + string.Join(' ', args));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Ok(Result r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}\n{r.Stdout}");
        return r;
    }
}

/// <summary>
/// A synthetic two-year scene (`urban synth`), a model trained on it, and the single-process outputs every tiled run
/// must reproduce byte for byte: `urban classify` (map + national table, training cells excluded) and `urban change`
/// with zones.
/// </summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Urban.Ok(Urban.Run("synth", "--out", Dir.File("scene"), "--cells-x", "45", "--cells-y", "32", "--years", "2010,2020", "--seed", "5"));
        Urban.Ok(Urban.Run("sample", "--grid", Grid(2010), "--per-class", "200", "--seed", "3", "--out", Sample, "--mosaic", Mosaic(2010)));
        Urban.Ok(Urban.Run("features", "--mosaic", Mosaic(2010), "--grid", Grid(2010), "--cells", Sample, "--out", Dir.File("features.csv")));
        Urban.Ok(Urban.Run("train", "--features", Dir.File("features.csv"), "--out", Model, "--trees", "25", "--seed", "1", "--calibration-folds", "0"));
        foreach (int y in new[] { 2010, 2020 })
        {
            Urban.Ok(Urban.Run("classify", "--mosaic", Mosaic(y), "--grid", Grid(y), "--model", Model, "--exclude", Sample,
                "--out", SingleMap(y), "--json", SingleTable(y)));
        }

        Urban.Ok(Urban.Run("change", "--from", SingleMap(2010), "--to", SingleMap(2020), "--zones", Zones, "--out", Dir.File("single_growth.tif"), "--stats", Dir.File("single_growth.csv")));
    }

    public TempDirectory Dir { get; } = new();

    public string Sample => Dir.File("sample.csv");

    public string Model => Dir.File("model.ugm");

    public string Zones => Dir.File(Path.Combine("scene", "zones.tif"));

    public string Mosaic(int year) => Dir.File(Path.Combine("scene", $"mosaic_{year}.tif"));

    public string Grid(int year) => Dir.File(Path.Combine("scene", $"labels_{year}.tif"));

    public string SingleMap(int year) => Dir.File($"single_map_{year}.tif");

    public string SingleTable(int year) => Dir.File($"single_national_{year}.json");

    /// <summary>The options of the classify step for a year, as `urban plan classify` takes them.</summary>
    public StepOptions ClassifyOptions(int year) => new(
    [
        new("mosaic", [Mosaic(year)]),
        new("grid", [Grid(year)]),
        new("model", [Model]),
        new("exclude", [Sample]),
    ]);

    /// <summary>A fresh folder name for a plan.</summary>
    public string NewPlanFolder(string name) => Dir.File("plans-" + Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public void Dispose() => Dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class WorkspaceCollection : ICollectionFixture<Workspace>
{
    public const string Name = "cluster workspace";
}
