using System.Text.Json;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>What every classifier kind tells the pipeline: its kind, its format version, its description.</summary>
public sealed partial class LeNetModel
{
    /// <summary><see cref="LeNetModelKind.KindName"/>.</summary>
    public string Kind => LeNetModelKind.KindName;

    int IClassifierModel.FormatVersion => FormatVersion;

    /// <summary>Writes a <c>network</c> object (layout, size, options and the training summary) into a summary.</summary>
    /// <param name="writer">The summary being written, inside its object.</param>
    public void Describe(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        LeNetOptions o = Options;
        LeNetTrainingSummary t = Training;
        writer.WriteStartObject("network");
        writer.WriteNumber("channels", Layout.ChannelCount);
        writer.WriteNumber("patch_size", Layout.PatchSize);
        writer.WriteNumber("parameters", ParameterCount);
        writer.WriteNumber("kernel_size", o.KernelSize);
        writer.WriteNumber("conv1_filters", o.Conv1Filters);
        writer.WriteNumber("conv2_filters", o.Conv2Filters);
        writer.WriteNumber("dense1_units", o.Dense1Units);
        writer.WriteNumber("dense2_units", o.Dense2Units);
        writer.WriteNumber("dropout", o.Dropout);
        writer.WriteNumber("epochs", o.Epochs);
        writer.WriteNumber("batch_size", o.BatchSize);
        writer.WriteNumber("learning_rate", o.LearningRate);
        writer.WriteNumber("seed", o.Seed);
        writer.WriteNumber("epochs_run", t.EpochsRun);
        writer.WriteNumber("best_epoch", t.BestEpoch);
        if (double.IsFinite(t.BestValidationLoss))
        {
            writer.WriteNumber("best_validation_loss", Math.Round(t.BestValidationLoss, 6));
        }
        else
        {
            writer.WriteNull("best_validation_loss");
        }

        writer.WriteNumber("final_training_loss", Math.Round(t.FinalTrainingLoss, 6));
        writer.WriteEndObject();
    }
}
