using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class LeNetModel
{
    /// <summary><see cref="LeNetModelKind.KindName"/>.</summary>
    public string Kind => LeNetModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Adds a <c>network</c> object (layout, size, options and the training summary) to a summary.</summary>
    /// <param name="description">The summary.</param>
    public void Describe(JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(description);
        LeNetOptions o = Options;
        LeNetTrainingSummary t = Training;
        description["network"] = new JsonObject
        {
            ["channels"] = Layout.ChannelCount,
            ["patch_size"] = Layout.PatchSize,
            ["parameters"] = ParameterCount,
            ["kernel_size"] = o.KernelSize,
            ["conv1_filters"] = o.Conv1Filters,
            ["conv2_filters"] = o.Conv2Filters,
            ["dense1_units"] = o.Dense1Units,
            ["dense2_units"] = o.Dense2Units,
            ["dropout"] = o.Dropout,
            ["epochs"] = o.Epochs,
            ["batch_size"] = o.BatchSize,
            ["learning_rate"] = o.LearningRate,
            ["seed"] = o.Seed,
            ["epochs_run"] = t.EpochsRun,
            ["best_epoch"] = t.BestEpoch,
            ["best_validation_loss"] = double.IsFinite(t.BestValidationLoss) ? Math.Round(t.BestValidationLoss, 6) : null,
            ["final_training_loss"] = Math.Round(t.FinalTrainingLoss, 6),
        };
    }
}
