using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>The app on an in-memory test server: the whole pipeline of middleware and endpoints, no socket.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private InProcessServer(WebApplication app, LabelStore store)
    {
        App = app;
        Store = store;
    }

    public WebApplication App { get; }

    public LabelStore Store { get; }

    public static async Task<InProcessServer> StartAsync(ValidationServerOptions options)
    {
        WebApplication app = ValidationServer.Build(options, b => b.WebHost.UseTestServer());
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessServer(app, LabelStore.Open(options.DatabasePath));
    }

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous() => App.GetTestClient();

    /// <summary>A new interpreter and a client that sends their token as a bearer token.</summary>
    public HttpClient Interpreter(string name, bool adjudicator = false) => WithToken(Store.AddInterpreter(name, adjudicator));

    public HttpClient WithToken(string token)
    {
        HttpClient client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
