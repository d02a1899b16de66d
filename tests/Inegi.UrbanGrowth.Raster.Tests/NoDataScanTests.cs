namespace Inegi.UrbanGrowth.Raster.Tests;

/// <summary>The vectorised nodata scan of a cell's values (<see cref="Mosaic.ContainsNoData(ReadOnlySpan{float})"/>).</summary>
public sealed class NoDataScanTests
{
    [Fact]
    public void ContainsValue_FindsTheValueAtEveryPositionAndLength_AsEqualityDoes()
    {
        var rng = new Random(21);
        for (int length = 0; length <= 41; length++)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(_ => (float)rng.Next(1, 65536))];
            Assert.False(Mosaic.ContainsValue(values, 0f));
            for (int at = 0; at < length; at++)
            {
                float[] copy = [.. values];
                copy[at] = 0f;
                Assert.True(Mosaic.ContainsValue(copy, 0f), $"length {length}, zero at {at}");
                copy[at] = -0f; // IEEE equality, as the scalar check: -0 == 0
                Assert.True(Mosaic.ContainsValue(copy, 0f), $"length {length}, -0 at {at}");
                copy[at] = float.NaN;
                Assert.False(Mosaic.ContainsValue(copy, float.NaN)); // NaN equals nothing; ContainsNoData tests NaN apart
            }
        }
    }

    [Fact]
    public void ContainsValue_AgreesWithTheScalarScan_OnACellOfRealisticValues()
    {
        var rng = new Random(5);
        float[] cell = [.. Enumerable.Range(0, 6 * 33 * 33).Select(_ => (float)rng.Next(1, 4000))];
        foreach (float target in new[] { 0f, 1f, 17f, 3999f, 4000f, 65535f })
        {
            Assert.Equal(cell.Any(v => v == target), Mosaic.ContainsValue(cell, target));
        }
    }
}
