using System.Globalization;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>
/// Open Data Cube products in <c>--scenes</c>: DEA's ga_ls*_ard_3 (<c>nbart_*</c> + <c>fmask</c>) on a synthetic scene
/// with every fmask class, and Geoscience Australia's NBAR with PQ25 on the real Canberra scene, checked against numpy
/// decoding the PQ bits itself; the Canberra scene renamed as DEA ARD (fmask derived from its PQ by numpy) composites
/// to the same bytes, and its mosaic's overviews are <c>gdaladdo -r average</c>'s.
/// </summary>
public sealed class AnalysisReadyTests : IDisposable
{
    internal static readonly string Canberra = TestData.Path("canberra-ls5-nbar");
    internal static readonly string[] DeaBands = ["blue", "green", "red", "nir", "swir_1", "swir_2"];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DeaArd_FmaskClassesScaleAndNodata()
    {
        const int W = 4, H = 2;
        var transform = GeoTransform.NorthUp(500_000, 6_000_000, 30);
        string prefix = "ga_ls8c_ard_3-2-1_090084_2020-01-05_final";
        string folder = Directory.CreateDirectory(_dir.File("ard/090/084/2020/01/05")).FullName;
        for (int b = 0; b < 6; b++)
        {
            var data = new short[W * H];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (short)(1000 + (100 * b) + i);
            }

            data[6] = b == 2 ? (short)-999 : data[6]; // nodata in one band drops the observation
            data[7] = b == 4 ? (short)0 : data[7];   // zero reflectance too
            GeoTiffWriter.Write<short>(Path.Combine(folder, $"{prefix}_nbart_{DeaBands[b]}.tif"), new GeoTiffWriteOptions { Width = W, Height = H, SampleType = RasterSampleType.Int16, GeoTransform = transform, Epsg = 32655, NoData = -999 }, data);
        }

        // 1 valid, 0 nodata, 2 cloud, 3 shadow, 4 snow, 5 water (kept).
        byte[] fmask = [1, 0, 2, 3, 4, 5, 1, 1];
        GeoTiffWriter.Write<byte>(Path.Combine(folder, $"{prefix}_oa_fmask.tif"), new GeoTiffWriteOptions { Width = W, Height = H, GeoTransform = transform, Epsg = 32655 }, fmask);

        SceneObservation scene = Assert.Single(SceneInventory.Scan(_dir.Path));
        Assert.Equal((prefix, new DateOnly(2020, 1, 5), "OLI", LandsatProduct.DeaArd), (scene.Id, scene.Date, scene.Sensor, scene.Product));
        Assert.Equal(QualityFormat.DeaFmask, scene.Image.QualityFormat);
        Assert.Empty(SceneInventory.Scan(_dir.Path, new DateOnly(2020, 1, 6)));

        using var reader = new ObservationReader([scene.Image], new TargetGrid(W, H, transform, 32655), new ImageReadOptions());
        var values = new float[6 * W * H];
        reader.Read(new PixelWindow(0, 0, W, H), values);
        bool[] kept = [true, false, false, false, false, true, false, false];
        for (int i = 0; i < W * H; i++)
        {
            for (int b = 0; b < 6; b++)
            {
                float v = values[(b * W * H) + i];
                if (kept[i])
                {
                    Assert.Equal((float)((1000 + (100 * b) + i) * 1e-4), v);
                }
                else
                {
                    Assert.True(float.IsNaN(v), $"pixel {i} band {b} should be masked, is {v}");
                }
            }
        }

        // Snow kept when the mask does not name it.
        using var withSnow = new ObservationReader([scene.Image], new TargetGrid(W, H, transform, 32655), new ImageReadOptions { Masked = MaskedConditions.Default & ~MaskedConditions.Snow });
        withSnow.Read(new PixelWindow(0, 0, W, H), values);
        Assert.False(float.IsNaN(values[4]));

