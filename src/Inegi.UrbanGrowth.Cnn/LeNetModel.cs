using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>
/// A fitted LeNet-style network over patch-pixel rows (<see cref="PatchPixelLayout"/>), with the per-channel
/// normalisation fitted on its training rows. Gives softmax class probabilities like every other
/// <see cref="IClassifierModel"/>.
/// </summary>
/// <remarks>
/// The model owns native libtorch memory: dispose it when done (a finalizer frees it otherwise). Prediction is
/// serialised per model (one batch at a time, each batch using libtorch's own intra-op threads) and is safe to call from
/// several threads. The file layout is documented on <see cref="Save(Stream)"/>.
/// </remarks>
public sealed partial class LeNetModel : IClassifierModel
{
    private readonly LeNetNetwork _network;
    private readonly Device _device;
    private readonly float[] _mean;
    private readonly float[] _std;
    private bool _disposed;

    internal LeNetModel(LeNetNetwork network, Device device, PatchPixelLayout layout, int classCount, float[] mean, float[] std, LeNetOptions options, LeNetTrainingSummary training)
    {
        _network = network;
        _device = device;
        Layout = layout;
        ClassCount = classCount;
        _mean = mean;
        _std = std;
        Options = options;
        Training = training;
    }

    /// <summary>The patch-pixel schema the model reads (<see cref="PatchPixelLayout.Schema"/> of <see cref="Layout"/>).</summary>
    public FeatureSchema Schema => Layout.Schema;

    /// <summary>Channels and patch size of the rows the model reads.</summary>
    public PatchPixelLayout Layout { get; }

    /// <inheritdoc/>
    public int ClassCount { get; }

    /// <summary>The settings the model was trained with (its <see cref="LeNetOptions.Device"/> is where it runs now).</summary>
    public LeNetOptions Options { get; }

    /// <summary>What happened during training: epochs run, the epoch kept, losses, row counts.</summary>
    public LeNetTrainingSummary Training { get; }

    /// <summary>Per-channel means subtracted before the network (fitted on the training rows only).</summary>
    public IReadOnlyList<float> ChannelMeans => _mean;

    /// <summary>Per-channel population standard deviations divided by before the network (1 for a constant channel).</summary>
    public IReadOnlyList<float> ChannelStandardDeviations => _std;

    /// <summary>Number of trainable weights and biases.</summary>
    public long ParameterCount
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return TorchThread.Invoke(() =>
            {
                long n = 0;
                foreach (var p in _network.parameters())
                {
                    n += p.numel();
                }

                return n;
            });
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Rows are standardised per channel with <see cref="ChannelMeans"/> / <see cref="ChannelStandardDeviations"/>, run
    /// through the network in batches of <see cref="LeNetOptions.BatchSize"/> in evaluation mode (no dropout), and the
    /// logits turned into probabilities with softmax: <c>p_k = exp(z_k) / sum_j exp(z_j)</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">Another schema, a destination too short, or a value that is not finite.</exception>
    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Schema.EnsureCompatible(features.Schema, "The LeNet model");
        long needed = (long)features.RowCount * ClassCount;
        if (probabilities.Length < needed)
        {
            throw new ArgumentException($"Need {needed} probabilities ({features.RowCount} rows x {ClassCount} classes), got {probabilities.Length}.", nameof(probabilities));
        }

        if (features.RowCount == 0)
        {
            return;
        }

        float[] result = TorchThread.Invoke(() => Predict(features));
        result.CopyTo(probabilities);
    }

    private float[] Predict(FeatureMatrix features)
    {
        int values = Layout.ValueCount;
        int batch = Math.Min(Options.BatchSize, features.RowCount);
        var result = new float[(long)features.RowCount * ClassCount];
        using var noGrad = torch.no_grad();
        _network.eval();
        var buffer = new float[(long)batch * values];
        float[]? tail = null;
        for (int start = 0; start < features.RowCount; start += batch)
        {
            int count = Math.Min(batch, features.RowCount - start);
            float[] data = count == batch ? buffer : (tail ??= new float[(long)count * values]);
            for (int i = 0; i < count; i++)
            {
                ChannelNormalization.Apply(features, start + i, _mean, _std, Layout.PixelsPerChannel, data.AsSpan(i * values, values));
            }

            using var scope = torch.NewDisposeScope();
            Tensor x = torch.tensor(data, [count, Layout.ChannelCount, Layout.PatchSize, Layout.PatchSize]).to(_device);
            Tensor p = F.softmax(_network.forward(x), 1).cpu();
            p.data<float>().CopyTo(result.AsSpan(start * ClassCount, count * ClassCount));
        }

        return result;
    }

    /// <summary>Releases the network's native memory.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            TorchThread.Invoke(_network.Dispose);
        }
    }
}

/// <summary>What happened while a <see cref="LeNetModel"/> was trained.</summary>
/// <param name="EpochsRun">Epochs actually run (fewer than <see cref="LeNetOptions.Epochs"/> when early stopping fired).</param>
/// <param name="BestEpoch">The 1-based epoch whose weights the model keeps (the last one without a validation set).</param>
/// <param name="BestValidationLoss">Mean cross-entropy on the held-out rows at <paramref name="BestEpoch"/>; NaN without a validation set.</param>
/// <param name="FinalTrainingLoss">Mean cross-entropy over the mini-batches of the last epoch run.</param>
/// <param name="TrainingRows">Rows the weights were fitted on.</param>
/// <param name="ValidationRows">Rows held out for early stopping.</param>
public sealed record LeNetTrainingSummary(int EpochsRun, int BestEpoch, double BestValidationLoss, double FinalTrainingLoss, int TrainingRows, int ValidationRows);

/// <summary>Progress of one training epoch of <see cref="LeNetLearner"/>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainingLoss">Mean cross-entropy over the epoch's mini-batches.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the held-out rows after the epoch; NaN without a validation set.</param>
/// <param name="ValidationAccuracy">Share of held-out rows whose most probable class is right; NaN without a validation set.</param>
public readonly record struct LeNetEpochReport(int Epoch, double TrainingLoss, double ValidationLoss, double ValidationAccuracy);
