using System.Buffers.Binary;
using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// The 33 x 33 windows of <see cref="LandsatPatchTests"/>, cut from a real Landsat 8 scene by gdal_translate, and
/// numpy / scipy's features of all their bands computed in one Python run (one interpreter start).
/// </summary>
public sealed class LandsatWindowsOracle
{
    private static readonly string Scene = TestData.Path("portovelho-ls8-sr", "LC08_232066_20190727.tif");
    private static readonly (int X, int Y)[] Windows = [(0, 0), (120, 90), (200, 40), (285, 202)];
    private readonly Dictionary<(int X, int Y), (float[] Planes, double[][] Expected)> _windows = [];

    public LandsatWindowsOracle()
    {
        int n = PatchGeometry.PixelCount;
        var planes = Windows.Select(w => ReadWindow(w.X, w.Y)).ToArray();
        var bandPlanes = new List<float[]>();
        foreach (float[] window in planes)
        {
            for (int b = 0; b < StandardChannels.BandCount; b++)
            {
                bandPlanes.Add(window.AsSpan(b * n, n).ToArray());
            }
        }

        double[][] expected = PatchOracle.Compute(bandPlanes);
        for (int w = 0; w < Windows.Length; w++)
        {
            _windows[Windows[w]] = (planes[w], expected[(w * StandardChannels.BandCount)..((w + 1) * StandardChannels.BandCount)]);
        }
    }

    /// <summary>The six band planes (blue..swir2, DN x 0.0001f) of the window at (x, y) and numpy's features of each band.</summary>
    public (float[] Planes, double[][] Expected) Window(int x, int y) =>
        _windows.TryGetValue((x, y), out var window) ? window : throw new ArgumentException($"Window ({x}, {y}) is not in {nameof(Windows)}.", nameof(x));

    /// <summary>Six 33 x 33 Int16 bands through gdal_translate to raw ENVI (band-sequential), times 0.0001 in float32.</summary>
    private static float[] ReadWindow(int x, int y)
    {
        using var dir = new TempDirectory();
        string output = dir.File("window.bin");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-srcwin", x.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture), "33", "33", Scene, output);
        string header = File.ReadAllText(dir.File("window.hdr"));
        Assert.Contains("data type = 2", header, StringComparison.Ordinal); // Int16
        Assert.Contains("byte order = 0", header, StringComparison.Ordinal); // little-endian
        Assert.Contains("bands   = 6", header, StringComparison.Ordinal);
        Assert.Contains("interleave = bsq", header, StringComparison.Ordinal);
        byte[] raw = File.ReadAllBytes(output);
        int count = StandardChannels.BandCount * PatchGeometry.PixelCount;
        Assert.Equal(count * 2, raw.Length);
        var planes = new float[count];
        for (int i = 0; i < count; i++)
        {
            short dn = BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2));
            Assert.NotEqual(-9999, dn); // the scene's nodata: these windows are complete
            planes[i] = dn * 0.0001f;
        }

        return planes;
    }
}
