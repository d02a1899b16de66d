using System.Globalization;

namespace Inegi.UrbanGrowth.Growth.Tests;

public sealed class TemporalTests
{
    private static byte[] Rule(TemporalConsistencyRule rule, byte[] c, byte[] p)
    {
        byte[] s = new byte[c.Length];
        rule.ApplyToCell(c, p, s);
        return s;
    }

    private static byte[] ClassesOf(byte[] p) => Array.ConvertAll(p, v => v == 255 ? (byte)255 : v >= 50 ? (byte)1 : (byte)0);

    [Theory]
    [InlineData(new byte[] { 80, 20, 20, 80 }, new byte[] { 1, 0, 0, 1 })]
    [InlineData(new byte[] { 80, 20, 80, 20 }, new byte[] { 1, 1, 1, 1 })]
    [InlineData(new byte[] { 80, 20, 255, 20, 90 }, new byte[] { 1, 0, 255, 0, 1 })]
    [InlineData(new byte[] { 80, 40, 40, 40 }, new byte[] { 1, 1, 1, 1 })]
    [InlineData(new byte[] { 10, 60, 10 }, new byte[] { 0, 1, 1 })]
    [InlineData(new byte[] { 10, 60, 10, 10, 10 }, new byte[] { 0, 1, 0, 0, 0 })]
    [InlineData(new byte[] { 255, 255 }, new byte[] { 255, 255 })]
    public void ApplyToCell_DefaultRule_HandBuiltSequences(byte[] p, byte[] expected)
    {
        Assert.Equal(expected, Rule(new TemporalConsistencyRule(), ClassesOf(p), p));
    }

    [Theory]
    [InlineData(new byte[] { 10, 80, 10, 80, 80 }, new byte[] { 0, 0, 0, 1, 1 })]
    [InlineData(new byte[] { 10, 80, 255, 80, 10 }, new byte[] { 0, 1, 255, 1, 1 })]
    [InlineData(new byte[] { 10, 10, 80 }, new byte[] { 0, 0, 1 })]
    [InlineData(new byte[] { 55, 70, 70 }, new byte[] { 0, 1, 1 })]
    public void ApplyToCell_ConfirmNextYearAndThreshold60_HandBuiltSequences(byte[] p, byte[] expected)
    {
        Assert.Equal(expected, Rule(new TemporalConsistencyRule(urbanThreshold: 60, confirmNextYear: true), ClassesOf(p), p));
    }

    [Fact]
    public void ApplyToCell_LossYearsOne_DropsAtFirstStrongEvidence()
    {
        byte[] p = [90, 25, 90, 35];
        Assert.Equal(new byte[] { 1, 0, 1, 1 }, Rule(new TemporalConsistencyRule(lossYears: 1), ClassesOf(p), p));
    }

    [Fact]
    public void Constructor_BadParameters_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemporalConsistencyRule(urbanThreshold: 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemporalConsistencyRule(lossYears: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemporalConsistencyRule(lossThreshold: -1));
    }

    /// <summary>The rule written another way: valid years compacted, loss by look-ahead over the next K valid years.</summary>
    private static byte[] ReferenceRule(byte[] c, byte[] p, int on, bool confirm, int low, int k)
    {
        int n = c.Length;
        byte[] s = new byte[n];
        var valid = new List<int>();
        for (int t = 0; t < n; t++)
        {
            if (c[t] <= 1 && p[t] <= 100)
            {
                valid.Add(t);
            }
            else
            {
                s[t] = 255;
            }
        }

        bool Q(int t) => c[t] == 1 && p[t] >= on;
        bool urban = false;
        int i = 0;
        while (i < valid.Count)
        {
            int t = valid[i];
            if (!urban)
            {
                urban = Q(t) && (!confirm || i + 1 >= valid.Count || Q(valid[i + 1]));
                s[t] = urban ? (byte)1 : (byte)0;
                i++;
                continue;
            }

            bool lost = i + k <= valid.Count;
            for (int j = i; lost && j < i + k; j++)
            {
                lost = p[valid[j]] < low;
            }

            if (lost)
            {
                for (int j = i; j < i + k; j++)
                {
                    s[valid[j]] = 0;
                }

                urban = false;
                i += k;
            }
            else
            {
                s[t] = 1;
                i++;
            }
        }

        return s;
    }

    private static (byte[] C, byte[] P, byte[] Truth) RandomSeries(Random r, int years, int width)
    {
        byte[] c = new byte[years * width];
        byte[] p = new byte[years * width];
        byte[] truth = new byte[years * width];
        for (int x = 0; x < width; x++)
        {
            int growYear = r.Next(years + 2);
            for (int t = 0; t < years; t++)
            {
                int k = (t * width) + x;
                truth[k] = r.Next(40) == 0 ? (byte)255 : t >= growYear ? (byte)1 : (byte)0;
                if (r.Next(15) == 0)
                {
                    c[k] = 255;
                    p[k] = 255;
                    continue;
                }

                int baseP = t >= growYear ? 75 : 20;
                p[k] = (byte)Math.Clamp(baseP + r.Next(-45, 46), 0, 100);
                c[k] = p[k] >= 50 ? (byte)1 : (byte)0;
            }
        }

        return (c, p, truth);
    }

