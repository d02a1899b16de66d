namespace Inegi.UrbanGrowth.Rendering;

/// <summary>Writes PNG bytes to a file atomically.</summary>
public static class PngFile
{
    /// <summary>Writes the bytes to a temporary file in the same folder, then renames it over <paramref name="path"/>,
    /// so that the picture appears whole or not at all.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="png">The encoded picture (e.g. from <see cref="QuickLook"/> or <see cref="UrbanAreaChart"/>).</param>
    /// <exception cref="DataFileException">The file cannot be written.</exception>
    public static void Write(string path, byte[] png)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(png);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temporary, png);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            throw new DataFileException(full, "cannot be written: " + e.Message, e);
        }
    }
}
