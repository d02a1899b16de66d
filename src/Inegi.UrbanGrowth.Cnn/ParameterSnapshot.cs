using TorchSharp;
using static TorchSharp.torch;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>Copies a module's state dictionary to and from plain CPU float arrays (for the model file and for early stopping).</summary>
internal static class ParameterSnapshot
{
    /// <summary>Name, shape and values of every tensor of the state dictionary, in its order.</summary>
    public static List<(string Name, long[] Shape, float[] Values)> Take(nn.Module module)
    {
        var result = new List<(string, long[], float[])>();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            using var scope = torch.NewDisposeScope();
            Tensor cpu = tensor.detach().cpu().contiguous();
            result.Add((name, cpu.shape, cpu.data<float>().ToArray()));
        }

        return result;
    }

    /// <summary>Writes saved values into the module's tensors; names and shapes must match exactly.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing, extra, or of another shape.</exception>
    public static void Restore(nn.Module module, IReadOnlyList<(string Name, long[] Shape, float[] Values)> saved, string sourceName)
    {
        var state = module.state_dict();
        if (state.Count != saved.Count)
        {
            throw new InvalidDataException($"{sourceName}: {saved.Count} tensors saved, the network has {state.Count}");
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, shape, values) in saved)
        {
            if (!state.TryGetValue(name, out Tensor? target))
            {
                throw new InvalidDataException($"tensor '{name}' is not part of the network");
            }

            if (!target.shape.AsSpan().SequenceEqual(shape))
            {
                throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(',', shape)}], the network expects [{string.Join(',', target.shape)}]");
            }

            using var scope = torch.NewDisposeScope();
            target.copy_(torch.tensor(values, shape));
        }
    }
}
