using System.Globalization;
using TorchSharp;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>Device names and their resolution to libtorch devices.</summary>
internal static class TorchRuntime
{
    /// <summary>Checks a device name ("cpu", "cuda", "cuda:N") without touching libtorch; returns the normalised name.</summary>
    public static string ParseDevice(string? device, string parameterName)
    {
        string name = (device ?? string.Empty).Trim().ToLowerInvariant();
        if (name == "cpu" || name == "cuda")
        {
            return name;
        }

        if (name.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index >= 0)
        {
            return name;
        }

        throw new ArgumentException($"Device must be \"cpu\", \"cuda\" or \"cuda:N\", got \"{device}\".", parameterName);
    }

    /// <summary>The torch device for a checked name; a clear error when CUDA is asked for but this libtorch has none.</summary>
    public static torch.Device Resolve(string device, string parameterName)
    {
        string name = ParseDevice(device, parameterName);
        if (name != "cpu" && !torch.cuda.is_available())
        {
            throw new ArgumentException(
                $"Device \"{name}\" asked for, but the loaded libtorch has no usable CUDA device; reference a CUDA libtorch package (e.g. libtorch-cuda-12.8-linux-x64) instead of libtorch-cpu, or use \"cpu\".",
                parameterName);
        }

        return torch.device(name);
    }
}
