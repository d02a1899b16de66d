using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Accuracy.Tests;

public sealed class BoundaryDistanceTests
{
    private static byte[] RandomGrid(int w, int h, int seed, double urban = 0.15)
    {
        var rng = new Random(seed);
        var g = new byte[w * h];
        for (int i = 0; i < g.Length; i++)
        {
            double u = rng.NextDouble();
            g[i] = u < 0.05 ? (byte)255 : u < 0.05 + urban ? (byte)1 : (byte)0;
        }

        return g;
    }

    private static int BruteForce(byte[] g, int w, int h, int r, int c)
    {
        byte own = g[(r * w) + c];
        if (own == 255)
        {
            return BoundaryDistance.Undefined;
        }

        int best = int.MaxValue;
        for (int rr = 0; rr < h; rr++)
        {
            for (int cc = 0; cc < w; cc++)
            {
                byte v = g[(rr * w) + cc];
                if (v != 255 && v != own)
                {
                    best = Math.Min(best, Math.Max(Math.Abs(rr - r), Math.Abs(cc - c)));
                }
            }
        }

        return best;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 23, 2)]
    [InlineData(1, 40, 3)]
    [InlineData(30, 30, 4)]
    public void Compute_RandomGrids_EqualsBruteForce(int w, int h, int seed)
    {
        foreach (double urban in new[] { 0.02, 0.3, 0.0 })
        {
            byte[] g = RandomGrid(w, h, seed, urban);
            int[] d = BoundaryDistance.Compute(g, w, h);
            for (int r = 0; r < h; r++)
            {
                for (int c = 0; c < w; c++)
                {
                    Assert.Equal(BruteForce(g, w, h, r, c), d[(r * w) + c]);
                }
            }
        }
    }

    [Fact]
    public void Compute_AgainstScipyChessboardTransform()
    {
        const int w = 120, h = 90;
        byte[] g = RandomGrid(w, h, 11, 0.04);
        using var dir = new TempDirectory();
        string file = dir.File("g.bin");
        File.WriteAllBytes(file, g);
        const string script = """
import sys, numpy as np
from scipy import ndimage
g = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(int(sys.argv[3]), int(sys.argv[2]))
to_urban = ndimage.distance_transform_cdt(g != 1, metric='chessboard')
to_rural = ndimage.distance_transform_cdt(g != 0, metric='chessboard')
d = np.where(g == 0, to_urban, np.where(g == 1, to_rural, -1))
print(' '.join(str(int(v)) for v in d.ravel()))
""";
        double[] expected = Oracles.ParseNumbers(Oracles.RunPython(script, [file, w.ToString(CultureInfo.InvariantCulture), h.ToString(CultureInfo.InvariantCulture)]));
        int[] d = BoundaryDistance.Compute(g, w, h);
        Assert.Equal(expected.Select(v => (int)v), d);
    }

    [Fact]
    public void ToDistanceClass_MapsRings()
    {
        Assert.Equal(0, BoundaryDistance.ToDistanceClass(1));
        Assert.Equal(1, BoundaryDistance.ToDistanceClass(2));
        Assert.Equal(2, BoundaryDistance.ToDistanceClass(3));
        Assert.Equal(3, BoundaryDistance.ToDistanceClass(4));
        Assert.Equal(3, BoundaryDistance.ToDistanceClass(BoundaryDistance.NoOtherClass));
        Assert.Equal(255, BoundaryDistance.ToDistanceClass(BoundaryDistance.Undefined));
    }

    [Fact]
    public void AccuracyByDistance_ErrorsOnTheEdge_CountedAsBoundary()
    {
        // A 9x9 city block inside a 15x15 rural grid; the map misses the city's outer ring.
        const int w = 15, h = 15;
        var labels = new byte[w * h];
        var predicted = new byte[w * h];
        for (int r = 3; r < 12; r++)
        {
            for (int c = 3; c < 12; c++)
            {
                labels[(r * w) + c] = 1;
                predicted[(r * w) + c] = r is > 3 and < 11 && c is > 3 and < 11 ? (byte)1 : (byte)0;
            }
        }

        int[] d = BoundaryDistance.Compute(labels, w, h);
        var table = AccuracyByDistance.Compute(labels, predicted, d);
        var boundary = table.Rows[0].Confusion;
        Assert.Equal(32, boundary.FalseNegatives); // the 9x9 ring
        Assert.Equal(0, boundary.TruePositives);
        Assert.Equal(11 * 11 - 81 + 0.0, boundary.TrueNegatives); // rural cells touching the city
        Assert.Equal(1.0, table.Rows[1].Confusion.Recall);
        var all = table.Rows[^1].Confusion;
        Assert.Equal(w * h, all.Total);
        Assert.Equal(ConfusionMatrix.FromLabels(labels, predicted).Binary(), all);
        string csv = table.ToCsv();
        Assert.StartsWith("distance_class,name,cells,tn,fp,fn,tp,", csv, StringComparison.Ordinal);
        Assert.Contains("0,boundary,72,40,0,32,0,", csv, StringComparison.Ordinal);
        Assert.Contains("boundary", table.ToText(), StringComparison.Ordinal);
    }
}
