using System.Globalization;

namespace Inegi.UrbanGrowth.Synthetic.Tests;

/// <summary>The kinds of growth of a five-year series (issue 19 point 5): outward, infill, detached developments, new roads.</summary>
public sealed class GrowthKindsTests
{
    private static readonly Lazy<SyntheticScene> Series = new(() =>
        new SyntheticScene(new SyntheticSceneOptions { CellsX = 60, CellsY = 40, Years = [2000, 2005, 2010, 2015, 2020], Seed = 5 }));

    private static float BuiltUpAround(SyntheticScene scene, int year, int x, int y, int radius)
    {
        int x0 = Math.Max(0, x - radius), y0 = Math.Max(0, y - radius);
        var window = new PixelWindow(x0, y0, 2 * radius + 1, 2 * radius + 1);
        var values = new float[window.PixelCount];
        scene.RenderBuiltUp(year, window, values);
        return values.Max();
    }

    private static (int Column, int Row) Pixel(SyntheticScene scene, double mapX, double mapY) =>
        ((int)Math.Floor((mapX - scene.MosaicTransform.OriginX) / scene.MosaicTransform.PixelWidth),
         (int)Math.Floor((mapY - scene.MosaicTransform.OriginY) / scene.MosaicTransform.PixelHeight));

    [Fact]
    public void NewDevelopments_AbsentBeforeTheirYear_BuiltAfter_DetachedFromTheFirstYearTowns()
    {
        SyntheticScene scene = Series.Value;
        Assert.True(scene.DevelopmentCount >= 5, "developments: " + scene.DevelopmentCount.ToString(CultureInfo.InvariantCulture));
        int checkedCount = 0, builtAfter = 0;
        for (int e = 0; e < scene.DevelopmentCount; e++)
        {
            var (year, cx, cy) = scene.Development(e);
            Assert.InRange(year, scene.Years[0] + 0.5, scene.Years[^1]);
            var (i, j) = Pixel(scene, cx, cy);
            if (i < 3 || j < 3 || i >= scene.MosaicWidth - 3 || j >= scene.MosaicHeight - 3)
            {
                continue;
            }

            int before = scene.Years.Last(y => y < year), after = scene.Years.First(y => y >= year);
            // The same spot in the year before: no estate yet, and no town either (detached), whatever villages or
            // roads may pass there.
            int cell = (int)Math.Floor((cx - scene.GridTransform.OriginX) / scene.GridTransform.PixelWidth);
            int row = (int)Math.Floor((cy - scene.GridTransform.OriginY) / scene.GridTransform.PixelHeight);
            double first = cell >= 0 && row >= 0 && cell < scene.GridWidth && row < scene.GridHeight
                ? scene.BuiltUpFraction(scene.Years[0], cell, row) : 0;
            float prior = BuiltUpAround(scene, before, i, j, 0);
            float built = BuiltUpAround(scene, after, i, j, 2);
            checkedCount++;
            Assert.True(first < scene.Options.BuiltUpThreshold, $"development {e} at ({i}, {j}) sits in a first-year urban cell ({first:0.00})");
            if (built >= 0.4f && built > prior + 0.2f)
            {
                builtAfter++;
            }
        }

        Assert.True(checkedCount >= 5);
        // A few sit on water (no built-up there): most are built in their year.
        Assert.True(builtAfter >= 0.8 * checkedCount, $"{builtAfter} of {checkedCount} developments appear in their year");
    }

