using System.Globalization;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>Reprojection onto a target grid in another UTM zone, against gdalwarp, on a real Landsat 8 scene.</summary>
public sealed class ReprojectionTests : IDisposable
{
    // A 3 km Landsat 8 scene in UTM 18N (nyc-l8-2018-coarse), warped into INEGI's EPSG:6372 (Lambert conformal conic)
    // at 2.5 km: a real change of projection, rotation (the grids are about 20 degrees apart there) and pixel size.
    // (Not into another UTM zone: ProjNET's Transverse Mercator series drifts from PROJ's exact formula far outside a
    // zone, 0.15 m at 7 degrees; Landsat scenes come in their own zone.)
    private static readonly string Scene = TestData.Path("nyc-l8-2018-coarse", "LC08_L1TP_013032_20180131_20180207_01_T1", "LC08_L1TP_013032_20180131_B2.TIF");
    private static readonly TargetGrid Grid = TargetGrid.FromBounds(6372, 4_870_000, 3_260_000, 5_170_000, 3_560_000, 2500);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "urbangrowth-warp-" + Guid.NewGuid().ToString("N"));

    public ReprojectionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private float[] Gdalwarp(string method)
    {
        string output = Path.Combine(_dir, method + ".tif");
        GeoTransform g = Grid.GeoTransform;
        string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Oracles.RunGdal("gdalwarp", "-q", "-t_srs", "EPSG:6372", "-te", I(g.OriginX), I(g.OriginY + (g.PixelHeight * Grid.Height)), I(g.OriginX + (g.PixelWidth * Grid.Width)), I(g.OriginY),
            "-ts", $"{Grid.Width}", $"{Grid.Height}", "-r", method, "-et", "0", "-wo", "XSCALE=1", "-wo", "YSCALE=1", "-srcnodata", "0", "-dstnodata", "0", "-ot", "Float32", Scene, output);
        using var r = GeoTiffReader.Open(output);
        return r.ReadAllAsFloat();
    }

    private static float[] Ours(Resampling resampling)
    {
        using var reader = new ObservationReader([new CompositeImage(Scene)], Grid, new ImageReadOptions { Bands = [1], Scale = 1, Offset = 0, NoData = 0, Resampling = resampling });
        var values = new float[Grid.Width * Grid.Height];
        reader.Read(new PixelWindow(0, 0, Grid.Width, Grid.Height), values);
        return values;
    }

    [Fact]
    public void Nearest_MatchesGdalwarp()
    {
        float[] expected = Gdalwarp("near"), actual = Ours(Resampling.Nearest);
        int both = 0, differ = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool e = expected[i] != 0, a = !float.IsNaN(actual[i]);
            if (e && a)
            {
                both++;
                differ += expected[i] == actual[i] ? 0 : 1;
            }
            else if (e != a)
            {
                differ++;
            }
        }

        Assert.True(both > 4000, $"only {both} pixels with data");
        // Exact but for centres within rounding of a source pixel edge (ProjNET and PROJ differ by millimetres).
        Assert.True(differ <= both / 200, $"{differ} of {both} pixels differ from gdalwarp -r near");
    }

    [Fact]
    public void Bilinear_MatchesGdalwarp()
    {
        float[] expected = Gdalwarp("bilinear"), actual = Ours(Resampling.Bilinear);
        int both = 0, close = 0, presence = 0;
        var differences = new List<double>();
        for (int i = 0; i < expected.Length; i++)
        {
            bool e = expected[i] != 0, a = !float.IsNaN(actual[i]);
            presence += e == a ? 0 : 1;
            if (e && a)
            {
                both++;
                // Half a DN, or 0.1 %: ProjNET and PROJ place points a few decimetres apart here (NYC is far outside the
                // LCC's standard parallels), and the 3 km pixels change by up to 11,000 DN from one to the next.
                double difference = Math.Abs(expected[i] - actual[i]);
                differences.Add(difference);
                close += difference <= Math.Max(0.5, 1e-3 * expected[i]) ? 1 : 0;
            }
        }

        Assert.True(both > 4000, $"only {both} pixels with data");
        differences.Sort();
        Assert.True(differences[differences.Count / 2] < 0.05, $"median difference from gdalwarp -r bilinear {differences[differences.Count / 2]} DN");
        Assert.True(close >= both * 0.99, $"{both - close} of {both} pixels further from gdalwarp -r bilinear than max(0.5 DN, 0.1 %)");
        Assert.True(presence <= both / 20, $"{presence} pixels have data in one warp only");
    }
}
