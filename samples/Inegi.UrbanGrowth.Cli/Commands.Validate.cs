using System.CommandLine;
using System.Globalization;
using System.Net;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Inegi.UrbanGrowth.Cli;

/// <summary><c>urban validate serve | add-interpreter | export</c>: the photo-interpreters' app (docs/validation.md).</summary>
internal static class ValidateCommands
{
    public static Command Build()
    {
        var validate = new Command("validate", "The photo-interpreters' app: label the validation sample in a browser, then export the filled sample or a training sample.");
        validate.Subcommands.Add(Serve());
        validate.Subcommands.Add(AddInterpreter());
        validate.Subcommands.Add(Export());
        return validate;
    }

    private static Option<T> Opt<T>(string name, string description, bool required = false) => new(name) { Description = description, Required = required };

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Command Serve()
    {
        var sample = Opt<string>("--sample", "The sample CSV of 'urban validation-sample'.", required: true);
        var mosaics = Opt<string>("--mosaics", "One six-band mosaic per year: 2010=M1.tif,2020=M2.tif,...", required: true);
        var maps = Opt<string?>("--maps", "Class maps by year, each a mosaic year: 2010=map_2010.tif,... (shown with --unblind; exported as map_YEAR columns).");
        var db = Opt<string>("--db", "The labels database (SQLite; created when absent, resumed otherwise).", required: true);
        var port = Opt("--port", "Port (0: any free port).", 8080);
        var bind = Opt("--bind", "Address to listen on; anything but loopback exposes the app to the network (links still required).", "127.0.0.1");
        var year = Opt<int?>("--year", "The map's year: the answer for it is the reference label (default: the last mosaic year).");
        var share = Opt("--double-share", "Share of cells labelled by two interpreters, for the agreement.", 0.1);
        var unblind = Opt<bool>("--unblind", "Show the map's class and the stratum to interpreters (blind by default).");
        var cellSize = Opt("--cell-size", "Side of a sample cell in map units.", 1000.0);
        var bands = Opt<string?>("--bands", "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 in the mosaics, e.g. 2,3,4,5,6,7.");
        var seed = Opt("--seed", "Seed of the labelling order and of the double-labelled share.", 42L);
        var cmd = new Command("serve", "Serve the labelling pages and the JSON API until Ctrl+C.") { sample, mosaics, maps, db, port, bind, year, share, unblind, cellSize, bands, seed };
        cmd.SetAction(p => RunServer(new ValidationServerOptions
        {
            SamplePath = p.GetValue(sample)!,
            Mosaics = ParseMosaics(p.GetValue(mosaics)!),
            Maps = p.GetValue(maps) is { } m ? ParseMosaics(m, "--maps") : null,
            DatabasePath = p.GetValue(db)!,
            Port = p.GetValue(port),
            Bind = ParseAddress(p.GetValue(bind)!),
            ReferenceYear = p.GetValue(year),
            DoubleShare = p.GetValue(share),
            Blind = !p.GetValue(unblind),
            CellSize = p.GetValue(cellSize) is > 0 and var size ? size : throw new ArgumentException("--cell-size must be positive"),
            MosaicOptions = ParseBands(p.GetValue(bands)),
            Seed = p.GetValue(seed),
        }));
        return cmd;
    }

    private static Command AddInterpreter()
    {
        var name = new Argument<string>("NAME") { Description = "The interpreter's name." };
        var db = Opt<string>("--db", "The labels database (created when absent).", required: true);
        var url = Opt("--url", "The server's address as the interpreter will reach it.", "http://127.0.0.1:8080");
        var adjudicator = Opt<bool>("--adjudicator", "May settle disagreements in the adjudication queue.");
        var cmd = new Command("add-interpreter", "Add an interpreter and print their secret link (shown once).") { name, db, url, adjudicator };
        cmd.SetAction(p =>
        {
            string token = LabelStore.Open(p.GetValue(db)!).AddInterpreter(p.GetValue(name)!, p.GetValue(adjudicator));
            Console.WriteLine(ValidationServer.Link(p.GetValue(url)!, token));
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static Command Export()
    {
        var db = Opt<string>("--db", "The labels database.", required: true);
        var output = Opt<string>("--out", "The filled sample CSV (for 'urban validation-assess'), or with --training the sample.csv.", required: true);
        var training = Opt<bool>("--training", "Write the labelled cells as a training sample (cell_id,row,col,label).");
        var cmd = new Command("export", "Write the settled labels: the filled validation sample, or a training sample.") { db, output, training };
        cmd.SetAction(p =>
        {
            string path = p.GetValue(db)!;
            Commands.RequireFile(path);
            LabelStore store = LabelStore.Open(path);
            ExportSummary summary = p.GetValue(training)
                ? ValidationExport.WriteTrainingCsv(store, p.GetValue(output)!)
                : ValidationExport.WriteReferenceCsv(store, p.GetValue(output)!);
            Console.WriteLine(summary + "; " + p.GetValue(output));
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static int RunServer(ValidationServerOptions options)
    {
        Commands.RequireFile(options.SamplePath);
        WebApplication app = ValidationServer.Build(options);
        app.Start();
        Uri address = ValidationServer.Address(app);
        Console.WriteLine($"urban validate: serving {options.SamplePath} at {address} (Ctrl+C to stop)");
        Console.WriteLine($"  links: urban validate add-interpreter NAME --db {options.DatabasePath} --url {address.ToString().TrimEnd('/')}");
        if (!IPAddress.IsLoopback(options.Bind))
        {
            Console.Error.WriteLine($"urban validate: listening on {options.Bind}, reachable from the network: only interpreters' links open it, but the traffic is plain HTTP (put HTTPS in front).");
        }

        app.WaitForShutdown();
        return UrbanCli.Success;
    }

    internal static Dictionary<int, string> ParseMosaics(string text, string option = "--mosaics")
    {
        var result = new Dictionary<int, string>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(item[..eq], NumberStyles.None, CultureInfo.InvariantCulture, out int year) || year is < 1972 or > 2200 || eq == item.Length - 1)
            {
                throw new ArgumentException($"{option}: '{item}' is not YEAR=FILE");
            }

            if (!result.TryAdd(year, item[(eq + 1)..]))
            {
                throw new ArgumentException($"{option}: {year} is given twice");
            }

            Commands.RequireFile(result[year]);
        }

        return result.Count == 0 ? throw new ArgumentException($"{option}: give at least one YEAR=FILE") : result;
    }

    private static IPAddress ParseAddress(string text) =>
        text == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(text, out IPAddress? a) ? a
        : throw new ArgumentException($"--bind: '{text}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");

    private static MosaicOptions? ParseBands(string? bands)
    {
        if (bands is null)
        {
            return null;
        }

        int[] n = [.. bands.Split(',').Select(b => int.TryParse(b.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v : throw new ArgumentException($"--bands: '{b}' is not a band number"))];
        return n.Length == 6
            ? new MosaicOptions { BandOrder = BandOrder.FromBandNumbers(n[0], n[1], n[2], n[3], n[4], n[5]) }
            : throw new ArgumentException("--bands needs six band numbers: blue,green,red,nir,swir1,swir2");
    }
}
