namespace Inegi.UrbanGrowth.Cnn.Tests;

public sealed class LeNetOptionsTests
{
    public static TheoryData<LeNetOptions, string> InvalidOptions => new()
    {
        { new LeNetOptions { Epochs = 0 }, nameof(LeNetOptions.Epochs) },
        { new LeNetOptions { BatchSize = 0 }, nameof(LeNetOptions.BatchSize) },
        { new LeNetOptions { LearningRate = 0 }, nameof(LeNetOptions.LearningRate) },
        { new LeNetOptions { LearningRate = double.NaN }, nameof(LeNetOptions.LearningRate) },
        { new LeNetOptions { WeightDecay = -1e-4 }, nameof(LeNetOptions.WeightDecay) },
        { new LeNetOptions { ValidationFraction = 1 }, nameof(LeNetOptions.ValidationFraction) },
        { new LeNetOptions { Patience = 0 }, nameof(LeNetOptions.Patience) },
        { new LeNetOptions { Threads = -1 }, nameof(LeNetOptions.Threads) },
        { new LeNetOptions { Device = "gpu" }, nameof(LeNetOptions.Device) },
        { new LeNetOptions { Device = "cuda:x" }, nameof(LeNetOptions.Device) },
        { new LeNetOptions { Dropout = 1 }, nameof(LeNetOptions.Dropout) },
        { new LeNetOptions { KernelSize = 0 }, nameof(LeNetOptions.KernelSize) },
        { new LeNetOptions { Conv2Filters = 0 }, nameof(LeNetOptions.Conv2Filters) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void LearnerConstructor_InvalidSetting_ThrowsNamingIt(LeNetOptions options, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new LeNetLearner(options));

        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Defaults_AreThePilotSettings()
    {
        var o = new LeNetOptions();

        Assert.Equal(30, o.Epochs);
        Assert.Equal(128, o.BatchSize);
        Assert.Equal(1e-3, o.LearningRate);
        Assert.Equal(0.1, o.ValidationFraction);
        Assert.Equal(5, o.Patience);
        Assert.Equal("cpu", o.Device);
        Assert.Equal(5, o.FeatureMapSize(33));
    }

    [Fact]
    public void LearnerConstructor_DeviceWithCaseAndSpaces_IsNormalised()
    {
        var learner = new LeNetLearner(new LeNetOptions { Device = " CPU " });

        Assert.Equal("cpu", learner.Options.Device);
    }
}
