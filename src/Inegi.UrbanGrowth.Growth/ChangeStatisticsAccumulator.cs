using System.Text;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Accumulates growth statistics row by row, nationally and per zone, so that national grids stream through
/// in one pass. Feed it growth rows (<see cref="AddGrowthRow(ReadOnlySpan{byte}, ReadOnlySpan{int})"/>) or class
/// rows of the two maps (<see cref="AddRows(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{int})"/>).
/// </summary>
/// <remarks>
/// Every cell added counts in <see cref="National"/>. Cells with a zone id counts in that zone; cells whose zone
/// id equals <see cref="ZoneNoData"/> count in <see cref="Unzoned"/>, so that the zones plus the unzoned cells
/// sum exactly to the national figures. Not thread-safe: use one accumulator per thread and
/// <see cref="Merge"/> them.
/// </remarks>
public sealed class ChangeStatisticsAccumulator
{
    private static readonly string[] TextHeader = ["zone", "cells", "nodata", "urban_from", "urban_to", "new_urban", "lost", "net_km2", "growth_%"];

    private readonly Dictionary<int, int> _zoneIndex = [];
    private readonly List<int> _zoneIds = [];
    private readonly List<long[]> _zoneCounts = [];
    private readonly long[] _national = new long[5];
    private readonly long[] _unzoned = new long[5];

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="cellAreaKm2">Area of one grid cell in km2 (1 for the 1 km grid).</param>
    /// <param name="zoneNoData">The zone id that means "no zone" (e.g. the zone raster's nodata), or null if every id is a zone.</param>
    /// <exception cref="ArgumentOutOfRangeException">The cell area is not a positive finite number.</exception>
    public ChangeStatisticsAccumulator(double cellAreaKm2 = 1.0, int? zoneNoData = null)
    {
        if (!double.IsFinite(cellAreaKm2) || cellAreaKm2 <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cellAreaKm2), cellAreaKm2, "The cell area must be a positive number of km2.");
        }

        CellAreaKm2 = cellAreaKm2;
        ZoneNoData = zoneNoData;
    }

    /// <summary>Area of one cell, km2.</summary>
    public double CellAreaKm2 { get; }

    /// <summary>The zone id meaning "no zone", if any.</summary>
    public int? ZoneNoData { get; }

    /// <summary>Statistics over every cell added.</summary>
    public ChangeStatistics National => ToStatistics(_national);

    /// <summary>Statistics over the cells added with the "no zone" id (all zeros when no zone rows were given).</summary>
    public ChangeStatistics Unzoned => ToStatistics(_unzoned);

    /// <summary>Statistics per zone id, in increasing id order.</summary>
    public IReadOnlyList<KeyValuePair<int, ChangeStatistics>> Zones
    {
        get
        {
            var result = new List<KeyValuePair<int, ChangeStatistics>>(_zoneIds.Count);
            for (int i = 0; i < _zoneIds.Count; i++)
            {
                result.Add(new(_zoneIds[i], ToStatistics(_zoneCounts[i])));
            }

            result.Sort(static (x, y) => x.Key.CompareTo(y.Key));
            return result;
        }
    }

    /// <summary>Adds one row of a growth map.</summary>
    /// <param name="growth">Growth codes (<see cref="GrowthCode"/>); any value other than 0..3 counts as nodata.</param>
    /// <param name="zones">Zone ids of the same cells, or an empty span for national statistics only.</param>
    /// <exception cref="ArgumentException">The zone row is not empty and differs in length from the growth row.</exception>
    public void AddGrowthRow(ReadOnlySpan<byte> growth, ReadOnlySpan<int> zones = default)
    {
        if (zones.IsEmpty)
        {
            Span<long> local = stackalloc long[5];
            local.Clear();
            foreach (byte g in growth)
            {
                local[Slot(g)]++;
            }

            for (int k = 0; k < 5; k++)
            {
                _national[k] += local[k];
            }

            return;
        }

        if (zones.Length != growth.Length)
        {
            throw new ArgumentException($"The zone row holds {zones.Length} cells; the growth row {growth.Length}.", nameof(zones));
        }

        int lastZone = 0;
        long[]? lastCounts = null;
        for (int i = 0; i < growth.Length; i++)
        {
            int slot = Slot(growth[i]);
            _national[slot]++;
            int zone = zones[i];
            if (ZoneNoData == zone)
            {
                _unzoned[slot]++;
                continue;
            }

            if (lastCounts is null || zone != lastZone)
            {
                lastCounts = CountsOf(zone);
                lastZone = zone;
            }

            lastCounts[slot]++;
        }
    }

    /// <summary>Computes the growth codes of one row from the two class rows and adds them.</summary>
    /// <param name="from">Classes of the earlier map (0, 1, 255).</param>
    /// <param name="to">Classes of the later map.</param>
    /// <param name="growth">Receives the growth codes of the row (to be written to the growth map).</param>
    /// <param name="zones">Zone ids, or empty.</param>
    public void AddRows(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Span<byte> growth, ReadOnlySpan<int> zones = default)
    {
        ChangeMap.Compute(from, to, growth);
        AddGrowthRow(growth[..from.Length], zones);
    }

    /// <summary>Adds the counts of another accumulator (same cell area and zone nodata) into this one.</summary>
    /// <param name="other">The other accumulator.</param>
    public void Merge(ChangeStatisticsAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.CellAreaKm2 != CellAreaKm2 || other.ZoneNoData != ZoneNoData)
        {
            throw new ArgumentException("The accumulators differ in cell area or zone nodata.", nameof(other));
        }

        for (int k = 0; k < 5; k++)
        {
            _national[k] += other._national[k];
            _unzoned[k] += other._unzoned[k];
        }

        for (int i = 0; i < other._zoneIds.Count; i++)
        {
            long[] counts = CountsOf(other._zoneIds[i]);
            for (int k = 0; k < 5; k++)
            {
                counts[k] += other._zoneCounts[i][k];
            }
        }
    }

    /// <summary>The header of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader =
        "zone,cells,nodata_cells,stable_non_urban,stable_urban,new_urban,urban_lost,urban_cells_from,urban_cells_to," +
        "urban_km2_from,urban_km2_to,new_urban_km2,urban_lost_km2,net_change_km2,growth_rate";

    /// <summary>The statistics as CSV: a header, the row <c>all</c> (national), one row per zone id in increasing order,
    /// and a row <c>none</c> for the unzoned cells when there are any.</summary>
    /// <returns>The CSV text, '\n' line ends, invariant culture; an undefined growth rate is an empty field.</returns>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(CsvHeader).Append('\n');
        AppendCsvRow(sb, "all", National);
        foreach (var (id, stats) in Zones)
        {
            AppendCsvRow(sb, CsvText.Integer(id), stats);
        }

        if (Unzoned.Cells > 0)
        {
            AppendCsvRow(sb, "none", Unzoned);
        }

        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to a file (UTF-8, written to a temporary name, then renamed).</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="DataFileException">The file cannot be written.</exception>
    public void WriteCsv(string path) => CsvText.WriteAtomic(path, ToCsv());

    /// <summary>A fixed-width text table of the same rows as <see cref="ToCsv"/>, for consoles and logs.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var rows = new List<string[]> { TextHeader };
        AddTextRow(rows, "all", National);
        foreach (var (id, stats) in Zones)
        {
            AddTextRow(rows, CsvText.Integer(id), stats);
        }

        if (Unzoned.Cells > 0)
        {
            AddTextRow(rows, "none", Unzoned);
        }

        return TextTable.Format(rows);
    }

    private static void AddTextRow(List<string[]> rows, string zone, ChangeStatistics s) => rows.Add(
    [
        zone, CsvText.Integer(s.Cells), CsvText.Integer(s.NoData), CsvText.Integer(s.UrbanFrom), CsvText.Integer(s.UrbanTo),
        CsvText.Integer(s.NewUrban), CsvText.Integer(s.UrbanLost), TextTable.Fixed(s.NetChangeKm2, 2),
        double.IsNaN(s.GrowthRate) ? "-" : TextTable.Fixed(100 * s.GrowthRate, 2),
    ]);

    private static void AppendCsvRow(StringBuilder sb, string zone, ChangeStatistics s)
    {
        sb.Append(zone).Append(',')
          .Append(CsvText.Integer(s.Cells)).Append(',')
          .Append(CsvText.Integer(s.NoData)).Append(',')
          .Append(CsvText.Integer(s.StableNonUrban)).Append(',')
          .Append(CsvText.Integer(s.StableUrban)).Append(',')
          .Append(CsvText.Integer(s.NewUrban)).Append(',')
          .Append(CsvText.Integer(s.UrbanLost)).Append(',')
          .Append(CsvText.Integer(s.UrbanFrom)).Append(',')
          .Append(CsvText.Integer(s.UrbanTo)).Append(',')
          .Append(CsvText.Number(s.UrbanFromKm2)).Append(',')
          .Append(CsvText.Number(s.UrbanToKm2)).Append(',')
          .Append(CsvText.Number(s.NewUrbanKm2)).Append(',')
          .Append(CsvText.Number(s.UrbanLostKm2)).Append(',')
          .Append(CsvText.Number(s.NetChangeKm2)).Append(',')
          .Append(CsvText.Number(s.GrowthRate)).Append('\n');
    }

    private static int Slot(byte code) => code <= 3 ? code : 4;

    private long[] CountsOf(int zone)
    {
        if (!_zoneIndex.TryGetValue(zone, out int index))
        {
            index = _zoneIds.Count;
            _zoneIndex.Add(zone, index);
            _zoneIds.Add(zone);
            _zoneCounts.Add(new long[5]);
        }

        return _zoneCounts[index];
    }

    private ChangeStatistics ToStatistics(long[] c) => new(c[0], c[1], c[2], c[3], c[4], CellAreaKm2);
}
