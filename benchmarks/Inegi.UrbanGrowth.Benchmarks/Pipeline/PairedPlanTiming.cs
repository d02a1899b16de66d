using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Benchmarks.Pipeline;

/// <summary>
/// The feature plan of a model (issue 21) against all 486 statistics, on real cells of a mosaic: the same cells'
/// windows (read once, before timing) go through a <see cref="CellFeatureExtractor"/> with the model's
/// <see cref="UrbanModel.ColumnsRead"/> and one without, alternated round by round in one thread and timed in thread
/// CPU time (a loaded machine's waiting does not count). Checks that every column read has the same bits both ways.
/// Run: <c>dotnet Inegi.UrbanGrowth.Benchmarks.dll paired-plan MODEL MOSAIC GRID [rounds] [cells]</c>.
/// </summary>
internal static class PairedPlanTiming
{
    public static void Run(string[] args)
    {
        if (args.Length < 4)
        {
            throw new ArgumentException("usage: paired-plan MODEL MOSAIC GRID [rounds] [cells]");
        }

        int rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 30;
        int cellCount = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 200;
        using UrbanModel model = UrbanModel.Load(args[1]);
        using Mosaic mosaic = Mosaic.Open(args[2]);
        using CellGrid grid = CellGrid.Open(args[3], mosaic);

        // Complete cells spread over the grid (every k-th cell in storage order), windows read before any timing.
        int values = CellFeatureExtractor.PixelCount * 6;
        var windows = new List<float[]>();
        long step = Math.Max(1, grid.CellCount / (cellCount * 2));
        for (long id = 0; id < grid.CellCount && windows.Count < cellCount; id += step)
        {
            PixelWindow window = grid.PatchWindow((int)(id / grid.Width), (int)(id % grid.Width));
            if (!mosaic.Info.Contains(window))
            {
                continue;
            }

            var dn = new float[values];
            mosaic.Read(window, dn);
            if (!mosaic.ContainsNoData(dn))
            {
                windows.Add(dn);
            }
        }

        var full = new CellFeatureExtractor(model.Settings);
        var planned = new CellFeatureExtractor(model.Settings, CellFeatureKind.Statistics, model.ColumnsRead);
        CellFeatureExtractor.Scratch scratchFull = full.CreateScratch(), scratchPlanned = planned.CreateScratch();
        int features = full.FeatureCount;
        var outFull = new float[windows.Count * features];
        var outPlanned = new float[windows.Count * features];
        void RunFull()
        {
            for (int c = 0; c < windows.Count; c++)
            {
                full.Extract(windows[c], outFull.AsSpan(c * features, features), scratchFull);
            }
        }

        void RunPlanned()
        {
            for (int c = 0; c < windows.Count; c++)
            {
                planned.Extract(windows[c], outPlanned.AsSpan(c * features, features), scratchPlanned);
            }
        }

        for (int w = 0; w < 3; w++)
        {
            RunFull();
            RunPlanned();
        }

        for (int c = 0; c < windows.Count; c++)
        {
            foreach (int column in model.ColumnsRead)
            {
                if (BitConverter.SingleToInt32Bits(outFull[(c * features) + column]) != BitConverter.SingleToInt32Bits(outPlanned[(c * features) + column]))
                {
                    throw new InvalidOperationException($"cell {c}, column {column}: the plan's value differs from the full computation's");
                }
            }
        }

        var tf = new List<double>();
        var tp = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            // Alternate which goes first, so that neither always runs on a cache the other warmed.
            if (r % 2 == 0)
            {
                tf.Add(ThreadCpuClock.Time(RunFull));
                tp.Add(ThreadCpuClock.Time(RunPlanned));
            }
            else
            {
                tp.Add(ThreadCpuClock.Time(RunPlanned));
                tf.Add(ThreadCpuClock.Time(RunFull));
            }
        }

        var ratios = tf.Zip(tp, (f, p) => p / f).Order().ToList();
        tf.Sort();
        tp.Sort();
        int n = windows.Count;
        var plan = planned.Plan;
        Console.WriteLine(FormattableString.Invariant(
            $"plan: {plan.ColumnCount} of {features} statistics, {plan.ChannelsComputed} channels, {plan.MediansComputed} medians, {plan.SecondPassesComputed} second passes; {n} cells x {rounds} rounds"));
        Console.WriteLine(FormattableString.Invariant(
            $"us per cell (thread CPU, channels + statistics): all 486 median {tf[rounds / 2] / n:F1} (min {tf[0] / n:F1}), plan median {tp[rounds / 2] / n:F1} (min {tp[0] / n:F1}); ratio plan / all median {ratios[rounds / 2]:F3}, quartiles {ratios[rounds / 4]:F3} - {ratios[3 * rounds / 4]:F3}"));
    }
}
