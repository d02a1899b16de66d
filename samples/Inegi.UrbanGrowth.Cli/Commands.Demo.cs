using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Demo(string outDir, int cellsX, int cellsY, int seed, int acquisitions, bool fromScenes = false, bool fromMosaics = false, bool keepScenes = false)
    {
        if (acquisitions < 1)
        {
            throw new ArgumentException("--acquisitions must be at least 1");
        }

        if (fromScenes && fromMosaics)
        {
            throw new ArgumentException("--from-scenes and --from-mosaics exclude each other (the demo renders the mosaics by default)");
        }

        if (keepScenes && !fromScenes)
        {
            throw new ArgumentException("--keep-scenes needs --from-scenes (the default tour writes no scenes)");
        }

        string report = DemoRunner.Run(outDir, new DemoOptions { CellsX = cellsX, CellsY = cellsY, Seed = seed, AcquisitionsPerFrame = acquisitions, FromScenes = fromScenes, KeepScenes = keepScenes }, Console.Out, new ConsoleProgress());
        Console.WriteLine("Done: open " + report + " (maps, growth, quick-look PNGs and figures are beside it).");
        return UrbanCli.Success;
    }
}
