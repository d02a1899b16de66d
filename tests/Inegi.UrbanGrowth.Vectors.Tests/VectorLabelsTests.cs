using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary><c>urban grid --from</c>: labelled polygons and points burnt into a label grid, against gdal_rasterize.</summary>
public sealed class VectorLabelsTests : IDisposable
{
    private const int Width = 50, Height = 40;
    private readonly TempDirectory _dir = new();
    private readonly string _like;

    public VectorLabelsTests()
    {
        _like = _dir.File("like.tif");
        TestGrids.WriteByte(_like, Width, Height, new byte[Width * Height]);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Points_land_in_the_cell_that_contains_them()
    {
        var random = new Random(5);
        var points = Enumerable.Range(0, 300).Select(i => (random.NextDouble() * Width, random.NextDouble() * Height, i % 2)).ToList();
        points.Add((-3.5, 2.5, 1)); // outside the grid: ignored
        string layer = VectorLayers.WritePoints(points, _dir.Path, "cells", "GPKG");
        LabelBurnSummary summary = VectorLabels.Burn(layer, "label", _like, _dir.File("labels.tif"));
        int[] expected = TestGrids.GdalRasterize(layer, "label", GeoTiffReader.ReadInfo(_like), 255, _dir.File("gdal.tif"));
        byte[] actual = TestGrids.ReadAll<byte>(_dir.File("labels.tif"));
        Assert.Equal(expected, actual.Select(v => (int)v));
        Assert.Equal(301, summary.FeatureCount);
        Assert.Equal(actual.Count(v => v != 255), summary.LabelledCells);
        Assert.True(summary.LabelledCells > 200);
    }

    [Fact]
    public void Polygons_burn_by_cell_centre_onto_the_grid_of_the_like_raster()
    {
        List<VectorLayers.Shape> shapes = VectorLayers.RandomPolygons(12, Width, Height, seed: 8);
        shapes = [.. shapes.Select((s, i) => s with { Zone = i % 3 })];
        string layer = VectorLayers.Write(shapes, _dir.Path, "classes", "ESRI Shapefile");
        VectorLabels.Burn(layer, "zone", _like, _dir.File("labels.tif"));
        int[] expected = TestGrids.GdalRasterize(layer, "zone", GeoTiffReader.ReadInfo(_like), 255, _dir.File("gdal.tif"));
        Assert.Equal(expected, TestGrids.ReadAll<byte>(_dir.File("labels.tif")).Select(v => (int)v));
        RasterInfo written = GeoTiffReader.ReadInfo(_dir.File("labels.tif")), like = GeoTiffReader.ReadInfo(_like);
        Assert.Equal((like.Width, like.Height, like.GeoTransform, like.Epsg), (written.Width, written.Height, written.GeoTransform, written.Epsg));
        Assert.Equal(255.0, written.NoData);
        Assert.Equal(RasterSampleType.Byte, written.SampleType);
    }

    [Fact]
    public void Labels_outside_a_byte_and_overwriting_an_input_are_refused_without_output()
    {
        string layer = VectorLayers.WritePoints([(1.5, 1.5, 1), (2.5, 2.5, 300)], _dir.Path, "cells", "GPKG");
        var e = Assert.Throws<DataFileException>(() => VectorLabels.Burn(layer, "label", _like, _dir.File("labels.tif")));
        Assert.Contains("feature 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("300", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("labels.tif")));
        Assert.Throws<ArgumentException>(() => VectorLabels.Burn(layer, "label", _like, _like));
    }
}
