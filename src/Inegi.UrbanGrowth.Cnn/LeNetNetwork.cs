using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>The LeNet-style module: two conv + ReLU + max-pool blocks, then three dense layers (logits out).</summary>
internal sealed class LeNetNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly Linear _fc3;
    private readonly Dropout? _drop1;
    private readonly Dropout? _drop2;

    public LeNetNetwork(int channels, int patchSize, int classes, LeNetOptions options)
        : base("lenet")
    {
        int map = options.FeatureMapSize(patchSize);
        _conv1 = nn.Conv2d(channels, options.Conv1Filters, options.KernelSize);
        _conv2 = nn.Conv2d(options.Conv1Filters, options.Conv2Filters, options.KernelSize);
        _fc1 = nn.Linear((long)options.Conv2Filters * map * map, options.Dense1Units);
        _fc2 = nn.Linear(options.Dense1Units, options.Dense2Units);
        _fc3 = nn.Linear(options.Dense2Units, classes);
        if (options.Dropout > 0)
        {
            _drop1 = nn.Dropout(options.Dropout);
            _drop2 = nn.Dropout(options.Dropout);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = F.max_pool2d(F.relu(Convolve(_conv1, input)), 2);
        x = F.max_pool2d(F.relu(Convolve(_conv2, x)), 2);
        x = x.flatten(1);
        x = F.relu(_fc1.forward(x));
        if (_drop1 is not null)
        {
            x = _drop1.forward(x);
        }

        x = F.relu(_fc2.forward(x));
        if (_drop2 is not null)
        {
            x = _drop2.forward(x);
        }

        return _fc3.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolution with its input channels zero-padded to a multiple of <see cref="ChannelBlock"/> (input and
    /// weights alike, so the result is the same sum). libtorch 2.7's oneDNN CPU convolutions read memory they never
    /// wrote when the input channel count is not a multiple of the 8 or 16 floats of its AVX2 / AVX-512 blocks (27
    /// spectral channels here): in about one process in four, that memory held NaN and so did the output, which made
    /// training "diverge" and maps disagree with the model (docs/cnn.md, "CPU convolutions"). The weights keep their
    /// true shape, so model files are unchanged; the extra zero channels cost 5 / 27 more work in the first layer.
    /// </summary>
    private static Tensor Convolve(Conv2d conv, Tensor input)
    {
        long channels = input.shape[1];
        long padding = (ChannelBlock - (channels % ChannelBlock)) % ChannelBlock;
        if (padding == 0)
        {
            return conv.forward(input);
        }

        ReadOnlySpan<long> pad = [0, 0, 0, 0, 0, padding];
        return F.conv2d(F.pad(input, pad), F.pad(conv.weight!, pad), conv.bias);
    }

    /// <summary>Input channels are padded to a multiple of this (the AVX-512 block of 16 floats, which also covers AVX2's 8).</summary>
    internal const long ChannelBlock = 16;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _conv2.Dispose();
            _fc1.Dispose();
            _fc2.Dispose();
            _fc3.Dispose();
            _drop1?.Dispose();
            _drop2?.Dispose();
        }

        base.Dispose(disposing);
    }
}
