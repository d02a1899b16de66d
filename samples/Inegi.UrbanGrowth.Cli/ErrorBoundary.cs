using System.Reflection;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>
/// The one place where an exception becomes an exit code and one line on standard error (docs/cli.md, "Exit codes
/// and errors"): data problems exit 1, argument problems exit 2, and nothing ever prints a stack trace.
/// </summary>
internal static class ErrorBoundary
{
    /// <summary>Prints the line for <paramref name="thrown"/> and returns the exit code.</summary>
    public static int Report(Exception thrown, TextWriter error)
    {
        Exception e = Unwrap(thrown);
        (string line, int code) = e switch
        {
            OperationCanceledException => ("urban: cancelled", UrbanCli.DataError),
            ArgumentException a => ("urban: error: " + WithoutParameterName(a), UrbanCli.UsageError),
            DataFileException or IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException or FormatException or InvalidDataException
                => ("urban: error: " + e.Message, UrbanCli.DataError),
            OutOfMemoryException or InsufficientExecutionStackException
                => ("urban: error: out of memory (" + e.Message + "); a file declares more data than fits, or the machine needs more memory", UrbanCli.DataError),
            _ => ($"urban: internal error: {e.GetType().Name}: {e.Message} (please report it)", UrbanCli.DataError),
        };
        error.WriteLine(UrbanCli.OneLine(line));
        return code;
    }

    /// <summary>
    /// The exception that says what went wrong: parallel loops wrap the reader's errors in
    /// <see cref="AggregateException"/>; of several, a data error wins over an argument error over the rest.
    /// </summary>
    public static Exception Unwrap(Exception thrown)
    {
        Exception e = thrown;
        for (int depth = 0; depth < 16; depth++)
        {
            switch (e)
            {
                case AggregateException aggregate:
                    IReadOnlyList<Exception> inner = [.. aggregate.Flatten().InnerExceptions.Select(Unwrap)];
                    if (inner.Count == 0)
                    {
                        return e;
                    }

                    return inner.FirstOrDefault(x => x is DataFileException)
                        ?? inner.FirstOrDefault(x => x is IOException or UnauthorizedAccessException)
                        ?? inner.FirstOrDefault(x => x is ArgumentException)
                        ?? inner.FirstOrDefault(x => x is not OperationCanceledException)
                        ?? inner[0];
                case TargetInvocationException { InnerException: { } cause }:
                    e = cause;
                    break;
                case TypeInitializationException { InnerException: { } cause }:
                    e = cause;
                    break;
                default:
                    return e;
            }
        }

        return e;
    }

    /// <summary>The message without .NET's " (Parameter 'x')" suffix, which names code, not anything the user typed.</summary>
    public static string WithoutParameterName(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is { } name)
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
            if (e is ArgumentOutOfRangeException { ActualValue: { } value })
            {
                message = message.Replace(Environment.NewLine + "Actual value was " + value + ".", string.Empty, StringComparison.Ordinal);
            }
        }

        return message;
    }
}
