namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>How a total sample size is shared among strata.</summary>
public enum SampleAllocation
{
    /// <summary>n_h proportional to the stratum's size N_h (largest-remainder rounding).</summary>
    Proportional,

    /// <summary>The same n_h in every stratum (capped at N_h).</summary>
    Equal,

    /// <summary>At least a minimum per stratum (capped at N_h), the rest proportional: the compromise of Olofsson et al. (2014, section 5.1).</summary>
    MinimumThenProportional,
}

/// <summary>Sample size of one stratum.</summary>
/// <param name="Stratum">Stratum value (a byte of the strata map, 0..254).</param>
/// <param name="Population">Cells of the stratum, N_h.</param>
/// <param name="SampleSize">Cells to sample, n_h.</param>
public readonly record struct StratumAllocation(byte Stratum, long Population, int SampleSize);

/// <summary>One selected cell.</summary>
/// <param name="CellId">row * width + col (SPEC 1.2).</param>
/// <param name="Row">Grid row.</param>
/// <param name="Column">Grid column.</param>
/// <param name="Stratum">Its stratum.</param>
/// <param name="MapClass">The map's class at the cell (the stratum when no separate map is given).</param>
public readonly record struct SampleCell(long CellId, int Row, int Column, byte Stratum, byte MapClass);

