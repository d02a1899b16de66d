using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// A mosaic given as a GDAL VRT of GeoTIFF tiles (made by GDAL's own gdal_translate -srcwin and gdalbuildvrt) reads
/// as the mosaic it was cut from, and classifies to the same map byte for byte.
/// </summary>
[Collection(WorkspaceCollection.Name)]
public sealed class VrtMosaicTests(Workspace w)
{
    [Fact]
    public void A_gdalbuildvrt_mosaic_of_tiles_reads_as_the_whole_mosaic_and_classifies_to_the_same_map()
    {
        string folder = w.Dir.File("vrt-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        RasterInfo whole = GeoTiffReader.ReadInfo(w.Mosaic(2020));
        var tiles = new List<string>();
        int halfX = whole.Width / 2 + 7, thirdY = whole.Height / 3;
        foreach ((int x, int y, int width, int height) in new[]
        {
            (0, 0, halfX, thirdY), (halfX, 0, whole.Width - halfX, thirdY),
            (0, thirdY, halfX, whole.Height - thirdY), (halfX, thirdY, whole.Width - halfX, whole.Height - thirdY),
        })
        {
            string tile = Path.Combine(folder, $"tile_{x}_{y}.tif");
            Oracles.RunGdal("gdal_translate", "-q", "-srcwin", $"{x}", $"{y}", $"{width}", $"{height}", w.Mosaic(2020), tile);
            tiles.Add(tile);
        }

        string vrt = Path.Combine(folder, "mosaic.vrt");
        Oracles.RunGdal("gdalbuildvrt", ["-q", vrt, .. tiles]);

        using (Mosaic fromTiles = Mosaic.Open(vrt), original = Mosaic.Open(w.Mosaic(2020)))
        {
            Assert.Equal(original.Width, fromTiles.Width);
            Assert.Equal(original.Height, fromTiles.Height);
            Assert.Equal(original.Epsg, fromTiles.Epsg);
            Assert.Equal(original.GeoTransform, fromTiles.GeoTransform);
            Assert.Equal(original.NoData, fromTiles.NoData);
            foreach (PixelWindow window in new[] { new PixelWindow(halfX - 16, thirdY - 16, 33, 33), new PixelWindow(0, 0, whole.Width, 5), new PixelWindow(halfX - 1, 0, 2, whole.Height) })
            {
                float[] a = new float[window.PixelCount * 6], b = new float[window.PixelCount * 6];
                original.Read(window, a);
                fromTiles.Read(window, b);
                Assert.Equal(a, b);
            }
        }

        string map = Path.Combine(folder, "map.tif");
        Urban.Ok(Urban.Run("classify", "--mosaic", vrt, "--grid", w.Grid(2020), "--model", w.Model, "--exclude", w.Sample, "--out", map));
        Assert.Equal(File.ReadAllBytes(w.SingleMap(2020)), File.ReadAllBytes(map));
    }

    [Fact]
    public void A_vrt_outside_the_supported_subset_is_refused_with_one_line_naming_it()
    {
        string vrt = w.Dir.File("scaled-" + Guid.NewGuid().ToString("N")[..6] + ".vrt");
        File.WriteAllText(vrt, $"""
            <VRTDataset rasterXSize="10" rasterYSize="10">
              <VRTRasterBand dataType="UInt16" band="1">
                <ComplexSource>
                  <SourceFilename relativeToVRT="0">{w.Mosaic(2020)}</SourceFilename>
                  <SourceBand>1</SourceBand>
                  <ScaleRatio>2</ScaleRatio>
                </ComplexSource>
              </VRTRasterBand>
            </VRTDataset>
            """);
        DataFileException e = Assert.Throws<DataFileException>(() => Mosaic.Open(vrt));
        Assert.Equal(vrt, e.FilePath);
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
    }
}
