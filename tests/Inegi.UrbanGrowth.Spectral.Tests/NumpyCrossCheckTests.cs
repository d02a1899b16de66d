using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Spectral.Tests;

/// <summary>
/// All 27 channels against an independent float64 numpy implementation of SPEC 2 (same zero rule, tasseled-cap table
/// typed again in the script). Tolerance: |ours - numpy| &lt;= 1e-5 * max(1, |numpy|). The numpy side works on the same
/// float32 inputs in float64, so the difference is float32 rounding of a dozen operations (about 1e-7 relative); the
/// band ranges are realistic (blue below 0.12, NIR above 0.15) so no denominator is near a cancellation, plus pixels
/// with exact zeros to exercise the zero rule.
/// </summary>
public sealed class NumpyCrossCheckTests
{
    private const string Script = """
import sys
import numpy as np
x = np.loadtxt(sys.argv[1], dtype=np.float32).astype(np.float64).reshape(6, -1)
B, G, R, N, S1, S2 = x
def sd(a, b):
    with np.errstate(divide='ignore', invalid='ignore', over='ignore'):
        q = a / b
    q = np.where((b == 0) | ~np.isfinite(q), 0.0, q)
    return q
def fin(v):
    return np.where(np.isfinite(v), v, 0.0)
ndbi = sd(S1 - N, S1 + N)
ndvi = sd(N - R, N + R)
ibi_a = sd(2 * S1, S1 + N)
ibi_b = sd(N, N + R) + sd(G, G + S1)
q = sd(S1, G)
crist = np.array([
    [0.2043, 0.4158, 0.5524, 0.5741, 0.3124, 0.2303],
    [-0.1603, -0.2819, -0.4934, 0.7940, -0.0002, -0.1446],
    [0.0315, 0.2021, 0.3102, 0.1594, -0.6806, -0.6109],
    [-0.2117, -0.0284, 0.1302, -0.1007, 0.6529, -0.7078],
    [-0.8669, -0.1835, 0.3856, 0.0408, -0.1132, 0.2272],
    [0.3677, -0.8200, 0.4354, 0.0518, -0.0066, -0.0104]])
tc = crist @ x
ch = [B, G, R, N, S1, S2,
      sd(2.5 * (N - R), N + 6 * R - 7.5 * B + 1),
      fin(ndbi - ndvi),
      sd(N, R),
      sd(N - (2 * R - B), N + (2 * R - B)),
      sd(S2 - N, S2 + N),
      ndbi,
      sd(ibi_a - ibi_b, ibi_a + ibi_b),
      ndvi,
      sd(G - N, G + N),
      sd(G - S1, G + S1),
      sd(R * S1, N),
      sd(R, S1),
      sd(S2 - q, S2 + q),
      sd(R + 0.3, G + S1),
      sd((S1 + R) - (N + B), (S1 + R) + (N + B))] + [fin(t) for t in tc]
out = np.array(ch)
np.savetxt(sys.stdout, out.reshape(-1), fmt='%.17g')
""";

    [Fact]
    public void Compute_AllChannels_MatchNumpyFloat64Reference()
    {
        const int n = 3000;
        var rng = new Random(20260101);
        var x = new float[6 * n];
        double[] lo = [0.005, 0.01, 0.01, 0.15, 0.01, 0.01];
        double[] hi = [0.12, 0.3, 0.3, 0.6, 0.5, 0.5];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 6; k++)
            {
                x[(k * n) + i] = (float)(lo[k] + (rng.NextDouble() * (hi[k] - lo[k])));
            }

            // 1 pixel in 20 has green, red or swir1 exactly 0 (the zero rule: S1/G, N/R, R/S1...).
            if (i % 20 == 0)
            {
                int band = (i / 20 % 3) switch { 0 => 1, 1 => 2, _ => 4 };
                x[(band * n) + i] = 0f;
            }
        }

        var ours = new float[27 * n];
        new SpectralTransform().Compute(x, n, ours);

        using var dir = new TempDirectory();
        string inputFile = Path.Combine(dir.Path, "bands.txt");
        var sb = new StringBuilder();
        foreach (float v in x)
        {
            sb.AppendLine(v.ToString("R", CultureInfo.InvariantCulture));
        }

        File.WriteAllText(inputFile, sb.ToString());
        double[] reference = Oracles.ParseNumbers(Oracles.RunPython(Script, [inputFile]));
        Assert.Equal(27 * n, reference.Length);
        int zeroRuleHits = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double tol = 1e-5 * Math.Max(1, Math.Abs(reference[i]));
            if (Math.Abs(ours[i] - reference[i]) > tol)
            {
                Assert.Fail($"{StandardChannels.Names[i / n]} pixel {i % n}: ours {ours[i]:R}, numpy {reference[i]:R}");
            }

            if (reference[i] == 0 && i >= 6 * n)
            {
                zeroRuleHits++;
            }
        }

        Assert.True(zeroRuleHits > 50, $"only {zeroRuleHits} zero-rule results");
    }
}
