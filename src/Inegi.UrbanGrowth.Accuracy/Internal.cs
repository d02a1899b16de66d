using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Accuracy;

internal static class Fmt
{
    /// <summary>Round-trip invariant text of a double ("R" precision).</summary>
    public static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string F(double v, int decimals) => v.ToString("F" + I(decimals), CultureInfo.InvariantCulture);
}
