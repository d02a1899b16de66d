using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class GradientBoostingModel
{
    /// <summary><see cref="GradientBoostingModelKind.KindName"/>.</summary>
    public string Kind => GradientBoostingModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Adds a <c>boosting</c> object (iterations and the fitted options) to a summary.</summary>
    /// <param name="description">The summary.</param>
    public void Describe(JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(description);
        GradientBoostingOptions o = Options;
        description["boosting"] = new JsonObject
        {
            ["iterations"] = IterationCount,
            ["learning_rate"] = o.LearningRate,
            ["max_leaf_nodes"] = o.MaxLeafNodes,
            ["min_samples_leaf"] = o.MinSamplesLeaf,
            ["l2_regularization"] = o.L2Regularization,
            ["max_bins"] = o.MaxBins,
        };
    }

    /// <summary>Does nothing: the trees live in managed arrays.</summary>
    public void Dispose()
    {
    }
}
