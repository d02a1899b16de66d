using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

[Collection(SmallSceneCollection.Name)]
public sealed class TrainingSampleTests(SmallSceneFixture scene)
{
    [Fact]
    public void DrawCounts_TakesEachClassCount_AndKeepsTheUrbanCellsOfTheBalancedDraw()
    {
        using Mosaic mosaic = Mosaic.Open(scene.Files.Mosaic(2010));
        using CellGrid grid = CellGrid.Open(scene.Files.Labels(2010), mosaic);
        byte[] labels = grid.ReadAllLabels();
        TrainingSample balanced = TrainingSample.Draw(grid, 30, seed: 4, mosaic);
        TrainingSample wide = TrainingSample.DrawCounts(grid, nonUrban: 600, urban: 30, seed: 4, mosaic);

        Assert.Equal([600, 30], wide.DrawnPerClass);
        Assert.Equal(630, wide.Cells.Count);
        Assert.Equal(wide.Cells.Count, wide.Cells.Select(c => c.CellId).Distinct().Count());
        foreach (SampledCell cell in wide.Cells)
        {
            Assert.Equal(labels[cell.CellId], cell.Label);
            Assert.Equal(cell.CellId, ((long)cell.Row * grid.Width) + cell.Column);
            Assert.True(grid.IsComplete(cell.Row, cell.Column, mosaic), $"cell {cell.CellId} is incomplete");
        }

        // One generator per class: asking for more non-urban cells leaves the urban ones as they were.
        Assert.Equal(balanced.Cells.Where(c => c.Label == 1), wide.Cells.Where(c => c.Label == 1));
        Assert.Equal(balanced.LabelledPerClass, wide.LabelledPerClass);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingSample.DrawCounts(grid, 0, 30, seed: 4));
    }
}