/// <summary>
/// Stratified random sampling of grid cells for a reference (photo-interpretation) assessment, after Olofsson et al.
/// (2014, "Good practices for estimating area and assessing accuracy of land change", RSE 148:42-57, section 5.1) and
/// Cochran (1977, "Sampling Techniques", 3rd ed., ch. 5).
/// </summary>
/// <remarks>
/// Strata are the values 0..254 of any byte map (the urban map, or a growth map: 0 stable non-urban, 1 stable urban,
/// 2 new urban, 3 lost); 255 (nodata) is never sampled.
/// </remarks>
public static class SampleDesign
{
    /// <summary>
    /// Total sample size for a target standard error of overall accuracy (Olofsson et al. 2014 eq. 13; Cochran 1977 eq. 5.25):
    /// <c>n = (sum_i W_i S_i)^2 / (S(O)^2 + (1/N) sum_i W_i S_i^2)</c>, <c>S_i = sqrt(U_i (1 - U_i))</c>, rounded up.
    /// </summary>
    /// <param name="weights">Stratum area proportions W_i (any positive scale: they are normalised).</param>
    /// <param name="conjecturedUserAccuracies">Expected user's accuracy U_i of each stratum, in [0, 1].</param>
    /// <param name="targetStandardError">Target S(O), e.g. 0.01.</param>
    /// <param name="populationSize">N, the cell count, for the finite-population term; 0 drops it (the usual
    /// approximation <c>n = (sum W_i S_i / S(O))^2</c>).</param>
    public static int SampleSize(ReadOnlySpan<double> weights, ReadOnlySpan<double> conjecturedUserAccuracies, double targetStandardError, long populationSize = 0)
    {
        if (weights.Length == 0 || weights.Length != conjecturedUserAccuracies.Length)
        {
            throw new ArgumentException($"Need one conjectured user's accuracy per stratum ({weights.Length} weights, {conjecturedUserAccuracies.Length} accuracies).", nameof(conjecturedUserAccuracies));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetStandardError);
        ArgumentOutOfRangeException.ThrowIfNegative(populationSize);
        double total = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0 && double.IsFinite(w)))
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, "Weights must be finite and non-negative.");
            }

            total += w;
        }

        if (total <= 0)
        {
            throw new ArgumentException("Weights sum to 0.", nameof(weights));
        }

        double sumWs = 0, sumWs2 = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double u = conjecturedUserAccuracies[i];
            if (!(u >= 0 && u <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(conjecturedUserAccuracies), u, "A user's accuracy lies in [0, 1].");
            }

            double w = weights[i] / total, s2 = u * (1 - u);
            sumWs += w * Math.Sqrt(s2);
            sumWs2 += w * s2;
        }

        double denominator = targetStandardError * targetStandardError + (populationSize > 0 ? sumWs2 / populationSize : 0);
        return checked((int)Math.Ceiling((sumWs * sumWs / denominator) - 1e-9));
    }

    /// <summary>Counts the cells of each value 0..255 (streaming: call once per row and add).</summary>
    /// <param name="strata">Strata map values.</param>
    /// <param name="counts">256 counters, incremented.</param>
    public static void CountStrata(ReadOnlySpan<byte> strata, Span<long> counts)
    {
        if (counts.Length < 256)
        {
            throw new ArgumentException("Need 256 counters.", nameof(counts));
        }

        for (int i = 0; i < strata.Length; i++)
        {
            counts[strata[i]]++;
        }
    }

    /// <summary>Shares a total sample size among the strata present (N_h &gt; 0, value != 255).</summary>
    /// <param name="stratumCounts">256 cell counts indexed by stratum value (from <see cref="CountStrata"/>).</param>
    /// <param name="totalSize">Total sample size n.</param>
    /// <param name="allocation">The rule.</param>
    /// <param name="minimumPerStratum">For <see cref="SampleAllocation.MinimumThenProportional"/>: the floor per stratum (50 by default; 50-100 is common).</param>
    /// <remarks>
    /// <para>Proportional: <c>n_h = n N_h / N</c>; equal: <c>n_h = n / H</c>; both rounded by largest remainder so they
    /// sum to n, and capped at N_h (the excess goes to the other strata).</para>
    /// <para>MinimumThenProportional: every stratum whose proportional share is below the floor gets
    /// <c>min(floor, N_h)</c>; the rest of n is shared proportionally among the other strata, repeating until no
    /// share falls below the floor. If the floors alone exceed n, the total becomes the sum of the floors (a rare
    /// class is never left with too few units to estimate its user's accuracy).</para>
    /// </remarks>
    public static StratumAllocation[] Allocate(ReadOnlySpan<long> stratumCounts, int totalSize, SampleAllocation allocation, int minimumPerStratum = 50)
    {
        if (stratumCounts.Length < 256)
        {
            throw new ArgumentException("Need 256 stratum counts.", nameof(stratumCounts));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSize);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumPerStratum);
        var strata = new List<int>();
        long population = 0;
        for (int h = 0; h < 255; h++)
        {
            if (stratumCounts[h] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stratumCounts), stratumCounts[h], "Counts cannot be negative.");
            }

            if (stratumCounts[h] > 0)
            {
                strata.Add(h);
                population += stratumCounts[h];
            }
        }

        if (strata.Count == 0)
        {
            throw new ArgumentException("No stratum has cells (255 is never sampled).", nameof(stratumCounts));
        }

        int total = (int)Math.Min(totalSize, population);
        var n = new long[strata.Count];
        var cap = new long[strata.Count];
        for (int k = 0; k < strata.Count; k++)
        {
            cap[k] = stratumCounts[strata[k]];
        }

        var fixedShare = new bool[strata.Count];
        if (allocation == SampleAllocation.MinimumThenProportional)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                long fixedSum = 0, freePop = 0;
                for (int k = 0; k < strata.Count; k++)
                {
                    if (fixedShare[k])
                    {
                        fixedSum += n[k];
                    }
                    else
                    {
                        freePop += cap[k];
                    }
                }

                long rest = Math.Max(0, total - fixedSum);
                for (int k = 0; k < strata.Count; k++)
                {
                    if (!fixedShare[k] && (freePop == 0 || (double)rest * cap[k] / freePop < minimumPerStratum))
                    {
                        fixedShare[k] = true;
                        n[k] = Math.Min(minimumPerStratum, cap[k]);
                        changed = true;
                    }
                }
            }

            long floors = 0;
            for (int k = 0; k < strata.Count; k++)
            {
                floors += fixedShare[k] ? n[k] : 0;
            }

            total = (int)Math.Max(total, floors);
            Share(cap, n, fixedShare, total - floors, proportional: true);
        }
        else
        {
            Share(cap, n, fixedShare, total, allocation == SampleAllocation.Proportional);
        }

        var result = new StratumAllocation[strata.Count];
        for (int k = 0; k < strata.Count; k++)
        {
            result[k] = new StratumAllocation((byte)strata[k], cap[k], (int)n[k]);
        }

        return result;
    }

    /// <summary>Shares <paramref name="amount"/> among the strata not yet fixed, by size or equally, largest remainder, capped.</summary>
    private static void Share(long[] cap, long[] n, bool[] isFixed, long amount, bool proportional)
    {
        var open = (bool[])isFixed.Clone();
        while (amount > 0)
        {
            double weightSum = 0;
            int openCount = 0;
            for (int k = 0; k < cap.Length; k++)
            {
                if (!open[k])
                {
                    weightSum += proportional ? cap[k] : 1;
                    openCount++;
                }
            }

            if (openCount == 0)
            {
                return;
            }

            var add = new long[cap.Length];
            var remainder = new double[cap.Length];
            long given = 0;
            for (int k = 0; k < cap.Length; k++)
            {
                if (!open[k])
                {
                    double exact = amount * ((proportional ? cap[k] : 1) / weightSum);
                    add[k] = (long)Math.Floor(exact);
                    remainder[k] = exact - add[k];
                    given += add[k];
                }
            }

            for (long left = amount - given; left > 0; left--)
            {
                int best = -1;
                for (int k = 0; k < cap.Length; k++)
                {
                    if (!open[k] && (best < 0 || remainder[k] > remainder[best]))
                    {
                        best = k;
                    }
                }

                add[best]++;
                remainder[best] = -1;
            }

            amount = 0;
            for (int k = 0; k < cap.Length; k++)
            {
                if (!open[k])
                {
                    n[k] += add[k];
                    if (n[k] >= cap[k])
                    {
                        amount += n[k] - cap[k];
                        n[k] = cap[k];
                        open[k] = true;
                    }
                }
            }
        }
    }

    /// <summary>Selects the sample from a whole strata grid in memory (see <see cref="StratifiedSampler"/> for streaming).</summary>
    /// <param name="strata">Row-major strata map (width x height).</param>
    /// <param name="width">Grid width.</param>
    /// <param name="height">Grid height.</param>
    /// <param name="allocation">Sample sizes per stratum, from <see cref="Allocate"/>.</param>
    /// <param name="seed">Seed: the same seed and inputs give the same cells on every machine and runtime.</param>
    /// <param name="mapClasses">The map's classes per cell, when they differ from the strata; empty to use the strata.</param>
    public static IReadOnlyList<SampleCell> Select(ReadOnlySpan<byte> strata, int width, int height, IReadOnlyList<StratumAllocation> allocation, ulong seed, ReadOnlySpan<byte> mapClasses = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (strata.Length != (long)width * height)
        {
            throw new ArgumentException($"strata has {strata.Length} cells; expected {width} x {height}.", nameof(strata));
        }

        if (!mapClasses.IsEmpty && mapClasses.Length != strata.Length)
        {
            throw new ArgumentException($"mapClasses has {mapClasses.Length} cells; expected {strata.Length}.", nameof(mapClasses));
        }

        var sampler = new StratifiedSampler(width, allocation, seed);
        for (int r = 0; r < height; r++)
        {
            sampler.AddRow(strata.Slice(r * width, width), mapClasses.IsEmpty ? default : mapClasses.Slice(r * width, width));
        }

        return sampler.Complete();
    }
}

