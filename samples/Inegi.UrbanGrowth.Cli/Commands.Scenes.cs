using System.CommandLine;
using Inegi.UrbanGrowth.Compositing;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>The scene-folder inputs of <c>urban composite</c> (<c>--scenes DIR --from DATE --to DATE</c>) and the cloud mask clean-up, kept apart so the command's own file stays small.</summary>
internal sealed class CompositeSceneOptions
{
    private readonly Option<string?> _scenes = new("--scenes") { Description = "A folder of Landsat scenes (Collection 2 Level 2 SR_B* + QA_PIXEL [+ QA_RADSAT], or Collection 1 / pre-collection Level 1 B* + BQA [+ MTL]), scanned recursively; instead of --images." };
    private readonly Option<string?> _from = new("--from") { Description = "First acquisition date kept from --scenes, yyyy-MM-dd (from the product id)." };
    private readonly Option<string?> _to = new("--to") { Description = "Last acquisition date kept from --scenes, yyyy-MM-dd (inclusive)." };
    private readonly Option<string?> _period = new("--period") { Description = "The scenes of a period (instead of --from/--to): YYYY, YYYY-H1|H2, YYYY-Q1..Q4 or yyyy-MM-dd..yyyy-MM-dd." };
    private readonly Option<int> _opening = new("--cloud-opening") { Description = "Open the cloud and shadow mask by a disk of this radius in source pixels first (removes specks), 0: no." };
    private readonly Option<int> _dilation = new("--cloud-dilation") { Description = "Dilate the cloud and shadow mask by a disk of this radius in source pixels, 0: no." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static CompositeSceneOptions AddTo(Command command)
    {
        var options = new CompositeSceneOptions();
        command.Options.Add(options._scenes);
        command.Options.Add(options._from);
        command.Options.Add(options._to);
        command.Options.Add(options._period);
        command.Options.Add(options._opening);
        command.Options.Add(options._dilation);
        return options;
    }

    /// <summary>The settings with the scene folder and period of the parsed command line.</summary>
    public CompositeSettings Apply(CompositeSettings settings, ParseResult parsed) =>
        settings with
        {
            Scenes = parsed.GetValue(_scenes), From = parsed.GetValue(_from), To = parsed.GetValue(_to), Period = parsed.GetValue(_period),
            CloudOpening = parsed.GetValue(_opening), CloudDilation = parsed.GetValue(_dilation),
        };
}
