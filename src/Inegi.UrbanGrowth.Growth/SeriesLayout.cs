namespace Inegi.UrbanGrowth.Growth;

/// <summary>Checks of the year-major packed row layout used by the time-series APIs.</summary>
internal static class SeriesLayout
{
    public static int Width(int length, int years, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        if (length % years != 0)
        {
            throw new ArgumentException($"{length} values do not split into {years} rows of equal width.", parameter);
        }

        return length / years;
    }
}
