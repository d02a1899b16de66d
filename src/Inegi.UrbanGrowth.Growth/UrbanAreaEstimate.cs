using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// Urban area per year and zone from yearly maps and their per-cell confidences p(urban): the mapped area (cells of
/// class 1), the expected area (the sum of p, unbiased when p is calibrated) and a 95% interval of the expected
/// area, <c>sum p +- 1.96 sqrt(sum p (1 - p))</c> (cells taken as independent Bernoulli trials), in km2.
/// </summary>
public sealed class UrbanAreaEstimate
{
    private readonly int[] _years;
    private readonly double _cellArea;
    private readonly int? _zoneNoData;
    private readonly SortedDictionary<int, double[]> _zones = [];
    private readonly double[] _national;
    private readonly double[] _unzoned;

    // Per year: valid cells, mapped urban cells, sum p, sum p (1 - p).
    private const int Fields = 4;

    /// <summary>Creates an empty estimate.</summary>
    /// <param name="years">The years.</param>
    /// <param name="cellAreaKm2">Area of a cell, km2.</param>
    /// <param name="zoneNoData">The zone id meaning "no zone", or null.</param>
    public UrbanAreaEstimate(IReadOnlyList<int> years, double cellAreaKm2 = 1.0, int? zoneNoData = null)
    {
        ArgumentNullException.ThrowIfNull(years);
        if (years.Count == 0 || !(cellAreaKm2 > 0))
        {
            throw new ArgumentException("Give at least one year and a positive cell area.", nameof(years));
        }

        _years = [.. years];
        _cellArea = cellAreaKm2;
        _zoneNoData = zoneNoData;
        _national = new double[_years.Length * Fields];
        _unzoned = new double[_years.Length * Fields];
    }

    /// <summary>One line of the table.</summary>
    /// <param name="Zone"><c>all</c>, a zone id, or <c>none</c>.</param>
    /// <param name="Year">The year.</param>
    /// <param name="ValidCells">Cells with a class that year.</param>
    /// <param name="MappedCells">Cells mapped urban.</param>
    /// <param name="MappedKm2">Their area.</param>
    /// <param name="ExpectedKm2">The sum of p(urban), as area.</param>
    /// <param name="LowKm2">Lower end of the 95% interval.</param>
    /// <param name="HighKm2">Upper end of the 95% interval.</param>
    public sealed record Row(string Zone, int Year, long ValidCells, long MappedCells, double MappedKm2, double ExpectedKm2, double LowKm2, double HighKm2);

    /// <summary>Adds one grid row of all years, packed year-major (<c>classes[t * width + x]</c>).</summary>
    /// <param name="classes">Classes 0, 1 (anything else: no data).</param>
    /// <param name="probability">p(urban) per cell and year (ignored where the class is no data).</param>
    /// <param name="zones">Zone ids of the row's cells, or empty.</param>
    public void AddRow(ReadOnlySpan<byte> classes, ReadOnlySpan<double> probability, ReadOnlySpan<int> zones)
    {
        int n = _years.Length;
        if (classes.Length % n != 0 || probability.Length != classes.Length)
        {
            throw new ArgumentException($"{classes.Length} classes and {probability.Length} probabilities do not make rows of {n} years.", nameof(classes));
        }

        int width = classes.Length / n;
        if (!zones.IsEmpty && zones.Length != width)
        {
            throw new ArgumentException($"{zones.Length} zone ids for a row of {width} cells.", nameof(zones));
        }

        for (int x = 0; x < width; x++)
        {
            double[]? zone = null;
            if (!zones.IsEmpty)
            {
                int id = zones[x];
                if (_zoneNoData == id)
                {
                    zone = _unzoned;
                }
                else if (!_zones.TryGetValue(id, out zone))
                {
                    zone = new double[n * Fields];
                    _zones[id] = zone;
                }
            }

            for (int t = 0; t < n; t++)
            {
                byte c = classes[(t * width) + x];
                if (c > 1)
                {
                    continue;
                }

                double p = Math.Clamp(probability[(t * width) + x], 0, 1);
                Add(_national, t, c, p);
                if (zone is not null)
                {
                    Add(zone, t, c, p);
                }
            }
        }
    }

    private static void Add(double[] counts, int t, byte c, double p)
    {
        counts[(t * Fields) + 0]++;
        counts[(t * Fields) + 1] += c;
        counts[(t * Fields) + 2] += p;
        counts[(t * Fields) + 3] += p * (1 - p);
    }

    /// <summary>The table: <c>all</c> per year, then each zone id ascending, then <c>none</c> if any cell had no zone.</summary>
    public IEnumerable<Row> Rows()
    {
        foreach (Row r in RowsOf("all", _national))
        {
            yield return r;
        }

        foreach ((int id, double[] counts) in _zones)
        {
            foreach (Row r in RowsOf(id.ToString(CultureInfo.InvariantCulture), counts))
            {
                yield return r;
            }
        }

        if (_unzoned[0] > 0 || _unzoned.Any(v => v > 0))
        {
            foreach (Row r in RowsOf("none", _unzoned))
            {
                yield return r;
            }
        }
    }

    private IEnumerable<Row> RowsOf(string zone, double[] counts)
    {
        for (int t = 0; t < _years.Length; t++)
        {
            double expected = counts[(t * Fields) + 2], half = 1.959963984540054 * Math.Sqrt(counts[(t * Fields) + 3]);
            yield return new Row(zone, _years[t], (long)counts[t * Fields], (long)counts[(t * Fields) + 1], counts[(t * Fields) + 1] * _cellArea,
                expected * _cellArea, Math.Max(0, expected - half) * _cellArea, (expected + half) * _cellArea);
        }
    }

    /// <summary>The CSV text: <c>zone,year,valid_cells,urban_cells,urban_km2,expected_km2,ci95_low_km2,ci95_high_km2</c>.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder("zone,year,valid_cells,urban_cells,urban_km2,expected_km2,ci95_low_km2,ci95_high_km2\n");
        foreach (Row r in Rows())
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{r.Zone},{r.Year},{r.ValidCells},{r.MappedCells},{r.MappedKm2:0.###},{r.ExpectedKm2:0.###},{r.LowKm2:0.###},{r.HighKm2:0.###}\n"));
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> atomically (UTF-8 without BOM).</summary>
    /// <param name="path">The CSV file.</param>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());
}
