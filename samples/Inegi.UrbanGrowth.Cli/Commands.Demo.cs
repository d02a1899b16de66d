using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cli;

internal static partial class Commands
{
    public static int Demo(string outDir, int cellsX, int cellsY, int seed)
    {
        string report = DemoRunner.Run(outDir, new DemoOptions { CellsX = cellsX, CellsY = cellsY, Seed = seed }, Console.Out, new ConsoleProgress());
        Console.WriteLine("Done: open " + report + " (maps, growth, quick-look PNGs and figures are beside it).");
        return UrbanCli.Success;
    }
}
