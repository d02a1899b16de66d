using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>
/// Loads the Debian 12 libstdc++ shim (built by the project file where needed) into the global symbol scope before
/// TorchSharp loads libLibTorchSharp.so; see Native/DebianGlibcxxCompatibility.targets and docs/cnn.md; needed by LeNet models.
/// </summary>
internal static partial class NativeCompatibility
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    [ModuleInitializer]
    internal static void LoadShim()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "libglibcxx_3_4_32_shim.so");
        if (OperatingSystem.IsLinux() && File.Exists(shim) && DlOpen(shim, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            throw new InvalidOperationException($"Could not load {shim}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string path, int flags);
}
