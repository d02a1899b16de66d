using System.Globalization;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>
/// Settings of <see cref="LeNetLearner"/>: network size, Adam optimisation, early stopping, seed, threads and device.
/// The defaults reproduce the pilot's LeNet comparison (see docs/cnn.md).
/// </summary>
/// <remarks>
/// <para>
/// Network (LeNet-5 shape, LeCun et al. 1998, widened for 27 input channels): conv <see cref="KernelSize"/> x
/// <see cref="KernelSize"/> (C -> <see cref="Conv1Filters"/>, no padding) + ReLU + 2 x 2 max-pool; conv
/// (<see cref="Conv1Filters"/> -> <see cref="Conv2Filters"/>) + ReLU + 2 x 2 max-pool; dense -> <see cref="Dense1Units"/>
/// + ReLU; dense -> <see cref="Dense2Units"/> + ReLU; dense -> k classes; softmax. With S = 33 and kernel 5 the maps are
/// 29 -> 14 -> 10 -> 5, so the first dense layer reads <c>Conv2Filters * 5 * 5</c> values.
/// </para>
/// <para>
/// Training: Adam (Kingma and Ba 2015) on the cross-entropy loss, with the L2 penalty
/// <see cref="WeightDecay"/> added to the gradient (PyTorch <c>Adam(weight_decay)</c>, not AdamW), mini-batches of <see cref="BatchSize"/> reshuffled
/// each epoch with a seeded generator. A stratified <see cref="ValidationFraction"/> of the training rows is held out;
/// training stops after <see cref="Patience"/> epochs without a lower validation loss and the weights of the best epoch
/// are kept.
/// </para>
/// </remarks>
public sealed record LeNetOptions
{
    /// <summary>Largest number of passes over the training rows (30).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Rows per mini-batch, also used for prediction (128).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam step size (1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty added to the gradient by Adam (0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Fraction of the training rows held out, per class, to choose the epoch and stop early (0.1). 0 trains all <see cref="Epochs"/> on every row.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Epochs without a lower validation loss before training stops (5).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Seed of the weight initialisation, dropout, the validation split and the batch order (0).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// libtorch intra-op threads during training (<c>torch.set_num_threads</c>); 0 leaves libtorch's default (one per core).
    /// Default 1: bit-for-bit reproducible on CPU. See docs/cnn.md for what holds with more threads.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// The torch device: "cpu" (default), "cuda" or "cuda:N". CUDA needs the application to reference a CUDA libtorch
    /// package (e.g. <c>libtorch-cuda-12.8-linux-x64</c>) instead of the CPU one.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Dropout probability before each of the two hidden dense layers' outputs (0 = none).</summary>
    public double Dropout { get; init; }

    /// <summary>Side of the square convolution kernels (5).</summary>
    public int KernelSize { get; init; } = 5;

    /// <summary>Filters of the first convolution (32).</summary>
    public int Conv1Filters { get; init; } = 32;

    /// <summary>Filters of the second convolution (64).</summary>
    public int Conv2Filters { get; init; } = 64;

    /// <summary>Units of the first dense layer (120).</summary>
    public int Dense1Units { get; init; } = 120;

    /// <summary>Units of the second dense layer (84).</summary>
    public int Dense2Units { get; init; } = 84;

    /// <summary>Throws a clear error naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the parameter name is the property's name.</exception>
    public void Validate()
    {
        Positive(Epochs, nameof(Epochs));
        Positive(BatchSize, nameof(BatchSize));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException(Invariant($"LearningRate must be a positive finite number, got {LearningRate}."), nameof(LearningRate));
        }

        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentException(Invariant($"WeightDecay must be a finite number >= 0, got {WeightDecay}."), nameof(WeightDecay));
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentException(Invariant($"ValidationFraction must be in [0, 1), got {ValidationFraction}."), nameof(ValidationFraction));
        }

        Positive(Patience, nameof(Patience));
        if (Threads < 0)
        {
            throw new ArgumentException(Invariant($"Threads must be 0 (libtorch default) or positive, got {Threads}."), nameof(Threads));
        }

        TorchRuntime.ParseDevice(Device, nameof(Device));
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException(Invariant($"Dropout must be in [0, 1), got {Dropout}."), nameof(Dropout));
        }

        Positive(KernelSize, nameof(KernelSize));
        Positive(Conv1Filters, nameof(Conv1Filters));
        Positive(Conv2Filters, nameof(Conv2Filters));
        Positive(Dense1Units, nameof(Dense1Units));
        Positive(Dense2Units, nameof(Dense2Units));
    }

    /// <summary>Side of the feature maps after both conv + pool blocks for a patch of side <paramref name="patchSize"/> (0 or less: too small).</summary>
    /// <param name="patchSize">Patch side in pixels.</param>
    public int FeatureMapSize(int patchSize)
    {
        int s1 = (patchSize - KernelSize + 1) / 2;
        return s1 < KernelSize ? 0 : (s1 - KernelSize + 1) / 2;
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException(Invariant($"{name} must be at least 1, got {value}."), name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
