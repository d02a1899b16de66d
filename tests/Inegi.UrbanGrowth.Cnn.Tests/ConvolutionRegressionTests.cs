using TorchSharp;
using static TorchSharp.torch;

namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>
/// The network must not depend on memory libtorch's oneDNN convolutions never write (docs/cnn.md, "CPU convolutions"):
/// freed blocks are filled with NaN first, so a kernel that reads an output or scratch buffer before writing it shows up
/// as NaN at once instead of one process in four.
/// </summary>
public sealed class ConvolutionRegressionTests
{
    [Theory]
    [InlineData(27, 1)]
    [InlineData(27, 2)]
    [InlineData(27, 3)]
    [InlineData(27, 16)]
    [InlineData(6, 2)]
    [InlineData(24, 3)]
    public void Forward_AfterTheAllocatorHeldNaN_IsFiniteAndMatchesAFloat64Reference(int channels, int rows)
    {
        var options = new LeNetOptions { Conv1Filters = 8, Conv2Filters = 8, Dense1Units = 16, Dense2Units = 8 };
        float[] logits = TorchThread.Invoke(() =>
        {
            torch.manual_seed(11);
            using var network = new LeNetNetwork(channels, 33, 2, options);
            network.eval();
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            for (int i = 0; i < 4; i++)
            {
                // Blocks of the sizes the convolutions allocate, freed full of NaN for the allocator to hand out again.
                torch.full([rows, 8, 29, 29], float.NaN).Dispose();
                torch.full([rows, 8, 10, 10], float.NaN).Dispose();
                torch.full([8, 16, 5, 5], float.NaN).Dispose();
            }

            Tensor input = torch.randn(rows, channels, 33, 33);
            Tensor output = network.forward(input);
            using var reference = Float64Forward(network, input);
            Assert.True((output.to(float64) - reference).abs().max().item<double>() < 1e-4, "float32 logits differ from the float64 forward pass");
            return output.data<float>().ToArray();
        });

        Assert.Equal(rows * 2, logits.Length);
        Assert.All(logits, v => Assert.True(float.IsFinite(v), "a logit is not finite"));
    }

    /// <summary>Convolution as unfold + matrix product: independent of libtorch's convolution kernels.</summary>
    private static Tensor Im2ColConvolution(Tensor x, Tensor weight, Tensor bias)
    {
        long rows = x.shape[0], filters = weight.shape[0], k = weight.shape[2];
        long height = x.shape[2] - k + 1, width = x.shape[3] - k + 1;
        Tensor columns = nn.functional.unfold(x, k);
        return (weight.view(filters, -1).matmul(columns) + bias.view(1, filters, 1)).view(rows, filters, height, width);
    }

    private static Tensor Float64Forward(LeNetNetwork network, Tensor input)
    {
        var p = network.named_parameters().ToDictionary(t => t.name, t => t.parameter.to(float64));
        Tensor x = input.to(float64);
        x = nn.functional.max_pool2d(nn.functional.relu(Im2ColConvolution(x, p["_conv1.weight"], p["_conv1.bias"])), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(Im2ColConvolution(x, p["_conv2.weight"], p["_conv2.bias"])), 2);
        x = x.flatten(1);
        x = nn.functional.relu(nn.functional.linear(x, p["_fc1.weight"], p["_fc1.bias"]));
        x = nn.functional.relu(nn.functional.linear(x, p["_fc2.weight"], p["_fc2.bias"]));
        return nn.functional.linear(x, p["_fc3.weight"], p["_fc3.bias"]).MoveToOuterDisposeScope();
    }
}
