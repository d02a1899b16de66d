namespace Inegi.UrbanGrowth.Patches.Kernels;

/// <summary>
/// A switch fixed when a generic kernel is compiled: the JIT specialises the kernel for each struct that implements
/// it and folds <see cref="On"/> to a constant, so the code it turns off is not in that kernel at all (no branch
/// in the loop, no registers held for it).
/// </summary>
internal interface IKernelSwitch
{
    /// <summary>Whether the switched part runs.</summary>
    static abstract bool On { get; }
}

/// <summary>The two positions of an <see cref="IKernelSwitch"/>.</summary>
internal static class KernelSwitch
{
    /// <summary>The switched part runs.</summary>
    internal readonly struct Enabled : IKernelSwitch
    {
        public static bool On => true;
    }

    /// <summary>The switched part is left out.</summary>
    internal readonly struct Disabled : IKernelSwitch
    {
        public static bool On => false;
    }
}
