using System.Globalization;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Rendering;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Change(string from, string to, string output, string? zones, string? stats, string? png)
    {
        OutputPaths.Prepare([from, to, zones], [output, stats, png]);
        ChangeStatisticsAccumulator statistics = GrowthAnalysis.Change(from, to, output, zones, stats);
        if (png is not null)
        {
            Inegi.UrbanGrowth.Products.GrowthPictures.GrowthMap(from, to, output, png);
        }

        Console.WriteLine(statistics.ToString());
        return UrbanCli.Success;
    }

    public static int Series(string[] maps, int[] years, string output, string? zones, string? stats, bool consistent, string? png)
    {
        if (maps.Length != years.Length)
        {
            throw new ArgumentException($"--years lists {years.Length} years for {maps.Length} maps");
        }

        string? chart = png is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(png)) ?? ".", Path.GetFileNameWithoutExtension(png) + "_area.png");
        OutputPaths.Prepare([.. maps, zones], [output, stats, png, chart]);

        UrbanTimeSeries series = GrowthAnalysis.Series(maps, years, output, zones, consistent ? new TemporalConsistencyRule() : null,
            consistent ? Path.GetDirectoryName(Path.GetFullPath(output)) : null);
        if (stats is not null)
        {
            series.WriteCsv(stats);
        }

        if (png is not null)
        {
            Inegi.UrbanGrowth.Products.GrowthPictures.FirstUrbanYearMap(output, years, png);
            PngFile.Write(chart!, UrbanAreaChart.Render(years, UrbanAreaChart.FromTimeSeries(series, includeNational: true), "Urban area per year"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pictures: {png}, {chart}"));
        }

        Console.WriteLine(series.ToString());
        return UrbanCli.Success;
    }
}
