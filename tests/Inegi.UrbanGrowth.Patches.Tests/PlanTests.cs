namespace Inegi.UrbanGrowth.Patches.Tests;

/// <summary>
/// <see cref="PatchFeaturePlan"/>: a partial plan computes each kept feature with the full computation's bits (every
/// vector width, edge-case, random and non-finite planes) and writes NaN everywhere else.
/// </summary>
public sealed class PlanTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512];

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void PartialPlans_KeptFeaturesEqualTheFullComputationBitForBit_OthersAreNaN(int bits)
    {
        var cases = TestPatches.EdgeCases();
        cases.AddRange(TestPatches.Random(35, seed: 21));
        cases.Add(("one NaN", WithValue(cases[^1].Plane, 17, float.NaN)));
        cases.Add(("one infinity", WithValue(cases[^2].Plane, 500, float.PositiveInfinity)));
        string[] names = [.. cases.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        float[] planes = [.. cases.SelectMany(c => c.Plane)];
        var width = (VectorWidth)bits;
        var extractor = new PatchFeatureExtractor(names) { Width = width };
        var layout = extractor.Layout;
        var full = new float[layout.FeatureCount];
        extractor.Extract(planes, full, extractor.CreateScratch());

        var plans = new List<(string Name, PatchFeaturePlan Plan)>
        {
            ("full", PatchFeaturePlan.All(layout)),
            ("empty", PatchFeaturePlan.ForColumns(layout, [])),
        };
        for (int s = 0; s < PatchStatistics.Count; s++)
        {
            // One statistic of every channel: each pass skipped or run alone.
            plans.Add((PatchStatistics.Names[s] + " only", PatchFeaturePlan.ForColumns(layout, Enumerable.Range(0, layout.ChannelCount).Select(c => layout.ColumnOf(c, (PatchStatistic)s)))));
        }

        var rng = new Random(7);
        foreach (double share in new[] { 0.05, 0.3, 0.55, 0.9 })
        {
            for (int trial = 0; trial < 3; trial++)
            {
                plans.Add(($"random {share} #{trial}", PatchFeaturePlan.ForColumns(layout, Enumerable.Range(0, layout.FeatureCount).Where(_ => rng.NextDouble() < share).ToArray())));
            }
        }

        var partial = new float[layout.FeatureCount];
        var scratch = extractor.CreateScratch();
        foreach ((string planName, PatchFeaturePlan plan) in plans)
        {
            // Garbage first: every column must be written, kept or not.
            Array.Fill(partial, 12345f);
            extractor.Extract(planes, partial, scratch, plan);
            for (int i = 0; i < partial.Length; i++)
            {
                if (plan.Computes(i))
                {
                    Assert.True(BitConverter.SingleToInt32Bits(full[i]) == BitConverter.SingleToInt32Bits(partial[i]),
                        $"{planName}, {layout.Schema.Names[i]} ({cases[i / PatchStatistics.Count].Name}): full {full[i]:R}, planned {partial[i]:R}");
                }
                else
                {
                    Assert.True(float.IsNaN(partial[i]), $"{planName}, {layout.Schema.Names[i]} is not computed but holds {partial[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void PartialPlan_EveryWidthGivesTheSameBits()
    {
        var cases = TestPatches.Random(27, seed: 4);
        string[] names = [.. cases.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        float[] planes = [.. cases.SelectMany(c => c.Plane)];
        var layout = new PatchFeatureLayout(names);
        var rng = new Random(3);
        var plan = PatchFeaturePlan.ForColumns(layout, Enumerable.Range(0, layout.FeatureCount).Where(_ => rng.Next(2) == 0));
        float[][] results = [.. Widths.Select(w =>
        {
            var extractor = new PatchFeatureExtractor(layout) { Width = w };
            var features = new float[layout.FeatureCount];
            extractor.Extract(planes, features, extractor.CreateScratch(), plan);
            return features;
        })];
        for (int w = 1; w < Widths.Length; w++)
        {
            Assert.Equal(results[0].Select(BitConverter.SingleToInt32Bits), results[w].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Plan_CountsWhatItComputes()
    {
        var layout = PatchFeatureLayout.Standard;
        var full = PatchFeaturePlan.All(layout);
        Assert.True(full.IsFull);
        Assert.Equal(486, full.ColumnCount);
        Assert.Equal(27, full.ChannelsComputed);
        Assert.Equal(27, full.MediansComputed);
        Assert.Equal(27, full.SecondPassesComputed);

        int[] columns =
        [
            layout.ColumnOf("ndvi", PatchStatistic.Median), layout.ColumnOf("ndvi", PatchStatistic.Median),
            layout.ColumnOf("ndvi", PatchStatistic.Center), layout.ColumnOf("blue", PatchStatistic.Mean),
            layout.ColumnOf("swir1", PatchStatistic.Hist4), layout.ColumnOf("tc_sixth", PatchStatistic.Kurtosis),
        ];
        var plan = PatchFeaturePlan.ForColumns(layout, columns);
        Assert.False(plan.IsFull);
        Assert.Equal(27, plan.ChannelCount);
        Assert.Equal(5, plan.ColumnCount);
        Assert.Equal(4, plan.ChannelsComputed);
        Assert.Equal(1, plan.MediansComputed);
        Assert.Equal(2, plan.SecondPassesComputed);
        Assert.True(plan.Computes(layout.ColumnOf("ndvi", PatchStatistic.Center)));
        Assert.False(plan.Computes(layout.ColumnOf("ndvi", PatchStatistic.Mean)));
        Assert.True(PatchFeaturePlan.ForColumns(layout, Enumerable.Range(0, 486)).IsFull);
    }

    [Fact]
    public void Plan_BadColumnsOrLayout_Throw()
    {
        var layout = new PatchFeatureLayout(["a", "b"], 5);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => PatchFeaturePlan.ForColumns(layout, [36])).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => PatchFeaturePlan.ForColumns(layout, [-1])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchFeaturePlan.All(layout).Computes(36));
        var extractor = new PatchFeatureExtractor(["a"], 5);
        Assert.Equal("plan", Assert.Throws<ArgumentException>(() => extractor.Extract(new float[25], new float[18], extractor.CreateScratch(), PatchFeaturePlan.All(layout))).ParamName);
    }

    private static float[] WithValue(float[] plane, int index, float value)
    {
        float[] copy = (float[])plane.Clone();
        copy[index] = value;
        return copy;
    }
}
