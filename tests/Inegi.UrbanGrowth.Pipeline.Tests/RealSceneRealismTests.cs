using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

public sealed class RealSceneRealismTests
{
    [Fact]
    public void SyntheticTrainedModel_RealScenesLabelledByEye_MacroF1AboveFloor()
    {
        using var dir = new TempDirectory();
        // URBANGROWTH_REALISM_KEEP names a folder that keeps the scene, features, model and maps for inspection.
        string? keep = Environment.GetEnvironmentVariable("URBANGROWTH_REALISM_KEEP");
        // URBANGROWTH_REALISM_SEED measures another seed of the generator (the spread in docs/synthetic.md); CI uses 1.
        int seed = int.TryParse(Environment.GetEnvironmentVariable("URBANGROWTH_REALISM_SEED"), out int s0) ? s0 : 1;
        var scores = RealSceneRealism.Measure(string.IsNullOrEmpty(keep) ? dir.Path : keep, seed);
        foreach (var s in scores)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(s.ToString());
        }

        // Measured with this seed, since the urban share is drawn as asked and the training scene holds enough urban
        // cells for a balanced sample: Canberra 0.720, Porto Velho 0.776 (with the calibrated generator before that fix
        // 0.771 and 0.865; before the calibration 0.531 and 0.873: docs/synthetic.md). The floors leave room for a few
        // cells of difference on another machine or runtime (the labelled sets are 88 and 58 cells).
        var floors = new Dictionary<string, double> { ["canberra"] = 0.63, ["portovelho"] = 0.69 };
        Assert.Equal(floors.Count, scores.Count);
        Assert.All(scores, s => Assert.True(s.MacroF1 >= floors[s.Name], s.ToString()));
        Assert.All(scores, s => Assert.True(s.Confusion[1, 1] > 0 && s.Confusion[0, 0] > 0, s.ToString()));
    }
}
