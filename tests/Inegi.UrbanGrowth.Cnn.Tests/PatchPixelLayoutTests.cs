namespace Inegi.UrbanGrowth.Cnn.Tests;

public sealed class PatchPixelLayoutTests
{
    [Fact]
    public void CreateSchema_StandardChannels_NamesEveryPixelChannelPlanar()
    {
        FeatureSchema schema = PatchPixelLayout.CreateSchema(StandardChannels.Names);

        Assert.Equal(27 * 33 * 33, schema.Count);
        Assert.Equal("blue_r0c0", schema.Names[0]);
        Assert.Equal("blue_r0c1", schema.Names[1]);
        Assert.Equal("blue_r1c0", schema.Names[33]);
        Assert.Equal("green_r0c0", schema.Names[1089]);
        Assert.Equal("ndvi_r16c16", schema.Names[13 * 1089 + PatchGeometry.CenterIndex]);
        Assert.Equal("tc_sixth_r32c32", schema.Names[^1]);
        Assert.Equal(PatchPixelLayout.Standard.Schema, schema);
    }

    [Fact]
    public void ColumnIndex_MatchesColumnName()
    {
        var layout = new PatchPixelLayout(["a", "b_c", "tc_fourth"], 5);

        int index = layout.ColumnIndex(2, 3, 4);

        Assert.Equal(2 * 25 + 3 * 5 + 4, index);
        Assert.Equal(PatchPixelLayout.ColumnName("tc_fourth", 3, 4), layout.Schema.Names[index]);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(17)]
    [InlineData(1)]
    public void FromSchema_CreatedSchema_RecoversChannelsAndSize(int size)
    {
        FeatureSchema schema = PatchPixelLayout.CreateSchema(StandardChannels.Names, size);

        PatchPixelLayout layout = PatchPixelLayout.FromSchema(schema);

        Assert.Equal(size, layout.PatchSize);
        Assert.Equal(StandardChannels.Names, layout.ChannelNames);
        Assert.Equal(schema, layout.Schema);
    }

    [Fact]
    public void FromSchema_PatchStatisticsSchema_ThrowsArgumentException()
    {
        var stats = new FeatureSchema(["ndvi_mean", "ndvi_variance", "ndvi_center"]);

        var e = Assert.Throws<ArgumentException>(() => PatchPixelLayout.FromSchema(stats));

        Assert.Contains("not patch pixels", e.Message, StringComparison.Ordinal);
        Assert.False(PatchPixelLayout.TryFromSchema(stats, out _));
    }

    [Fact]
    public void FromSchema_PixelColumnsReordered_IsNotRecognised()
    {
        var names = PatchPixelLayout.CreateSchema(["red", "nir"], 5).Names.ToArray();
        (names[3], names[4]) = (names[4], names[3]);

        Assert.False(PatchPixelLayout.TryFromSchema(new FeatureSchema(names), out _));
    }

    [Fact]
    public void FromSchema_ColumnMissing_IsNotRecognised()
    {
        var names = PatchPixelLayout.CreateSchema(["red", "nir"], 5).Names.Take(49).ToArray();

        Assert.False(PatchPixelLayout.TryFromSchema(new FeatureSchema(names), out _));
    }

    [Fact]
    public void Constructor_RepeatedChannel_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new PatchPixelLayout(["red", "red"], 5));

        Assert.Equal("channelNames", e.ParamName);
    }
}
