using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>The endpoints of the app (docs/validation.md).</summary>
internal sealed class ValidationApi(LabelStore store, ChipRenderer chips, LabellingPlan plan, bool blind)
{
    private const string InterpreterKey = "interpreter";
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, byte[]> _assets = ValidationServer.ResourceNames().ToDictionary(n => n, n => ValidationServer.Resource(n)!, StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        app.Use(Authenticate);
        app.MapGet("/", () => Asset("label.html"));
        app.MapGet("/agreement", () => Asset("agreement.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/api/me", (HttpContext h) => Results.Json(new
        {
            name = Me(h).Name,
            adjudicator = Me(h).IsAdjudicator,
            years = plan.Years,
            referenceYear = plan.ReferenceYear,
            blind,
        }));
        app.MapGet("/api/next", (HttpContext h) => store.Next(Me(h)) is { } cell ? Results.Json(CellJson(cell, Me(h))) : Results.NoContent());
        app.MapGet("/api/cells/{cellId:long}", (HttpContext h, long cellId) =>
            store.Cell(cellId) is { } cell ? Results.Json(CellJson(cell, Me(h))) : Error(404, $"cell {cellId} is not in the sample"));
        app.MapGet("/api/history", (HttpContext h) => Results.Json(new { cellIds = store.History(Me(h)) }));
        app.MapPost("/api/labels", (Func<HttpContext, Task<IResult>>)PostLabel);
        app.MapGet("/api/progress", (HttpContext h) => Results.Json(Progress(Me(h))));
        app.MapGet("/api/chips/{cellId:long}/{year:int}/{kind}", Chip);
        app.MapGet("/api/agreement", () => Results.Json(new
        {
            pairs = Agreement.Pairs(store).Select(p => new
            {
                first = p.First,
                second = p.Second,
                cells = p.Cells,
                agreed = p.Agreed,
                kappa = double.IsFinite(p.Kappa) ? Math.Round(p.Kappa, 4) : (double?)null,
            }),
            queue = Agreement.Queue(store).Count,
        }));
        app.MapGet("/api/adjudications", () => Results.Json(Agreement.Queue(store).Select(d => new
        {
            cellId = d.CellId,
            answers = d.Answers.Select(a => new { interpreter = a.Interpreter, label = a.Answer.Label, confidence = a.Answer.Confidence, comment = a.Answer.Comment }),
        })));
        app.MapPost("/api/adjudications", (Func<HttpContext, Task<IResult>>)PostAdjudication);
    }

    private async Task Authenticate(HttpContext h, Func<Task> next)
    {
        h.Response.Headers["X-Content-Type-Options"] = "nosniff";
        h.Response.Headers["Referrer-Policy"] = "no-referrer";
        h.Response.Headers["X-Frame-Options"] = "DENY";
        h.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
        string? bearer = h.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..].Trim() : null;
        string? link = h.Request.Path == "/" ? h.Request.Query["token"].ToString() : null;
        string? token = bearer ?? (string.IsNullOrEmpty(link) ? h.Request.Cookies[ValidationServer.SessionCookie] : link);
        Interpreter? who = store.FindInterpreter(token);
        if (who is null)
        {
            h.Response.StatusCode = 401;
            if (h.Request.Path.StartsWithSegments("/api"))
            {
                await h.Response.WriteAsJsonAsync(new { error = "unknown or missing token: send Authorization: Bearer TOKEN" }).ConfigureAwait(false);
            }
            else
            {
                h.Response.ContentType = "text/plain; charset=utf-8";
                await h.Response.WriteAsync("Open the link you were given (it ends with ?token=...). Ask the coordinator for one: urban validate add-interpreter NAME\n").ConfigureAwait(false);
            }

            return;
        }

        if (!string.IsNullOrEmpty(link))
        {
            // Keep the token out of the address bar, the history and Referer headers: a cookie carries it from now on.
            h.Response.Cookies.Append(ValidationServer.SessionCookie, link, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = h.Request.IsHttps,
                Path = "/",
                MaxAge = TimeSpan.FromDays(90),
            });
            h.Response.Redirect("/");
            return;
        }

