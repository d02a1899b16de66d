namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>
/// Calibration of the town sizes against the label rule, so that <see cref="SyntheticSceneOptions.UrbanFraction"/>
/// is the share of urban cells of the first year on any scene size (docs/synthetic.md, "Urban share").
/// </summary>
/// <remarks>
/// An analytic guess (area of the cores times a constant) cannot hold on every scene: the suburbs, street grids, vacant
/// lots and the threshold on a cell's mean built-up make the urban area of a town a non-linear function of its radius,
/// and on a small scene a dozen towns of random sizes decide the count. So the radius scale is corrected in a loop:
/// build the towns and everything placed around them, count the urban cells of the first year by the label rule
/// itself (on every pixel row of small scenes, every few rows of large ones, skipping the blocks that hold only
/// villages), and move the scale by the square root of the target over the count (area goes as the square of the
/// radius), within the bracket of the scales already seen. Every step is a pure function of the seed and the
/// options, so the scene stays deterministic.
/// </remarks>
public sealed partial class SyntheticScene
{
    private const int CalibrationSteps = 10;

    private float[]? _calibratedFirstYear;

    /// <summary>
    /// Places the towns at the radius scale whose first-year urban-cell count comes closest to the target, and builds
    /// what depends on them (roads, growth, the block index, developments, villages and look-alike sites, the
    /// undefined mask). Consumes from <paramref name="rng"/> exactly what one construction draws.
    /// </summary>
    private SyntheticCity[] CalibrateCities(CityDraws draws, SceneRandom rng)
    {
        int cells = GridWidth * GridHeight;
        double target = _options.UrbanFraction * cells;

        // The count is an integer: within one cell, or 3% of a large target, is as close as it can be asked to come.
        double tolerance = Math.Max(1, 0.03 * target);

        // First the cheap estimate (every 2nd-4th pixel row on large scenes, village-only blocks skipped), then the
        // exact label rule from the best scale on, so that the villages and the skipped rows cannot bias the result.
        int rowStep = Math.Clamp(cells / 5_000, 1, 4);
        double scale = Search(draws, rng, AnalyticScale(draws), target, tolerance, s => CountUrbanCells(ComputeFractions(0, rowStep, townsOnly: true)));
        var exact = new Dictionary<double, float[]>();
        scale = Search(draws, rng, scale, target, tolerance, s =>
        {
            float[] fractions = ComputeFractions(0);
            exact[s] = fractions;
            return CountUrbanCells(fractions);
        });
        SyntheticCity[] cities = Build(draws, scale, rng);

        // The labels of the first year are those of the last exact count when it was taken at the chosen scale (the
        // trial construction drew the same villages): kept, not computed again.
        _calibratedFirstYear = exact.GetValueOrDefault(scale);

        // A development must stand apart from the towns of the first year: drop any whose centre cell is urban then
        // (the rings and ribbons of a neighbouring town can reach beyond the geometric check of IndexDevelopments).
        float threshold = (float)_options.BuiltUpThreshold;
        IndexDevelopments(e => FirstYearFraction(_ex[e], _ey[e]) >= threshold);
        return cities;
    }

    /// <summary>
    /// Moves the radius scale from <paramref name="scale"/> until <paramref name="count"/> (of the towns built at that
    /// scale) is within <paramref name="tolerance"/> of <paramref name="target"/>; returns the best scale seen.
    /// </summary>
    private double Search(CityDraws draws, SceneRandom rng, double scale, double target, double tolerance, Func<double, int> count)
    {
        double lo = 0, hi = double.PositiveInfinity;
        double best = scale, bestError = double.PositiveInfinity;
        for (int step = 0; step < CalibrationSteps; step++)
        {
            Build(draws, scale, rng.Clone());
            int n = count(scale);
            double error = Math.Abs(n - target);
            if (error < bestError)
            {
                (best, bestError) = (scale, error);
            }

            if (error <= tolerance)
            {
                break;
            }

            if (n < target)
            {
                lo = scale;
            }
            else
            {
                hi = scale;
            }

            // Area goes as the square of the radius; beyond the radius cap every town is capped and cannot grow.
            double next = Math.Min(scale * Math.Sqrt(target / Math.Max(n, 0.5)), RadiusCap);
            if (!(next > lo && next < hi))
            {
                next = Math.Sqrt(lo * hi);
            }

            if (Math.Abs(next - scale) <= 1e-6 * scale)
            {
                break;
            }

            scale = next;
        }

        return best;
    }

    /// <summary>Built-up fraction in the first year of the cell that holds mosaic point (x, y) (pixel units); 0 outside the grid.</summary>
    private float FirstYearFraction(float x, float y)
    {
        int col = (int)Math.Floor((x * _px - _offX) / _cs), row = (int)Math.Floor((y * _px - _offY) / _cs);
        if (col < 0 || row < 0 || col >= GridWidth || row >= GridHeight)
        {
            return 0f;
        }

        // The pixels whose centres fall in the cell, as ComputeFractions takes them.
        int i0 = (int)Math.Floor((_offX + col * _cs) / _px) - 1, i1 = (int)Math.Ceiling((_offX + (col + 1) * _cs) / _px) + 1;
        int j0 = (int)Math.Floor((_offY + row * _cs) / _px) - 1, j1 = (int)Math.Ceiling((_offY + (row + 1) * _cs) / _px) + 1;
        var scratch = new Scratch();
        var values = new float[i1 - i0];
        double sum = 0;
        int n = 0;
        for (int j = Math.Max(0, j0); j <= j1; j++)
        {
            if ((int)Math.Floor(((j + 0.5) * _px - _offY) / _cs) != row)
            {
                continue;
            }

            BuiltUpRow(0, j, i0, values, scratch);
            for (int i = i0; i < i1; i++)
            {
                if (i >= 0 && (int)Math.Floor(((i + 0.5) * _px - _offX) / _cs) == col)
                {
                    sum += values[i - i0];
                    n++;
                }
            }
        }

        return n > 0 ? (float)(sum / n) : 0f;
    }

    private SyntheticCity[] Build(CityDraws draws, double scale, SceneRandom rng)
    {
        SyntheticCity[] cities = PlaceCities(draws, scale);
        CreateRoads();
        CreateGrowth();
        BuildBlockIndex();
        IndexDevelopments();
        CreateSettlements(rng);
        return cities;
    }

    /// <summary>Cells at or above the built-up threshold outside the undefined mask (the mask of the towns just placed).</summary>
    private int CountUrbanCells(float[] fractions)
    {
        byte[] undefined = CreateUndefinedMask();
        float threshold = (float)_options.BuiltUpThreshold;
        int n = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            if (undefined[i] == 0 && fractions[i] >= threshold)
            {
                n++;
            }
        }

        return n;
    }
}
