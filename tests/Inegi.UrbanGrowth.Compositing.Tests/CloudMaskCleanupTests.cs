using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>The opening and dilation of the cloud and shadow mask, against scipy.ndimage on real Collection 1 BQA bands.</summary>
public sealed class CloudMaskCleanupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("LC08_L1TP_013032_20180131_20180207_01_T1", 1, 2)]
    [InlineData("LC08_L1TP_014032_20181122_20181129_01_T1", 1, 0)]
    [InlineData("LC08_L1TP_014031_20180106_20180119_01_T1", 0, 3)]
    [InlineData("LC08_L1TP_013032_20181030_20181115_01_T1", 2, 1)]
    public void OpeningAndDilation_MatchScipyNdimage_AndDoNotDependOnTheWindow(string id, int opening, int dilation)
    {
        SceneObservation scene = Assert.Single(SceneInventory.Scan(TestData.Path("nyc-l8-2018-coarse", id)));
        RasterInfo info = GeoTiffReader.ReadInfo(scene.Image.Path);
        var grid = new TargetGrid(info.Width, info.Height, info.GeoTransform, info.Epsg!.Value);
        var options = new ImageReadOptions { Masked = MaskedConditions.Cloud | MaskedConditions.CloudShadow, CloudOpening = opening, CloudDilation = dilation };
        using var reader = new ObservationReader([scene.Image], grid, options);
        int n = info.Width * info.Height;
        var values = new float[6 * n];
        reader.Read(new PixelWindow(0, 0, info.Width, info.Height), values);

        string output = _dir.File("bad.u8");
        Oracles.RunPython(Oracle, [Path.GetDirectoryName(scene.Image.Path)!, id[..25], _dir.Path, output, opening.ToString(CultureInfo.InvariantCulture), dilation.ToString(CultureInfo.InvariantCulture)]);
        byte[] expected = File.ReadAllBytes(output);
        Assert.Equal(n, expected.Length);
        int flagged = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True((expected[i] != 0) == float.IsNaN(values[i]), $"{id}: pixel {i % info.Width},{i / info.Width}: scipy says {(expected[i] != 0 ? "masked" : "kept")}");
            flagged += expected[i] == 2 ? 1 : 0;
        }

        Assert.True(flagged > 0, $"{id}: no cloud or shadow pixel left after the clean-up");

        // The clean-up changed the mask (so the comparison above tests it, not just the raw flags).
        using var raw = new ObservationReader([scene.Image], grid, options with { CloudOpening = 0, CloudDilation = 0 });
        var unclean = new float[6 * n];
        raw.Read(new PixelWindow(0, 0, info.Width, info.Height), unclean);
        int changed = Enumerable.Range(0, n).Count(i => float.IsNaN(unclean[i]) != float.IsNaN(values[i]));
        Assert.True(changed > 0, $"{id}: opening {opening} and dilation {dilation} changed no pixel");

        // A window reads the same values as the whole scene (the mask is cleaned over the window grown by its reach).
        var window = new PixelWindow(20, 25, 30, 27);
        var part = new float[6 * window.PixelCount];
        reader.Read(window, part);
        for (int b = 0; b < 6; b++)
        {
            for (int r = 0; r < window.Height; r++)
            {
                for (int c = 0; c < window.Width; c++)
                {
                    Assert.Equal(values[(b * n) + ((window.Y + r) * info.Width) + window.X + c], part[(b * window.PixelCount) + (r * window.Width) + c]);
                }
            }
        }
    }

    [Fact]
    public void Settings_RefuseNegativeRadii_AndRecordTheCleanUp()
    {
        var settings = new CompositeSettings { Images = ["a.tif"], CloudOpening = 2, CloudDilation = 3 };
        Assert.Equal((2, 3), (settings.ReadOptions().CloudOpening, settings.ReadOptions().CloudDilation));
        Assert.Equal("2", settings.Provenance()["cloud_opening"]);
        Assert.Equal("3", settings.Provenance()["cloud_dilation"]);
        Assert.False(new CompositeSettings { Images = ["a.tif"] }.Provenance().ContainsKey("cloud_opening"));
        Assert.Contains("--cloud-dilation", Assert.Throws<ArgumentException>(() => (settings with { CloudDilation = -1 }).ReadOptions()).Message, StringComparison.Ordinal);
    }

    private const string Oracle = """
        import os, subprocess, sys
        import numpy as np
        from scipy import ndimage
        folder, prefix, work, output = sys.argv[1:5]
        opening, dilation = int(sys.argv[5]), int(sys.argv[6])
        def read(name):
            raw = os.path.join(work, name + '.bin')
            subprocess.run(['gdal_translate', '-q', '-of', 'ENVI', '-ot', 'UInt16', os.path.join(folder, prefix + '_' + name + '.TIF'), raw], check=True)
            hdr = open(os.path.join(work, name + '.hdr')).read()
            w = int([l for l in hdr.splitlines() if l.startswith('samples')][0].split('=')[1])
            h = int([l for l in hdr.splitlines() if l.startswith('lines')][0].split('=')[1])
            return np.fromfile(raw, dtype='<u2').reshape(h, w)
        def disk(r):
            y, x = np.ogrid[-r:r + 1, -r:r + 1]
            return x * x + y * y <= r * r
        q = read('BQA').astype(np.uint32)
        high = lambda shift: ((q >> shift) & 3) == 3
        cloud = ((q & 16) != 0) | high(5) | high(7)
        if opening > 0:
            cloud = ndimage.binary_opening(cloud, structure=disk(opening))
        if dilation > 0:
            cloud = ndimage.binary_dilation(cloud, structure=disk(dilation))
        bad = np.zeros(q.shape, dtype=bool)
        for b in range(2, 8):
            dn = read('B%d' % b).astype(np.float64)
            bad |= (dn == 0) | (dn * 2e-5 - 0.1 <= 0)
        code = np.where(bad & ~cloud, 1, 0) + np.where(cloud, 2, 0)
        code.astype(np.uint8).tofile(output)
        """;
}
