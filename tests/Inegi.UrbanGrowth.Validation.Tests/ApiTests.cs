using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Inegi.UrbanGrowth.Accuracy;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>The JSON API on the in-memory test server, with the real sample, mosaics and SQLite database.</summary>
public sealed class ApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_request_needs_an_interpreters_token()
    {
        using Scene scene = Scene.Create();
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient anonymous = server.Anonymous();
        foreach (string path in (string[])["/", "/agreement", "/assets/label.js", "/api/next", "/api/progress", "/api/chips/0/2010/true"])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.WithToken("not-a-token").GetAsync("/api/next", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/?token=nope", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_link_sets_an_http_only_cookie_and_drops_the_token_from_the_address()
    {
        using Scene scene = Scene.Create();
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        string token = server.Store.AddInterpreter("ana");
        HttpResponseMessage r = await server.Anonymous().GetAsync(ValidationServer.Link("http://localhost", token), Ct);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location?.ToString());
        string cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        HttpResponseMessage html = await server.Anonymous().SendAsync(page, Ct);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("<script src=\"/assets/label.js\"", await html.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_hands_out_every_cell_blind_then_204()
    {
        using Scene scene = Scene.Create(12);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options(doubleShare: 0));
        HttpClient ana = server.Interpreter("ana");
        var seen = new List<long>();
        for (int i = 0; i < 100; i++)
        {
            HttpResponseMessage r = await ana.GetAsync("/api/next", Ct);
            if (r.StatusCode == HttpStatusCode.NoContent)
            {
                break;
            }

            using JsonDocument cell = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct));
            JsonElement e = cell.RootElement;
            long id = e.GetProperty("cellId").GetInt64();
            Assert.False(e.TryGetProperty("mapClass", out _), "blind by default: the map's class is hidden");
            Assert.False(e.TryGetProperty("stratum", out _));
            Assert.Equal([2010, 2020], e.GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
            Assert.Equal(2020, e.GetProperty("referenceYear").GetInt32());
            // Asked again before answering: the same cell (a reload does not skip it).
            using JsonDocument again = JsonDocument.Parse(await ana.GetStringAsync("/api/next", Ct));
            Assert.Equal(id, again.RootElement.GetProperty("cellId").GetInt64());
            (await ana.PostAsJsonAsync("/api/labels", new { cellId = id, label = (int)(id % 2) }, Ct)).EnsureSuccessStatusCode();
            seen.Add(id);
        }

        Assert.Equal(scene.Cells.Select(c => c.CellId).Order(), seen.Order());
        Assert.NotEqual(scene.Cells.Select(c => c.CellId), seen); // shuffled, not in file order (strata mixed)
        Assert.Equal(seen, server.Store.History(server.Store.Interpreters().Single()));
    }

    [Fact]
    public async Task Unblinded_cells_show_the_map_class()
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options(blind: false));
        using JsonDocument cell = JsonDocument.Parse(await server.Interpreter("ana").GetStringAsync("/api/next", Ct));
        long id = cell.RootElement.GetProperty("cellId").GetInt64();
        Assert.Equal(scene.Cells.Single(c => c.CellId == id).MapClass, cell.RootElement.GetProperty("mapClass").GetInt32());
    }

    [Theory]
    [InlineData("""{"cellId": 0, "label": 2}""", "label must be")]
    [InlineData("""{"cellId": 0}""", "label must be")]
    [InlineData("""{"cellId": 999, "label": 1}""", "not in the sample")]
    [InlineData("""{"cellId": "0", "label": 1}""", "cellId must be an integer")]
    [InlineData("""{"cellId": 0, "label": 1, "path": "/etc/passwd"}""", "unknown field 'path'")]
    [InlineData("""{"cellId": 0, "label": 1, "years": {"2015": 1}}""", "not one of the mosaic years")]
    [InlineData("""{"cellId": 0, "label": 1, "years": {"2020": 0}}""", "differs from the answer")]
    [InlineData("""{"cellId": 0, "label": 0, "firstYearUrban": 2010}""", "means label 1")]
    [InlineData("""{"cellId": 0, "label": 1, "firstYearUrban": 2020, "years": {"2010": 1}}""", "contradicts")]
    [InlineData("""{"cellId": 0, "label": 1, "firstYearUrban": 1999}""", "firstYearUrban must be")]
    [InlineData("""{"cellId": 0, "label": 1, "confidence": 4}""", "confidence must be")]
    [InlineData("""{"cellId": 0, "label": 1, "confidence": "high"}""", "confidence must be")]
    [InlineData("""{"cellId": 0, "label": 1, "firstYearUrban": "2010"}""", "firstYearUrban must be")]
    [InlineData("""{"cellId": 0, "label": 1, "comment": 7}""", "comment must be")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"cellId": 0, "label": 1""", "not JSON")]
    public async Task Invalid_answers_are_refused_with_a_reason_and_not_saved(string body, string reason)
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpResponseMessage r = await server.Interpreter("ana").PostAsync("/api/labels", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct));
        Assert.Contains(reason, error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(server.Store.AllLabels());
    }

    [Fact]
    public async Task Answers_must_be_json_and_small()
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient ana = server.Interpreter("ana");
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["cellId"] = "0", ["label"] = "1" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ana.PostAsync("/api/labels", form, Ct)).StatusCode);
        string huge = JsonSerializer.Serialize(new { cellId = 0, label = 1, comment = new string('x', 3000) });
        Assert.Equal(HttpStatusCode.BadRequest, (await ana.PostAsync("/api/labels", new StringContent(huge, Encoding.UTF8, "application/json"), Ct)).StatusCode);
        Assert.Empty(server.Store.AllLabels());
    }

    [Fact]
    public async Task A_full_answer_is_stored_and_read_back_and_can_be_revised()
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient ana = server.Interpreter("ana");
        var answer = new { cellId = 20, label = 1, years = new Dictionary<string, int> { ["2010"] = 0, ["2020"] = 1 }, firstYearUrban = 2020, confidence = 3, comment = "new roofs east of the road" };
        (await ana.PostAsJsonAsync("/api/labels", answer, Ct)).EnsureSuccessStatusCode();
        using JsonDocument cell = JsonDocument.Parse(await ana.GetStringAsync("/api/cells/20", Ct));
        JsonElement a = cell.RootElement.GetProperty("answer");
        Assert.Equal(1, a.GetProperty("label").GetInt32());
        Assert.Equal(0, a.GetProperty("years").GetProperty("2010").GetInt32());
        Assert.Equal(2020, a.GetProperty("firstYearUrban").GetInt32());
        Assert.Equal(3, a.GetProperty("confidence").GetInt32());
        Assert.Equal("new roofs east of the road", a.GetProperty("comment").GetString());

        (await ana.PostAsJsonAsync("/api/labels", new { cellId = 20, label = 255 }, Ct)).EnsureSuccessStatusCode();
        LabelAnswer stored = Assert.Single(server.Store.AllLabels()).Answer;
        Assert.Equal(255, stored.Label);
        Assert.Null(stored.FirstYearUrban);
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync("/api/cells/123456", Ct)).StatusCode);
    }

    [Fact]
    public async Task Progress_counts_cells_per_stratum()
    {
        using Scene scene = Scene.Create(20);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options(doubleShare: 0));
        HttpClient ana = server.Interpreter("ana");
        var urban = scene.Cells.Where(c => c.Stratum == 1).Take(3).ToList();
        foreach (SampleCell c in urban)
        {
            (await ana.PostAsJsonAsync("/api/labels", new { cellId = c.CellId, label = 1 }, Ct)).EnsureSuccessStatusCode();
        }

        using JsonDocument p = JsonDocument.Parse(await ana.GetStringAsync("/api/progress", Ct));
        Assert.Equal(3, p.RootElement.GetProperty("done").GetInt32());
        Assert.Equal(3, p.RootElement.GetProperty("mine").GetInt32());
        Assert.Equal(20, p.RootElement.GetProperty("total").GetInt32());
        var strata = p.RootElement.GetProperty("strata").EnumerateArray().ToDictionary(s => s.GetProperty("stratum").GetInt32(), s => (s.GetProperty("done").GetInt32(), s.GetProperty("total").GetInt32()));
        Assert.Equal((0, scene.Cells.Count(c => c.Stratum == 0)), strata[0]);
        Assert.Equal((3, scene.Cells.Count(c => c.Stratum == 1)), strata[1]);
    }

    [Fact]
    public async Task Two_interpreters_at_once_share_the_work_and_both_label_the_double_share()
    {
        using Scene scene = Scene.Create(40);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options(doubleShare: 0.25));
        HttpClient ana = server.Interpreter("ana"), ben = server.Interpreter("ben");

        async Task<List<long>> Work(HttpClient client, int label)
        {
            var done = new List<long>();
            while (true)
            {
                HttpResponseMessage r = await client.GetAsync("/api/next", Ct);
                if (r.StatusCode == HttpStatusCode.NoContent)
                {
                    return done;
                }

                using JsonDocument cell = JsonDocument.Parse(await r.Content.ReadAsStringAsync(Ct));
                long id = cell.RootElement.GetProperty("cellId").GetInt64();
                (await client.PostAsJsonAsync("/api/labels", new { cellId = id, label = id % 3 == 0 ? label : 1 }, Ct)).EnsureSuccessStatusCode();
                done.Add(id);
            }
        }

        List<long>[] work = await Task.WhenAll(Task.Run(() => Work(ana, 0), Ct), Task.Run(() => Work(ben, 255), Ct));
        var required = server.Store.Cells().ToDictionary(c => c.Cell.CellId, c => c.Required);
        int doubles = required.Values.Count(r => r == 2);
        Assert.InRange(doubles, 4, 18); // 25 % of 40, drawn by hash
        Assert.Equal(work[0].Count, work[0].Distinct().Count());
        var answers = server.Store.AllLabels().GroupBy(l => l.Answer.CellId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(required.Keys.Order(), answers.Keys.Order());
        foreach (var (cell, n) in required)
        {
            Assert.Equal(n, answers[cell]); // single cells once (not twice), double cells by both
        }

        Assert.True(work[0].Count > 5 && work[1].Count > 5, $"both worked: {work[0].Count} and {work[1].Count}");
        Assert.Equal(40 + doubles, work[0].Count + work[1].Count);
    }

    [Fact]
    public async Task Kappa_page_and_adjudication_queue()
    {
        using Scene scene = Scene.Create(10);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options(doubleShare: 1));
        HttpClient ana = server.Interpreter("ana"), ben = server.Interpreter("ben"), chief = server.Interpreter("chief", adjudicator: true);
        byte[] a = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0], b = [1, 0, 0, 0, 1, 0, 1, 1, 1, 0];
        for (int i = 0; i < 10; i++)
        {
            long id = scene.Cells[i].CellId;
            (await ana.PostAsJsonAsync("/api/labels", new { cellId = id, label = (int)a[i] }, Ct)).EnsureSuccessStatusCode();
            (await ben.PostAsJsonAsync("/api/labels", new { cellId = id, label = (int)b[i] }, Ct)).EnsureSuccessStatusCode();
        }

        using JsonDocument agreement = JsonDocument.Parse(await chief.GetStringAsync("/api/agreement", Ct));
        JsonElement pair = agreement.RootElement.GetProperty("pairs").EnumerateArray().Single();
        Assert.Equal(("ana", "ben", 10, 8), (pair.GetProperty("first").GetString(), pair.GetProperty("second").GetString(), pair.GetProperty("cells").GetInt32(), pair.GetProperty("agreed").GetInt32()));
        Assert.Equal(0.6, pair.GetProperty("kappa").GetDouble(), 1e-12); // p_o 0.8, p_e 0.5
        Assert.Equal(2, agreement.RootElement.GetProperty("queue").GetInt32());
        Assert.Contains("Adjudication queue", await chief.GetStringAsync("/agreement", Ct), StringComparison.Ordinal);

        using JsonDocument queue = JsonDocument.Parse(await chief.GetStringAsync("/api/adjudications", Ct));
        long[] disputed = [.. queue.RootElement.EnumerateArray().Select(d => d.GetProperty("cellId").GetInt64())];
        Assert.Equal([scene.Cells[1].CellId, scene.Cells[8].CellId], disputed.Order());
        Assert.Equal(HttpStatusCode.Forbidden, (await ana.PostAsJsonAsync("/api/adjudications", new { cellId = disputed[0], label = 1 }, Ct)).StatusCode);
        (await chief.PostAsJsonAsync("/api/adjudications", new { cellId = scene.Cells[1].CellId, label = 1, comment = "dense roofs" }, Ct)).EnsureSuccessStatusCode();
        using JsonDocument after = JsonDocument.Parse(await chief.GetStringAsync("/api/adjudications", Ct));
        Assert.Equal(scene.Cells[8].CellId, after.RootElement.EnumerateArray().Single().GetProperty("cellId").GetInt64());

        string filled = scene.Dir.File("filled.csv");
        ExportSummary summary = ValidationExport.WriteReferenceCsv(server.Store, filled);
        Assert.Equal(new ExportSummary(9, 0, 1, 0), summary);
        var reference = SampleFiles.ReadReferenceCsv(filled).ToDictionary(r => r.CellId, r => r.Reference);
        Assert.Equal(1, reference[scene.Cells[1].CellId]); // the adjudication wins
        Assert.False(reference.ContainsKey(scene.Cells[8].CellId)); // still disputed
    }

    [Fact]
    public async Task Pages_and_scripts_come_from_the_assembly_and_nothing_else()
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient ana = server.Interpreter("ana");
        foreach (string name in (string[])["label.js", "common.js", "agreement.js", "app.css"])
        {
            HttpResponseMessage r = await ana.GetAsync("/assets/" + name, Ct);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.DoesNotContain("http://", await r.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal); // nothing fetched from elsewhere
            Assert.DoesNotContain("https://", await r.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        foreach (string path in (string[])["/assets/..%2F..%2Fsample.csv", "/assets/%2Fetc%2Fpasswd", "/assets/Inegi.UrbanGrowth.Validation.dll", "/labels.db", "/api/chips/0/2010/..%2Fx"])
        {
            HttpStatusCode status = (await ana.GetAsync(path, Ct)).StatusCode;
            Assert.True(status == HttpStatusCode.NotFound, $"{path}: {status}");
        }
    }
}
