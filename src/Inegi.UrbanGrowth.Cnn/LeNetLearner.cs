using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>
/// Trains a <see cref="LeNetModel"/> on patch-pixel rows (<see cref="PatchPixelLayout"/>): the convolutional
/// alternative to Extra-Trees in the pilot's comparison, behind the same <see cref="ILearner{TModel}"/> contract.
/// </summary>
/// <remarks>
/// <para>
/// Steps: (1) per-channel mean and standard deviation over every pixel of the rows given to <see cref="Fit"/> (the
/// training fold only; saved with the model); (2) a stratified, seeded hold-out of
/// <see cref="LeNetOptions.ValidationFraction"/> of each class; (3) <c>torch.manual_seed(Seed)</c>, then the network
/// is built (PyTorch default initialisation) and trained with Adam on the cross-entropy loss in mini-batches whose order
/// is a seeded Fisher-Yates shuffle per epoch; (4) after each epoch the held-out loss is measured; training stops after
/// <see cref="LeNetOptions.Patience"/> epochs without improvement and the best epoch's weights are kept.
/// </para>
/// <para>
/// Reproducibility: libtorch's generator and thread count are process-wide, so fits in one process run one at a time
/// (they all run on one dedicated libtorch thread, in arrival order). With <see cref="LeNetOptions.Threads"/> = 1 on CPU the same data, options and seed give bit-identical
/// weights and probabilities. See docs/cnn.md for more threads and CUDA.
/// </para>
/// </remarks>
public sealed class LeNetLearner : ILearner<LeNetModel>
{
    private readonly IProgress<LeNetEpochReport>? _progress;

    /// <summary>Creates a learner.</summary>
    /// <param name="options">Settings; the defaults when null.</param>
    /// <param name="progress">Receives a report after every epoch (optional).</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public LeNetLearner(LeNetOptions? options = null, IProgress<LeNetEpochReport>? progress = null)
    {
        options ??= new LeNetOptions();
        options.Validate();
        Options = options with { Device = TorchRuntime.ParseDevice(options.Device, nameof(options)) };
        _progress = progress;
    }

    /// <summary>The settings.</summary>
    public LeNetOptions Options { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// The schema is not a patch-pixel schema, the patch is too small for the kernels, the label count differs from the
    /// row count, fewer than two classes are present, or a value is not finite.
    /// </exception>
    public LeNetModel Fit(FeatureMatrix features, ReadOnlySpan<byte> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        PatchPixelLayout layout = PatchPixelLayout.FromSchema(features.Schema);
        if (Options.FeatureMapSize(layout.PatchSize) < 1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Patches of {layout.PatchSize} x {layout.PatchSize} pixels are too small for two {Options.KernelSize} x {Options.KernelSize} conv + 2 x 2 pool blocks."),
                nameof(features));
        }

        if (labels.Length != features.RowCount)
        {
            throw new ArgumentException($"{labels.Length} labels for {features.RowCount} rows.", nameof(labels));
        }

        int classCount = CountClasses(labels);
        byte[] labelArray = labels.ToArray();
        (float[] mean, float[] std) = ChannelNormalization.Fit(features, layout);
        var random = new Random(Options.Seed);
        (int[] train, int[] validation) = Split(labelArray, classCount, Options.ValidationFraction, random);

        return TorchThread.Invoke(() => FitOnTorchThread(features, labelArray, layout, classCount, mean, std, train, validation, random, cancellationToken));
    }

    private LeNetModel FitOnTorchThread(FeatureMatrix features, byte[] labelArray, PatchPixelLayout layout, int classCount, float[] mean, float[] std,
        int[] train, int[] validation, Random random, CancellationToken cancellationToken)
    {
        torch.Device device = TorchRuntime.Resolve(Options.Device, nameof(Options.Device));
        int previousThreads = torch.get_num_threads();
        if (Options.Threads > 0)
        {
            torch.set_num_threads(Options.Threads);
        }

        try
        {
            torch.manual_seed(Options.Seed);
            var network = new LeNetNetwork(layout.ChannelCount, layout.PatchSize, classCount, Options);
            try
            {
                network.to(device);
                LeNetTrainingSummary summary = Train(network, device, features, labelArray, layout, mean, std, train, validation, random, cancellationToken);
                network.eval();
                return new LeNetModel(network, device, layout, classCount, mean, std, Options, summary);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        finally
        {
            if (Options.Threads > 0)
            {
                torch.set_num_threads(previousThreads);
            }
        }
    }

    private LeNetTrainingSummary Train(LeNetNetwork network, torch.Device device, FeatureMatrix features, byte[] labels, PatchPixelLayout layout,
        float[] mean, float[] std, int[] train, int[] validation, Random random, CancellationToken cancellationToken)
    {
        using var optimizer = torch.optim.Adam(network.parameters(), lr: Options.LearningRate, weight_decay: Options.WeightDecay);
        var batcher = new Batcher(features, labels, layout, mean, std, Math.Min(Options.BatchSize, Math.Max(train.Length, validation.Length)));
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        int epochsRun = 0;
        double trainingLoss = double.NaN;
        List<(string Name, long[] Shape, float[] Values)>? best = null;
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            Shuffle(train, random);
            network.train();
            double lossSum = 0;
            for (int start = 0; start < train.Length; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(Options.BatchSize, train.Length - start);
                using var scope = torch.NewDisposeScope();
                (Tensor x, Tensor y) = batcher.Make(train.AsSpan(start, count), device);
                optimizer.zero_grad();
                Tensor loss = F.cross_entropy(network.forward(x), y);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * (double)count;
            }

            trainingLoss = lossSum / train.Length;
            epochsRun = epoch;
            double validationLoss = double.NaN;
            double validationAccuracy = double.NaN;
            if (validation.Length > 0)
            {
                (validationLoss, validationAccuracy) = Evaluate(network, batcher, validation, device, cancellationToken);
                if (validationLoss < bestLoss)
                {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best = ParameterSnapshot.Take(network);
                }
            }

            _progress?.Report(new LeNetEpochReport(epoch, trainingLoss, validationLoss, validationAccuracy));
            if (validation.Length > 0 && epoch - bestEpoch >= Options.Patience)
            {
                break;
            }
        }

        if (validation.Length == 0)
        {
            return new LeNetTrainingSummary(epochsRun, epochsRun, double.NaN, trainingLoss, train.Length, 0);
        }

        if (best is null)
        {
            // No epoch gave a finite validation loss: the training diverged, and any weights would be garbage.
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"LeNet training diverged: the validation loss was never finite in {epochsRun} epochs (lower the learning rate, or check the inputs for extreme values)."));
        }

