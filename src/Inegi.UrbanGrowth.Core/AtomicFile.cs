namespace Inegi.UrbanGrowth;

/// <summary>
/// Writes a file whole or not at all: the content goes to a temporary name in the destination folder, which is
/// renamed over the destination only once it is complete (SPEC 7).
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary name used while <paramref name="path"/> is being written.</summary>
    /// <param name="path">Final path.</param>
    public static string TemporaryPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        return Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
    }

    /// <summary>Writes through a stream callback, then renames into place. On any error the temporary file is deleted.</summary>
    /// <param name="path">Final path.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

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
        catch
        {
            TryDelete(temp);
            throw;
        }
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
