namespace Inegi.UrbanGrowth.Vectors;

/// <summary>A horizontal run of new-urban cells: columns <see cref="Start"/> to <see cref="End"/> inclusive.</summary>
internal readonly record struct CellRun(int Row, int Start, int End);

/// <summary>An 8-connected group of new-urban cells being collected by <see cref="AlertComponents"/>.</summary>
internal sealed class AlertComponent
{
    public List<CellRun> Runs { get; } = [];

    public Dictionary<int, int> ZoneCounts { get; } = [];

    public long FirstCellId { get; set; } = long.MaxValue;

    public int CellCount { get; set; }

    public long ConfidenceSum { get; set; }

    public int ConfidenceCount { get; set; }

    public int MinConfidence { get; set; } = int.MaxValue;

    public int MinYear { get; set; } = int.MaxValue;

    public int? Zone
    {
        get
        {
            int best = 0, bestCount = 0;
            foreach ((int zone, int count) in ZoneCounts)
            {
                if (count > bestCount || (count == bestCount && zone < best))
                {
                    best = zone;
                    bestCount = count;
                }
            }

            return bestCount > 0 ? best : null;
        }
    }

    public void Absorb(AlertComponent other)
    {
        Runs.AddRange(other.Runs);
        foreach ((int zone, int count) in other.ZoneCounts)
        {
            ZoneCounts[zone] = ZoneCounts.GetValueOrDefault(zone) + count;
        }

        FirstCellId = Math.Min(FirstCellId, other.FirstCellId);
        CellCount += other.CellCount;
        ConfidenceSum += other.ConfidenceSum;
        ConfidenceCount += other.ConfidenceCount;
        MinConfidence = Math.Min(MinConfidence, other.MinConfidence);
        MinYear = Math.Min(MinYear, other.MinYear);
    }
}

/// <summary>
/// Connected-component labelling of new-urban cells in one pass over the rows, holding only two rows of labels and
/// the groups still open: a group is closed (handed to the callback) as soon as a row holds none of its cells.
/// </summary>
/// <remarks>Union-find over the labels of the previous and the current row; after each row the surviving roots are
/// renumbered, so the label space never grows with the grid. Groups closed by the same row are handed over in the
/// order of their first cell, so the output does not depend on hash order or on how rows are split.</remarks>
internal sealed class AlertComponents
{
    /// <summary>SPEC 7: the growth code of a new-urban cell.</summary>
    public const byte NewUrban = 2;

    private readonly int _width;
    private readonly Action<AlertComponent> _closed;
    private int[] _previous;
    private int[] _current;
    private List<AlertComponent?> _components = [];
    private List<int> _parent = [];
    private int _row;

    public AlertComponents(int width, Action<AlertComponent> closed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        _width = width;
        _closed = closed;
        _previous = new int[width];
        _current = new int[width];
        Array.Fill(_previous, -1);
    }

    public int RowsAdded => _row;

    /// <summary>Groups still open after the last row added (what the scan holds in memory).</summary>
    public int OpenGroups => _components.Count;

    /// <summary>Adds the next row. <paramref name="zones"/> may be empty (no zones); <paramref name="zoneNoData"/> marks cells without a zone.</summary>
    public void AddRow(ReadOnlySpan<byte> growth, ReadOnlySpan<ushort> firstYear, ReadOnlySpan<byte> confidence, ReadOnlySpan<int> zones, int? zoneNoData)
    {
        Array.Fill(_current, -1);
        int w = _width;
        for (int c = 0; c < w; c++)
        {
            if (growth[c] != NewUrban)
            {
                continue;
            }

            int start = c;
            while (c + 1 < w && growth[c + 1] == NewUrban)
            {
                c++;
            }

            int end = c;
            int label = -1;
            for (int k = Math.Max(start - 1, 0); k <= Math.Min(end + 1, w - 1); k++)
            {
                int other = _previous[k];
                if (other < 0)
                {
                    continue;
                }

                other = Find(other);
                if (label < 0)
                {
                    label = other;
                }
                else if (other != label)
                {
                    label = Union(label, other);
                }
            }

            if (label < 0)
            {
                label = _components.Count;
                _components.Add(new AlertComponent());
                _parent.Add(label);
            }

            AlertComponent component = _components[label]!;
            component.Runs.Add(new CellRun(_row, start, end));
            component.FirstCellId = Math.Min(component.FirstCellId, (long)_row * w + start);
            component.CellCount += end - start + 1;
            for (int k = start; k <= end; k++)
            {
                _current[k] = label;
                byte p = confidence[k];
                if (p <= 100)
                {
                    component.ConfidenceSum += p;
                    component.ConfidenceCount++;
                    component.MinConfidence = Math.Min(component.MinConfidence, p);
                }

                ushort year = firstYear[k];
                if (year is not 0 and not ushort.MaxValue)
                {
                    component.MinYear = Math.Min(component.MinYear, year);
                }

                if (!zones.IsEmpty && zones[k] != zoneNoData)
                {
                    component.ZoneCounts[zones[k]] = component.ZoneCounts.GetValueOrDefault(zones[k]) + 1;
                }
            }
        }

        Compact(closeAll: false);
        (_previous, _current) = (_current, _previous);
        _row++;
    }

    /// <summary>Closes every group still open (call after the last row).</summary>
    public void Complete()
    {
        Array.Fill(_current, -1);
        Compact(closeAll: true);
        Array.Fill(_previous, -1);
    }

    private int Find(int label)
    {
        while (_parent[label] != label)
        {
            _parent[label] = _parent[_parent[label]];
            label = _parent[label];
        }

        return label;
    }

    private int Union(int a, int b)
    {
        // The larger group absorbs the smaller, so merging stays linear overall.
        AlertComponent ca = _components[a]!, cb = _components[b]!;
        if (cb.CellCount > ca.CellCount)
        {
            (a, b) = (b, a);
            (ca, cb) = (cb, ca);
        }

        ca.Absorb(cb);
        _components[b] = null;
        _parent[b] = a;
        return a;
    }

    /// <summary>Renumbers the roots that the current row holds; hands the others over, closed.</summary>
    private void Compact(bool closeAll)
    {
        var map = new Dictionary<int, int>();
        var survivors = new List<AlertComponent?>();
        for (int k = 0; k < _width; k++)
        {
            int label = _current[k];
            if (label < 0)
            {
                continue;
            }

            int root = Find(label);
            if (!map.TryGetValue(root, out int renumbered))
            {
                renumbered = survivors.Count;
                map[root] = renumbered;
                survivors.Add(_components[root]);
            }

            _current[k] = renumbered;
        }

        List<AlertComponent>? closed = null;
        for (int i = 0; i < _components.Count; i++)
        {
            if (_components[i] is { } component && (closeAll || !map.ContainsKey(i)))
            {
                (closed ??= []).Add(component);
            }
        }

        _components = survivors;
        _parent = [.. Enumerable.Range(0, survivors.Count)];
        if (closed is not null)
        {
            closed.Sort((x, y) => x.FirstCellId.CompareTo(y.FirstCellId));
            foreach (AlertComponent component in closed)
            {
                _closed(component);
            }
        }
    }
}
