using System.Globalization;
using Inegi.UrbanGrowth.Pipeline;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>
/// Shows progress on standard error: a live bar with rate and ETA on a terminal, plain lines every few seconds
/// when the output is redirected (logs, CI).
/// </summary>
internal sealed class ConsoleProgress : IProgress<PipelineProgress>
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private DateTime _last = DateTime.MinValue;
    private string _step = string.Empty;

    public ConsoleProgress()
    {
        _interval = _interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
    }

    public void Report(PipelineProgress value)
    {
        lock (_gate)
        {
            DateTime now = DateTime.UtcNow;
            bool finished = value.Done >= value.Total;
            bool newStep = value.Step != _step;
            if (!finished && !newStep && now - _last < _interval)
            {
                return;
            }

            _last = now;
            _step = value.Step;
            string eta = value.Remaining is { } r ? FormatDuration(r) : "--:--";
            string text = string.Create(CultureInfo.InvariantCulture,
                $"{value.Step}: {value.Done:N0}/{value.Total:N0} ({value.Fraction:P0}) {value.Rate:N0}/s ETA {eta}");
            if (_interactive)
            {
                const int BarWidth = 24;
                int filled = (int)(value.Fraction * BarWidth);
                Console.Error.Write("\r[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " + text + "   ");
                if (finished)
                {
                    Console.Error.WriteLine();
                }
            }
            else
            {
                Console.Error.WriteLine(text);
            }
        }
    }

    private static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes:00}:{t.Seconds:00}");
}
