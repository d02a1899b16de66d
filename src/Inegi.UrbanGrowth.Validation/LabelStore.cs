using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>An interpreter: a name and whether they may settle disagreements.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Name">Name as given to <c>add-interpreter</c>.</param>
/// <param name="IsAdjudicator">Whether they may adjudicate disagreements.</param>
public sealed record Interpreter(long Id, string Name, bool IsAdjudicator);

/// <summary>One interpreter's answer for one cell.</summary>
/// <param name="CellId">The sample cell.</param>
/// <param name="Label">Answer for the reference year: 0 non-urban, 1 urban, 255 cannot tell.</param>
/// <param name="Years">Answers per mosaic year (0, 1 or 255), or empty.</param>
/// <param name="FirstYearUrban">First mosaic year in which the cell is urban, or null (never, or not given).</param>
/// <param name="Confidence">1 low, 2 medium, 3 high, or null.</param>
/// <param name="Comment">Free text, or null.</param>
public sealed record LabelAnswer(long CellId, byte Label, IReadOnlyDictionary<int, byte> Years, int? FirstYearUrban, int? Confidence, string? Comment);

/// <summary>How a sample is labelled: the mosaic years, the map's year and the share labelled twice.</summary>
/// <param name="Years">Mosaic years shown, ascending.</param>
/// <param name="ReferenceYear">The map's year: the answer for it is the cell's reference label.</param>
/// <param name="DoubleShare">Share of cells labelled by two interpreters (0..1).</param>
/// <param name="Seed">Seed of the cell order and of the double-labelled share.</param>
public sealed record LabellingPlan(IReadOnlyList<int> Years, int ReferenceYear, double DoubleShare, long Seed);

/// <summary>
/// The labels database (SQLite): the sample, the interpreters (their link tokens stored only as SHA-256 hashes), the
/// answers and the adjudications. WAL journal with <c>synchronous=FULL</c>: a label is on disk when
/// <see cref="SaveLabel"/> returns, so a server killed at any moment loses no acknowledged answer.
/// </summary>
/// <remarks>Thread-safe: writes are serialized by a lock; every call opens a pooled connection.</remarks>
public sealed class LabelStore
{
    private static readonly TimeSpan ReservationTime = TimeSpan.FromMinutes(30);
    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<(long Interpreter, DateTime Until)>> _reservations = [];

