using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Growth.Tests;

public sealed class ChangeStatisticsTests
{
    private static (byte[][] From, byte[][] To, int[][] Zones) RandomMaps(int seed, int width, int height, int noZone)
    {
        var r = new Random(seed);
        var from = new byte[height][];
        var to = new byte[height][];
        var zones = new int[height][];
        for (int y = 0; y < height; y++)
        {
            from[y] = new byte[width];
            to[y] = new byte[width];
            zones[y] = new int[width];
            for (int x = 0; x < width; x++)
            {
                from[y][x] = r.Next(20) == 0 ? (byte)255 : (byte)(r.Next(4) == 0 ? 1 : 0);
                to[y][x] = r.Next(20) == 0 ? (byte)255 : (byte)(from[y][x] == 1 ? (r.Next(10) == 0 ? 0 : 1) : (r.Next(6) == 0 ? 1 : 0));
                zones[y][x] = r.Next(15) == 0 ? noZone : 1 + (x / 7) + (3 * (y / 9));
            }
        }

        return (from, to, zones);
    }

    [Fact]
    public void AddRows_RandomMapsWithZones_MatchBruteForceAndZonesSumToNational()
    {
        const int NoZone = -9999;
        var (from, to, zones) = RandomMaps(7, 53, 31, NoZone);
        var acc = new ChangeStatisticsAccumulator(cellAreaKm2: 0.81, zoneNoData: NoZone);
        byte[] growth = new byte[53];
        var brute = new Dictionary<int, long[]>();
        long[] national = new long[5];
        for (int y = 0; y < from.Length; y++)
        {
            acc.AddRows(from[y], to[y], growth, zones[y]);
            for (int x = 0; x < 53; x++)
            {
                int a = from[y][x], b = to[y][x];
                int slot = a > 1 || b > 1 ? 4 : (a, b) switch { (0, 0) => 0, (1, 1) => 1, (0, 1) => 2, _ => 3 };
                national[slot]++;
                if (!brute.TryGetValue(zones[y][x], out long[]? c))
                {
                    brute[zones[y][x]] = c = new long[5];
                }

                c[slot]++;
            }
        }

        Assert.Equal(national, Counts(acc.National));
        Assert.Equal(brute[NoZone], Counts(acc.Unzoned));
        Assert.Equal(brute.Count - 1, acc.Zones.Count);
        ChangeStatistics sum = acc.Unzoned;
        int previous = int.MinValue;
        foreach (var (id, stats) in acc.Zones)
        {
            Assert.True(id > previous);
            previous = id;
            Assert.Equal(brute[id], Counts(stats));
            sum += stats;
        }

        Assert.Equal(acc.National, sum);
        var n = acc.National;
        Assert.Equal(national[1] + national[3], n.UrbanFrom);
        Assert.Equal(national[1] + national[2], n.UrbanTo);
        Assert.Equal((national[2] - national[3]) * 0.81, n.NetChangeKm2, 9);
        Assert.Equal((double)(national[2] - national[3]) / (national[1] + national[3]), n.GrowthRate, 12);
        Assert.Equal(Math.Pow((double)n.UrbanTo / n.UrbanFrom, 0.2) - 1, n.AnnualGrowthRate(5), 12);
    }

    [Fact]
    public void AddGrowthRow_WithoutZones_CountsNationalOnly()
    {
        var acc = new ChangeStatisticsAccumulator();
        acc.AddGrowthRow([0, 1, 2, 3, 255, 2, 2, 7]);
        Assert.Equal(new ChangeStatistics(1, 1, 3, 1, 2, 1.0), acc.National);
        Assert.Empty(acc.Zones);
        Assert.Equal(0, acc.Unzoned.Cells);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOnePass()
    {
        var (from, to, zones) = RandomMaps(11, 40, 20, 0);
        var whole = new ChangeStatisticsAccumulator(zoneNoData: 0);
        var top = new ChangeStatisticsAccumulator(zoneNoData: 0);
        var bottom = new ChangeStatisticsAccumulator(zoneNoData: 0);
        byte[] growth = new byte[40];
        for (int y = 0; y < 20; y++)
        {
            whole.AddRows(from[y], to[y], growth, zones[y]);
            (y < 10 ? top : bottom).AddRows(from[y], to[y], growth, zones[y]);
        }

        top.Merge(bottom);
        Assert.Equal(whole.ToCsv(), top.ToCsv());
    }

    [Fact]
    public void WriteCsv_ZonesAndUnzoned_ParsesBackToTheStatistics()
    {
        var (from, to, zones) = RandomMaps(3, 30, 12, -1);
        var acc = new ChangeStatisticsAccumulator(2.5, -1);
        byte[] growth = new byte[30];
        for (int y = 0; y < 12; y++)
        {
            acc.AddRows(from[y], to[y], growth, zones[y]);
        }

        using var dir = new TempDirectory();
        string path = dir.File("stats.csv");
        acc.WriteCsv(path);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(ChangeStatisticsAccumulator.CsvHeader, lines[0]);
        Assert.Equal(acc.Zones.Count + 3, lines.Length);
        string[] all = lines[1].Split(',');
        Assert.Equal("all", all[0]);
        Assert.Equal(acc.National.Cells, long.Parse(all[1], CultureInfo.InvariantCulture));
        Assert.Equal(acc.National.UrbanToKm2, double.Parse(all[10], CultureInfo.InvariantCulture));
        Assert.Equal(acc.National.GrowthRate, double.Parse(all[14], CultureInfo.InvariantCulture));
        Assert.StartsWith("none,", lines[^1], StringComparison.Ordinal);
        long zoneCells = 0;
        for (int i = 2; i < lines.Length; i++)
        {
            zoneCells += long.Parse(lines[i].Split(',')[1], CultureInfo.InvariantCulture);
        }

        Assert.Equal(acc.National.Cells, zoneCells);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        Assert.Contains("all", acc.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GrowthRate_NoUrbanInEarlierMap_IsNaNAndEmptyInCsv()
    {
        var acc = new ChangeStatisticsAccumulator();
        acc.AddRows([0, 0], [0, 1], new byte[2]);
        Assert.True(double.IsNaN(acc.National.GrowthRate));
        Assert.EndsWith(",", acc.ToCsv().Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadCellArea_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeStatisticsAccumulator(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeStatisticsAccumulator(double.NaN));
    }

    private static long[] Counts(ChangeStatistics s) => [s.StableNonUrban, s.StableUrban, s.NewUrban, s.UrbanLost, s.NoData];
}