/// <summary>
/// Streaming stratified random selection: feed the strata map row by row (top to bottom), get n_h cells drawn
/// uniformly without replacement from each stratum.
/// </summary>
/// <remarks>
/// Selection sampling (Fan, Muller and Rezucha 1962; Knuth, TAOCP vol. 2, 3.4.2 Algorithm S): the t-th cell of
/// stratum h is taken with probability <c>(n_h - taken) / (N_h - t + 1)</c>. Every subset of size n_h is equally
/// likely, the pass is O(N) with O(n) memory, and rows never need to be held. Each stratum draws from its own
/// SplitMix64 stream seeded by (seed, stratum), so a stratum's cells do not depend on the other strata.
/// N_h must be the exact count of the cells that will be fed (from <see cref="SampleDesign.CountStrata"/>).
/// </remarks>
public sealed class StratifiedSampler
{
    private readonly int _width;
    private readonly long[] _population = new long[256];
    private readonly long[] _seen = new long[256];
    private readonly int[] _wanted = new int[256];
    private readonly int[] _taken = new int[256];
    private readonly SplitMix64[] _rng = new SplitMix64[256];
    private readonly List<SampleCell> _cells = [];
    private int _row;

    /// <summary>Prepares the sampler.</summary>
    /// <param name="width">Grid width (cells per row).</param>
    /// <param name="allocation">Sample size and cell count of each stratum.</param>
    /// <param name="seed">Seed.</param>
    public StratifiedSampler(int width, IReadOnlyList<StratumAllocation> allocation, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(allocation);
        _width = width;
        foreach (var a in allocation)
        {
            if (a.Stratum == UrbanClass.Undefined)
            {
                throw new ArgumentException("Stratum 255 (nodata) cannot be sampled.", nameof(allocation));
            }

            if (a.SampleSize < 0 || a.SampleSize > a.Population)
            {
                throw new ArgumentException($"Stratum {a.Stratum}: sample size {a.SampleSize} is not within 0..{a.Population}.", nameof(allocation));
            }

            _population[a.Stratum] = a.Population;
            _wanted[a.Stratum] = a.SampleSize;
            _rng[a.Stratum] = new SplitMix64(SplitMix64.Hash(seed, a.Stratum));
        }
    }

