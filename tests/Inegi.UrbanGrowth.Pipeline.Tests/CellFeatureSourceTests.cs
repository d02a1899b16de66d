using System.Globalization;
using System.Security.Cryptography;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>
/// The one cell-feature source behind features, patches and classify: storage order, batching that never changes a
/// value, labels from the list or the grid, complete rows packed in place, and the patch table it writes.
/// </summary>
[Collection(SmallSceneCollection.Name)]
public sealed class CellFeatureSourceTests(SmallSceneFixture scene)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every cell's label, cell id, completeness and features, read batch by batch.</summary>
    private static List<(SampledCell Cell, bool Complete, float[] Features)> Collect(IEnumerable<CellFeatureBatch> batches)
    {
        var rows = new List<(SampledCell, bool, float[])>();
        foreach (CellFeatureBatch batch in batches)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                rows.Add((batch.Cells[i], batch.Complete[i], batch.Complete[i] ? batch.Features(i).ToArray() : []));
            }
        }

        return rows;
    }

    /// <summary>The first cell (row-major) whose patch holds nodata or leaves the mosaic: the scene has a nodata strip.</summary>
    private static SampledCell FirstIncomplete(Mosaic mosaic, CellGrid grid)
    {
        for (int row = 0; row < grid.Height; row++)
        {
            for (int col = 0; col < grid.Width; col++)
            {
                if (!grid.IsPatchInside(row, col) || !grid.IsComplete(row, col, mosaic))
                {
                    return new SampledCell(((long)row * grid.Width) + col, row, col, UrbanClass.Undefined);
                }
            }
        }

        throw new InvalidOperationException("the scene has no incomplete cell");
    }

    [Fact]
    public void ReadCells_ShuffledList_StorageOrderAndValuesIndependentOfBatchAndThreads()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        byte[] labels = new byte[grid.CellCount];
        grid.ReadLabels(0, grid.Height, labels);
        var random = new Random(11);
        // A shuffled list with cells that carry no label (their label comes from the grid), a cell whose patch is
        // incomplete, and a cell off the grid (both incomplete, never extracted).
        List<SampledCell> cells = [.. Enumerable.Range(0, 120).Select(_ => random.Next((int)grid.CellCount))
            .Select(id => new SampledCell(id, id / grid.Width, id % grid.Width, id % 3 == 0 ? UrbanClass.Undefined : labels[id]))];
        SampledCell incomplete = FirstIncomplete(mosaic, grid);
        cells.Add(incomplete);
        cells.Add(new SampledCell(grid.CellCount + 5, grid.Height + 1, 5, UrbanClass.NonUrban));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cells));

        var extractor = new CellFeatureExtractor();
        var one = Collect(new CellFeatureSource(mosaic, grid, extractor, 1, Token).ReadCells(cells, 1000));
        var many = Collect(new CellFeatureSource(mosaic, grid, extractor, 2, Token).ReadCells(cells, 7));

        Assert.Equal(cells.Count, one.Count);
        Assert.Equal([.. cells.Select(c => c.CellId).Order()], one.Select(r => r.Cell.CellId));
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Cell, many[i].Cell);
            Assert.Equal(one[i].Complete, many[i].Complete);
            Assert.Equal(one[i].Features, many[i].Features);
            SampledCell cell = one[i].Cell;
            if (cell.Row < grid.Height)
            {
                Assert.Equal(labels[cell.CellId], cell.Label);
            }
        }

        Assert.False(one.Single(r => r.Cell.CellId == incomplete.CellId).Complete);
        Assert.False(one.Single(r => r.Cell.Row > grid.Height).Complete);
        Assert.True(one.Count(r => r.Complete) > 100);
    }

    [Fact]
    public void ReadRows_Window_SameCellsAndFeaturesAsTheListedCells_AndPacksCompleteRowsInOrder()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        SampledCell incomplete = FirstIncomplete(mosaic, grid);
        int x0 = Math.Clamp(incomplete.Column - 4, 0, grid.Width - 9), y0 = Math.Clamp(incomplete.Row - 2, 0, grid.Height - 5);
        var window = new PixelWindow(x0, y0, 9, 5); // around an incomplete cell
        var source = new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(), 2, Token);
        var rows = Collect(source.ReadRows(window, 2));
        List<SampledCell> listed = [.. rows.Select(r => r.Cell with { Label = UrbanClass.Undefined })];
        var fromList = Collect(source.ReadCells(listed, 16));
        Assert.Equal(45, rows.Count);
        Assert.Equal(rows.Select(r => r.Cell), fromList.Select(r => r.Cell));
        Assert.Equal(rows.Select(r => r.Complete), fromList.Select(r => r.Complete));
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(((long)(y0 + (i / 9)) * grid.Width) + x0 + (i % 9), rows[i].Cell.CellId);
            Assert.Equal(rows[i].Features, fromList[i].Features);
        }

        Assert.Contains(rows, r => !r.Complete);
        Assert.Contains(rows, r => r.Complete);

        // CompleteRows moves the complete cells' rows to the front, in order, over the batch's own buffer.
        foreach (CellFeatureBatch batch in source.ReadRows(window, 5))
        {
            List<float[]> expected = [.. Enumerable.Range(0, batch.Count).Where(i => batch.Complete[i]).Select(i => batch.Features(i).ToArray())];
            FeatureMatrix packed = batch.CompleteRows();
            Assert.Equal(expected.Count, packed.RowCount);
            Assert.Equal(expected.Count * packed.ColumnCount, packed.Values.Length);
            for (int k = 0; k < expected.Count; k++)
            {
                Assert.Equal(expected[k], packed.Row(k).ToArray());
            }

            Assert.Throws<InvalidOperationException>(() => batch.Features(0).ToArray());
            Assert.Equal(expected.Count, batch.CompleteRows().RowCount);
        }
    }

    [Fact]
    public void ReadRows_PatchPixels_BlueIsGdalsDigitalNumbersTimesTheScale()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        var window = new PixelWindow(20, 20, 1, 1);
        var source = new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(null, CellFeatureKind.PatchPixels), 1, Token);
        var rows = Collect(source.ReadRows(window, 1));
        Assert.True(rows[0].Complete);
        PixelWindow patch = grid.PatchWindow(20, 20);

        string text = Oracles.RunGdal("gdal_translate", "-q", "-b", "1", "-srcwin",
            patch.X.ToString(CultureInfo.InvariantCulture), patch.Y.ToString(CultureInfo.InvariantCulture), "33", "33",
            "-of", "AAIGrid", scene.Files.Mosaic(2010), "/vsistdout/");
        double[] dn = [.. text.Split('\n').Where(l => l.Length > 0 && (char.IsDigit(l[0]) || l[0] == ' ')).SelectMany(l => Oracles.ParseNumbers(l))];
        Assert.Equal(33 * 33, dn.Length);
        for (int i = 0; i < dn.Length; i++)
        {
            Assert.Equal((float)(dn[i] * 0.0001), rows[0].Features[i], 6);
        }
    }

    [Fact]
    public void ReadRows_WindowOutsideTheGrid_IsAnArgumentError()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        var source = new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(), 1, Token);
        var e = Assert.Throws<ArgumentException>(() => source.ReadRows(new PixelWindow(60, 0, 10, 2), 1));
        Assert.Contains("not inside the 64 x 44 grid", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadCells([], 0));
    }

    [Fact]
    public void PatchTable_WrittenInStorageOrderWithAChecksum_ReadBack_AndDamageIsADataError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("p.bin");
        List<SampledCell> cells;
        using (Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010)))
        using (CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic))
        {
            cells = [.. TrainingSample.Draw(grid, 3, seed: 4, mosaic).Cells.Reverse()];
            FeatureExtractionSummary summary = PatchTable.Write(mosaic, grid, cells, path, maxDegreeOfParallelism: 2, cancellationToken: Token);
            Assert.Equal(cells.Count, summary.Written);
        }

        PatchTableContent content = PatchTable.Read(path);
        Assert.Equal([.. cells.Select(c => c.CellId).Order()], content.Table.CellIds);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("UGPATCH\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 8));
        long payload = BitConverter.ToInt64(bytes, 16);
        Assert.Equal(bytes.Length, 24 + payload + 32);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(24, (int)payload)), bytes[^32..]);

        bytes[bytes.Length / 2] ^= 0x40;
        string corrupt = dir.File("corrupt.bin");
        File.WriteAllBytes(corrupt, bytes);
        var e = Assert.Throws<DataFileException>(() => PatchTable.Read(corrupt));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, e.FilePath);

        BitConverter.GetBytes(7).CopyTo(bytes, 8);
        File.WriteAllBytes(corrupt, bytes);
        e = Assert.Throws<DataFileException>(() => PatchTable.Read(corrupt));
        Assert.Contains("version 7 is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatchTable_Version1WrittenBeforeTheFrame_StillReadsRowForRow()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "LegacyPatchTables", "patches-v1.bin");
        string[] expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "LegacyPatchTables", "patches-v1.expected.txt"));
        PatchTableContent content = PatchTable.Read(path);
        FeatureTable table = content.Table;
        Assert.Equal(expected.Length, table.RowCount);
        Assert.Equal(PatchPixelLayout.Standard.Schema, table.Features.Schema);
        for (int i = 0; i < table.RowCount; i++)
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.Features.Row(i))));
            Assert.Equal(expected[i], string.Create(CultureInfo.InvariantCulture, $"{table.CellIds[i]} {table.GridRows[i]} {table.GridColumns[i]} {table.Labels[i]} {hash}"));
        }
    }
}

