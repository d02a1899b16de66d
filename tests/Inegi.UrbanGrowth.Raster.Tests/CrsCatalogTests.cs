using System.Globalization;
using Inegi.UrbanGrowth.Raster.Projections;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>CrsCatalog's transforms against gdaltransform (PROJ) on points where Landsat scenes and INEGI's grid lie.</summary>
public sealed class CrsCatalogTests
{
    public static TheoryData<int, int, double, double> Pairs() => new()
    {
        { 4326, 6372, -99.13, 19.43 },      // Mexico City into INEGI's LCC
        { 4326, 6372, -117.0, 32.5 },       // Tijuana
        { 4326, 6372, -86.8, 21.1 },        // Cancun
        { 32614, 6372, 486353.0, 2148412.0 },
        { 32611, 6372, 500000.0, 3600000.0 },
        { 32616, 6372, 300000.0, 2300000.0 },
        { 6372, 32613, 2500000.0, 1500000.0 },
        { 6372, 4326, 1200000.0, 2200000.0 },
        { 32618, 4326, 583000.0, 4507000.0 }, // the nyc-l8-2018-coarse scenes
        { 4326, 32618, -74.0, 40.7 },
        { 4326, 32720, -63.9, -8.76 },       // southern hemisphere (Porto Velho)
        { 26918, 32618, 500000.0, 4500000.0 },
        { 4269, 26914, -99.0, 30.0 },
        { 32616, 4326, 300000.0, 2900000.0 }, // the florida-ls8-l1t scene's zone
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Transformation_MatchesGdaltransform(int source, int target, double x, double y)
    {
        string input = Path.Combine(Path.GetTempPath(), "urbangrowth-crs-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(input, string.Create(CultureInfo.InvariantCulture, $"{x:R} {y:R}\n"));
        string output;
        try
        {
            output = Oracles.Run("bash", ["-c", $"gdaltransform -s_srs EPSG:{source} -t_srs EPSG:{target} -output_xy < '{input}'"]);
        }
        finally
        {
            File.Delete(input);
        }

        double[] expected = Oracles.ParseNumbers(output);
        double[] actual = CrsCatalog.Transformation(source, target).Transform([x, y]);
        // 1 cm (or 1e-7 degree): PROJ keeps latitude and longitude through a null datum shift, ProjNET goes through
        // geocentric coordinates when the ellipsoids differ (GRS 80 against WGS 84), which moves points by a few mm.
        double tolerance = target is 4326 or 4269 ? 1e-7 : 1e-2;
        Assert.True(Math.Abs(expected[0] - actual[0]) <= tolerance && Math.Abs(expected[1] - actual[1]) <= tolerance,
            $"EPSG:{source} -> EPSG:{target} of ({x}, {y}): gdaltransform ({expected[0]}, {expected[1]}), CrsCatalog ({actual[0]}, {actual[1]})");
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(4269)]
    [InlineData(6365)]
    [InlineData(6372)]
    [InlineData(32601)]
    [InlineData(32660)]
    [InlineData(32701)]
    [InlineData(32760)]
    [InlineData(26901)]
    [InlineData(26923)]
    public void TryGet_CoversTheCatalogue(int epsg)
    {
        Assert.True(CrsCatalog.TryGet(epsg, out var crs));
        Assert.Equal(epsg, (int)crs.AuthorityCode);
        Assert.Same(crs, CrsCatalog.Get(epsg));
    }

    [Theory]
    [InlineData(3857)]
    [InlineData(32661)]
    [InlineData(26924)]
    [InlineData(0)]
    public void Get_UnknownCode_NamesIt(int epsg)
    {
        Assert.False(CrsCatalog.TryGet(epsg, out _));
        var e = Assert.Throws<NotSupportedException>(() => CrsCatalog.Get(epsg));
        Assert.Contains($"EPSG:{epsg}", e.Message, StringComparison.Ordinal);
    }
}
