namespace Inegi.UrbanGrowth.Testing;

/// <summary>Locates the real satellite data in <c>../shared/data</c> beside the repository.</summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(FindSharedData);

    /// <summary>The <c>shared/data</c> folder.</summary>
    public static string SharedDataDirectory => Root.Value;

    /// <summary>A file or folder under <c>shared/data</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    /// <summary>The repository root (the folder holding Inegi.UrbanGrowth.sln).</summary>
    public static string RepositoryRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(System.IO.Path.Combine(d, "Inegi.UrbanGrowth.sln")))
        ?? throw new DirectoryNotFoundException("Inegi.UrbanGrowth.sln not found above " + AppContext.BaseDirectory);

    private static string FindSharedData()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("URBANGROWTH_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        return FindUp(AppContext.BaseDirectory, d => Directory.Exists(System.IO.Path.Combine(d, "shared", "data"))) is { } dir
            ? System.IO.Path.Combine(dir, "shared", "data")
            : throw new DirectoryNotFoundException("shared/data not found above " + AppContext.BaseDirectory + "; set URBANGROWTH_SHARED_DATA.");
    }

    private static string? FindUp(string start, Func<string, bool> predicate)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (predicate(dir.FullName))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
