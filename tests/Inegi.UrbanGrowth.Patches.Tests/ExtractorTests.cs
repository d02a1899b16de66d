namespace Inegi.UrbanGrowth.Patches.Tests;

public sealed class ExtractorTests
{
    [Fact]
    public void Standard_Schema_Has486ChannelMajorNames()
    {
        var layout = PatchFeatureLayout.Standard;
        Assert.Equal(486, layout.FeatureCount);
        Assert.Equal(27, layout.ChannelCount);
        Assert.Equal(PatchGeometry.PixelCount, layout.PixelCount);
        Assert.Equal(PatchGeometry.CenterIndex, layout.CenterIndex);
        Assert.Equal("blue_mean", layout.Schema.Names[0]);
        Assert.Equal("blue_center", layout.Schema.Names[17]);
        Assert.Equal("green_mean", layout.Schema.Names[18]);
        Assert.Equal("tc_sixth_center", layout.Schema.Names[485]);
        int ndviMedian = layout.ColumnOf("ndvi", PatchStatistic.Median);
        Assert.Equal("ndvi_median", layout.Schema.Names[ndviMedian]);
        Assert.Equal(layout.Schema.IndexOf("tc_wetness_hist3"), layout.ColumnOf("tc_wetness", PatchStatistic.Hist3));
        Assert.Equal((13 * 18) + 2, ndviMedian);
        Assert.Equal(layout.Schema, new PatchFeatureExtractor().Schema);
    }

    [Fact]
    public void Statistics_Names_AreSpecOrderAndParse()
    {
        Assert.Equal(
            ["mean", "variance", "median", "variation", "skewness", "kurtosis", "entropy", "hist0", "hist1", "hist2", "hist3", "hist4", "hist5", "hist6", "hist7", "hist8", "hist9", "center"],
            PatchStatistics.Names);
        for (int s = 0; s < PatchStatistics.Count; s++)
        {
            Assert.True(PatchStatistics.TryParse(PatchStatistics.Names[s], out var parsed));
            Assert.Equal((PatchStatistic)s, parsed);
        }

        Assert.False(PatchStatistics.TryParse("std", out _));
        Assert.Equal("ndvi_kurtosis", PatchStatistics.FeatureName("ndvi", PatchStatistic.Kurtosis));
    }

    [Fact]
    public void Layout_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("patchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new PatchFeatureLayout(["a"], 32)).ParamName);
        Assert.Equal("patchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new PatchFeatureLayout(["a"], 0)).ParamName);
        Assert.Equal("channelNames", Assert.Throws<ArgumentException>(() => new PatchFeatureLayout(["a", "a"])).ParamName);
        Assert.Equal("channelNames", Assert.Throws<ArgumentException>(() => new PatchFeatureLayout([])).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentException>(() => PatchFeatureLayout.Standard.ColumnOf("ndwi2", PatchStatistic.Mean)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchFeatureLayout.Standard.ColumnOf(27, PatchStatistic.Mean));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchFeatureLayout.Standard.ColumnOf(0, (PatchStatistic)18));
    }

    [Fact]
    public void Extract_ShortSpans_ThrowNamingTheArgument()
    {
        var extractor = new PatchFeatureExtractor(["a", "b"], 5);
        Assert.Equal("channelPlanes", Assert.Throws<ArgumentException>(() => extractor.Extract(new float[49], new float[36])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => extractor.Extract(new float[50], new float[35])).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => extractor.Extract(new float[50], new float[36], new PatchScratch(9))).ParamName);
        Assert.Equal("patches", Assert.Throws<ArgumentException>(() => extractor.ExtractMany(new float[99], 2, cancellationToken: TestContext.Current.CancellationToken)).ParamName);
    }

    [Fact]
    public void Extract_NonFiniteValue_GivesNaNForThatChannelOnly()
    {
        var extractor = new PatchFeatureExtractor(["a", "b", "c"], 3);
        var planes = new float[27];
        for (int i = 0; i < planes.Length; i++)
        {
            planes[i] = i * 0.5f;
        }

        planes[4] = float.NaN;
        planes[9 + 2] = float.PositiveInfinity;
        var features = new float[54];
        extractor.Extract(planes, features);
        Assert.All(features[..36], v => Assert.True(float.IsNaN(v)));
        Assert.All(features[36..], v => Assert.True(float.IsFinite(v)));
        Assert.Equal(22 * 0.5f, features[36 + (int)PatchStatistic.Median]); // channel c holds 18..26 times 0.5
    }

