using System.Text;
using System.Text.Json;

namespace Inegi.UrbanGrowth;

/// <summary>
/// The one JSON convention of the packages: a type that serialises itself has <c>WriteJson(Utf8JsonWriter)</c> (its
/// JSON value, written into whatever the caller is writing, so one object embeds another by calling the inner
/// <c>WriteJson</c> on the same writer) and <c>Save(string path)</c>, which is <see cref="Save"/> over that
/// <c>WriteJson</c>. Files are indented UTF-8 (two spaces, the default encoder) with a trailing newline.
/// </summary>
public static class JsonText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes a JSON file atomically (temporary name, then rename): indented UTF-8 and a trailing newline.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="writeJson">Writes one JSON value (typically a type's <c>WriteJson</c>).</param>
    public static void Save(string path, Action<Utf8JsonWriter> writeJson)
    {
        ArgumentNullException.ThrowIfNull(writeJson);
        AtomicFile.Write(path, stream =>
        {
            using (var writer = new Utf8JsonWriter(stream, Indented))
            {
                writeJson(writer);
            }

            stream.WriteByte((byte)'\n');
        });
    }

    /// <summary>The JSON text of one value (for a console, or a string field of a binary file).</summary>
    /// <param name="writeJson">Writes one JSON value (typically a type's <c>WriteJson</c>).</param>
    /// <param name="indented">Indented (two spaces) or compact.</param>
    public static string Format(Action<Utf8JsonWriter> writeJson, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(writeJson);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? Indented : default))
        {
            writeJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
