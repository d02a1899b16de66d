using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Demo(string outDir, int cellsX, int cellsY, int seed, int acquisitions = 6, bool fromScenes = false)
    {
        if (acquisitions < 1)
        {
            throw new ArgumentException("--acquisitions must be at least 1");
        }

        string report = DemoRunner.Run(outDir, new DemoOptions { CellsX = cellsX, CellsY = cellsY, Seed = seed, AcquisitionsPerFrame = acquisitions, FromScenes = fromScenes }, Console.Out, new ConsoleProgress());
        Console.WriteLine("Done: open " + report + " (maps, growth, quick-look PNGs and figures are beside it).");
        return UrbanCli.Success;
    }
}
