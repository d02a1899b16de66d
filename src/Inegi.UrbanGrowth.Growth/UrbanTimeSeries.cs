using System.Buffers;
using System.Text;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Streams N yearly class maps of one grid, row by row, into a "first year urban" raster and a table of urban area
/// per year and zone, optionally after the <see cref="TemporalConsistencyRule"/>.
/// </summary>
/// <remarks>
/// <para>Rows of all years come packed, year-major: <c>classes[t * width + x]</c> is the class of cell <c>x</c> in
/// year <c>Years[t]</c>. The first-year-urban value of a cell is the first year whose (consistent) class is urban;
/// <see cref="NeverUrban"/> (0) where no valid year is urban; <see cref="NoData"/> (65535) where no year is valid.</para>
/// <para>Without a rule a year is valid when its class is 0 or 1 (probabilities are not needed); with a rule, as the
/// rule says (class 0/1 and p 0..100). Zones: as in <see cref="ChangeStatisticsAccumulator"/>, cells whose zone id
/// is <see cref="ZoneNoData"/> count nationally and in the unzoned row only.</para>
/// </remarks>
public sealed class UrbanTimeSeries
{
    private static readonly string[] TextHeader = ["year", "valid_cells", "urban_cells", "urban_km2"];

    /// <summary>First-year-urban value of a cell never urban in its valid years.</summary>
    public const ushort NeverUrban = 0;

    /// <summary>First-year-urban value of a cell with no valid year (the raster's nodata).</summary>
    public const ushort NoData = ushort.MaxValue;

    private readonly int[] _years;
    private readonly Dictionary<int, int> _zoneIndex = [];
    private readonly List<int> _zoneIds = [];
    private readonly List<long[]> _zoneCounts = [];
    private readonly long[] _national;
    private readonly long[] _unzoned;

