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
        Tensor x = F.max_pool2d(F.relu(_conv1.forward(input)), 2);
        x = F.max_pool2d(F.relu(_conv2.forward(x)), 2);
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
