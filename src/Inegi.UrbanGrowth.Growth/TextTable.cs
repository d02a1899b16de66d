using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>Right-aligned fixed-width text tables for <c>ToString</c> overrides.</summary>
internal static class TextTable
{
    public static string Fixed(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";

    public static string Format(List<string[]> rows)
    {
        int columns = rows[0].Length;
        int[] widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var sb = new StringBuilder();
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    sb.Append("  ");
                }

                sb.Append(c == 0 ? row[c].PadRight(widths[c]) : row[c].PadLeft(widths[c]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
