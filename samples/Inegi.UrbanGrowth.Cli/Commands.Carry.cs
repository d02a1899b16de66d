using System.CommandLine;
using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>`urban features --later-mosaics / --earlier-mosaics`: the census labels carried to other years (docs/growth.md).</summary>
internal static partial class Commands
{
    /// <summary>The options of `urban features` that add the sample's carried cells from other years' mosaics.</summary>
    internal static (Option<string[]> Later, Option<string[]> Earlier) CarryOptions() => (
        new Option<string[]>("--later-mosaics")
        {
            Description = "Mosaics (one 6-band file each) of years after the grid's census year: the sample's urban cells are added from each as urban rows (urban stays urban).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.ZeroOrMore,
        },
        new Option<string[]>("--earlier-mosaics")
        {
            Description = "Mosaics (one 6-band file each) of years before the grid's census year: the sample's non-urban cells are added from each as non-urban rows (they were not urban before).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.ZeroOrMore,
        });

    /// <summary>The census sample's features, then its carried cells' features from each later and earlier mosaic, in one CSV.</summary>
    internal static int FeaturesCarried(string[] mosaicPaths, string? bands, string gridPath, string? cellsPath, string output, float scale, float offset, string tasseledCap,
        int threads, string[] laterMosaics, string[] earlierMosaics)
    {
        RequireFile(gridPath);
        if (cellsPath is null)
        {
            throw new ArgumentException("--later-mosaics / --earlier-mosaics need --cells: the labelled sample whose labels are carried to other years");
        }

        OutputPaths.Prepare([.. mosaicPaths, .. laterMosaics, .. earlierMosaics, gridPath, cellsPath], [output, FeatureExtractionSettings.SidecarPath(output)]);
        var opened = new List<IDisposable>();
        try
        {
            Mosaic census = Track(opened, OpenMosaic(mosaicPaths, bands));
            CellGrid censusGrid = Track(opened, CellGrid.Open(gridPath, census));
            IReadOnlyList<SampledCell> cells = TrainingSample.ReadCsv(cellsPath, censusGrid.Width);
            var parts = new List<FeaturePart> { new(census, censusGrid, cells) };
            foreach ((string[] paths, IReadOnlyList<SampledCell> carried) in new[] { (laterMosaics, LabelCarrying.ToLaterYear(cells)), (earlierMosaics, LabelCarrying.ToEarlierYear(cells)) })
            {
                foreach (string path in paths)
                {
                    Mosaic mosaic = Track(opened, OpenMosaic([path], bands));
                    parts.Add(new FeaturePart(mosaic, Track(opened, CellGrid.Open(gridPath, mosaic)), carried));
                }
            }

            var settings = FeatureExtractionSettings.Default with { Scale = scale, Offset = offset, TasseledCap = tasseledCap };
            FeatureExtractionSummary summary = FeatureExtraction.WriteCsv(parts, output, settings, threads, new ConsoleProgress());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Written:N0} rows written to {output} ({cells.Count:N0} census cells, {LabelCarrying.ToLaterYear(cells).Count:N0} urban carried to {laterMosaics.Length} later and {LabelCarrying.ToEarlierYear(cells).Count:N0} non-urban to {earlierMosaics.Length} earlier mosaics), {summary.Incomplete:N0} incomplete skipped, {summary.Elapsed.TotalSeconds:F1} s"));
            return UrbanCli.Success;
        }
        finally
        {
            for (int i = opened.Count - 1; i >= 0; i--)
            {
                opened[i].Dispose();
            }
        }
    }

    private static T Track<T>(List<IDisposable> opened, T item)
        where T : IDisposable
    {
        opened.Add(item);
        return item;
    }
}
