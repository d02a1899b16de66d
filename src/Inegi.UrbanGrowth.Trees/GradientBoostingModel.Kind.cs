using System.Text.Json;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class GradientBoostingModel
{
    /// <summary><see cref="GradientBoostingModelKind.KindName"/>.</summary>
    public string Kind => GradientBoostingModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Writes a <c>boosting</c> object (iterations and the fitted options) into a summary.</summary>
    /// <param name="writer">The summary being written, inside its object.</param>
    public void Describe(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        GradientBoostingOptions o = Options;
        writer.WriteStartObject("boosting");
        writer.WriteNumber("iterations", IterationCount);
        writer.WriteNumber("learning_rate", o.LearningRate);
        writer.WriteNumber("max_leaf_nodes", o.MaxLeafNodes);
        writer.WriteNumber("min_samples_leaf", o.MinSamplesLeaf);
        writer.WriteNumber("l2_regularization", o.L2Regularization);
        writer.WriteNumber("max_bins", o.MaxBins);
        writer.WriteEndObject();
    }

    /// <summary>Does nothing: the trees live in managed arrays.</summary>
    public void Dispose()
    {
    }
}
