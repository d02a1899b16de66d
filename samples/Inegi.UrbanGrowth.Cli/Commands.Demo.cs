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
            throw new ArgumentException("--from-scenes and --from-mosaics exclude each other (the demo composites its mosaics from scenes by default)");
        }

        if (keepScenes && fromMosaics)
        {
            throw new ArgumentException("--keep-scenes does not go with --from-mosaics (rendering the mosaics writes no scenes)");
        }

        // The tool's tour is the whole loop, scenes first (issue 20): --from-scenes only says so; the library's
        // DemoOptions keeps rendering by default for the callers and tests that want the quick path.
        // A demo that stops half way (a scene too small to train on, a full disk) must not leave a half-written output
        // folder behind: the folder it created goes with it. A folder that was there before is left as it is.
        bool created = !Directory.Exists(outDir);
        string report;
        try
        {
            report = DemoRunner.Run(outDir, new DemoOptions { CellsX = cellsX, CellsY = cellsY, Seed = seed, AcquisitionsPerFrame = acquisitions, FromScenes = !fromMosaics, KeepScenes = keepScenes }, Console.Out, new ConsoleProgress());
        }
        catch when (created && Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
            throw;
        }

        Console.WriteLine("Done: open " + report + " (maps, growth, quick-look PNGs and figures are beside it).");
        return UrbanCli.Success;
    }
}