    /// <summary>Processes the next row.</summary>
    /// <param name="strata">The row's strata values (width cells).</param>
    /// <param name="mapClasses">The row's map classes, or empty to use the strata.</param>
    public void AddRow(ReadOnlySpan<byte> strata, ReadOnlySpan<byte> mapClasses = default)
    {
        if (strata.Length != _width)
        {
            throw new ArgumentException($"Row {_row} has {strata.Length} cells; expected {_width}.", nameof(strata));
        }

        for (int c = 0; c < strata.Length; c++)
        {
            byte h = strata[c];
            int want = _wanted[h];
            if (want == 0)
            {
                continue;
            }

            long remainingCells = _population[h] - _seen[h];
            if (remainingCells <= 0)
            {
                throw new InvalidOperationException($"Stratum {h} has more cells than the {_population[h]} given in the allocation.");
            }

            _seen[h]++;
            int remainingPicks = want - _taken[h];
            if (remainingPicks > 0 && _rng[h].NextDouble() * remainingCells < remainingPicks)
            {
                _taken[h]++;
                _cells.Add(new SampleCell(((long)_row * _width) + c, _row, c, h, mapClasses.IsEmpty ? h : mapClasses[c]));
            }
        }

        _row++;
    }

    /// <summary>Checks that every stratum was filled and returns the cells in row-major order.</summary>
    public IReadOnlyList<SampleCell> Complete()
    {
        for (int h = 0; h < 256; h++)
        {
            if (_taken[h] != _wanted[h])
            {
                throw new InvalidOperationException($"Stratum {h}: {_seen[h]} cells seen of the {_population[h]} announced; {_taken[h]} of {_wanted[h]} selected.");
            }
        }

        return _cells;
    }
}
