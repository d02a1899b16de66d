using System.CommandLine;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Vectors;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>The vector commands: <c>urban alerts</c> (growth alerts as GeoPackage / GeoJSON) and <c>urban grid</c> (a vector layer burnt into a label grid).</summary>
internal static class VectorCommands
{
    /// <summary>Adds the vector commands to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(AlertsCommand());
        root.Subcommands.Add(GridCommand());
    }

    public static int Alerts(string growth, string firstYear, string confidence, string? zones, string? zoneField, string output, string? geoJson)
    {
        using GeoTiffReader grid = GeoTiffReader.Open(growth);
        using IZoneRowSource? zoneRows = zones is null ? null : ZoneSources.Open(zones, zoneField, grid.Info);
        if (zones is null && zoneField is not null)
        {
            throw new ArgumentException("--zone-field needs --zones");
        }

        GrowthAlertSummary summary = GrowthAlerts.Write(growth, firstYear, confidence, zoneRows, output, geoJson);
        Console.WriteLine(summary.ToString());
        return UrbanCli.Success;
    }

    public static int Grid(string from, string field, string like, string output)
    {
        LabelBurnSummary summary = VectorLabels.Burn(from, field, like, output);
        Console.WriteLine(summary.ToString());
        return UrbanCli.Success;
    }

    private static Command AlertsCommand()
    {
        var growth = Required("--growth", "The growth raster (SPEC 7 codes; 2 = new urban), e.g. from 'urban change'.");
        var firstYear = Required("--first-year", "The first-urban-year raster (UInt16: year, 0 never, 65535 nodata), e.g. from 'urban series'.");
        var confidence = Required("--confidence", "p(urban) / confidence (Byte 0..100, 255 nodata): a single band, or a map whose band 2 is p(urban).");
        var zones = new Option<string?>("--zones") { Description = "Zones: a raster on the grid, or a .shp / .gpkg polygon layer with --zone-field (rasterised by cell centre)." };
        var zoneField = new Option<string?>("--zone-field") { Description = "The field of the vector zones that holds the integer zone id." };
        var output = Required("--out", "The GeoPackage of alerts (layer growth_alerts, in the grid's CRS).");
        var geoJson = new Option<string?>("--geojson") { Description = "Also write the alerts as RFC 7946 GeoJSON (EPSG:4326, longitude/latitude)." };
        var cmd = new Command("alerts", "Growth alerts: new-urban cells merged into polygons (8-connected), with first year, area, confidence, zone and rank.")
        {
            growth, firstYear, confidence, zones, zoneField, output, geoJson,
        };
        cmd.SetAction(p => Alerts(p.GetValue(growth)!, p.GetValue(firstYear)!, p.GetValue(confidence)!, p.GetValue(zones), p.GetValue(zoneField), p.GetValue(output)!, p.GetValue(geoJson)));
        return cmd;
    }

    private static Command GridCommand()
    {
        var from = Required("--from", "A .shp or .gpkg layer of labelled polygons (burnt by cell centre) or points (burnt into their cell).");
        var field = Required("--field", "The field holding the label (whole numbers 0..254).");
        var like = Required("--like", "A raster whose grid (size, geotransform, CRS) the labels take, e.g. the 1 km grid.");
        var output = Required("--out", "The label grid to write (Byte, 255 = no label).");
        var cmd = new Command("grid", "Burn a labelled vector layer into a label grid on the grid of another raster.") { from, field, like, output };
        cmd.SetAction(p => Grid(p.GetValue(from)!, p.GetValue(field)!, p.GetValue(like)!, p.GetValue(output)!));
        return cmd;
    }

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };
}