        h.Items[InterpreterKey] = who;
        await next().ConfigureAwait(false);
    }

    private static Interpreter Me(HttpContext h) => (Interpreter)h.Items[InterpreterKey]!;

    private IResult Asset(string name) =>
        _assets.TryGetValue(name, out byte[]? bytes) && ContentTypes.TryGetValue(Path.GetExtension(name), out string? type)
            ? Results.Bytes(bytes, type)
            : Error(404, "no such page");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private Dictionary<string, object?> CellJson(ValidationCell cell, Interpreter me)
    {
        LabelAnswer? answer = store.Label(me, cell.CellId);
        string id = cell.CellId.ToString(CultureInfo.InvariantCulture);
        var json = new Dictionary<string, object?>
        {
            ["cellId"] = cell.CellId,
            ["row"] = cell.Row,
            ["col"] = cell.Column,
            ["x"] = cell.CentreX,
            ["y"] = cell.CentreY,
            ["years"] = plan.Years,
            ["referenceYear"] = plan.ReferenceYear,
            ["chips"] = plan.Years.Select(y => new
            {
                year = y,
                trueColor = $"/api/chips/{id}/{y.ToString(CultureInfo.InvariantCulture)}/true",
                falseColor = $"/api/chips/{id}/{y.ToString(CultureInfo.InvariantCulture)}/false",
            }),
            ["answer"] = answer is null ? null : AnswerJson(answer),
        };
        if (!blind)
        {
            json["stratum"] = cell.Stratum;
            json["mapClass"] = cell.MapClass;
            if (store.MapClasses(cell.CellId) is { Count: > 0 } maps)
            {
                json["mapClasses"] = maps.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => (int)kv.Value);
            }
        }

        return json;
    }

    private static object AnswerJson(LabelAnswer a) => new
    {
        label = a.Label,
        years = a.Years.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        firstYearUrban = a.FirstYearUrban,
        confidence = a.Confidence,
        comment = a.Comment,
    };

    private IResult Chip(long cellId, int year, string kind)
    {
        ChipKind? k = kind switch { "true" => ChipKind.TrueColor, "false" => ChipKind.FalseColor, _ => null };
        if (k is null)
        {
            return Error(404, "chip kind is 'true' or 'false'");
        }

        if (!plan.Years.Contains(year))
        {
            return Error(404, $"no mosaic for {year}");
        }

        if (store.Cell(cellId) is not { } cell)
        {
            return Error(404, $"cell {cellId} is not in the sample");
        }

        byte[] png = chips.Render(cellId, cell.CentreX, cell.CentreY, year, k.Value);
        return Results.File(png, "image/png");
    }

    private async Task<IResult> PostLabel(HttpContext h)
    {
        var (body, problem) = await ReadBody(h).ConfigureAwait(false);
        if (body is null)
        {
            return Error(problem!.Value.Status, problem.Value.Message);
        }

        using (body)
        {
            var (answer, error) = LabelValidation.Parse(body.RootElement, plan, id => store.Cell(id) is not null);
            if (answer is null)
            {
                return Error(400, error!);
            }

            store.SaveLabel(Me(h), answer);
            return Results.Json(new { saved = true, cellId = answer.CellId });
        }
    }

    private async Task<IResult> PostAdjudication(HttpContext h)
    {
        if (!Me(h).IsAdjudicator)
        {
            return Error(403, "only adjudicators settle disagreements (urban validate add-interpreter NAME --adjudicator)");
        }

        var (body, problem) = await ReadBody(h).ConfigureAwait(false);
        if (body is null)
        {
            return Error(problem!.Value.Status, problem.Value.Message);
        }

        using (body)
        {
            var (answer, error) = LabelValidation.Parse(body.RootElement, plan, id => store.Cell(id) is not null, adjudication: true);
            if (answer is null)
            {
                return Error(400, error!);
            }

            store.Adjudicate(Me(h), answer.CellId, answer.Label, answer.Comment);
            return Results.Json(new { saved = true, cellId = answer.CellId });
        }
    }

    private static async Task<(JsonDocument? Body, (int Status, string Message)? Problem)> ReadBody(HttpContext h)
    {
        // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
        if (!(h.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, (415, "send the answer as application/json"));
        }

        try
        {
            return (await JsonDocument.ParseAsync(h.Request.Body, default, h.RequestAborted).ConfigureAwait(false), null);
        }
        catch (JsonException e)
        {
            return (null, (400, "the body is not JSON: " + e.Message));
        }
        catch (BadHttpRequestException e)
        {
            return (null, (e.StatusCode, e.Message));
        }
    }

    private object Progress(Interpreter me)
    {
        var cells = store.Cells();
        var references = ValidationExport.References(store);
        var answers = store.AllLabels();
        var counts = answers.GroupBy(a => a.Answer.CellId).ToDictionary(g => g.Key, g => g.Count());
        var settled = store.Adjudications();
        bool Done((ValidationCell Cell, int Required) c) =>
            settled.ContainsKey(c.Cell.CellId) || (counts.TryGetValue(c.Cell.CellId, out int n) && n >= c.Required);
        return new
        {
            interpreter = me.Name,
            mine = answers.Count(a => a.InterpreterId == me.Id),
            done = cells.Count(Done),
            total = cells.Count,
            answers = answers.Count,
            settled = references.Values.Count(v => v is not null),
            strata = cells.GroupBy(c => c.Cell.Stratum).OrderBy(g => g.Key).Select(g => new { stratum = g.Key, done = g.Count(Done), total = g.Count() }),
        };
    }
}
