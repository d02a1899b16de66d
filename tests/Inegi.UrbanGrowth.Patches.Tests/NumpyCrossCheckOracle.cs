using System.Globalization;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>Every plane of <see cref="NumpyCrossCheckTests"/>, sent to numpy / scipy in one Python run (one interpreter start).</summary>
public sealed class NumpyCrossCheckOracle
{
    public const string MainGroup = "33x33 edge cases and random";
    public const string TieGroup = "33x33 edge tie";
    private static readonly int[] OtherSizes = [1, 3, 5, 9, 65];
    private readonly Dictionary<string, List<(string Name, float[] Plane)>> _cases = [];
    private readonly Dictionary<string, double[][]> _expected = [];

    public NumpyCrossCheckOracle()
    {
        var main = TestPatches.EdgeCases();
        main.AddRange(TestPatches.Random(210, seed: 33));
        _cases[MainGroup] = main;
        foreach (int size in OtherSizes)
        {
            int n = size * size;
            var cases = TestPatches.Random(14, seed: 100 + size, n);
            cases.Add(("constant", Enumerable.Repeat(0.25f, n).ToArray()));
            if (size >= 3)
            {
                cases.AddRange(TestPatches.EdgeCases(n));
            }

            _cases[SizeGroup(size)] = cases;
        }

        float edge3 = (float)(3 * 0.1);
        var plane = new float[PatchGeometry.PixelCount];
        plane[1] = 1f;
        for (int i = 2; i < plane.Length; i++)
        {
            plane[i] = i % 2 == 0 ? edge3 : MathF.BitDecrement(edge3);
        }

        _cases[TieGroup] = [("edge tie", plane)];
        var keys = _cases.Keys.ToList();
        double[][][] results = PatchOracle.ComputeGroups([.. keys.Select(k => (IReadOnlyList<float[]>)[.. _cases[k].Select(c => c.Plane)])]);
        for (int g = 0; g < keys.Count; g++)
        {
            _expected[keys[g]] = results[g];
        }
    }

    public static string SizeGroup(int size) => size.ToString(CultureInfo.InvariantCulture) + "x" + size.ToString(CultureInfo.InvariantCulture);

    public List<(string Name, float[] Plane)> Cases(string group) => _cases[group];

    public double[][] Expected(string group) => _expected[group];
}
