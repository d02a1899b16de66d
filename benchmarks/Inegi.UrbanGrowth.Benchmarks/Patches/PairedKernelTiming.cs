using Inegi.UrbanGrowth.Patches;

namespace Inegi.UrbanGrowth.Benchmarks.Patches;

/// <summary>
/// The AVX2 kernel of main (<see cref="Avx2PatchKernels"/>) against the width-generic one, alternated round by round
/// in one process and timed in <em>thread CPU time</em>, so that the time the thread waits for a core on a shared
/// machine is not counted (BenchmarkDotNet measures wall time, whose spread on a loaded 2-core machine is as large
/// as the difference sought). Reports per-cell medians and the quartiles of the per-round ratio generic / AVX2.
/// Run: <c>dotnet Inegi.UrbanGrowth.Benchmarks.dll paired-patches [rounds] [cell|pass1|pass2|median] [bits]</c>.
/// </summary>
internal static class PairedKernelTiming
{
    private const int Cells = 64;

    public static void Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60;
        string part = args.Length > 2 ? args[2] : "cell";
        var width = (VectorWidth)(args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 256);
        var extractor = new PatchFeatureExtractor { Width = width };
        PatchFeatureLayout layout = extractor.Layout;
        int per = layout.ValuesPerCell, features = layout.FeatureCount, n = layout.PixelCount, planes = Cells * layout.ChannelCount;
        var rng = new Random(42);
        var patches = new float[Cells * per];
        for (int i = 0; i < patches.Length; i++)
        {
            patches[i] = rng.Next(50) == 0 ? (float)(rng.NextDouble() * 5) : (float)(0.05 + (rng.NextDouble() * 0.3));
        }

        var featuresBefore = new float[Cells * features];
        var featuresAfter = new float[Cells * features];
        PatchScratch scratch = extractor.CreateScratch();
        var edges = new float[NumpyHistogram.EdgeBufferLength];
        var counts = new int[NumpyHistogram.Bins];
        double sink = 0;
        (Action runBefore, Action runAfter) = part switch
        {
            "pass1" => (() =>
            {
                for (int p = 0; p < planes; p++)
                {
                    Avx2PatchKernels.MinMaxSum(patches.AsSpan(p * n, n), out _, out _, out double s);
                    sink += s;
                }
            }, () =>
            {
                for (int p = 0; p < planes; p++)
                {
                    PatchKernels.MinMaxSum(patches.AsSpan(p * n, n), width, out _, out _, out double s);
                    sink += s;
                }
            }),
            "pass2" => (() =>
            {
                for (int p = 0; p < planes; p++)
                {
                    var x = patches.AsSpan(p * n, n);
                    Avx2PatchKernels.MinMaxSum(x, out float min, out float max, out double s);
                    NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
                    Avx2PatchKernels.MomentsAndHistogram(x, s / n, edges, first, norm, counts, out double m2, out _, out _);
                    sink += m2;
                }
            }, () =>
            {
                for (int p = 0; p < planes; p++)
                {
                    var x = patches.AsSpan(p * n, n);
                    PatchKernels.MinMaxSum(x, width, out float min, out float max, out double s);
                    NumpyHistogram.Setup(min, max, edges, out float first, out float norm);
                    PatchKernels.MomentsAndHistogram(x, s / n, edges, first, norm, counts, width, out double m2, out _, out _);
                    sink += m2;
                }
            }),
            "median" => (() =>
            {
                for (int p = 0; p < planes; p++)
                {
                    var x = patches.AsSpan(p * n, n);
                    Avx2PatchKernels.MinMaxSum(x, out float min, out float max, out _);
                    sink += Avx2PatchKernels.Median(x, min, max, scratch);
                }
            }, () =>
            {
                for (int p = 0; p < planes; p++)
                {
                    var x = patches.AsSpan(p * n, n);
                    PatchKernels.MinMaxSum(x, width, out float min, out float max, out _);
                    sink += PatchKernels.Median(x, min, max, scratch, width);
                }
            }),
            _ => ((Action)(() =>
            {
                for (int c = 0; c < Cells; c++)
                {
                    Avx2PatchKernels.Extract(layout, patches.AsSpan(c * per, per), featuresBefore.AsSpan(c * features, features), scratch);
                }
            }), (Action)(() =>
            {
                for (int c = 0; c < Cells; c++)
                {
                    extractor.Extract(patches.AsSpan(c * per, per), featuresAfter.AsSpan(c * features, features), scratch);
                }
            })),
        };

        for (int w = 0; w < 5; w++)
        {
            runBefore();
            runAfter();
        }

        if (part == "cell" && !featuresBefore.AsSpan().SequenceEqual(featuresAfter))
        {
            throw new InvalidOperationException("The two kernels' features differ.");
        }

        var tb = new List<double>();
        var ta = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            // Alternate which goes first, so that neither always runs on a cache the other warmed.
            if (r % 2 == 0)
            {
                tb.Add(ThreadCpuClock.Time(runBefore));
                ta.Add(ThreadCpuClock.Time(runAfter));
            }
            else
            {
                ta.Add(ThreadCpuClock.Time(runAfter));
                tb.Add(ThreadCpuClock.Time(runBefore));
            }
        }

        var ratios = tb.Zip(ta, (b, a) => a / b).Order().ToList();
        tb.Sort();
        ta.Sort();
        string unit = part == "cell" ? "cell" : "plane";
        int per1 = part == "cell" ? Cells : planes;
        Console.WriteLine(FormattableString.Invariant(
            $"{part} at {(int)width} bits, {rounds} rounds, us per {unit} (thread CPU): AVX2 median {tb[rounds / 2] / per1:F2} (min {tb[0] / per1:F2}), generic median {ta[rounds / 2] / per1:F2} (min {ta[0] / per1:F2}); ratio generic / AVX2 median {ratios[rounds / 2]:F3}, quartiles {ratios[rounds / 4]:F3} - {ratios[3 * rounds / 4]:F3} (checksum {sink:G3})"));
    }
}