    private LabelStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when absent) a labels database.</summary>
    /// <param name="path">The database file.</param>
    /// <exception cref="DataFileException">The file is not a labels database or cannot be opened.</exception>
    public static LabelStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw new DataFileException(path, "its folder does not exist");
        }

        var store = new LabelStore(path);
        try
        {
            using SqliteConnection c = store.Connect();
            Execute(c, "PRAGMA journal_mode=WAL;");
            Execute(c, """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS cells (cell_id INTEGER PRIMARY KEY, row INTEGER NOT NULL, col INTEGER NOT NULL,
                    stratum INTEGER NOT NULL, map_class INTEGER NOT NULL, x TEXT NOT NULL, y TEXT NOT NULL,
                    file_order INTEGER NOT NULL, ord INTEGER NOT NULL, required INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS interpreters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                    token_sha256 TEXT NOT NULL UNIQUE, adjudicator INTEGER NOT NULL, created TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS labels (cell_id INTEGER NOT NULL REFERENCES cells(cell_id),
                    interpreter_id INTEGER NOT NULL REFERENCES interpreters(id), label INTEGER NOT NULL, years TEXT NOT NULL,
                    first_year_urban INTEGER, confidence INTEGER, comment TEXT, saved TEXT NOT NULL, seq INTEGER NOT NULL,
                    PRIMARY KEY (cell_id, interpreter_id));
                CREATE TABLE IF NOT EXISTS adjudications (cell_id INTEGER PRIMARY KEY REFERENCES cells(cell_id),
                    label INTEGER NOT NULL, interpreter_id INTEGER NOT NULL REFERENCES interpreters(id), comment TEXT, saved TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS map_classes (cell_id INTEGER NOT NULL REFERENCES cells(cell_id), year INTEGER NOT NULL,
                    class INTEGER NOT NULL, PRIMARY KEY (cell_id, year));
                CREATE INDEX IF NOT EXISTS cells_ord ON cells(ord);
                """);
        }
        catch (SqliteException e)
        {
            throw new DataFileException(path, "is not a labels database: " + e.Message, e);
        }

        return store;
    }

    /// <summary>Adds an interpreter and returns the secret token of their link (shown once; only its hash is kept).</summary>
    /// <param name="name">1 to 64 characters: letters, digits, space, '.', '_' or '-'; unique in the database.</param>
    /// <param name="adjudicator">Whether they may settle disagreements.</param>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    public string AddInterpreter(string name, bool adjudicator = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        if (name.Length is 0 or > 64 || !name.All(ch => char.IsLetterOrDigit(ch) || ch is ' ' or '.' or '_' or '-'))
        {
            throw new ArgumentException($"interpreter name '{name}': use 1 to 64 letters, digits, spaces, '.', '_' or '-'");
        }

        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (_gate)
        {
            using SqliteConnection c = Connect();
            if (Scalar<long>(c, "SELECT COUNT(*) FROM interpreters WHERE name = $n", ("$n", name)) > 0)
            {
                throw new ArgumentException($"{Path}: an interpreter named '{name}' exists already");
            }

            Execute(c, "INSERT INTO interpreters (name, token_sha256, adjudicator, created) VALUES ($n, $t, $a, $c)",
                ("$n", name), ("$t", Hash(token)), ("$a", adjudicator ? 1 : 0), ("$c", Now()));
        }

        return token;
    }

    /// <summary>The interpreter whose link holds <paramref name="token"/>, or null.</summary>
    /// <param name="token">The token from a link or an <c>Authorization: Bearer</c> header.</param>
    public Interpreter? FindInterpreter(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT id, name, adjudicator FROM interpreters WHERE token_sha256 = $t", ("$t", Hash(token)));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? new Interpreter(r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0) : null;
    }

    /// <summary>The interpreters, by name.</summary>
    public IReadOnlyList<Interpreter> Interpreters()
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT id, name, adjudicator FROM interpreters ORDER BY name");
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<Interpreter>();
        while (r.Read())
        {
            list.Add(new Interpreter(r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0));
        }

        return list;
    }

    /// <summary>
    /// Loads the sample and the plan into a new database, or checks that a database already holds this sample and plan
    /// (a labelling session resumes where it stopped).
    /// </summary>
    /// <param name="cells">The sample.</param>
    /// <param name="plan">Years, reference year, share labelled twice, seed.</param>
    /// <exception cref="DataFileException">The database holds another sample or plan.</exception>
    public void LoadSample(IReadOnlyList<ValidationCell> cells, LabellingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(plan);
        string planText = PlanText(plan);
        lock (_gate)
        {
            using SqliteConnection c = Connect();
            string? existing = Scalar<string?>(c, "SELECT value FROM meta WHERE key = 'plan'");
            if (existing is not null)
            {
                if (existing != planText)
                {
                    throw new DataFileException(Path, $"was started with another plan ({existing}); this one is {planText}");
                }

                long count = Scalar<long>(c, "SELECT COUNT(*) FROM cells");
                var ids = new HashSet<long>(cells.Select(s => s.CellId));
                using SqliteCommand all = Command(c, "SELECT cell_id FROM cells");
                using SqliteDataReader r = all.ExecuteReader();
                while (r.Read())
                {
                    ids.Remove(r.GetInt64(0));
                }

                if (count != cells.Count || ids.Count > 0)
                {
                    throw new DataFileException(Path, $"holds another sample ({count.ToString(CultureInfo.InvariantCulture)} cells) than the one given ({cells.Count.ToString(CultureInfo.InvariantCulture)} cells)");
                }

                return;
            }

            using SqliteTransaction t = c.BeginTransaction();
            using SqliteCommand insert = Command(c, "INSERT INTO cells VALUES ($id, $r, $c, $s, $m, $x, $y, $f, $o, $q)",
                ("$id", 0L), ("$r", 0), ("$c", 0), ("$s", 0), ("$m", 0), ("$x", ""), ("$y", ""), ("$f", 0), ("$o", 0L), ("$q", 1));
            insert.Transaction = t;
            ulong seed = unchecked((ulong)plan.Seed);
            for (int i = 0; i < cells.Count; i++)
            {
                ValidationCell s = cells[i];
                // SplitMix64 hashes: a fixed, platform-independent shuffle of the cells.
                ulong order = SplitMix64.Hash(unchecked((ulong)s.CellId ^ seed));
                // The double share is drawn with a second, independent hash so it does not follow the labelling order.
                double u = (SplitMix64.Hash(order ^ 0x5851F42D4C957F2DUL) >> 11) * (1.0 / (1UL << 53));
                object[] values = [s.CellId, s.Row, s.Column, (int)s.Stratum, (int)s.MapClass, s.X, s.Y, i, (long)(order >> 1), u < plan.DoubleShare ? 2 : 1];
                for (int p = 0; p < values.Length; p++)
                {
                    insert.Parameters[p].Value = values[p];
                }

                insert.ExecuteNonQuery();
            }

            using SqliteCommand meta = Command(c, "INSERT INTO meta VALUES ('plan', $p)", ("$p", planText));
            meta.Transaction = t;
            meta.ExecuteNonQuery();
            t.Commit();
        }
    }

    /// <summary>The plan stored with the sample, or null before <see cref="LoadSample"/>.</summary>
    public LabellingPlan? Plan()
    {
        using SqliteConnection c = Connect();
        string? text = Scalar<string?>(c, "SELECT value FROM meta WHERE key = 'plan'");
        if (text is null)
        {
            return null;
        }

        using JsonDocument d = JsonDocument.Parse(text);
        JsonElement e = d.RootElement;
        return new LabellingPlan([.. e.GetProperty("years").EnumerateArray().Select(y => y.GetInt32())], e.GetProperty("referenceYear").GetInt32(),
            e.GetProperty("doubleShare").GetDouble(), e.GetProperty("seed").GetInt64());
    }

    /// <summary>A sample cell, or null when the id is not in the sample.</summary>
    /// <param name="cellId">The cell id.</param>
    public ValidationCell? Cell(long cellId)
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id, row, col, stratum, map_class, x, y FROM cells WHERE cell_id = $id", ("$id", cellId));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? ReadCell(r) : null;
    }

    /// <summary>
    /// The next cell for an interpreter: in the sample's shuffled order, the first one they have not answered that still
    /// needs an answer (two for the double-labelled share) and that is not held by others for those answers. The cell is
    /// held for this interpreter for 30 minutes so that two interpreters at once do not label the same single cell.
    /// </summary>
    /// <param name="interpreter">The interpreter.</param>
    /// <returns>The cell, or null when nothing is left for them.</returns>
    public ValidationCell? Next(Interpreter interpreter)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        lock (_gate)
        {
            DateTime now = DateTime.UtcNow;
            using SqliteConnection c = Connect();
            using SqliteCommand cmd = Command(c, """
                SELECT c.cell_id, c.row, c.col, c.stratum, c.map_class, c.x, c.y, c.required,
                       (SELECT COUNT(*) FROM labels l WHERE l.cell_id = c.cell_id) AS answered
                FROM cells c
                WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.cell_id = c.cell_id AND l.interpreter_id = $i)
                  AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.cell_id = c.cell_id)
                  AND (SELECT COUNT(*) FROM labels l WHERE l.cell_id = c.cell_id) < c.required
                ORDER BY c.ord
                """, ("$i", interpreter.Id));
            using SqliteDataReader r = cmd.ExecuteReader();
            ValidationCell? chosen = null;
            while (r.Read())
            {
                long id = r.GetInt64(0);
                int open = r.GetInt32(7) - r.GetInt32(8);
                List<(long Interpreter, DateTime Until)> held = _reservations.TryGetValue(id, out var list) ? list : [];
                held.RemoveAll(h => h.Until < now);
                if (held.Any(h => h.Interpreter == interpreter.Id))
                {
                    chosen = ReadCell(r);
                    break;
                }

                if (held.Count < open)
                {
                    chosen = ReadCell(r);
                    held.Add((interpreter.Id, now + ReservationTime));
                    _reservations[id] = held;
                    break;
                }
            }

            return chosen;
        }
    }

    /// <summary>Saves (or replaces) an interpreter's answer; it is committed to disk when this returns.</summary>
    /// <param name="interpreter">Who answered.</param>
    /// <param name="answer">The answer, already validated against the plan.</param>
    public void SaveLabel(Interpreter interpreter, LabelAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        ArgumentNullException.ThrowIfNull(answer);
        string years = JsonSerializer.Serialize(answer.Years.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => (int)kv.Value));
        lock (_gate)
        {
            using SqliteConnection c = Connect();
            long seq = Scalar<long>(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM labels");
            Execute(c, """
                INSERT INTO labels (cell_id, interpreter_id, label, years, first_year_urban, confidence, comment, saved, seq)
                VALUES ($c, $i, $l, $y, $f, $k, $m, $s, $q)
                ON CONFLICT (cell_id, interpreter_id) DO UPDATE SET label = excluded.label, years = excluded.years,
                    first_year_urban = excluded.first_year_urban, confidence = excluded.confidence, comment = excluded.comment,
                    saved = excluded.saved
                """, ("$c", answer.CellId), ("$i", interpreter.Id), ("$l", (int)answer.Label), ("$y", years), ("$f", answer.FirstYearUrban),
                ("$k", answer.Confidence), ("$m", answer.Comment), ("$s", Now()), ("$q", seq));
            if (_reservations.TryGetValue(answer.CellId, out var held))
            {
                held.RemoveAll(h => h.Interpreter == interpreter.Id);
            }
        }
    }

    /// <summary>An interpreter's answer for a cell, or null.</summary>
    /// <param name="interpreter">The interpreter.</param>
    /// <param name="cellId">The cell.</param>
    public LabelAnswer? Label(Interpreter interpreter, long cellId)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id, label, years, first_year_urban, confidence, comment FROM labels WHERE cell_id = $c AND interpreter_id = $i",
            ("$c", cellId), ("$i", interpreter.Id));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? ReadAnswer(r) : null;
    }

    /// <summary>Every answer, as (interpreter id, answer), in the order they were first given.</summary>
    public IReadOnlyList<(long InterpreterId, LabelAnswer Answer)> AllLabels()
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id, label, years, first_year_urban, confidence, comment, interpreter_id FROM labels ORDER BY seq");
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<(long, LabelAnswer)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(6), ReadAnswer(r)));
        }

        return list;
    }

    /// <summary>The cells an interpreter answered, in the order they first answered them.</summary>
    /// <param name="interpreter">The interpreter.</param>
    public IReadOnlyList<long> History(Interpreter interpreter)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id FROM labels WHERE interpreter_id = $i ORDER BY seq", ("$i", interpreter.Id));
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<long>();
        while (r.Read())
        {
            list.Add(r.GetInt64(0));
        }

        return list;
    }

    /// <summary>Every sample cell in file order with the answers needed for it (1, or 2 in the double share).</summary>
    public IReadOnlyList<(ValidationCell Cell, int Required)> Cells()
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id, row, col, stratum, map_class, x, y, required FROM cells ORDER BY file_order");
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<(ValidationCell, int)>();
        while (r.Read())
        {
            list.Add((ReadCell(r), r.GetInt32(7)));
        }

        return list;
    }

    /// <summary>Settles a disagreement (or any cell): this label becomes the cell's reference.</summary>
    /// <param name="adjudicator">An interpreter with the adjudicator role.</param>
    /// <param name="cellId">The cell.</param>
    /// <param name="label">0, 1 or 255.</param>
    /// <param name="comment">Why, or null.</param>
    public void Adjudicate(Interpreter adjudicator, long cellId, byte label, string? comment)
    {
        ArgumentNullException.ThrowIfNull(adjudicator);
        lock (_gate)
        {
            using SqliteConnection c = Connect();
            Execute(c, """
                INSERT INTO adjudications (cell_id, label, interpreter_id, comment, saved) VALUES ($c, $l, $i, $m, $s)
                ON CONFLICT (cell_id) DO UPDATE SET label = excluded.label, interpreter_id = excluded.interpreter_id,
                    comment = excluded.comment, saved = excluded.saved
                """, ("$c", cellId), ("$l", (int)label), ("$i", adjudicator.Id), ("$m", comment), ("$s", Now()));
        }
    }

    /// <summary>
    /// Stores a map's class of every sample cell for a year, replacing what an earlier run stored for that year (a map
    /// may be remade: the latest one given to <c>serve</c> is the one kept), in one transaction.
    /// </summary>
    /// <param name="year">The map's year.</param>
    /// <param name="classes">Class by cell id (0, 1 or 255), for cells of the sample.</param>
    public void SaveMapClasses(int year, IReadOnlyDictionary<long, byte> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        lock (_gate)
        {
            using SqliteConnection c = Connect();
            using SqliteTransaction t = c.BeginTransaction();
            using (SqliteCommand delete = Command(c, "DELETE FROM map_classes WHERE year = $y", ("$y", year)))
            {
                delete.Transaction = t;
                delete.ExecuteNonQuery();
            }

            using SqliteCommand insert = Command(c, "INSERT INTO map_classes VALUES ($id, $y, $c)", ("$id", 0L), ("$y", year), ("$c", 0));
            insert.Transaction = t;
            foreach (var (id, cls) in classes.OrderBy(kv => kv.Key))
            {
                insert.Parameters[0].Value = id;
                insert.Parameters[2].Value = (int)cls;
                insert.ExecuteNonQuery();
            }

            t.Commit();
        }
    }

    /// <summary>The stored map classes: by year, then by cell id (empty when no map was given).</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<long, byte>> MapClasses()
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT year, cell_id, class FROM map_classes ORDER BY year, cell_id");
        using SqliteDataReader r = cmd.ExecuteReader();
        var byYear = new SortedDictionary<int, Dictionary<long, byte>>();
        while (r.Read())
        {
            int year = r.GetInt32(0);
            if (!byYear.TryGetValue(year, out var classes))
            {
                byYear[year] = classes = [];
            }

            classes[r.GetInt64(1)] = (byte)r.GetInt64(2);
        }

        return byYear.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<long, byte>)kv.Value);
    }

    /// <summary>The stored map classes of one cell, by year (empty when no map was given).</summary>
    /// <param name="cellId">The cell id.</param>
    public IReadOnlyDictionary<int, byte> MapClasses(long cellId)
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT year, class FROM map_classes WHERE cell_id = $id ORDER BY year", ("$id", cellId));
        using SqliteDataReader r = cmd.ExecuteReader();
        var classes = new SortedDictionary<int, byte>();
        while (r.Read())
        {
            classes[r.GetInt32(0)] = (byte)r.GetInt64(1);
        }

        return classes;
    }

    /// <summary>The adjudicated labels by cell.</summary>
    public IReadOnlyDictionary<long, byte> Adjudications()
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, "SELECT cell_id, label FROM adjudications");
        using SqliteDataReader r = cmd.ExecuteReader();
        var map = new Dictionary<long, byte>();
        while (r.Read())
        {
            map[r.GetInt64(0)] = (byte)r.GetInt64(1);
        }

        return map;
    }

    private static string PlanText(LabellingPlan plan) => JsonSerializer.Serialize(new
    {
        years = plan.Years,
        referenceYear = plan.ReferenceYear,
        doubleShare = plan.DoubleShare,
        seed = plan.Seed,
    });

    private static ValidationCell ReadCell(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), (byte)r.GetInt32(3), (byte)r.GetInt32(4), r.GetString(5), r.GetString(6));

    private static LabelAnswer ReadAnswer(SqliteDataReader r)
    {
        var years = JsonSerializer.Deserialize<Dictionary<string, int>>(r.GetString(2)) ?? [];
        return new LabelAnswer(r.GetInt64(0), (byte)r.GetInt64(1),
            years.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => (byte)kv.Value),
            r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5));
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // synchronous=FULL is per connection: with WAL it syncs the log at every commit, so an acknowledged label
        // survives a crash or a power cut, not only a killed process.
        Execute(c, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static void Execute(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, sql, parameters);
        object? v = cmd.ExecuteScalar();
        return v is null or DBNull ? default! : (T)Convert.ChangeType(v, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