    /// <summary>Creates an empty series.</summary>
    /// <param name="years">The years of the maps, strictly increasing, each in 1..65534.</param>
    /// <param name="cellAreaKm2">Area of one cell, km2.</param>
    /// <param name="zoneNoData">The zone id meaning "no zone", or null.</param>
    /// <param name="rule">The temporal consistency rule, or null for the maps as they are.</param>
    public UrbanTimeSeries(IReadOnlyList<int> years, double cellAreaKm2 = 1.0, int? zoneNoData = null, TemporalConsistencyRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(years);
        if (years.Count == 0)
        {
            throw new ArgumentException("At least one year is needed.", nameof(years));
        }

        _years = new int[years.Count];
        for (int t = 0; t < years.Count; t++)
        {
            if (years[t] < 1 || years[t] >= NoData || (t > 0 && years[t] <= years[t - 1]))
            {
                throw new ArgumentException($"Years must be strictly increasing values in 1..65534; got {years[t]} at position {t}.", nameof(years));
            }

            _years[t] = years[t];
        }

        if (!double.IsFinite(cellAreaKm2) || cellAreaKm2 <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cellAreaKm2), cellAreaKm2, "The cell area must be a positive number of km2.");
        }

        CellAreaKm2 = cellAreaKm2;
        ZoneNoData = zoneNoData;
        Rule = rule;
        _national = new long[2 * _years.Length];
        _unzoned = new long[2 * _years.Length];
    }

    /// <summary>The years, in increasing order.</summary>
    public IReadOnlyList<int> Years => _years;

    /// <summary>Area of one cell, km2.</summary>
    public double CellAreaKm2 { get; }

    /// <summary>The zone id meaning "no zone", if any.</summary>
    public int? ZoneNoData { get; }

    /// <summary>The temporal consistency rule, or null.</summary>
    public TemporalConsistencyRule? Rule { get; }

    /// <summary>Urban area per year over every cell added.</summary>
    public IReadOnlyList<YearlyUrbanArea> National => ToAreas(_national);

    /// <summary>Urban area per year over the cells with the "no zone" id.</summary>
    public IReadOnlyList<YearlyUrbanArea> Unzoned => ToAreas(_unzoned);

    /// <summary>Urban area per year for each zone id, in increasing id order.</summary>
    public IReadOnlyList<KeyValuePair<int, IReadOnlyList<YearlyUrbanArea>>> Zones
    {
        get
        {
            var result = new List<KeyValuePair<int, IReadOnlyList<YearlyUrbanArea>>>(_zoneIds.Count);
            for (int i = 0; i < _zoneIds.Count; i++)
            {
                result.Add(new(_zoneIds[i], ToAreas(_zoneCounts[i])));
            }

            result.Sort(static (x, y) => x.Key.CompareTo(y.Key));
            return result;
        }
    }

    /// <summary>Adds one grid row of every year.</summary>
    /// <param name="classes">Class rows of all years, year-major (<c>Years.Count * width</c> values).</param>
    /// <param name="probabilities">p(urban) rows (byte 0..100, 255 nodata), same layout; required with a rule, ignored
    /// (may be empty) without one.</param>
    /// <param name="zones">Zone ids of the row (<c>width</c> values), or empty.</param>
    /// <param name="firstUrbanYear">Receives the first-year-urban value of each cell (<c>width</c> values).</param>
    /// <param name="consistentClasses">Optionally receives the classes used (after the rule), same layout as
    /// <paramref name="classes"/>; empty to skip.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void AddRow(ReadOnlySpan<byte> classes, ReadOnlySpan<byte> probabilities, ReadOnlySpan<int> zones, Span<ushort> firstUrbanYear, Span<byte> consistentClasses = default)
    {
        int n = _years.Length;
        int width = SeriesLayout.Width(classes.Length, n, nameof(classes));
        if (Rule is not null && probabilities.Length != classes.Length)
        {
            throw new ArgumentException($"The rule needs {classes.Length} probabilities; got {probabilities.Length}.", nameof(probabilities));
        }

        if (!zones.IsEmpty && zones.Length != width)
        {
            throw new ArgumentException($"The zone row holds {zones.Length} cells; the rows are {width} wide.", nameof(zones));
        }

        if (firstUrbanYear.Length < width)
        {
            throw new ArgumentException($"The first-year row holds {firstUrbanYear.Length} cells; {width} are needed.", nameof(firstUrbanYear));
        }

        if (!consistentClasses.IsEmpty && consistentClasses.Length < classes.Length)
        {
            throw new ArgumentException($"The consistent-class buffer holds {consistentClasses.Length} values; {classes.Length} are needed.", nameof(consistentClasses));
        }

        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> states;
            if (Rule is null)
            {
                states = classes;
                if (!consistentClasses.IsEmpty)
                {
                    for (int k = 0; k < classes.Length; k++)
                    {
                        consistentClasses[k] = classes[k] <= 1 ? classes[k] : UrbanClass.Undefined;
                    }
                }
            }
            else
            {
                Span<byte> buffer = consistentClasses;
                if (buffer.IsEmpty)
                {
                    rented = ArrayPool<byte>.Shared.Rent(classes.Length);
                    buffer = rented.AsSpan(0, classes.Length);
                }

                Rule.Apply(classes, probabilities, n, buffer);
                states = buffer[..classes.Length];
            }

            int lastZone = 0;
            long[]? lastCounts = null;
            for (int x = 0; x < width; x++)
            {
                long[] counts = _national;
                long[]? second = null;
                if (!zones.IsEmpty)
                {
                    int zone = zones[x];
                    if (ZoneNoData == zone)
                    {
                        second = _unzoned;
                    }
                    else
                    {
                        if (lastCounts is null || zone != lastZone)
                        {
                            lastCounts = CountsOf(zone);
                            lastZone = zone;
                        }

                        second = lastCounts;
                    }
                }

                ushort first = NoData;
                for (int t = 0; t < n; t++)
                {
                    byte s = states[(t * width) + x];
                    if (s > 1)
                    {
                        continue;
                    }

                    counts[2 * t]++;
                    counts[(2 * t) + 1] += s;
                    if (second is not null)
                    {
                        second[2 * t]++;
                        second[(2 * t) + 1] += s;
                    }

                    if (s == UrbanClass.Urban)
                    {
                        if (first == NoData || first == NeverUrban)
                        {
                            first = (ushort)_years[t];
                        }
                    }
                    else if (first == NoData)
                    {
                        first = NeverUrban;
                    }
                }

                firstUrbanYear[x] = first;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The counts behind the tables (valid and urban cells per year, nationally, unzoned and per zone), to sum
    /// the series of separate parts of a grid (the tiles of a cluster run) with <see cref="Add"/>.</summary>
    public UrbanSeriesCounts Counts() =>
        new([.. _national], [.. _unzoned], [.. _zoneIds.Select((id, i) => new KeyValuePair<int, IReadOnlyList<long>>(id, [.. _zoneCounts[i]]))]);

    /// <summary>
    /// Adds the counts of a series over other cells of the same grid, years, zones and rule (a tile): the sum of the
    /// tiles' counts is the series of the whole grid, so its tables are the same bytes.
    /// </summary>
    /// <param name="counts">The other part's <see cref="Counts"/>.</param>
    /// <exception cref="ArgumentException">The counts are not for this many years.</exception>
    public void Add(UrbanSeriesCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        AddTo(_national, counts.National);
        AddTo(_unzoned, counts.Unzoned);
        foreach ((int zone, IReadOnlyList<long> zoneCounts) in counts.Zones)
        {
            AddTo(CountsOf(zone), zoneCounts);
        }
    }

    private void AddTo(long[] target, IReadOnlyList<long> source)
    {
        if (source.Count != target.Length)
        {
            throw new ArgumentException($"Counts for {source.Count / 2} years; the series has {_years.Length}.", nameof(source));
        }

        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    /// <summary>The header of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "zone,year,valid_cells,urban_cells,urban_km2";

    /// <summary>The urban area table as CSV: the national rows (<c>all</c>), then each zone id in increasing order, then
    /// <c>none</c> for unzoned cells when there are any; one row per year within each.</summary>
    /// <returns>The CSV text, '\n' line ends, invariant culture.</returns>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(CsvHeader).Append('\n');
        AppendRows(sb, "all", National);
        foreach (var (id, areas) in Zones)
        {
            AppendRows(sb, CsvText.Integer(id), areas);
        }

        if (HasAny(_unzoned))
        {
            AppendRows(sb, "none", Unzoned);
        }

        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to a file (UTF-8, temporary name then rename).</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="DataFileException">The file cannot be written.</exception>
    public void WriteCsv(string path) => CsvText.WriteAtomic(path, ToCsv());

    /// <summary>A text table of national urban area per year (cells and km2).</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var rows = new List<string[]> { TextHeader };
        foreach (YearlyUrbanArea a in National)
        {
            rows.Add([CsvText.Integer(a.Year), CsvText.Integer(a.ValidCells), CsvText.Integer(a.UrbanCells), TextTable.Fixed(a.UrbanKm2, 2)]);
        }

        return TextTable.Format(rows);
    }

    private static bool HasAny(long[] counts)
    {
        foreach (long c in counts)
        {
            if (c != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendRows(StringBuilder sb, string zone, IReadOnlyList<YearlyUrbanArea> areas)
    {
        foreach (YearlyUrbanArea a in areas)
        {
            sb.Append(zone).Append(',')
              .Append(CsvText.Integer(a.Year)).Append(',')
              .Append(CsvText.Integer(a.ValidCells)).Append(',')
              .Append(CsvText.Integer(a.UrbanCells)).Append(',')
              .Append(CsvText.Number(a.UrbanKm2)).Append('\n');
        }
    }

    private YearlyUrbanArea[] ToAreas(long[] counts)
    {
        var result = new YearlyUrbanArea[_years.Length];
        for (int t = 0; t < _years.Length; t++)
        {
            result[t] = new YearlyUrbanArea(_years[t], counts[2 * t], counts[(2 * t) + 1], counts[(2 * t) + 1] * CellAreaKm2);
        }

        return result;
    }

    private long[] CountsOf(int zone)
    {
        if (!_zoneIndex.TryGetValue(zone, out int index))
        {
            index = _zoneIds.Count;
            _zoneIndex.Add(zone, index);
            _zoneIds.Add(zone);
            _zoneCounts.Add(new long[2 * _years.Length]);
        }

        return _zoneCounts[index];
    }
}
