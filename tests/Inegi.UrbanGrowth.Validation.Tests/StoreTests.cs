using System.Globalization;
using Inegi.UrbanGrowth.Testing;
using Microsoft.Data.Sqlite;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>The labels database and the agreement statistics, without the web server.</summary>
public sealed class StoreTests
{
    [Fact]
    public void Cohens_kappa_matches_scikit_learn()
    {
        var random = new Random(7);
        var cases = new List<(byte[] A, byte[] B)>
        {
            ([0, 0, 1, 1], [0, 0, 1, 1]),
            ([0, 1, 0, 1, 1, 1, 255, 0], [0, 1, 1, 1, 255, 1, 255, 0]),
            ([1, 1, 1, 0], [1, 1, 0, 0]),
        };
        byte[] classes = [0, 1, 255];
        for (int k = 0; k < 5; k++)
        {
            int n = random.Next(5, 200);
            byte[] a = [.. Enumerable.Range(0, n).Select(_ => classes[random.Next(3)])];
            byte[] b = [.. a.Select(v => random.NextDouble() < 0.7 ? v : classes[random.Next(3)])];
            cases.Add((a, b));
        }

        string arg = string.Join(";", cases.Select(c => string.Join(",", c.A) + "|" + string.Join(",", c.B)));
        string script = """
            import sys
            from sklearn.metrics import cohen_kappa_score
            for case in sys.argv[1].split(";"):
                a, b = ([int(v) for v in s.split(",")] for s in case.split("|"))
                print(repr(float(cohen_kappa_score(a, b))))
            """;
        double[] expected = [.. Oracles.RunPython(script, [arg], 120).Trim().Split('\n').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], Agreement.CohenKappa(cases[i].A, cases[i].B), 12);
        }

        Assert.True(double.IsNaN(Agreement.CohenKappa([1, 1], [1, 1]))); // chance agreement 1: undefined, as sklearn
        Assert.True(double.IsNaN(Agreement.CohenKappa([], [])));
    }

    [Fact]
    public void The_database_is_wal_with_full_sync_and_keeps_only_token_hashes()
    {
        using var dir = new TempDirectory();
        string db = dir.File("labels.db");
        string token = LabelStore.Open(db).AddInterpreter("ana");
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using SqliteCommand mode = c.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", mode.ExecuteScalar());
        using SqliteCommand tokens = c.CreateCommand();
        tokens.CommandText = "SELECT token_sha256 FROM interpreters";
        string stored = (string)tokens.ExecuteScalar()!;
        Assert.NotEqual(token, stored);
        Assert.DoesNotContain(token, File.ReadAllText(db) + (File.Exists(db + "-wal") ? File.ReadAllText(db + "-wal") : ""), StringComparison.Ordinal);
        Assert.Equal("ana", LabelStore.Open(db).FindInterpreter(token)?.Name);
        Assert.Null(LabelStore.Open(db).FindInterpreter(token + "x"));
    }

    [Fact]
    public void A_database_resumes_its_own_sample_and_refuses_another()
    {
        using Scene scene = Scene.Create(10);
        var cells = ValidationCell.ReadCsv(scene.SamplePath);
        var plan = new LabellingPlan([2010, 2020], 2020, 0.1, 42);
        LabelStore.Open(scene.DatabasePath).LoadSample(cells, plan);
        LabelStore.Open(scene.DatabasePath).LoadSample(cells, plan); // the same: resumes
        var e = Assert.Throws<DataFileException>(() => LabelStore.Open(scene.DatabasePath).LoadSample(cells, plan with { DoubleShare = 0.2 }));
        Assert.Contains("another plan", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<DataFileException>(() => LabelStore.Open(scene.DatabasePath).LoadSample([.. cells.Take(9)], plan));
        Assert.Contains("another sample", e.Message, StringComparison.Ordinal);
        Assert.Equal(plan.Years, LabelStore.Open(scene.DatabasePath).Plan()!.Years);
    }

    [Fact]
    public void Bad_sample_files_name_the_file_and_the_line()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.csv");
        File.WriteAllText(path, "cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1,1,1,1500.0,-500.0,\n1,0,1,1,1,1500.0,-500.0,\n");
        Assert.Contains("line 3: cell 1 appears twice", Assert.Throws<DataFileException>(() => ValidationCell.ReadCsv(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,stratum,map_class,reference\n1,0,1,1,1,\n");
        Assert.Contains("no 'x' column", Assert.Throws<DataFileException>(() => ValidationCell.ReadCsv(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "cell_id,row,col,stratum,map_class,x,y,reference\n1,0,1,1,1,abc,-500.0,\n");
        Assert.Contains("line 2: x 'abc' is not a finite number", Assert.Throws<DataFileException>(() => ValidationCell.ReadCsv(path)).Message, StringComparison.Ordinal);
    }
}
