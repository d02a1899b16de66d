using System.Globalization;
using System.Text.RegularExpressions;

namespace Inegi.UrbanGrowth.Synthetic.Tests;

/// <summary>The synthetic Landsat archive: plan (frames, dates, sensors), QA encoding of what is drawn, gaps, shadows, determinism.</summary>
public sealed partial class SyntheticArchiveTests
{
    private static readonly Lazy<SyntheticScene> SceneLazy = new(() => new SyntheticScene(new SyntheticSceneOptions { CellsX = 30, CellsY = 24, Years = [2010, 2015, 2020], Seed = 5 }));

    private static SyntheticScene Scene => SceneLazy.Value;

    [Theory]
    [InlineData(2010, "ETM,TM")]
    [InlineData(2015, "ETM,OLI_TIRS")]
    [InlineData(2020, "ETM,OLI_TIRS")]
    public void Plan_EveryRevisitOfEverySatelliteFlying_TwoPathsOneRow(int year, string sensors)
    {
        var archive = new SyntheticArchive(Scene, year);

        // A 30 km scene: the line between two paths crosses it, and it lies within one row.
        Assert.Equal(2, archive.Frames.Count);
        Assert.Equal(2, archive.Frames.Select(f => f.Path).Distinct().Count());
        Assert.Single(archive.Frames.Select(f => f.Row).Distinct());
        Assert.Equal(sensors, string.Join(",", archive.Acquisitions.Select(a => a.Sensor).Distinct().Order(StringComparer.Ordinal)));
        foreach (SyntheticFrame frame in archive.Frames)
        {
            var dates = archive.Acquisitions.Where(a => a.FrameIndex == frame.Index).Select(a => a.Date).ToList();

            // Two satellites, each every 16 days, 8 days apart: 45-47 dates a year, never two on one day.
            Assert.InRange(dates.Count, 45, 47);
            Assert.Equal(dates.Count, dates.Distinct().Count());
            Assert.All(dates.Zip(dates.Skip(1)), d => Assert.Equal(8, d.Second.DayNumber - d.First.DayNumber));
            Assert.All(dates, d => Assert.Equal(year, d.Year));
        }

        Assert.All(archive.Acquisitions, a =>
        {
            Match m = ProductId().Match(a.ProductId);
            Assert.True(m.Success, a.ProductId);
            Assert.Equal(a.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), m.Groups["date"].Value);
            Assert.Equal(a.Spacecraft == "LANDSAT_7", a.ScanLineCorrectorOff); // every ETM+ date here is after May 2003
            Assert.Equal(a.Sensor == "OLI_TIRS" ? [2, 3, 4, 5, 6, 7] : new[] { 1, 2, 3, 4, 5, 7 }, a.BandNumbers);
            Assert.InRange(a.SunElevation, 35, 85);
            Assert.InRange(a.SunAzimuth, 60, 180); // mid-morning sun in the east: south-east, or a little north of east near the June solstice
            Assert.InRange(a.CloudCover, 0, 0.95);
        });
        Assert.Contains(archive.Acquisitions, a => a.Snow);
        Assert.Contains(archive.Acquisitions, a => a.CloudCover > 0.4);

