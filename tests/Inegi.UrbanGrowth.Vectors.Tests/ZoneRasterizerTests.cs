using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>Zones burnt from polygon layers, compared with gdal_rasterize on the same layer and grid.</summary>
public sealed class ZoneRasterizerTests : IDisposable
{
    private const int Width = 64, Height = 48;
    private readonly TempDirectory _dir = new();
    private readonly RasterInfo _grid;
    private readonly List<VectorLayers.Shape> _shapes = VectorLayers.RandomPolygons(40, Width, Height, seed: 31);

    public ZoneRasterizerTests()
    {
        string grid = _dir.File("grid.tif");
        TestGrids.WriteByte(grid, Width, Height, new byte[Width * Height]);
        _grid = GeoTiffReader.ReadInfo(grid);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("GPKG", "zone")]
    [InlineData("ESRI Shapefile", "zone")]
    [InlineData("ESRI Shapefile", "CVEGEO")]
    [InlineData("GPKG", "CVEGEO")]
    public void Zones_match_gdal_rasterize_cell_by_cell(string format, string field)
    {
        string layer = VectorLayers.Write(_shapes, _dir.Path, "zones", format);
        int[] expected = TestGrids.GdalRasterize(layer, field, _grid, ZoneRasterizer.NoZone, _dir.File("gdal.tif"));
        using ZoneRasterizer zones = ZoneRasterizer.Rasterize(layer, field, _grid);
        int[] actual = Rows(zones);
        Assert.Equal(_shapes.Count, zones.FeatureCount);
        Assert.True(zones.CoveredCells > Width * Height / 4, $"{zones.CoveredCells} cells covered");
        Assert.True(expected.Distinct().Count() > 20, "the layer should leave many zones on the grid");
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count(z => z != ZoneRasterizer.NoZone), zones.CoveredCells);
    }

    [Fact]
    public void A_layer_in_another_crs_is_reprojected_to_the_grid()
    {
        string native = VectorLayers.Write(_shapes, _dir.Path, "zones", "GPKG");
        string wgs84 = VectorLayers.Write(_shapes, _dir.Path, "zones_wgs84", "GPKG", targetSrs: "EPSG:4326");
        string utm = VectorLayers.Write(_shapes, _dir.Path, "zones_utm", "ESRI Shapefile", targetSrs: "EPSG:32613");
        int[] expected = Rows(ZoneRasterizer.Rasterize(native, "zone", _grid));
        Assert.Equal(expected, Rows(ZoneRasterizer.Rasterize(wgs84, "zone", _grid)));
        Assert.Equal(expected, Rows(ZoneRasterizer.Rasterize(utm, "zone", _grid)));
    }

    [Fact]
    public void Zone_sources_open_rasters_and_layers_alike()
    {
        string layer = VectorLayers.Write(_shapes, _dir.Path, "zones", "GPKG");
        string raster = _dir.File("zones.tif");
        using (ZoneRasterizer burnt = ZoneRasterizer.Rasterize(layer, "zone", _grid))
        {
            GeoTiffWriter.Write<int>(raster, new GeoTiffWriteOptions
            {
                Width = Width, Height = Height, SampleType = RasterSampleType.Int32, GeoTransform = _grid.GeoTransform, Epsg = _grid.Epsg, NoData = -1,
            }, Rows(burnt));
        }

        using IZoneRowSource fromLayer = ZoneSources.Open(layer, "zone", _grid);
        using IZoneRowSource fromRaster = ZoneSources.Open(raster, null, _grid);
        Assert.Equal(-1, fromRaster.NoData);
        Assert.Equal(fromLayer.NoData, fromRaster.NoData);
        Assert.Equal(Rows(fromLayer), Rows(fromRaster));
        Assert.Throws<ArgumentException>(() => ZoneSources.Open(layer, null, _grid));
        Assert.Throws<ArgumentException>(() => ZoneSources.Open(raster, "zone", _grid));
    }

    [Fact]
    public void Fields_that_are_not_zone_ids_are_refused_naming_the_file_field_and_feature()
    {
        string layer = VectorLayers.Write(_shapes, _dir.Path, "zones", "GPKG");
        var missing = Assert.Throws<DataFileException>(() => ZoneRasterizer.Rasterize(layer, "municipio", _grid));
        Assert.Contains("zones.gpkg", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'municipio'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("CVEGEO", missing.Message, StringComparison.Ordinal);

        var fractional = Assert.Throws<DataFileException>(() => ZoneRasterizer.Rasterize(layer, "share", _grid));
        Assert.Contains("feature 1", fractional.Message, StringComparison.Ordinal);
        Assert.Contains("100.5", fractional.Message, StringComparison.Ordinal);

        string points = VectorLayers.WritePoints([(1.5, 1.5, 3)], _dir.Path, "points", "GPKG");
        Assert.Contains("Point", Assert.Throws<DataFileException>(() => ZoneRasterizer.Rasterize(points, "label", _grid)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<DataFileException>(() => ZoneRasterizer.Rasterize(_dir.File("none.shp"), "zone", _grid)).Message, StringComparison.Ordinal);
    }

    private static int[] Rows(IZoneRowSource zones)
    {
        int[] all = new int[zones.Width * zones.Height];
        for (int r = 0; r < zones.Height; r++)
        {
            zones.ReadRow(r, all.AsSpan(r * zones.Width, zones.Width));
        }

        return all;
    }
}
