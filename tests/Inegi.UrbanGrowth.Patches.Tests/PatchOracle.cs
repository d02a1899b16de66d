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
        path, n = sys.argv[1], int(sys.argv[2])
        planes = np.fromfile(path, dtype='<f4').reshape(-1, n)
        lines = []
        for x32 in planes:
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
    public static double[][] Compute(IReadOnlyList<float[]> planes)
    {
        int n = planes[0].Length;
        using var dir = new TempDirectory();
        string file = dir.File("planes.f32");
        using (var stream = File.Create(file))
        using (var writer = new BinaryWriter(stream))
        {
            foreach (float[] plane in planes)
            {
                Assert.Equal(n, plane.Length);
                foreach (float v in plane)
                {
                    writer.Write(v); // BinaryWriter is little-endian
                }
            }
        }

        string output = Oracles.RunPython(Script, [file, n.ToString(CultureInfo.InvariantCulture)]);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(planes.Count, lines.Length);
        return [.. lines.Select(Oracles.ParseNumbers)];
    }
}
