using System.CommandLine;
using System.Globalization;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Cli;

/// <summary><c>urban composite</c>: per-date images to the geomedian mosaic (docs/compositing.md). Thin: the work is in Inegi.UrbanGrowth.Compositing.</summary>
internal static class CompositeCommand
{
    public static Command Build()
    {
        var images = new Option<string[]>("--images")
        {
            Description = "Per-date multi-band GeoTIFFs (reflectance DN; --bands picks blue, green, red, nir, swir1, swir2).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var qa = new Option<string[]>("--qa") { Description = "One quality band per image, in the same order, on its image's grid.", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var qaFormat = new Option<string>("--qa-format") { Description = "Quality encoding: c2 (Collection 2 QA_PIXEL), c1 (Collection 1 BQA) or fmask.", DefaultValueFactory = _ => "c2" };
        var mask = new Option<string>("--mask") { Description = "What the quality band removes: 'default' (all) or a comma list of fill,cloud,dilated-cloud,cirrus,shadow,snow,saturation.", DefaultValueFactory = _ => "default" };
        var noData = new Option<double?>("--nodata") { Description = "Nodata value of the images (default: each file's GDAL_NODATA)." };
        var scale = new Option<double>("--scale") { Description = "Reflectance = DN * scale + offset.", DefaultValueFactory = _ => 1e-4 };
        var offset = new Option<double>("--offset") { Description = "Reflectance offset.", DefaultValueFactory = _ => 0 };
        var bands = new Option<string>("--bands") { Description = "File band numbers (1-based) of blue,green,red,nir,swir1,swir2.", DefaultValueFactory = _ => "1,2,3,4,5,6" };
        var like = new Option<string?>("--like") { Description = "Target grid from this GeoTIFF: its CRS and extent, at --resolution." };
        var crs = new Option<string?>("--crs") { Description = "Target CRS, EPSG:N (with --bounds)." };
        var bounds = new Option<string?>("--bounds") { Description = "Target extent minx,miny,maxx,maxy in --crs units." };
        var resolution = new Option<double>("--resolution") { Description = "Target pixel size.", DefaultValueFactory = _ => 30 };
        var resampling = new Option<string>("--resampling") { Description = "nearest or bilinear.", DefaultValueFactory = _ => "nearest" };
        var output = new Option<string>("--out") { Description = "The mosaic: 6-band UInt16 reflectance x 10000, nodata 0, tiled Deflate.", Required = true };
        var mads = new Option<string?>("--mads") { Description = "Also write EMAD, SMAD, BCMAD (Float32) here." };
        var count = new Option<string?>("--count") { Description = "Also write the count of usable observations (UInt16) here." };
        var eps = new Option<float>("--eps") { Description = "Geomedian tolerance (geomad's default 1e-4).", DefaultValueFactory = _ => GeomedianOptions.DefaultEpsilon };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Geomedian iteration cap (geomad's default 10000).", DefaultValueFactory = _ => GeomedianOptions.DefaultMaxIterations };
        var threads = new Option<int>("--threads") { Description = "Worker threads (-1: all cores); the output is the same bytes whatever the value.", DefaultValueFactory = _ => -1 };
        var tile = new Option<int>("--tile") { Description = "Output tile side processed at once (memory ~ 4 x dates x 6 x tile^2 bytes).", DefaultValueFactory = _ => 256 };
        var cmd = new Command("composite", "Composite per-date images into a cloud-free geomedian mosaic (with MADs and COUNT).")
        {
            images, qa, qaFormat, mask, noData, scale, offset, bands, like, crs, bounds, resolution, resampling, output, mads, count, eps, maxIterations, threads, tile,
        };
        cmd.SetAction(p =>
        {
            string[] imagePaths = p.GetValue(images)!;
            string[] qaPaths = p.GetValue(qa) ?? [];
            if (qaPaths.Length != 0 && qaPaths.Length != imagePaths.Length)
            {
                throw new ArgumentException($"--qa lists {qaPaths.Length} files for {imagePaths.Length} images");
            }

            var readOptions = new ImageReadOptions
            {
                Bands = ParseInts(p.GetValue(bands)!, "--bands"),
                NoData = p.GetValue(noData),
                Scale = p.GetValue(scale),
                Offset = p.GetValue(offset),
                QualityFormat = p.GetValue(qaFormat) switch
                {
                    "c2" => QualityFormat.LandsatCollection2,
                    "c1" => QualityFormat.LandsatCollection1,
                    "fmask" => QualityFormat.Fmask,
                    var other => throw new ArgumentException($"--qa-format must be c2, c1 or fmask, not '{other}'"),
                },
                Masked = ParseMask(p.GetValue(mask)!),
                Resampling = p.GetValue(resampling) switch
                {
                    "nearest" => Resampling.Nearest,
                    "bilinear" => Resampling.Bilinear,
                    var other => throw new ArgumentException($"--resampling must be nearest or bilinear, not '{other}'"),
                },
            };
            TargetGrid grid = ParseGrid(p.GetValue(like), p.GetValue(crs), p.GetValue(bounds), p.GetValue(resolution));
            var options = new CompositeOptions
            {
                Geomedian = new GeomedianOptions { Epsilon = p.GetValue(eps), MaxIterations = p.GetValue(maxIterations) },
                MaxDegreeOfParallelism = p.GetValue(threads),
                TileSize = p.GetValue(tile),
            };
            try
            {
                options.Geomedian.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException(e.Message.Split(" (Parameter")[0], e);
            }

            CompositeImage[] inputs = [.. imagePaths.Select((path, i) => new CompositeImage(path, qaPaths.Length == 0 ? null : qaPaths[i]))];
            using var reader = new ObservationReader(inputs, grid, readOptions);
            var provenance = new Dictionary<string, string>
            {
                ["scale"] = readOptions.Scale.ToString("R", CultureInfo.InvariantCulture),
                ["offset"] = readOptions.Offset.ToString("R", CultureInfo.InvariantCulture),
                ["nodata"] = readOptions.NoData?.ToString("R", CultureInfo.InvariantCulture) ?? "file",
                ["bands"] = p.GetValue(bands)!,
                ["qa_format"] = p.GetValue(qaFormat)!,
                ["mask"] = readOptions.Masked.ToString(),
                ["resampling"] = p.GetValue(resampling)!,
            };
            CompositeSummary summary = new GeomedianCompositor(reader, options).Write(p.GetValue(output)!, p.GetValue(mads), p.GetValue(count), provenance);
            Console.WriteLine(summary.ToString());
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static int[] ParseInts(string text, string option)
    {
        try
        {
            return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{option} must be a comma-separated list of integers, not '{text}'");
        }
    }

    private static MaskedConditions ParseMask(string text)
    {
        if (text == "default")
        {
            return MaskedConditions.Default;
        }

        MaskedConditions m = MaskedConditions.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            m |= part switch
            {
                "none" => MaskedConditions.None,
                "fill" => MaskedConditions.Fill,
                "cloud" => MaskedConditions.Cloud,
                "dilated-cloud" => MaskedConditions.DilatedCloud,
                "cirrus" => MaskedConditions.Cirrus,
                "shadow" => MaskedConditions.CloudShadow,
                "snow" => MaskedConditions.Snow,
                "saturation" => MaskedConditions.Saturation,
                _ => throw new ArgumentException($"--mask: unknown condition '{part}' (fill, cloud, dilated-cloud, cirrus, shadow, snow, saturation, default, none)"),
            };
        }

        return m;
    }

    private static TargetGrid ParseGrid(string? like, string? crs, string? bounds, double resolution)
    {
        if (like is not null)
        {
            if (crs is not null || bounds is not null)
            {
                throw new ArgumentException("give either --like or --crs with --bounds, not both");
            }

            return TargetGrid.Like(like, resolution);
        }

        if (crs is null || bounds is null)
        {
            throw new ArgumentException("the target grid needs --like TARGET.tif, or --crs EPSG:N with --bounds minx,miny,maxx,maxy");
        }

        string code = crs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? crs[5..] : crs;
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int epsg))
        {
            throw new ArgumentException($"--crs must be EPSG:N, not '{crs}'");
        }

        double[] b;
        try
        {
            b = [.. bounds.Split(',', StringSplitOptions.TrimEntries).Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--bounds must be minx,miny,maxx,maxy, not '{bounds}'");
        }

        return b.Length == 4
            ? TargetGrid.FromBounds(epsg, b[0], b[1], b[2], b[3], resolution)
            : throw new ArgumentException($"--bounds must be minx,miny,maxx,maxy, not '{bounds}'");
    }
}