    [Fact]
    public void NewDevelopments_SomeMakeNewUrbanCellsAwayFromTheFirstYearUrbanCells()
    {
        SyntheticScene scene = Series.Value;
        int first = scene.Years[0], last = scene.Years[^1];
        var firstUrban = new HashSet<(int, int)>();
        for (int r = 0; r < scene.GridHeight; r++)
        {
            for (int c = 0; c < scene.GridWidth; c++)
            {
                if (scene.BuiltUpFraction(first, c, r) >= scene.Options.BuiltUpThreshold)
                {
                    firstUrban.Add((c, r));
                }
            }
        }

        // New urban cells with no first-year urban cell within 2 cells: growth that is not an outward step of a town.
        int detached = 0;
        for (int r = 0; r < scene.GridHeight; r++)
        {
            for (int c = 0; c < scene.GridWidth; c++)
            {
                if (scene.BuiltUpFraction(last, c, r) < scene.Options.BuiltUpThreshold || firstUrban.Contains((c, r)))
                {
                    continue;
                }

                bool near = false;
                for (int dr = -2; dr <= 2 && !near; dr++)
                {
                    for (int dc = -2; dc <= 2 && !near; dc++)
                    {
                        near = firstUrban.Contains((c + dc, r + dr));
                    }
                }

                if (!near)
                {
                    detached++;
                }
            }
        }

        Assert.True(detached >= 2, $"{detached} new urban cells detached from the first year's towns");
    }

    [Fact]
    public void Infill_InnerCoresOnlyGainBuiltUp_AndVacantLotsFillIn()
    {
        SyntheticScene scene = Series.Value;
        int first = scene.Years[0], last = scene.Years[^1];
        long pixels = 0, doubled = 0;
        foreach (SyntheticCity city in scene.Cities.Take(6))
        {
            // Well inside the first year's core (the edge noise moves it by +-30%), the only changes are the lots that
            // fill in and the gentle rise of density as the core widens.
            int half = (int)(0.5 * city.BaseRadiusMeters / scene.MosaicTransform.PixelWidth);
            if (half < 3)
            {
                continue;
            }

            var (ci, cj) = Pixel(scene, city.CenterX, city.CenterY);
            var window = new PixelWindow(Math.Max(0, ci - half), Math.Max(0, cj - half), 2 * half, 2 * half);
            var a = new float[window.PixelCount];
            var b = new float[window.PixelCount];
            scene.RenderBuiltUp(first, window, a);
            scene.RenderBuiltUp(last, window, b);
            for (int p = 0; p < a.Length; p++)
            {
                Assert.True(b[p] >= a[p] - 1e-6f, $"city {city.Id}: built-up fell from {a[p]} to {b[p]}");
                pixels++;
                if (a[p] > 0.05f && b[p] > 2 * a[p])
                {
                    doubled++;
                }
            }
        }

        Assert.True(pixels > 500);
        Assert.True(doubled > 0.02 * pixels, $"{doubled} of {pixels} core pixels at least doubled (vacant lots built on)");
    }

    [Fact]
    public void NewRoads_OpenAfterTheFirstYear_AbsentBefore()
    {
        SyntheticScene scene = Series.Value;
        int first = scene.Years[0];
        int late = 0, appeared = 0;
        for (int r = 0; r < scene.RoadCount; r++)
        {
            var (x, y, open) = scene.RoadMidpoint(r);
            if (float.IsInfinity(open))
            {
                // The first year's roads, and the access roads of estates that were dropped (never open).
                continue;
            }

            Assert.InRange(open, first + 0.5f, scene.Years[^1]);
            int i = (int)x, j = (int)y;
            if (i < 2 || j < 2 || i >= scene.MosaicWidth - 2 || j >= scene.MosaicHeight - 2)
            {
                continue;
            }

            int before = scene.Years.Last(yr => yr < open), after = scene.Years.First(yr => yr >= open);
            late++;
            if (BuiltUpAround(scene, after, i, j, 1) > BuiltUpAround(scene, before, i, j, 1) + 0.1f)
            {
                appeared++;
            }
        }

        Assert.True(late >= 5, $"{late} roads open after {first}");
        // Mid-points on water, or inside a town or village built up anyway, do not show it (a third of them in this scene).
        Assert.True(appeared >= 0.5 * late, $"{appeared} of {late} new roads appear in their year");
    }
}