        ParameterSnapshot.Restore(network, best, "early stopping");
        return new LeNetTrainingSummary(epochsRun, bestEpoch, bestLoss, trainingLoss, train.Length, validation.Length);
    }

    private (double Loss, double Accuracy) Evaluate(LeNetNetwork network, Batcher batcher, int[] rows, torch.Device device, CancellationToken cancellationToken)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < rows.Length; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Options.BatchSize, rows.Length - start);
            using var scope = torch.NewDisposeScope();
            (Tensor x, Tensor y) = batcher.Make(rows.AsSpan(start, count), device);
            Tensor logits = network.forward(x);
            lossSum += F.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }

        return (lossSum / rows.Length, correct / (double)rows.Length);
    }

    private static int CountClasses(ReadOnlySpan<byte> labels)
    {
        Span<int> counts = stackalloc int[256];
        counts.Clear();
        foreach (byte label in labels)
        {
            counts[label]++;
        }

        if (counts[UrbanClass.Undefined] > 0)
        {
            throw new ArgumentException($"Label {UrbanClass.Undefined} (undefined) in the training labels; leave unlabelled cells out.", nameof(labels));
        }

        int max = -1;
        int present = 0;
        for (int k = 0; k < 256; k++)
        {
            if (counts[k] > 0)
            {
                max = k;
                present++;
            }
        }

        if (present < 2)
        {
            throw new ArgumentException("The training labels hold fewer than two classes.", nameof(labels));
        }

        return max + 1;
    }

    /// <summary>Stratified seeded hold-out: round(fraction * n_k) rows of each class k (none from a class of one row).</summary>
    private static (int[] Train, int[] Validation) Split(byte[] labels, int classCount, double fraction, Random random)
    {
        var train = new List<int>(labels.Length);
        var validation = new List<int>();
        for (int k = 0; k < classCount; k++)
        {
            var members = new List<int>();
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == k)
                {
                    members.Add(i);
                }
            }

            int[] rows = [.. members];
            Shuffle(rows, random);
            int held = rows.Length < 2 ? 0 : Math.Min(rows.Length - 1, (int)Math.Round(fraction * rows.Length, MidpointRounding.AwayFromZero));
            validation.AddRange(rows.AsSpan(0, held));
            train.AddRange(rows.AsSpan(held));
        }

        int[] trainRows = [.. train];
        int[] validationRows = [.. validation];
        Array.Sort(trainRows);
        Array.Sort(validationRows);
        return (trainRows, validationRows);
    }

    private static void Shuffle(Span<int> values, Random random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Gathers, standardises and uploads mini-batches; reuses its host buffers.</summary>
    private sealed class Batcher(FeatureMatrix features, byte[] labels, PatchPixelLayout layout, float[] mean, float[] std, int batchSize)
    {
        private readonly float[] _full = new float[(long)Math.Max(1, batchSize) * layout.ValueCount];
        private readonly long[] _fullLabels = new long[Math.Max(1, batchSize)];
        private float[]? _partial;
        private long[]? _partialLabels;

        public (Tensor X, Tensor Y) Make(ReadOnlySpan<int> rows, torch.Device device)
        {
            int values = layout.ValueCount;
            float[] data;
            long[] y;
            if (rows.Length == _fullLabels.Length)
            {
                data = _full;
                y = _fullLabels;
            }
            else
            {
                if (_partialLabels is null || _partialLabels.Length != rows.Length)
                {
                    _partial = new float[(long)rows.Length * values];
                    _partialLabels = new long[rows.Length];
                }

                data = _partial!;
                y = _partialLabels;
            }

            for (int i = 0; i < rows.Length; i++)
            {
                ChannelNormalization.Apply(features, rows[i], mean, std, layout.PixelsPerChannel, data.AsSpan(i * values, values));
                y[i] = labels[rows[i]];
            }

            Tensor x = torch.tensor(data, [rows.Length, layout.ChannelCount, layout.PatchSize, layout.PatchSize]).to(device);
            Tensor t = torch.tensor(y).to(device);
            return (x, t);
        }
    }
}
