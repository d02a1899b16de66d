using Inegi.UrbanGrowth.Raster.Projections;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Vectors.Tests;

public sealed class CrsCatalogTests
{
    public static TheoryData<int, int, double, double> Cases => new()
    {
        // INEGI's LCC over Mexico: the grid's corner, Mexico City, Tijuana, Cancún.
        { 6372, 4326, 2_400_000, 1_200_000 },
        { 6372, 4326, 2_800_000, 830_000 },
        { 6372, 4326, 1_180_000, 2_230_000 },
        { 6372, 4326, 3_930_000, 1_140_000 },
        { 4326, 6372, -99.1332, 19.4326 },
        { 32614, 4326, 480_000, 2_150_000 },
        { 32719, 4326, 350_000, 7_900_000 },
        { 6372, 32614, 2_800_000, 830_000 },
        { 6365, 6372, -103.35, 20.67 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transformation_matches_gdaltransform(int source, int target, double x, double y)
    {
        MathTransform transform = CrsCatalog.Transformation(source, target);
        (double tx, double ty) = transform.Transform(x, y);
        (double ex, double ey) = TestGrids.GdalTransform(source, target, [(x, y)])[0];
        bool geographic = CrsCatalog.Get(target) is GeographicCoordinateSystem;
        // 1 cm either way: from Mexico ITRF2008 (GRS 80) ProjNET goes through geocentric coordinates to WGS 84, where PROJ
        // applies a null transformation; the two differ by about 2 mm.
        double tolerance = geographic ? 1e-7 : 1e-2;
        Assert.Equal(ex, tx, tolerance);
        Assert.Equal(ey, ty, tolerance);
    }

    [Fact]
    public void Known_codes_resolve_and_unknown_ones_are_refused_by_code()
    {
        Assert.True(CrsCatalog.TryGet(6372, out CoordinateSystem? lcc));
        Assert.IsType<ProjectedCoordinateSystem>(lcc);
        Assert.Equal("Mexico ITRF2008 / LCC", lcc.Name);
        Assert.Equal(6372, lcc.AuthorityCode);
        Assert.IsType<GeographicCoordinateSystem>(CrsCatalog.Get(4326));
        Assert.Equal("WGS 84 / UTM zone 14N", CrsCatalog.Get(32614).Name);
        Assert.Equal("WGS 84 / UTM zone 19S", CrsCatalog.Get(32719).Name);
        Assert.False(CrsCatalog.TryGet(2154, out CoordinateSystem? none));
        Assert.Null(none);
        var e = Assert.Throws<NotSupportedException>(() => CrsCatalog.Get(2154));
        Assert.Contains("EPSG:2154", e.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => CrsCatalog.Transformation(6372, 3857));
    }
}
