using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth;

/// <summary>
/// The checks every run makes on its output files before it starts working, so that a run that cannot write fails
/// in its first second and a run never overwrites one of its own inputs.
/// </summary>
/// <remarks>
/// Two paths are the same file when their resolved full paths are equal (symbolic links followed) or, on Linux,
/// when they name the same inode of the same device (hard links, bind mounts).
/// </remarks>
public static partial class OutputPaths
{
    /// <summary>
    /// Checks the outputs of a run against each other and against its inputs, creates their missing folders, proves
    /// each folder writable with a temporary file, and removes the temporary files of killed earlier runs.
    /// </summary>
    /// <param name="inputs">The files the run reads (null entries are ignored).</param>
    /// <param name="outputs">The files the run writes (null entries are ignored).</param>
    /// <exception cref="ArgumentException">An output is a folder, equals an input or another output.</exception>
    /// <exception cref="IOException">An output's folder cannot be created or written.</exception>
    public static void Prepare(IEnumerable<string?> inputs, IEnumerable<string?> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        string[] ins = [.. inputs.OfType<string>()];
        string[] outs = [.. outputs.OfType<string>()];
        for (int i = 0; i < outs.Length; i++)
        {
            string output = outs[i];
            if (string.IsNullOrWhiteSpace(output))
            {
                throw new ArgumentException("an output path is empty");
            }

            if (Directory.Exists(output))
            {
                throw new ArgumentException($"{output}: is a folder; give a file name");
            }

            foreach (string input in ins)
            {
                if (SameFile(output, input))
                {
                    throw new ArgumentException($"{output}: is also an input ({input}); writing it would destroy it, choose another output");
                }
            }

            for (int j = 0; j < i; j++)
            {
                if (SameFile(output, outs[j]))
                {
                    throw new ArgumentException($"{output}: given for two outputs ({outs[j]}); each output needs its own file");
                }
            }
        }

        foreach (string output in outs)
        {
            ProveWritable(output);
        }
    }

    /// <summary>Whether two paths name the same file (resolved path, or the same inode on Linux).</summary>
    /// <param name="a">A path.</param>
    /// <param name="b">Another path.</param>
    public static bool SameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            return true;
        }

        return Identity(a) is { } ia && Identity(b) is { } ib && ia == ib;
    }

    /// <summary>The full path with every symbolic link of the file itself followed.</summary>
    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            if (File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                return Path.GetFullPath(target.FullName);
            }
        }
        catch (IOException)
        {
        }

        return full;
    }

    private static void ProveWritable(string output)
    {
        string full = Path.GetFullPath(output);
        string folder = Path.GetDirectoryName(full) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{output}: its folder {folder} cannot be created ({(e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.'))})", e);
        }

        AtomicFile.RemoveStaleTemporaries(full);
        string probe = AtomicFile.TemporaryPathFor(full);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AtomicFile.TryDelete(probe);
            throw AtomicFile.WriteFailure(output, probe, e);
        }
    }

    /// <summary>(device, inode) of an existing file on Linux; null elsewhere or when the file is absent.</summary>
    private static unsafe (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(path) || !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64))
        {
            return null;
        }

        // struct stat on 64-bit Linux (x86-64 and the generic layout of arm64) starts with dev_t st_dev, ino_t st_ino.
        byte* buffer = stackalloc byte[512];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        return (*(ulong*)buffer, *(ulong*)(buffer + 8));
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
