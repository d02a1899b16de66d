using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Inegi.UrbanGrowth.Accuracy;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>The real <c>urban validate</c> commands in child processes: crash safety, the CLI flow, bad input.</summary>
public sealed class ProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill_9_mid_session_loses_no_acknowledged_label()
    {
        using Scene scene = Scene.Create(40);
        string token = Urban.AddInterpreter(scene.DatabasePath, "ana");
        var acknowledged = new List<long>();
        int Count()
        {
            lock (acknowledged)
            {
                return acknowledged.Count;
            }
        }

        using (ServerProcess server = ServerProcess.Start(scene, "--double-share", "0"))
        {
            using HttpClient client = Client(server.Address, token);
            // Answers stream in from four clients at once; the server is killed while some are in flight.
            using var stop = new CancellationTokenSource();
            async Task Worker(int w)
            {
                for (int k = 0; !stop.IsCancellationRequested; k++)
                {
                    // Only the first 30 cells: the last 10 stay unanswered for the resumed session.
                    long id = scene.Cells[((w * 10) + k) % 30].CellId;
                    try
                    {
                        HttpResponseMessage r = await client.PostAsJsonAsync("/api/labels", new { cellId = id, label = 1, comment = $"worker {w}" }, stop.Token);
                        if (r.StatusCode == HttpStatusCode.OK)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add(id);
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return; // the server is gone: this answer was never acknowledged
                    }
                }
            }

            Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() => Worker(w), Ct))];
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Count() < 25 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5, Ct);
            }

            server.Kill();
            stop.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(workers);
        }

        Assert.True(acknowledged.Count >= 25, $"only {acknowledged.Count} answers acknowledged before the kill");
        using (ServerProcess restarted = ServerProcess.Start(scene, "--double-share", "0"))
        {
            using HttpClient client = Client(restarted.Address, token);
            using JsonDocument history = JsonDocument.Parse(await client.GetStringAsync("/api/history", Ct));
            var saved = history.RootElement.GetProperty("cellIds").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
            foreach (long id in acknowledged.Distinct())
            {
                Assert.Contains(id, saved);
            }
            // The session goes on where it stopped: the next cell is one not answered yet.
            using JsonDocument next = JsonDocument.Parse(await client.GetStringAsync("/api/next", Ct));
            Assert.DoesNotContain(next.RootElement.GetProperty("cellId").GetInt64(), saved);
        }
    }

    [Fact]
    public async Task Sample_serve_label_export_assess_with_the_real_commands()
    {
        using Scene scene = Scene.Create(1);
        string sample = scene.Dir.File("validation.csv");
        var (code, _, err) = Urban.Run("validation-sample", "--map", scene.MapPath, "--out", sample, "--min-per-stratum", "8", "--target-se", "0.2");
        Assert.True(code == 0, err);
        File.Copy(sample, scene.SamplePath, overwrite: true);
        int cells = ValidationCell.ReadCsv(scene.SamplePath).Count;
        string token = Urban.AddInterpreter(scene.DatabasePath, "ana");
        using (ServerProcess server = ServerProcess.Start(scene, "--double-share", "0"))
        {
            using HttpClient client = Client(server.Address, token);
            for (int i = 0; ; i++)
            {
                HttpResponseMessage r = await client.GetAsync("/api/next", Ct);
                if (r.StatusCode == HttpStatusCode.NoContent)
                {
                    Assert.Equal(cells, i);
                    break;
                }

                using JsonDocument cell = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct));
                long id = cell.RootElement.GetProperty("cellId").GetInt64();
                // The interpreter agrees with the map except on every third cell; one cell cannot be told.
                int label = i == 0 ? 255 : (id % 9 < 5 ? 1 : 0) ^ (i % 3 == 0 ? 1 : 0);
                (await client.PostAsJsonAsync("/api/labels", new { cellId = id, label }, Ct)).EnsureSuccessStatusCode();
            }
        }

        string filled = scene.Dir.File("filled.csv"), training = scene.Dir.File("training.csv");
        (code, string summary, err) = Urban.Run("validate", "export", "--db", scene.DatabasePath, "--out", filled);
        Assert.True(code == 0, err);
        Assert.Contains($"{cells - 1} cells written; left out: 1 cannot tell", summary, StringComparison.Ordinal);
        (code, _, err) = Urban.Run("validate", "export", "--db", scene.DatabasePath, "--out", training, "--training");
        Assert.True(code == 0, err);
        string[] lines = File.ReadAllLines(training);
        Assert.Equal(ValidationExport.TrainingHeader, lines[0]);
        Assert.Equal(cells - 1, lines.Length - 1);

        // The filled sample is the one validation-assess reads, as it is.
        Assert.Equal(File.ReadAllLines(sample)[0], File.ReadAllLines(filled)[0]);
        Assert.Equal(cells - 1, SampleFiles.ReadReferenceCsv(filled).Count);
        (code, string assessment, err) = Urban.Run("validation-assess", "--map", scene.MapPath, "--sample", filled);
        Assert.True(code == 0, err);
        Assert.Contains("urban", assessment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mosaics", "2010", "is not YEAR=FILE", 2)]
    [InlineData("--mosaics", "2010=/nonexistent/m.tif", "/nonexistent/m.tif: file not found", 1)]
    [InlineData("--bind", "example.org", "--bind", 2)]
    [InlineData("--double-share", "1.5", "--double-share", 2)]
    [InlineData("--year", "2015", "--year 2015 is not one of the mosaic years", 2)]
    [InlineData("--maps", "2015=/nonexistent/map.tif", "/nonexistent/map.tif: file not found", 1)]
    [InlineData("--maps", "2010", "--maps: '2010' is not YEAR=FILE", 2)]
    public void Bad_serve_arguments_fail_with_one_line(string option, string value, string message, int exitCode)
    {
        using Scene scene = Scene.Create(4);
        var args = new List<string> { "validate", "serve", "--sample", scene.SamplePath, "--mosaics", scene.MosaicsArgument, "--db", scene.DatabasePath, "--port", "0" };
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, _, err) = Urban.Run([.. args]);
        Assert.Equal(exitCode, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Export_of_an_empty_database_and_a_duplicate_interpreter_fail_cleanly()
    {
        using Scene scene = Scene.Create(4);
        Urban.AddInterpreter(scene.DatabasePath, "ana");
        var (code, _, err) = Urban.Run("validate", "add-interpreter", "ana", "--db", scene.DatabasePath);
        Assert.Equal(2, code);
        Assert.Contains("an interpreter named 'ana' exists already", err, StringComparison.Ordinal);
        string output = scene.Dir.File("filled.csv");
        (code, _, err) = Urban.Run("validate", "export", "--db", scene.DatabasePath, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("holds no sample yet", err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
