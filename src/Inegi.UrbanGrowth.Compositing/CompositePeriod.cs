using System.Globalization;
using System.Text.RegularExpressions;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>A compositing period: a year, a half year, a quarter, or any date range (both ends included).</summary>
/// <param name="From">First day.</param>
/// <param name="To">Last day.</param>
public readonly partial record struct CompositePeriod(DateOnly From, DateOnly To)
{
    /// <summary>
    /// Reads <c>2018</c> (annual), <c>2018-H1</c> / <c>2018-H2</c> (semiannual), <c>2018-Q1</c> .. <c>2018-Q4</c>
    /// (quarterly) or <c>2018-03-01..2018-05-31</c> (a date range).
    /// </summary>
    /// <param name="text">The period.</param>
    /// <exception cref="ArgumentException">Not one of these spellings, or a range that ends before it starts.</exception>
    public static CompositePeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match m = Spelling().Match(text.Trim());
        if (!m.Success)
        {
            throw new ArgumentException($"--period must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or yyyy-MM-dd..yyyy-MM-dd, not '{text}'");
        }

        if (m.Groups["from"].Success)
        {
            if (!DateOnly.TryParseExact(m.Groups["from"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly from)
                || !DateOnly.TryParseExact(m.Groups["to"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly to))
            {
                throw new ArgumentException($"--period: '{text}' holds an impossible date");
            }

            return to >= from ? new CompositePeriod(from, to) : throw new ArgumentException($"--period: '{text}' ends before it starts");
        }

        int year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["kind"].Value is "H" or "h" && m.Groups["part"].Value is not ("1" or "2"))
        {
            throw new ArgumentException($"--period: a year has halves H1 and H2, not '{text}'");
        }

        (int firstMonth, int months) = m.Groups["kind"].Value.ToUpperInvariant() switch
        {
            "H" => ((int.Parse(m.Groups["part"].Value, CultureInfo.InvariantCulture) * 6) - 5, 6),
            "Q" => ((int.Parse(m.Groups["part"].Value, CultureInfo.InvariantCulture) * 3) - 2, 3),
            _ => (1, 12),
        };
        var start = new DateOnly(year, firstMonth, 1);
        return new CompositePeriod(start, start.AddMonths(months).AddDays(-1));
    }

    [GeneratedRegex(@"^(?:(?<year>\d{4})(?:-(?<kind>[HhQq])(?<part>[1-4]))?|(?<from>\d{4}-\d{2}-\d{2})\.\.(?<to>\d{4}-\d{2}-\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Spelling();
}
