using System.CommandLine;
using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>What <c>urban synth --scenes</c> asks for: a synthetic Landsat Collection 2 Level 2 archive beside or instead of the mosaics.</summary>
/// <param name="Folder">The archive folder, or null for none.</param>
/// <param name="Acquisitions">At most this many acquisitions per frame and year (0: every revisit).</param>
/// <param name="CloudCover">Scale of each date's drawn cloud cover.</param>
/// <param name="WithoutMosaics">Write the label grids and zones only.</param>
internal sealed record SynthArchiveRequest(string? Folder, int Acquisitions, double CloudCover, bool WithoutMosaics)
{
    /// <summary>Refuses meaningless combinations with the option's name (exit 2).</summary>
    public void Validate()
    {
        if (Acquisitions < 0)
        {
            throw new ArgumentException("--acquisitions must be 0 (every 16-day revisit of each satellite) or a positive number");
        }

        if (!(CloudCover >= 0 && CloudCover <= 3))
        {
            throw new ArgumentException("--cloud-cover must be a scale from 0 (clear skies) to 3");
        }

        if (Folder is null && (WithoutMosaics || Acquisitions != 0 || CloudCover != 1))
        {
            throw new ArgumentException("--no-mosaics, --acquisitions and --cloud-cover go with --scenes DIR");
        }
    }
}

/// <summary>The options of <c>urban synth</c> for the scene archive, kept apart so the command's own definition stays small.</summary>
internal sealed class SynthSceneOptions
{
    private readonly Option<string?> _scenes = new("--scenes") { Description = "Also write a synthetic Landsat Collection 2 Level 2 archive of every year here (one folder per scene: SR_B*, QA_PIXEL, QA_RADSAT, MTL), for 'urban composite --scenes'." };
    private readonly Option<int> _acquisitions = new("--acquisitions") { Description = "With --scenes: at most this many acquisitions per frame and year, spread through the year (0: every 16-day revisit of each satellite).", DefaultValueFactory = _ => 0 };
    private readonly Option<double> _cloudCover = new("--cloud-cover") { Description = "With --scenes: scale of each date's drawn cloud cover (0: clear skies; 1: the default mix of clear, partly and mostly cloudy dates).", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _noMosaics = new("--no-mosaics") { Description = "With --scenes: write the label grids and zones but not mosaic_Y.tif (make the mosaics with 'urban composite')." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static SynthSceneOptions AddTo(Command command)
    {
        var options = new SynthSceneOptions();
        command.Options.Add(options._scenes);
        command.Options.Add(options._acquisitions);
        command.Options.Add(options._cloudCover);
        command.Options.Add(options._noMosaics);
        return options;
    }

    /// <summary>The request of the parsed command line.</summary>
    public SynthArchiveRequest Read(ParseResult parsed) =>
        new(parsed.GetValue(_scenes), parsed.GetValue(_acquisitions), parsed.GetValue(_cloudCover), parsed.GetValue(_noMosaics));
}

internal static partial class Commands
{
    /// <summary>Writes the archive of every year of <paramref name="scene"/> and prints how to composite it.</summary>
    private static void WriteArchive(SyntheticScene scene, SynthArchiveRequest request, string outDir)
    {
        string folder = request.Folder!;
        var options = new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = request.Acquisitions, Seed = scene.Options.Seed, CloudCoverScale = request.CloudCover };
        foreach (int year in scene.Years)
        {
            IReadOnlyList<SyntheticArchiveScene> written = SyntheticArchiveWriter.Write(scene, year, folder, options, new ConsoleProgress());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{year}: {written.Count} scenes ({string.Join(", ", written.GroupBy(s => s.Acquisition.Sensor).Select(g => $"{g.Count()} {g.Key}"))}) in {written.Select(s => s.Grid.Epsg).Distinct().Count()} UTM zone(s) ({string.Join(", ", written.Select(s => "EPSG:" + s.Grid.Epsg).Distinct())}), mean cloud cover {(written.Count > 0 ? written.Average(s => s.CloudCover) : 0):0.0}%"));
        }

        GeoTransform t = scene.MosaicTransform;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"archive in {folder}; composite a year onto the scene's mosaic grid with: urban composite --scenes {folder} --period {scene.Years[0]} --crs EPSG:{scene.Epsg} --bounds {t.OriginX},{t.OriginY + (t.PixelHeight * scene.MosaicHeight)},{t.OriginX + (t.PixelWidth * scene.MosaicWidth)},{t.OriginY} --resolution {t.PixelWidth} --out {Path.Combine(outDir, $"mosaic_{scene.Years[0]}.tif")}"));
    }
}
