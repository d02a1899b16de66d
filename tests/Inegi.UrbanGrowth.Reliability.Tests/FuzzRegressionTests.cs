using Inegi.UrbanGrowth.Fuzz;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>
/// The fuzz targets of fuzz/ (the same code afl++ drives in .ci/fuzz.sh) on the committed seed corpus, on every
/// input a fuzzer ever crashed (fuzz/regressions/TARGET/), and on seeded, time-bounded mutations of the seeds: a
/// reader may accept an input or refuse it with a <see cref="DataFileException"/>, and nothing else.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string Folder(string kind, string target) => Path.Combine(TestData.RepositoryRoot, "fuzz", kind, target);

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverySeedIsAcceptedAndEveryKnownCrashIsNowAnswered(string target)
    {
        string[] seeds = Directory.GetFiles(Folder("corpus", target));
        Assert.NotEmpty(seeds);
        foreach (string seed in seeds)
        {
            // The seeds are valid files of the repository's own making: the reader must accept them, or the
            // fuzzer would only ever explore error paths.
            Assert.True(FuzzTargets.Run(target, seed), seed + " was refused");
        }

        string regressions = Folder("regressions", target);
        foreach (string crash in Directory.Exists(regressions) ? Directory.GetFiles(regressions) : [])
        {
            FuzzTargets.Run(target, crash);
        }
    }

    private const int MutationsPerTarget = 400;

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeededMutationsOfTheSeeds_AreAcceptedOrRefusedWithOneDataError(string target)
    {
        string[] seeds = [.. Directory.GetFiles(Folder("corpus", target)).Order(StringComparer.Ordinal)];
        using var scratch = new TempDirectory();
        string input = scratch.File("input");
        var random = new Random(1800 + target.Length);
        // A fixed number of mutations, not a time budget: every machine runs the same inputs, so a failure found on a
        // fast machine is found on a slow one too.
        for (int runs = 0; runs < MutationsPerTarget; runs++)
        {
            byte[] seed = File.ReadAllBytes(seeds[runs % seeds.Length]);
            byte[] mutated = Mutate(seed, random);
            File.WriteAllBytes(input, mutated);
            try
            {
                FuzzTargets.Run(target, input);
            }
            catch (Exception e)
            {
                string kept = Path.Combine(Path.GetTempPath(), $"urban-fuzz-{target}-{runs}.bin");
                File.WriteAllBytes(kept, mutated);
                Assert.Fail($"{target}: mutation {runs} of {seeds[runs % seeds.Length]} threw {e.GetType().Name}: {e.Message} (input kept as {kept}; add it to fuzz/regressions/{target}/)\n{e}");
            }
        }
    }

    /// <summary>afl's havoc stage in small: bit flips, interesting values, chunk deletion and duplication, truncation.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int steps = 1 + random.Next(8);
        for (int s = 0; s < steps && data.Count > 0; s++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: data[at] = (byte)random.Next(256); break;
                case 2: data[at] = random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x7F, _ => 0x80 }; break;
                case 3: data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64))); break;
                case 4:
                    int from = random.Next(data.Count);
                    data.InsertRange(at, data.GetRange(from, Math.Min(16, data.Count - from)).ToArray());
                    break;
                case 5: data.RemoveRange(at, data.Count - at); break;
                default:
                    for (int i = at; i < Math.Min(data.Count, at + 4); i++)
                    {
                        data[i] = 0xFF;
                    }

                    break;
            }
        }

        return [.. data];
    }
}