        // The fmask is required, and named when missing.
        File.Delete(Path.Combine(folder, $"{prefix}_oa_fmask.tif"));
        Assert.Contains($"{prefix}_fmask.tif", Assert.Throws<DataFileException>(() => SceneInventory.Scan(_dir.Path)).Message, StringComparison.Ordinal);
    }

    /// <summary>The real Canberra NBAR scene with its PQ25: band files, scale, nodata and the PQ bits decoded as numpy decodes them.</summary>
    [Fact]
    public void Canberra_NbarWithPixelQuality_MatchesNumpy()
    {
        SceneObservation scene = Assert.Single(SceneInventory.Scan(Canberra));
        Assert.Equal(("LS5_TM_NBAR_090_084_19920323", new DateOnly(1992, 3, 23), "TM", LandsatProduct.GaNbar), (scene.Id, scene.Date, scene.Sensor, scene.Product));
        Assert.Equal([.. new[] { 10, 20, 30, 40, 50, 70 }.Select(b => Path.Combine(Canberra, $"LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_B{b}.tif"))], scene.Image.BandPaths);
        Assert.Equal(Path.Combine(Canberra, "LS5_TM_PQ_P55_GAPQ01-002_090_084_19920323_1111111111111100.tif"), scene.Image.QualityPath);

        TargetGrid grid = CanberraGrid;
        using var reader = new ObservationReader([scene.Image], grid, new ImageReadOptions());
        var values = new float[6 * grid.Width * grid.Height];
        reader.Read(new PixelWindow(0, 0, grid.Width, grid.Height), values);

        // numpy, from the files and GA's bit layout (as GA's WOfS masks: saturation bits 0-4 and 7, contiguity 8,
        // cloud 10-11, cloud shadow 12-13; a bit set when the test passed).
        string expected = _dir.File("expected.f32");
        Oracles.RunPython("""
            import sys, glob
            import numpy as np
            from osgeo import gdal
            d, out = sys.argv[1], sys.argv[2]
            bands = [gdal.Open(glob.glob(f"{d}/*_NBAR_*_B{b}.tif")[0]).ReadAsArray().astype(np.float64) for b in (10, 20, 30, 40, 50, 70)]
            pq = gdal.Open(glob.glob(f"{d}/*_PQ_*.tif")[0]).ReadAsArray().astype(np.int64)
            ok = ((pq >> 8) & 1 == 1) & (pq & 0x9F == 0x9F) & ((pq >> 10) & 3 == 3) & ((pq >> 12) & 3 == 3)
            refl = [b * 1e-4 for b in bands]
            for b, r in zip(bands, refl):
                ok &= (b != -999) & (r > 0)
            print(int((~ok).sum()), int(((pq >> 10) & 3 != 3).sum()))
            np.stack([np.where(ok, r, np.nan).astype(np.float32) for r in refl]).tofile(out)
            """, [Canberra, expected]);
        float[] numpy = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(expected)).ToArray();
        Assert.Equal(numpy.Length, values.Length);
        int masked = 0;
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(float.IsNaN(numpy[i]), float.IsNaN(values[i]));
            if (float.IsNaN(numpy[i]))
            {
                masked++;
                continue;
            }

            Assert.Equal(numpy[i], values[i]);
        }

        // The scene's cloud (PQ down to 13311: bits 10-11 clear) and its nodata wedge are masked, not the whole scene.
        Assert.InRange(masked / 6, 1000, (grid.Width * grid.Height) / 2);
    }

    /// <summary>
    /// The Canberra scene in DEA ARD naming (its bands copied, an fmask derived from its PQ by numpy: 0 where not
    /// contiguous or saturated, 2 cloud, 3 shadow, else 1) gives the same composite bytes as the NBAR + PQ scene, and
    /// the mosaic's overview is gdaladdo's average of its full image.
    /// </summary>
    [Fact]
    public void Canberra_AsDeaArd_CompositesToTheSameBytes_WithGdalAverageOverviews()
    {
        string dea = MakeDeaCopy(_dir.File("dea"));
        SceneObservation scene = Assert.Single(SceneInventory.Scan(dea));
        Assert.Equal(LandsatProduct.DeaArd, scene.Product);
        Assert.Equal(("TM", new DateOnly(1992, 3, 23)), (scene.Sensor, scene.Date));

        string[] nbar = Composite(new CompositeSettings { Scenes = Canberra }, "nbar");
        string[] ard = Composite(new CompositeSettings { Scenes = dea }, "ard");
        Assert.Equal(File.ReadAllBytes(nbar[0]), File.ReadAllBytes(ard[0]));
        Assert.Equal(File.ReadAllBytes(nbar[1]), File.ReadAllBytes(ard[1]));

        // 456 x 404 at 256-pixel tiles: one averaged overview of 228 x 202.
        string info = Oracles.RunGdal("gdalinfo", nbar[0]);
        Assert.Contains("Overviews: 228x202", info, StringComparison.Ordinal);
        string plain = _dir.File("plain.tif");
        Oracles.RunGdal("gdal_translate", "-q", "-co", "TILED=YES", nbar[0], plain);
        Oracles.RunGdal("gdaladdo", "-q", "-r", "average", plain, "2");
        string report = Oracles.RunPython("""
            import sys
            import numpy as np
            from osgeo import gdal
            a, b = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
            for k in range(1, 7):
                x = a.GetRasterBand(k).GetOverview(0).ReadAsArray().astype(np.int64)
                y = b.GetRasterBand(k).GetOverview(0).ReadAsArray().astype(np.int64)
                print(int((x != y).sum()), int(np.abs(x - y).max()), int((x == 0).sum()))
            """, [nbar[0], plain]);
        foreach (string line in report.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int[] f = [.. line.Split(' ').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
            Assert.True(f[0] == 0, $"overview differs from gdaladdo's: {line}");
            Assert.True(f[2] > 0, "the nodata wedge stays nodata in the overview");
        }

        // The full image is the first directory: read back unchanged.
        using var reader = GeoTiffReader.Open(nbar[0]);
        Assert.Equal((456, 404, 6), (reader.Info.Width, reader.Info.Height, reader.Info.BandCount));
    }

    internal static TargetGrid CanberraGrid => new(456, 404, GeoTransform.NorthUp(689_000, 6_096_000, 25), 28355);

    /// <summary>Copies the Canberra bands under DEA names and derives an fmask from the PQ with numpy; returns the folder.</summary>
    internal static string MakeDeaCopy(string root)
    {
        string prefix = "ga_ls5t_ard_3-2-0_090084_1992-03-23_final";
        string folder = Directory.CreateDirectory(Path.Combine(root, "ga_ls5t_ard_3", "090", "084", "1992", "03", "23")).FullName;
        string[] ga = ["B10", "B20", "B30", "B40", "B50", "B70"];
        for (int b = 0; b < 6; b++)
        {
            File.Copy(Path.Combine(Canberra, $"LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_{ga[b]}.tif"), Path.Combine(folder, $"{prefix}_nbart_{DeaBands[b]}.tif"));
        }

        Oracles.RunPython("""
            import sys, glob
            import numpy as np
            from osgeo import gdal
            src = gdal.Open(glob.glob(f"{sys.argv[1]}/*_PQ_*.tif")[0])
            pq = src.ReadAsArray().astype(np.int64)
            f = np.ones(pq.shape, np.uint8)
            f[((pq >> 12) & 3) != 3] = 3
            f[((pq >> 10) & 3) != 3] = 2
            f[(((pq >> 8) & 1) == 0) | ((pq & 0x9F) != 0x9F)] = 0
            out = gdal.GetDriverByName("GTiff").Create(sys.argv[2], src.RasterXSize, src.RasterYSize, 1, gdal.GDT_Byte)
            out.SetGeoTransform(src.GetGeoTransform())
            out.SetProjection(src.GetProjection())
            out.GetRasterBand(1).WriteArray(f)
            out = None
            """, [Canberra, Path.Combine(folder, $"{prefix}_oa_fmask.tif")]);
        return root;
    }

    private string[] Composite(CompositeSettings settings, string name)
    {
        settings = settings with { Crs = "EPSG:28355", Bounds = "689000,6085900,700400,6096000", Resolution = 25 };
        using ObservationReader reader = settings.OpenReader();
        string mosaic = _dir.File(name + ".tif"), count = _dir.File(name + "_count.tif");
        new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: 2)).Write(mosaic, null, count, settings.Provenance());
        return [mosaic, count];
    }
}