        // Thinning keeps the year's spread: 4 of 46 dates, from the first quarter to the last.
        var thin = new SyntheticArchive(Scene, year, new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = 4 });
        Assert.Equal(8, thin.Acquisitions.Count);
        Assert.All(thin.Frames, f => Assert.InRange(thin.Acquisitions.Where(a => a.FrameIndex == f.Index).Max(a => a.Date.Month) - thin.Acquisitions.Where(a => a.FrameIndex == f.Index).Min(a => a.Date.Month), 7, 11));
    }

    [Fact]
    public void Plan_RefusesYearsWithoutLandsatAndBadOptions()
    {
        var old = new SyntheticScene(new SyntheticSceneOptions { CellsX = 8, CellsY = 6, Years = [1980] });
        Assert.Contains("1980", Assert.Throws<ArgumentException>(() => new SyntheticArchive(old, 1980)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SyntheticArchive(Scene, 2011));
        Assert.Throws<ArgumentException>(() => new SyntheticArchive(Scene, 2010, new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = -1 }));
        Assert.Throws<ArgumentException>(() => new SyntheticArchive(Scene, 2010, new SyntheticArchiveOptions { PathSpacingMeters = 200_000 }));
        Assert.Throws<ArgumentException>(() => new SyntheticArchive(Scene, 2010, new SyntheticArchiveOptions { Latitude = 75 }));
    }

    /// <summary>Every QA_PIXEL and QA_RADSAT value is the Collection 2 encoding of what was drawn into the pixel, and the reflectance is fill exactly where QA_PIXEL says so.</summary>
    [Fact]
    public void Render_QualityBandsEncodeTheDrawnConditionsExactly()
    {
        var archive = new SyntheticArchive(Scene, 2010);
        (double[] columns, double[] rows) = Points(new PixelWindow(0, 0, Scene.MosaicWidth, Scene.MosaicHeight));
        SyntheticGround ground = archive.Ground(columns, rows);
        int n = ground.Count;
        var seen = new Dictionary<SyntheticConditions, long>();
        foreach (SyntheticAcquisition a in archive.Acquisitions.Where(a => a.FrameIndex == 0))
        {
            var sr = new ushort[6 * n];
            var qa = new ushort[n];
            var radsat = new ushort[n];
            var conditions = new SyntheticConditions[n];
            archive.Render(a, ground, sr, qa, radsat, conditions);
            bool tm = a.Sensor != "OLI_TIRS";
            int allowed = a.BandNumbers.Aggregate(0, (bits, b) => bits | (1 << (b - 1)));
            for (int p = 0; p < n; p++)
            {
                SyntheticConditions c = conditions[p];
                for (int f = 1; f < 128; f <<= 1)
                {
                    if (((int)c & f) != 0)
                    {
                        seen[(SyntheticConditions)f] = seen.GetValueOrDefault((SyntheticConditions)f) + 1;
                    }
                }

                int q = qa[p];
                bool zeroReflectance = sr[p] == 0 && sr[n + p] == 0 && sr[(2 * n) + p] == 0 && sr[(3 * n) + p] == 0 && sr[(4 * n) + p] == 0 && sr[(5 * n) + p] == 0;
                bool validReflectance = sr[p] > 7273 && sr[n + p] > 7273 && sr[(2 * n) + p] > 7273 && sr[(3 * n) + p] > 7273 && sr[(4 * n) + p] > 7273 && sr[(5 * n) + p] > 7273;
                if ((c & SyntheticConditions.Fill) != 0)
                {
                    if (q != 1 || radsat[p] != 0 || !zeroReflectance)
                    {
                        Assert.Fail($"{a.ProductId} pixel {p}: fill drawn, QA {q}, RADSAT {radsat[p]}");
                    }

                    continue;
                }

                // The Collection 2 encoding of what was drawn, written out independently of the generator's code.
                bool cloud = (c & SyntheticConditions.Cloud) != 0, dilated = (c & SyntheticConditions.DilatedCloud) != 0;
                bool shadow = (c & SyntheticConditions.CloudShadow) != 0, snow = (c & SyntheticConditions.Snow) != 0;
                bool water = (c & SyntheticConditions.Water) != 0;
                int expected = (dilated ? 1 << 1 : 0) | (cloud ? 1 << 3 : 0) | (shadow ? 1 << 4 : 0) | (snow ? 1 << 5 : 0)
                    | (!cloud && !dilated ? 1 << 6 : 0) | (water ? 1 << 7 : 0)
                    | ((cloud ? 3 : dilated ? 2 : 1) << 8) | ((shadow ? 3 : 1) << 10) | ((snow ? 3 : 1) << 12) | ((tm ? 0 : 1) << 14);
                bool saturated = (c & SyntheticConditions.Saturated) != 0;
                if (q != expected || !validReflectance || (cloud && dilated) || saturated != (radsat[p] != 0) || (radsat[p] & ~allowed) != 0
                    || (c == SyntheticConditions.None && q != (tm ? 5440 : 21824)))
                {
                    Assert.Fail($"{a.ProductId} pixel {p}: drawn {c}, QA {q} (expected {expected}), RADSAT {radsat[p]}, reflectance valid {validReflectance}");
                }
            }
        }

        // The year's dates hold every condition.
        foreach (SyntheticConditions flag in Enum.GetValues<SyntheticConditions>().Where(f => f != 0))
        {
            Assert.True(seen.GetValueOrDefault(flag) > 0, $"no {flag} pixel drawn in the year");
        }
    }

    /// <summary>ETM+ without its scan-line corrector loses wedges across the track (about a fifth of the swath); TM loses nothing inside the frame.</summary>
    [Fact]
    public void Render_ScanLineGapsOnlyForEtmAfter2003_AboutAFifthOfTheSwath()
    {
        var archive = new SyntheticArchive(Scene, 2010);
        (double[] columns, double[] rows) = Points(new PixelWindow(0, 0, Scene.MosaicWidth, Scene.MosaicHeight));
        SyntheticGround ground = archive.Ground(columns, rows);
        int n = ground.Count;
        SyntheticAcquisition etm = archive.Acquisitions.First(a => a.Spacecraft == "LANDSAT_7" && a.FrameIndex == 0);
        SyntheticAcquisition tm = archive.Acquisitions.First(a => a.Spacecraft == "LANDSAT_5" && a.FrameIndex == 0);
        SyntheticConditions[] Conditions(SyntheticAcquisition a)
        {
            var c = new SyntheticConditions[n];
            archive.Render(a, ground, new ushort[6 * n], new ushort[n], new ushort[n], c);
            return c;
        }

        SyntheticConditions[] e = Conditions(etm), t = Conditions(tm);
        long inFrame = t.Count(c => (c & SyntheticConditions.Fill) == 0);
        long gaps = Enumerable.Range(0, n).Count(p => (t[p] & SyntheticConditions.Fill) == 0 && (e[p] & SyntheticConditions.Fill) != 0);
        Assert.True(inFrame > n / 3, $"frame 0 covers {inFrame} of {n}");

        // About 22% of a whole swath; this 30 km scene sees the outer part of frame 0's swath, where the wedges are
        // wider (14 of every 32 lines at the very edge), so more.
        Assert.InRange(gaps / (double)inFrame, 0.1, 0.45);
        Assert.Equal(0, Enumerable.Range(0, n).Count(p => (e[p] & SyntheticConditions.Fill) == 0 && (t[p] & SyntheticConditions.Fill) != 0));
    }

    /// <summary>A cloud's shadow lies away from the sun: the pixel towards the sun from every shadow pixel is under a cloud.</summary>
    [Fact]
    public void Render_ShadowsAreTheCloudsDisplacedAwayFromTheSun()
    {
        var archive = new SyntheticArchive(Scene, 2010);
        SyntheticAcquisition a = archive.Acquisitions.Where(x => x.Sensor == "TM").OrderByDescending(x => x.CloudCover).First();
        var window = new PixelWindow(0, 0, Scene.MosaicWidth, Scene.MosaicHeight);
        (double[] columns, double[] rows) = Points(window);
        SyntheticGround ground = archive.Ground(columns, rows);
        int n = ground.Count;
        var c = new SyntheticConditions[n];
        archive.Render(a, ground, new ushort[6 * n], new ushort[n], new ushort[n], c);

        // The cloud lies towards the sun from its shadow (east = +column, south = +row), as far as its height over
        // tan(elevation): 0.8-3 km.
        double bearing = Math.Atan2(a.ShadowColumns, -a.ShadowRows) * 180 / Math.PI;
        Assert.InRange(Math.Abs(bearing - a.SunAzimuth), 0, 3);
        double reach = Math.Sqrt((a.ShadowColumns * a.ShadowColumns) + (a.ShadowRows * a.ShadowRows)) * 30;
        double tan = Math.Tan(a.SunElevation * Math.PI / 180);
        Assert.InRange(reach * tan, 800 - 50, 3000 + 50);
        int checkedPixels = 0;
        for (int p = 0; p < n; p++)
        {
            if ((c[p] & SyntheticConditions.CloudShadow) == 0)
            {
                continue;
            }

            int x = (p % window.Width) + a.ShadowColumns, y = (p / window.Width) + a.ShadowRows;
            if (x < window.Width && y < window.Height && (c[(y * window.Width) + x] & SyntheticConditions.Fill) == 0)
            {
                Assert.True((c[(y * window.Width) + x] & (SyntheticConditions.Cloud | SyntheticConditions.DilatedCloud)) != 0, $"pixel {p}");
                checkedPixels++;
            }
        }

        Assert.True(checkedPixels > 1000, $"{checkedPixels} shadow pixels checked");
    }

    [Fact]
    public void Render_AnyBlockSplitAndAnyInstance_SameValues()
    {
        var archive = new SyntheticArchive(Scene, 2020, new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = 3, Seed = 9 });
        var again = new SyntheticArchive(Scene, 2020, new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = 3, Seed = 9 });
        var other = new SyntheticArchive(Scene, 2020, new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = 3, Seed = 10 });
        Assert.Equal(archive.Acquisitions.Select(a => a.ProductId), again.Acquisitions.Select(a => a.ProductId));

        // Points off the pixel centres, as frame pixels fall.
        var window = new PixelWindow(100, 80, 300, 200);
        (double[] columns, double[] rows) = Points(window, 0.37, 0.81);
        ushort[] Whole(SyntheticArchive source, SyntheticAcquisition a)
        {
            int n = columns.Length;
            var values = new ushort[8 * n];
            source.Render(a, source.Ground(columns, rows), values.AsSpan(0, 6 * n), values.AsSpan(6 * n, n), values.AsSpan(7 * n, n));
            return values;
        }

        foreach (SyntheticAcquisition a in archive.Acquisitions)
        {
            ushort[] whole = Whole(archive, a);
            Assert.Equal(whole, Whole(again, again.Acquisitions[a.Index]));
            Assert.NotEqual(whole, Whole(other, other.Acquisitions[a.Index]));

            // Two halves of the points give the same values.
            int half = columns.Length / 2, n = columns.Length;
            for (int part = 0; part < 2; part++)
            {
                int from = part * half, count = part == 0 ? half : n - half;
                SyntheticGround g = archive.Ground(columns.AsSpan(from, count), rows.AsSpan(from, count));
                var sr = new ushort[6 * count];
                var qa = new ushort[count];
                var radsat = new ushort[count];
                archive.Render(a, g, sr, qa, radsat);
                for (int b = 0; b < 6; b++)
                {
                    Assert.True(sr.AsSpan(b * count, count).SequenceEqual(whole.AsSpan((b * n) + from, count)));
                }

                Assert.True(qa.AsSpan().SequenceEqual(whole.AsSpan((6 * n) + from, count)));
                Assert.True(radsat.AsSpan().SequenceEqual(whole.AsSpan((7 * n) + from, count)));
            }
        }
    }

    [Fact]
    public void RenderSurface_IsTheMosaicWithoutCloudsHazeAndGaps()
    {
        var window = new PixelWindow(0, 0, Scene.MosaicWidth, Scene.MosaicHeight);
        var surface = new ushort[6 * window.PixelCount];
        var mosaic = new ushort[surface.Length];
        Scene.RenderSurface(2015, window, surface);
        Scene.RenderMosaic(2015, window, mosaic);
        Assert.DoesNotContain((ushort)0, surface);
        Assert.Contains((ushort)0, mosaic); // the year's strip of missing scene

        // Where the mosaic has no cloud, shadow, haze or gap the two are the same bytes (haze alone covers much of it).
        long same = Enumerable.Range(0, (int)window.PixelCount).Count(p => Enumerable.Range(0, 6).All(b => surface[(b * window.PixelCount) + p] == mosaic[(b * window.PixelCount) + p]));
        Assert.InRange(same / (double)window.PixelCount, 0.2, 0.995);
    }

    private static (double[] Columns, double[] Rows) Points(PixelWindow window, double dx = 0.5, double dy = 0.5)
    {
        int n = (int)window.PixelCount;
        var columns = new double[n];
        var rows = new double[n];
        for (int p = 0; p < n; p++)
        {
            columns[p] = window.X + (p % window.Width) + dx;
            rows[p] = window.Y + (p / window.Width) + dy;
        }

        return (columns, rows);
    }

    [GeneratedRegex(@"^L[TEC]0[5789]_L2SP_\d{6}_(?<date>\d{8})_\d{8}_02_T1$")]
    private static partial Regex ProductId();
}
