namespace Inegi.UrbanGrowth;

/// <summary>
/// A file given to the library cannot be used: it is missing, empty, truncated, corrupt, of an unsupported
/// layout, or inconsistent with the other inputs. The message names the file and the problem on one line.
/// </summary>
public sealed class DataFileException : Exception
{
    /// <summary>Creates the exception for a file and a problem.</summary>
    /// <param name="path">The offending file.</param>
    /// <param name="problem">What is wrong with it, in a few words.</param>
    /// <param name="innerException">The low-level error that revealed the problem, if any.</param>
    public DataFileException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message only (prefer the path overload).</summary>
    /// <param name="message">The message.</param>
    public DataFileException(string message) : base(message)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    /// <summary>Creates the exception with a message and an inner exception (prefer the path overload).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataFileException(string message, Exception innerException) : base(message, innerException)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an empty exception (prefer the path overload).</summary>
    public DataFileException() : this("invalid data file")
    {
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file.</summary>
    public string Problem { get; }
}
