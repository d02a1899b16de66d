namespace Inegi.UrbanGrowth.Evaluation.Tests;

public sealed class FoldTests
{
    private static byte[] Labels(int n, int k, int seed)
    {
        var random = new Random(seed);
        var y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (byte)(random.NextDouble() < 0.07 ? k - 1 : random.Next(k - 1));
        }

        return y;
    }

    [Theory]
    [InlineData(10, 2, 4003)]
    [InlineData(10, 3, 997)]
    [InlineData(5, 2, 23)]
    public void StratifiedKFold_Split_BalancedDisjointAndCovering(int k, int classes, int n)
    {
        byte[] y = Labels(n, classes, 1);

        IReadOnlyList<Fold> folds = new StratifiedKFold(k, seed: 42).Split(y, default);

        Assert.Equal(k, folds.Count);
        var seen = new int[n];
        for (int c = 0; c < classes; c++)
        {
            int min = int.MaxValue, max = 0;
            foreach (Fold f in folds)
            {
                int count = f.Test.ToArray().Count(i => y[i] == c);
                min = Math.Min(min, count);
                max = Math.Max(max, count);
            }

            Assert.True(max - min <= 1, $"class {c}: fold counts {min}..{max}");
        }

        foreach (Fold f in folds)
        {
            Assert.Equal(n, f.Train.Length + f.Test.Length);
            Assert.Empty(f.Train.ToArray().Intersect(f.Test.ToArray()));
            Assert.True(f.Test.ToArray().SequenceEqual(f.Test.ToArray().Order()));
            foreach (int i in f.Test.Span)
            {
                seen[i]++;
            }
        }

        Assert.All(seen, s => Assert.Equal(1, s));
        Assert.True(folds.Max(f => f.Test.Length) - folds.Min(f => f.Test.Length) <= 1);
    }

    [Fact]
    public void StratifiedKFold_SameSeed_SameFolds_OtherSeed_Different()
    {
        byte[] y = Labels(1000, 2, 2);
        var a = new StratifiedKFold(10, 7).Split(y, default);
        var b = new StratifiedKFold(10, 7).Split(y, default);
        var c = new StratifiedKFold(10, 8).Split(y, default);

        Assert.True(a.Zip(b).All(p => p.First.Test.Span.SequenceEqual(p.Second.Test.Span)));
        Assert.False(a.Zip(c).All(p => p.First.Test.Span.SequenceEqual(p.Second.Test.Span)));
    }

    [Fact]
    public void SpatialBlockKFold_Split_KeepsBlocksWholeAndBalancesSamples()
    {
        // 40,000 samples scattered over a 600 x 500 cell grid (12 x 10 blocks of 50 km).
        var random = new Random(5);
        int n = 40_000;
        var cells = new GridCell[n];
        var y = new byte[n];
        for (int i = 0; i < n; i++)
        {
            cells[i] = new GridCell(random.Next(600), (int)(500 * Math.Sqrt(random.NextDouble())));   // denser to the east
            y[i] = (byte)(random.NextDouble() < 0.5 ? 1 : 0);
        }

        var scheme = new SpatialBlockKFold(50, 10, seed: 3);
        IReadOnlyList<Fold> folds = scheme.Split(y, cells);

        var foldOfBlock = new Dictionary<(int, int), int>();
        var seen = new int[n];
        foreach (Fold f in folds)
        {
            foreach (int i in f.Test.Span)
            {
                seen[i]++;
                var block = scheme.BlockOf(cells[i]);
                Assert.Equal(f.Index, foldOfBlock.TryGetValue(block, out int g) ? g : foldOfBlock[block] = f.Index);
            }

            Assert.Equal(n, f.Train.Length + f.Test.Length);
        }

        Assert.All(seen, s => Assert.Equal(1, s));
        int largestBlock = cells.GroupBy(scheme.BlockOf).Max(g => g.Count());
        Assert.True(folds.Max(f => f.Test.Length) - folds.Min(f => f.Test.Length) <= largestBlock);
        Assert.True(scheme.Split(y, cells).Zip(folds).All(p => p.First.Test.Span.SequenceEqual(p.Second.Test.Span)));
    }

    [Fact]
    public void SpatialBlockKFold_BadInput_ThrowsArgumentException()
    {
        var scheme = new SpatialBlockKFold(50, 10);
        Assert.Throws<ArgumentException>(() => scheme.Split(new byte[3], default));
        var few = new GridCell[] { new(0, 0), new(1, 1), new(60, 60) };
        var e = Assert.Throws<ArgumentException>(() => scheme.Split(new byte[3], few));
        Assert.Contains("Only 2 blocks", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new StratifiedKFold(10).Split(new byte[5], default));
    }
}
