using System.Diagnostics;
using System.Globalization;

namespace Inegi.UrbanGrowth;

/// <summary>
/// Writes a file whole or not at all: the content goes to a temporary name in the destination folder, which is
/// renamed over the destination only once it is complete (SPEC 7).
/// </summary>
/// <remarks>
/// Temporary names are <c>.NAME.PID.HEX.tmp</c>: the process id lets a later run for the same output tell the
/// leftovers of a killed run (process gone) from the work of a run still going (<see cref="RemoveStaleTemporaries"/>).
/// </remarks>
public static class AtomicFile
{
    /// <summary>The temporary name used while <paramref name="path"/> is being written.</summary>
    /// <param name="path">Final path.</param>
    public static string TemporaryPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        return Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
    }

    /// <summary>
    /// Deletes the temporary files that runs killed while writing <paramref name="path"/> left behind: those whose
    /// process is gone, and those of older versions whose names carry no process id. Files of live processes stay.
    /// </summary>
    /// <param name="path">The final path.</param>
    /// <returns>How many files were deleted.</returns>
    public static int RemoveStaleTemporaries(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string prefix = "." + Path.GetFileName(full) + ".";
        if (!Directory.Exists(dir))
        {
            return 0;
        }

        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(dir, prefix.Replace("[", "[[]", StringComparison.Ordinal) + "*.tmp");
            foreach (string candidate in candidates.ToList())
            {
                string middle = Path.GetFileName(candidate)[prefix.Length..^".tmp".Length];
                if (IsStale(middle))
                {
                    TryDelete(candidate);
                    removed += File.Exists(candidate) ? 0 : 1;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return removed;
    }

    /// <summary>"PID.HEX" of a dead process, or a bare 8-digit "HEX" of the versions before process ids.</summary>
    private static bool IsStale(string middle)
    {
        string[] parts = middle.Split('.');
        if (parts.Length == 1)
        {
            return parts[0].Length == 8 && parts[0].All(char.IsAsciiHexDigit);
        }

        if (parts.Length != 2 || parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigit)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        return pid != Environment.ProcessId && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes through a stream callback, then renames into place. On any error the temporary file is deleted.</summary>
    /// <param name="path">Final path.</param>
    /// <param name="write">Writes the whole content.</param>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>, never the temporary file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        RemoveStaleTemporaries(full);
        string temp = TemporaryPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e.Message.Contains(temp, StringComparison.Ordinal))
        {
            TryDelete(temp);
            throw WriteFailure(full, temp, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// The error to report when writing <paramref name="path"/> through <paramref name="temporaryPath"/> failed: an
    /// <see cref="IOException"/> that names the user's file, not the temporary one.
    /// </summary>
    /// <param name="path">The final path.</param>
    /// <param name="temporaryPath">The temporary file that was being written.</param>
    /// <param name="error">The low-level error.</param>
    public static IOException WriteFailure(string path, string temporaryPath, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string reason = error is UnauthorizedAccessException
            ? "permission denied"
            : error.Message.Replace(temporaryPath, path, StringComparison.Ordinal);
        return new IOException($"{path}: cannot be written ({reason.TrimEnd('.')})", error);
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    /// <param name="path">Final path.</param>
    /// <param name="text">The content.</param>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
            s.Write(bytes);
        });

    /// <summary>Deletes a file if it can, ignoring I/O errors (for cleaning up temporary files).</summary>
    /// <param name="path">The file.</param>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
