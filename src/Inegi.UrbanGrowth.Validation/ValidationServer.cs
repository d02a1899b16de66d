using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>
/// The photo-interpreters' web app: pages embedded in this assembly and the JSON API of <c>docs/validation.md</c>, over
/// a <see cref="LabelStore"/> and a <see cref="ChipRenderer"/>.
/// </summary>
/// <remarks>
/// Every request must come from an interpreter: their link (<c>/?token=T</c>) sets an HttpOnly, SameSite=Strict cookie;
/// scripts send <c>Authorization: Bearer T</c>. Nothing in a request names a file: cells are looked up in the sample,
/// years in the plan, pages in the embedded resources.
/// </remarks>
public static class ValidationServer
{
    /// <summary>The cookie that carries the interpreter's token after they open their link.</summary>
    public const string SessionCookie = "urban_validate";

    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>Builds the app: loads the sample into the database (or checks it is the same one), opens the mosaics.</summary>
    /// <param name="options">Sample, mosaics, database, plan and address.</param>
    /// <param name="configure">Changes to the host before it is built (tests swap in a test server), or null.</param>
    /// <exception cref="DataFileException">A file cannot be read, or the database holds another sample or plan.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static WebApplication Build(ValidationServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.DoubleShare is >= 0 and <= 1))
        {
            throw new ArgumentException("--double-share must lie between 0 and 1");
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException("--port must lie between 0 and 65535");
        }

        if (options.Mosaics.Count == 0)
        {
            throw new ArgumentException("--mosaics: give at least one YEAR=FILE");
        }

        int[] years = [.. options.Mosaics.Keys.Order()];
        int reference = options.ReferenceYear ?? years[^1];
        if (!years.Contains(reference))
        {
            throw new ArgumentException($"--year {reference} is not one of the mosaic years ({string.Join(", ", years)})");
        }

        foreach (int mapYear in options.Maps?.Keys ?? [])
        {
            if (!years.Contains(mapYear))
            {
                throw new ArgumentException($"--maps: {mapYear} is not one of the mosaic years ({string.Join(", ", years)})");
            }
        }

        IReadOnlyList<ValidationCell> cells = ValidationCell.ReadCsv(options.SamplePath);
        LabelStore store = LabelStore.Open(options.DatabasePath);
        store.LoadSample(cells, new LabellingPlan(years, reference, options.DoubleShare, options.Seed));
        var chips = new ChipRenderer(options.Mosaics, options.CellSize, options.MosaicOptions);
        try
        {
            // Every map is read before any is stored, so a bad map leaves the database as it was.
            var mapClasses = (options.Maps ?? new Dictionary<int, string>())
                .Select(kv => (Year: kv.Key, Classes: MapClassSampler.Sample(kv.Value, cells, chips.Epsg))).ToList();
            foreach (var (year, classes) in mapClasses)
            {
                store.SaveMapClasses(year, classes);
            }

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ValidationServer).Assembly.GetName().Name });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(options.Bind, options.Port);
                k.Limits.MaxRequestBodySize = MaxBodyBytes;
                k.AddServerHeader = false;
            });
            builder.Services.AddSingleton(chips);
            configure?.Invoke(builder);
            WebApplication app = builder.Build();
            var api = new ValidationApi(store, chips, store.Plan()!, options.Blind);
            api.Map(app);
            app.Lifetime.ApplicationStopped.Register(chips.Dispose);
            return app;
        }
        catch
        {
            chips.Dispose();
            throw;
        }
    }

    /// <summary>The address the started app listens on, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    /// <param name="app">A started app.</param>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string? first = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return first is null ? throw new InvalidOperationException("the app is not listening yet") : new Uri(first.TrimEnd('/') + "/");
    }

    /// <summary>The link an interpreter opens.</summary>
    /// <param name="baseUrl">The server's address, e.g. <c>http://127.0.0.1:8080</c>.</param>
    /// <param name="token">The token <see cref="LabelStore.AddInterpreter"/> returned.</param>
    public static string Link(string baseUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.TrimEnd('/') + "/?token=" + Uri.EscapeDataString(token);
    }

    /// <summary>The embedded page or script of that name, or null.</summary>
    internal static byte[]? Resource(string name)
    {
        using Stream? s = typeof(ValidationServer).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (s is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The names of the embedded pages and scripts.</summary>
    internal static IReadOnlyList<string> ResourceNames() =>
        [.. typeof(ValidationServer).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)).Select(n => n["wwwroot/".Length..])];
}
