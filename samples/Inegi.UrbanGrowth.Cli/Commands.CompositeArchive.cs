using System.CommandLine;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>
/// The archive inputs of <c>urban composite</c> beyond scene folders: a STAC ItemCollection (<c>--stac</c>), and the
/// widening of the period where a pixel has too few clear observations (<c>--min-observations</c>,
/// <c>--max-widening</c>, <c>--window</c>), kept apart so the command's own file stays small.
/// </summary>
internal sealed class CompositeArchiveOptions
{
    private readonly Option<string?> _stac = new("--stac") { Description = "A STAC ItemCollection JSON of local Landsat Collection 2 Level 2 or DEA ARD items (hrefs relative to the file or absolute; no http); instead of --scenes or --images." };
    private readonly Option<int> _minObservations = new("--min-observations") { Description = "Clear observations a pixel needs in the period before its window widens by the period's length on both sides (0: never).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _maxWidening = new("--max-widening") { Description = "Most widening steps (each adds the period's length in days on both sides).", DefaultValueFactory = _ => 2 };
    private readonly Option<string?> _window = new("--window") { Description = "Also write the widening step each pixel used (UInt16, 0: the period itself) here." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static CompositeArchiveOptions AddTo(Command command)
    {
        var options = new CompositeArchiveOptions();
        command.Options.Add(options._stac);
        command.Options.Add(options._minObservations);
        command.Options.Add(options._maxWidening);
        command.Options.Add(options._window);
        return options;
    }

    /// <summary>The settings with the STAC file and widening of the parsed command line.</summary>
    public CompositeSettings Apply(CompositeSettings settings, ParseResult parsed) =>
        settings with { Stac = parsed.GetValue(_stac), MinObservations = parsed.GetValue(_minObservations), MaxWidening = parsed.GetValue(_maxWidening) };

    /// <summary>The <c>--window</c> output, or null.</summary>
    public string? WindowPath(ParseResult parsed) => parsed.GetValue(_window);
}