/// <summary>The one same-grid check (Raster's <see cref="RasterGrids"/>), which maps, zones and the vectors use.</summary>
public sealed class RasterGridsTests
{
    private static RasterInfo Info(string path, GeoTransform transform, int? epsg = 6372, int width = 10) =>
        new(path, width, 8, 1, RasterSampleType.Byte, transform, epsg, 255, false, width, 8, RasterCompression.None, false, false);

    [Fact]
    public void EnsureSameGrid_OneToleranceForOriginsAndPixels_DataErrorsNameTheOtherFile()
    {
        var t = new GeoTransform(2_500_000, 1000, 0, 1_200_000, 0, -1000);
        RasterInfo reference = Info("/a/map_2010.tif", t);
        RasterGrids.EnsureSameGrid(reference, Info("/a/same.tif", t with { OriginX = t.OriginX + 0.5 })); // half a metre: 0.0005 pixel
        Assert.True(RasterGrids.SameTransform(t, t with { PixelWidth = 1000 + 1e-4 }));

        DataFileException e = Assert.Throws<DataFileException>(() => RasterGrids.EnsureSameGrid(reference, Info("/a/shifted.tif", t with { OriginX = t.OriginX + 5 })));
        Assert.Equal("/a/shifted.tif", e.FilePath);
        Assert.Contains("differs from map_2010.tif's", e.Message, StringComparison.Ordinal);
        Assert.False(RasterGrids.SameTransform(t, t with { PixelWidth = 1000.01 }));
        Assert.Contains("CRS mismatch: EPSG:4326", Assert.Throws<DataFileException>(() => RasterGrids.EnsureSameGrid(reference, Info("/a/b.tif", t, 4326))).Message, StringComparison.Ordinal);
        Assert.Contains("11 x 8 cells", Assert.Throws<DataFileException>(() => RasterGrids.EnsureSameGrid(reference, Info("/a/c.tif", t, width: 11))).Message, StringComparison.Ordinal);
        // MapFiles keeps its name for callers of the pipeline, with the same rule.
        Assert.Throws<DataFileException>(() => RasterGrids.EnsureSameGrid(reference, Info("/a/shifted.tif", t with { OriginX = t.OriginX + 5 })));
    }
}