    [Theory]
    [InlineData(50, false, 30, 2)]
    [InlineData(60, true, 30, 2)]
    [InlineData(50, true, 40, 3)]
    [InlineData(70, false, 20, 1)]
    public void Apply_RandomSeries_MatchesReferenceImplementation(int on, bool confirm, int low, int k)
    {
        var rule = new TemporalConsistencyRule(on, confirm, low, k);
        var r = new Random(on * 1000 + k);
        for (int trial = 0; trial < 50; trial++)
        {
            int years = 1 + r.Next(9);
            int width = 1 + r.Next(40);
            var (c, p, _) = RandomSeries(r, years, width);
            byte[] s = new byte[c.Length];
            rule.Apply(c, p, years, s);
            for (int x = 0; x < width; x++)
            {
                byte[] cc = new byte[years];
                byte[] pp = new byte[years];
                for (int t = 0; t < years; t++)
                {
                    cc[t] = c[(t * width) + x];
                    pp[t] = p[(t * width) + x];
                }

                byte[] expected = ReferenceRule(cc, pp, on, confirm, low, k);
                for (int t = 0; t < years; t++)
                {
                    Assert.Equal(expected[t], s[(t * width) + x]);
                }
            }
        }
    }

    [Fact]
    public void UrbanTimeSeries_RandomSeriesWithZones_MatchesBruteForce()
    {
        int[] yearList = [2000, 2005, 2010, 2015, 2020];
        var rule = new TemporalConsistencyRule();
        var series = new UrbanTimeSeries(yearList, cellAreaKm2: 0.5, zoneNoData: 0, rule: rule);
        var r = new Random(99);
        const int Width = 37;
        var national = new long[5, 2];
        var perZone = new Dictionary<int, long[,]>();
        for (int row = 0; row < 12; row++)
        {
            var (c, p, _) = RandomSeries(r, 5, Width);
            int[] zones = new int[Width];
            for (int x = 0; x < Width; x++)
            {
                zones[x] = r.Next(6);
            }

            ushort[] first = new ushort[Width];
            byte[] consistent = new byte[c.Length];
            series.AddRow(c, p, zones, first, consistent);
            for (int x = 0; x < Width; x++)
            {
                byte[] cc = new byte[5];
                byte[] pp = new byte[5];
                for (int t = 0; t < 5; t++)
                {
                    cc[t] = c[(t * Width) + x];
                    pp[t] = p[(t * Width) + x];
                }

                byte[] s = ReferenceRule(cc, pp, 50, false, 30, 2);
                int expectedFirst = Array.TrueForAll(s, v => v == 255) ? 65535 : Array.IndexOf(s, (byte)1) is int i and >= 0 ? yearList[i] : 0;
                Assert.Equal(expectedFirst, first[x]);
                if (!perZone.TryGetValue(zones[x], out var z))
                {
                    perZone[zones[x]] = z = new long[5, 2];
                }

                for (int t = 0; t < 5; t++)
                {
                    Assert.Equal(s[t], consistent[(t * Width) + x]);
                    if (s[t] <= 1)
                    {
                        national[t, 0]++;
                        national[t, 1] += s[t];
                        z[t, 0]++;
                        z[t, 1] += s[t];
                    }
                }
            }
        }

        for (int t = 0; t < 5; t++)
        {
            Assert.Equal(new YearlyUrbanArea(yearList[t], national[t, 0], national[t, 1], national[t, 1] * 0.5), series.National[t]);
            Assert.Equal(perZone[0][t, 1], series.Unzoned[t].UrbanCells);
            long zoneSum = series.Unzoned[t].UrbanCells;
            foreach (var (id, areas) in series.Zones)
            {
                Assert.Equal(perZone[id][t, 0], areas[t].ValidCells);
                Assert.Equal(perZone[id][t, 1], areas[t].UrbanCells);
                zoneSum += areas[t].UrbanCells;
            }

            Assert.Equal(series.National[t].UrbanCells, zoneSum);
        }

        string[] lines = series.ToCsv().TrimEnd('\n').Split('\n');
        Assert.Equal(UrbanTimeSeries.CsvHeader, lines[0]);
        Assert.Equal(1 + (5 * (series.Zones.Count + 2)), lines.Length);
        Assert.Equal(series.National[2].UrbanKm2, double.Parse(lines[3].Split(',')[4], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void UrbanTimeSeries_CountsOfPartsAdded_GiveTheWholeSeriesTable()
    {
        // Rows split between three "tiles" (zones met in different orders, one tile without some zones): the summed
        // counts give the same CSV, byte for byte, as one series over every row.
        int[] yearList = [2000, 2010, 2020];
        var rule = new TemporalConsistencyRule();
        var whole = new UrbanTimeSeries(yearList, cellAreaKm2: 0.7, zoneNoData: 0, rule: rule);
        UrbanTimeSeries[] parts = [.. Enumerable.Range(0, 3).Select(_ => new UrbanTimeSeries(yearList, 0.7, 0, rule))];
        var r = new Random(7);
        const int Width = 23;
        for (int row = 0; row < 30; row++)
        {
            var (c, p, _) = RandomSeries(r, 3, Width);
            int[] zones = [.. Enumerable.Range(0, Width).Select(_ => row < 10 ? r.Next(3) : r.Next(2, 9))];
            ushort[] first = new ushort[Width];
            whole.AddRow(c, p, zones, first);
            parts[row % 3].AddRow(c, p, zones, first);
        }

        var sum = new UrbanTimeSeries(yearList, 0.7, 0, rule);
        foreach (UrbanTimeSeries part in parts.Reverse())
        {
            sum.Add(part.Counts());
        }

        Assert.Equal(whole.ToCsv(), sum.ToCsv());
        Assert.Equal(whole.National, sum.National);
        Assert.Throws<ArgumentException>(() => new UrbanTimeSeries([2000, 2010]).Add(whole.Counts()));
    }

    [Fact]
    public void UrbanTimeSeries_NoRule_FirstYearFromClassesOnly()
    {
        var series = new UrbanTimeSeries([2010, 2015, 2020]);
        // 4 cells: urban from 2015; never urban; all nodata; nodata then urban in 2020.
        byte[] classes = [0, 0, 255, 255, /* 2015 */ 1, 0, 255, 7, /* 2020 */ 1, 0, 255, 1];
        ushort[] first = new ushort[4];
        series.AddRow(classes, default, default, first);
        Assert.Equal(new ushort[] { 2015, UrbanTimeSeries.NeverUrban, UrbanTimeSeries.NoData, 2020 }, first);
        Assert.Equal(2, series.National[0].ValidCells);
        Assert.Equal(2, series.National[1].ValidCells);
        Assert.Equal(2, series.National[2].UrbanCells);
        Assert.Contains("2020", series.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UrbanTimeSeries_BadYears_Throw()
    {
        Assert.Throws<ArgumentException>(() => new UrbanTimeSeries([2010, 2010]));
        Assert.Throws<ArgumentException>(() => new UrbanTimeSeries([70000]));
        Assert.Throws<ArgumentException>(() => new UrbanTimeSeries([]));
        var s = new UrbanTimeSeries([2010, 2015], rule: new TemporalConsistencyRule());
        Assert.Throws<ArgumentException>(() => s.AddRow(new byte[4], new byte[2], default, new ushort[2]));
        Assert.Throws<ArgumentException>(() => s.AddRow(new byte[5], new byte[5], default, new ushort[3]));
    }

    [Fact]
    public void Assessment_FlickeringPrediction_RuleRemovesFalseGrowthAndLoss()
    {
        // Cell 0: truly urban throughout, one weak year (kept urban). Cell 1: truly non-urban, one spurious urban
        // year (confirmation removes it). Cell 2: true growth in year 2 (confirmed by year 3).
        var rule = new TemporalConsistencyRule(confirmNextYear: true);
        var assessment = new TemporalRuleAssessment(4, rule);
        byte[] p =
        [
            90, 10, 10,
            90, 80, 10,
            25, 20, 90,
            90, 20, 95,
        ];
        byte[] c = Array.ConvertAll(p, v => v >= 50 ? (byte)1 : (byte)0);
        byte[] truth = [1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1];
        assessment.AddRow(c, p, truth);
        TransitionErrors before = assessment.Before;
        TransitionErrors after = assessment.After;
        Assert.Equal(9, before.Transitions);
        Assert.Equal(1, before.TrueGrowth);
        Assert.Equal(3, before.PredictedGrowth); // cell 0 (2->3), cell 1 (0->1), cell 2 (1->2)
        Assert.Equal(2, before.FalseGrowth);
        Assert.Equal(2, before.PredictedLoss);   // cell 0 (1->2), cell 1 (1->2)
        Assert.Equal(2, before.FalseLoss);
        Assert.Equal(0, after.FalseGrowth);
        Assert.Equal(0, after.FalseLoss);
        Assert.Equal(1, after.DetectedGrowth);
        Assert.Equal(0, after.MissedGrowth);
        Assert.Equal(0, after.ClassErrors);
        Assert.Equal(2, before.ClassErrors);
        Assert.Contains("false_growth", assessment.ToString(), StringComparison.Ordinal);
    }
}
