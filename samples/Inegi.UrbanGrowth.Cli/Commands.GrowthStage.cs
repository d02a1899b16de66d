using System.CommandLine;
using System.Globalization;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Vectors;
using Inegi.UrbanGrowth.Demo;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>The <c>urban growth</c> command: its options and its action (logic in <see cref="GrowthStage"/>).</summary>
internal static class GrowthStageCommand
{
    public static Command Create()
    {
        var mosaics = new Option<string[]>("--mosaics") { Description = "One 6-band mosaic per year, oldest first.", Required = true, AllowMultipleArgumentsPerToken = true, Arity = new ArgumentArity(2, 64) };
        var years = new Option<string>("--years") { Description = "Their years, comma-separated, increasing.", Required = true };
        var grid = new Option<string>("--grid") { Description = "The 1 km grid with the census labels of one of the years (0 non-urban, 1 urban, 255 unlabelled).", Required = true };
        var census = new Option<int?>("--census-year") { Description = "The year of the grid's labels (default: the one year written in the grid file name, e.g. labels_2010.tif)." };
        var model = new Option<string?>("--model") { Description = "A model from 'urban train' (recommended): each year is classified with it (independent_<year>.tif, the post-classification baseline) and its p(urban) is the score the years are decided on together. Without it, a faster and weaker linear score of the cell mean spectra is used (docs/growth.md)." };
        var output = new Option<string>("--out") { Description = "The output folder (map_<year>.tif, first_year_urban.tif, growth_<first>_<last>.tif, urban_area.csv, alerts.gpkg, alerts.geojson, quick-look PNGs, report.md).", Required = true };
        var zones = new Option<string?>("--zones") { Description = "Zones for areas and alerts per zone: a raster on the grid (integer ids), or a .shp / .gpkg polygon layer with --zone-field (rasterised by cell centre into zones.tif)." };
        var zoneField = new Option<string?>("--zone-field") { Description = "The field of the vector zones that holds the integer zone id." };
        var bands = new Option<string?>("--bands") { Description = "File band numbers (1-based) of blue,green,red,nir,swir1,swir2 in the mosaics, e.g. 2,3,4,5,6,7." };
        var scale = new Option<string>("--scale") { Description = "Reflectance = DN * scale + offset: one value, or one per year comma-separated.", DefaultValueFactory = _ => "0.0001" };
        var offset = new Option<string>("--offset") { Description = "Reflectance offset: one value, or one per year.", DefaultValueFactory = _ => "0" };
        var margin = new Option<double>("--margin") { Description = "Noise spreads a cell's score change must exceed to count as growth (docs/growth.md).", DefaultValueFactory = _ => AnchoredGrowthRule.DefaultMargin };
        var keepScores = new Option<bool>("--keep-scores") { Description = "Also keep the yearly built-up score rasters (score_<year>.tif, Float32 log-odds)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (-1: all cores; results do not depend on it).", DefaultValueFactory = _ => -1 };
        var cmd = new Command("growth", "Consistent yearly urban maps, first year urban, growth and urban area with intervals, from yearly mosaics and one census year's labels.")
        {
            mosaics, years, grid, census, model, output, zones, zoneField, bands, scale, offset, margin, keepScores, threads,
        };
        cmd.SetAction(p => Run(p.GetValue(mosaics)!, UrbanCli.ParseYears(p.GetValue(years)!), p.GetValue(grid)!, p.GetValue(census), p.GetValue(model),
            p.GetValue(output)!, p.GetValue(zones), p.GetValue(zoneField), p.GetValue(bands), p.GetValue(scale)!, p.GetValue(offset)!, p.GetValue(margin), p.GetValue(keepScores), p.GetValue(threads)));
        return cmd;
    }

    private static int Run(string[] mosaics, int[] years, string grid, int? census, string? modelPath, string output, string? zones, string? zoneField, string? bands,
        string scale, string offset, double margin, bool keepScores, int threads)
    {
        if (mosaics.Length != years.Length)
        {
            throw new ArgumentException($"--years lists {years.Length} years for {mosaics.Length} mosaics");
        }

        if (threads is 0 or < -1)
        {
            throw new ArgumentException("--threads must be -1 (all cores) or a positive number of threads");
        }

        if (!double.IsFinite(margin))
        {
            throw new ArgumentException("--margin must be a number");
        }

        foreach (string m in mosaics)
        {
            Commands.RequireFile(m);
        }

        Commands.RequireFile(grid);
        IReadOnlyList<(float Scale, float Offset)> reflectance = GrowthOptions.ParseReflectance(scale, offset, years.Length);
        // Every file the stage, the pictures and the alerts write, checked against the inputs before any work starts.
        IReadOnlyList<string> outputs = GrowthProducts.OutputFiles(years, output);
        string?[] inputs = [.. mosaics, grid, zones, modelPath];
        OutputPaths.Prepare(inputs, outputs);

        if (zones is null && zoneField is not null)
        {
            throw new ArgumentException("--zone-field needs --zones");
        }

        if (zones is not null && ZoneSources.IsVector(zones) && zoneField is null)
        {
            throw new ArgumentException($"--zones {zones} is a vector layer: name its zone id field with --zone-field");
        }

        UrbanModel? model = modelPath is null ? null : UrbanModel.Load(modelPath);
        string? zoneRaster = zones is not null && ZoneSources.IsVector(zones) ? GrowthProducts.RasteriseZones(zones, zoneField!, grid, output) : zones;
        var result = GrowthStage.Run(new GrowthOptions
        {
            Mosaics = [.. mosaics.Select(m => (Func<Mosaic>)(() => Commands.OpenMosaic([m], bands)))],
            Years = years,
            Grid = grid,
            CensusYear = census,
            OutputFolder = output,
            Zones = zoneRaster,
            Reflectance = reflectance,
            Margin = margin,
            Model = model,
            MaxDegreeOfParallelism = threads,
            KeepScores = keepScores,
        }, Console.Out);
        foreach (UrbanAreaEstimate.Row row in result.Areas.Rows().Where(r => r.Zone == "all"))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Year}: {row.MappedKm2,10:N1} km2 mapped urban, expected {row.ExpectedKm2:N1} (95% {row.LowKm2:N1} - {row.HighKm2:N1})"));
        }

        // The same calls as the merge of 'urban plan growth' (GrowthStep), so both write the same bytes.
        GrowthAlertSummary alerts = GrowthProducts.Write(result, zoneRaster, inputs.OfType<string>());
        Console.WriteLine(alerts.ToString());
        ChangeStatistics n = result.Change.National;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"growth {years[0]} -> {years[^1]}: {n.NewUrban:N0} new urban cells, {n.UrbanLost:N0} lost; report: {result.Report}"));
        return UrbanCli.Success;
    }
}
