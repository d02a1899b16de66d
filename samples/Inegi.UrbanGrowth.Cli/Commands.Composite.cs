using System.CommandLine;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Cli;

/// <summary><c>urban composite</c>: per-date images to the geomedian mosaic (docs/compositing.md). Thin: the work is in Inegi.UrbanGrowth.Compositing.</summary>
internal static class CompositeCommand
{
    public static Command Build()
    {
        var images = new Option<string[]>("--images")
        {
            Description = "Per-date multi-band GeoTIFFs (reflectance DN; --bands picks blue, green, red, nir, swir1, swir2); or --scenes.",
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
        CompositeSceneOptions scenes = CompositeSceneOptions.AddTo(cmd);
        CompositeArchiveOptions archive = CompositeArchiveOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var settings = new CompositeSettings
            {
                Images = p.GetValue(images) ?? [],
                QualityBands = p.GetValue(qa) ?? [],
                QaFormat = p.GetValue(qaFormat)!,
                Mask = p.GetValue(mask)!,
                NoData = p.GetValue(noData),
                Scale = p.GetValue(scale),
                Offset = p.GetValue(offset),
                Bands = p.GetValue(bands)!,
                Like = p.GetValue(like),
                Crs = p.GetValue(crs),
                Bounds = p.GetValue(bounds),
                Resolution = p.GetValue(resolution),
                ResamplingMethod = p.GetValue(resampling)!,
                Epsilon = p.GetValue(eps),
                MaxIterations = p.GetValue(maxIterations),
                TileSize = p.GetValue(tile),
            };
            settings = archive.Apply(scenes.Apply(settings, p), p);
            CompositeOptions options = settings.ToCompositeOptions(p.GetValue(threads));
            using ObservationReader reader = settings.OpenReader();
            CompositeSummary summary = new GeomedianCompositor(reader, options).Write(p.GetValue(output)!, p.GetValue(mads), p.GetValue(count), settings.Provenance(), archive.WindowPath(p));
            Console.WriteLine(summary.ToString());
            return UrbanCli.Success;
        });
        return cmd;
    }
}
