using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// The numpy / scipy.stats way of computing SPEC 3, run by /usr/bin/python3 on the same float32 values
/// (written to a little-endian float32 file, read back with numpy.fromfile as float32): moments from
/// <c>astype(float64)</c>, histogram and median on the float32 array, as the pilot's numpy code would see a
/// float32 channel.
/// </summary>
internal static class PatchOracle
{
    private const string Script = """
        import sys, warnings
        import numpy as np
        import scipy.stats as st
        warnings.filterwarnings('ignore')
        lines = []
        args = sys.argv[1:]
        planes = []
        for path, n in zip(args[0::2], args[1::2]):
            n = int(n)
            planes.extend(np.fromfile(path, dtype='<f4').reshape(-1, n))
        for x32 in planes:
            n = x32.size
            x = x32.astype(np.float64)
            mean = x.mean()
            var = x.var()
            med = float(np.median(x32))
            variation = 0.0 if mean == 0 else x.std() / mean
            sk = st.skew(x)
            ku = st.kurtosis(x)
            sk = 0.0 if np.isnan(sk) else float(sk)
            ku = 0.0 if np.isnan(ku) else float(ku)
            counts = np.histogram(x32, bins=10)[0]
            ent = float(st.entropy(counts))
            center = float(x32[(n - 1) // 2])
            vals = [mean, var, med, variation, sk, ku, ent] + [float(c) for c in counts] + [center]
            lines.append(' '.join(repr(float(v)) for v in vals))
        print('\n'.join(lines))
        """;

    /// <summary>The 18 features of every plane, per numpy / scipy, as float64.</summary>
    public static double[][] Compute(IReadOnlyList<float[]> planes) => ComputeGroups([planes])[0];

    /// <summary>
    /// The 18 features of every plane of several groups (each group one plane size), in one Python run: one
    /// interpreter start (numpy and scipy imports) instead of one per group.
    /// </summary>
    public static double[][][] ComputeGroups(IReadOnlyList<IReadOnlyList<float[]>> groups)
    {
        using var dir = new TempDirectory();
        var args = new List<string>();
        for (int g = 0; g < groups.Count; g++)
        {
            int n = groups[g][0].Length;
            string file = dir.File("planes" + g.ToString(CultureInfo.InvariantCulture) + ".f32");
            using (var stream = File.Create(file))
            using (var writer = new BinaryWriter(stream))
            {
                foreach (float[] plane in groups[g])
                {
                    Assert.Equal(n, plane.Length);
                    foreach (float v in plane)
                    {
                        writer.Write(v); // BinaryWriter is little-endian
                    }
                }
            }

            args.Add(file);
            args.Add(n.ToString(CultureInfo.InvariantCulture));
        }

        string output = Oracles.RunPython(Script, args);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(groups.Sum(g => g.Count), lines.Length);
        var result = new double[groups.Count][][];
        int line = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            result[g] = new double[groups[g].Count][];
            for (int p = 0; p < groups[g].Count; p++)
            {
                result[g][p] = Oracles.ParseNumbers(lines[line++]);
            }
        }

        return result;
    }
}