    [Fact]
    public void ExtractMany_AnyThreadCount_EqualsOneCellAtATime()
    {
        var extractor = new PatchFeatureExtractor();
        int cells = 40;
        int perCell = extractor.Layout.ValuesPerCell;
        var rng = new Random(7);
        var patches = new float[cells * perCell];
        for (int i = 0; i < patches.Length; i++)
        {
            patches[i] = (i / PatchGeometry.PixelCount % 5 == 0) ? 0.3f : (float)(rng.NextDouble() * 2) - 0.5f;
        }

        var expected = new float[cells * extractor.Layout.FeatureCount];
        for (int c = 0; c < cells; c++)
        {
            extractor.Extract(patches.AsSpan(c * perCell, perCell), expected.AsSpan(c * extractor.Layout.FeatureCount, extractor.Layout.FeatureCount));
        }

        foreach (int threads in new[] { 1, 2, 3, -1 })
        {
            var matrix = extractor.ExtractMany(patches, cells, threads, TestContext.Current.CancellationToken);
            Assert.Equal(expected, matrix.Values.ToArray());
            var flat = new float[expected.Length];
            extractor.ExtractMany(patches, flat, cells, threads, TestContext.Current.CancellationToken);
            Assert.Equal(expected, flat);
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Extract_EveryWidth_GivesTheScalarReferenceFeaturesBitForBit(int width)
    {
        var cases = TestPatches.EdgeCases();
        cases.AddRange(TestPatches.Random(60, seed: 5));
        string[] names = [.. cases.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var planes = cases.SelectMany(c => c.Plane).ToArray();
        var scalarExtractor = new PatchFeatureExtractor(names) { Width = VectorWidth.Scalar };
        var vectorExtractor = new PatchFeatureExtractor(names) { Width = (VectorWidth)width };
        var vector = new float[vectorExtractor.Layout.FeatureCount];
        var scalar = new float[scalarExtractor.Layout.FeatureCount];
        vectorExtractor.Extract(planes, vector);
        scalarExtractor.Extract(planes, scalar);
        for (int i = 0; i < vector.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(scalar[i]) == BitConverter.SingleToInt32Bits(vector[i]), $"{vectorExtractor.Schema.Names[i]}: scalar {scalar[i]:R}, {width}-bit {vector[i]:R}");
        }
    }

    [Fact]
    public void Extract_WidthsInParallel_EachInstanceKeepsItsWidthAndAllAgree()
    {
        // The width is per instance: extractors of four widths run at once on one process's thread pool.
        var cases = TestPatches.Random(40, seed: 9);
        string[] names = [.. cases.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var planes = cases.SelectMany(c => c.Plane).ToArray();
        VectorWidth[] widths = [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512];
        var results = new float[widths.Length][];
        Parallel.For(0, widths.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, j =>
        {
            var extractor = new PatchFeatureExtractor(names) { Width = widths[j % widths.Length] };
            var features = new float[extractor.Layout.FeatureCount];
            extractor.Extract(planes, features, extractor.CreateScratch());
            Assert.Equal(widths[j % widths.Length], extractor.Width);
            lock (results)
            {
                results[j % widths.Length] ??= features;
                Assert.Equal(results[j % widths.Length], features);
            }
        });
        for (int w = 1; w < widths.Length; w++)
        {
            Assert.Equal(results[0], results[w]);
        }
    }

    [Fact]
    public void Median_BucketSelection_EqualsSortedMiddleOnAwkwardInputs()
    {
        var rng = new Random(11);
        var scratch = new PatchScratch(2001);
        foreach (int n in new[] { 1, 3, 25, 27, 1089, 2001 })
        {
            for (int trial = 0; trial < 30; trial++)
            {
                var x = new float[n];
                for (int i = 0; i < n; i++)
                {
                    x[i] = (trial % 5) switch
                    {
                        0 => (float)rng.NextDouble(),
                        1 => MathF.Pow(2f, rng.Next(-60, 60)), // geometric: one bucket per level at most
                        2 => rng.Next(3),
                        3 => i == 0 ? 1e30f : (float)rng.NextDouble(),
                        _ => MathF.BitIncrement(1f) * (rng.Next(2) + 1),
                    };
                }

                float min = x.Min(), max = x.Max();
                var sorted = (float[])x.Clone();
                Array.Sort(sorted);
                foreach (var width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
                {
                    Assert.Equal(sorted[n / 2], PatchKernels.Median(x, min, max, scratch, width));
                }
            }
        }
    }
}
