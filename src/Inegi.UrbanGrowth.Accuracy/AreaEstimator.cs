using System.Text;
using System.Text.Json;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>An estimate with its standard error and 95% confidence interval (<c>± 1.96 SE</c>, Olofsson et al. 2014 eq. 12).</summary>
/// <param name="Value">The estimate.</param>
/// <param name="StandardError">Its estimated standard error (NaN where a stratum has fewer than 2 sample units).</param>
public readonly record struct IntervalEstimate(double Value, double StandardError)
{
    /// <summary>z for a two-sided 95% interval, as Olofsson et al. (2014) use it.</summary>
    public const double Z95 = 1.96;

    /// <summary>Half-width of the 95% interval, 1.96 SE.</summary>
    public double HalfWidth95 => Z95 * StandardError;

    /// <summary>Lower end of the 95% interval.</summary>
    public double Lower95 => Value - HalfWidth95;

    /// <summary>Upper end of the 95% interval.</summary>
    public double Upper95 => Value + HalfWidth95;
}

/// <summary>
/// Accuracy and error-adjusted areas from a stratified random sample whose strata are the map classes:
/// the estimators of Olofsson et al. (2014, "Good practices for estimating area and assessing accuracy of land change",
/// Remote Sensing of Environment 148:42-57, eqs. 4-12), after Cochran (1977) and Olofsson et al. (2013).
/// </summary>
/// <remarks>
/// <para>Notation: q classes; i = map class (row, stratum), j = reference class (column); n_ij sample counts,
/// n_i. row totals; N_i. mapped cells, N = sum N_i., W_i = N_i. / N.</para>
/// <list type="bullet">
/// <item>eq. 4: <c>p_ij = W_i n_ij / n_i.</c></item>
/// <item>overall <c>O = sum_j p_jj</c>; user's <c>U_i = p_ii / p_i.</c>; producer's <c>P_j = p_jj / p_.j</c>.</item>
/// <item>eq. 5: <c>V(O) = sum_i W_i^2 U_i (1 - U_i) / (n_i. - 1)</c>.</item>
/// <item>eq. 6: <c>V(U_i) = U_i (1 - U_i) / (n_i. - 1)</c>.</item>
/// <item>eq. 7: <c>V(P_j) = [N_j.^2 (1 - P_j)^2 U_j (1 - U_j) / (n_j. - 1) + P_j^2 sum_{i != j} N_i.^2 (n_ij / n_i.)(1 - n_ij / n_i.) / (n_i. - 1)] / N^_.j^2</c>,
/// <c>N^_.j = sum_i N_i. n_ij / n_i.</c>.</item>
/// <item>eq. 9: <c>p^_.k = sum_i W_i n_ik / n_i.</c>; eq. 10: <c>S(p^_.k) = sqrt(sum_i W_i^2 (n_ik / n_i.)(1 - n_ik / n_i.) / (n_i. - 1))</c>.</item>
/// <item>eq. 11: <c>A^_k = A p^_.k</c>, <c>S(A^_k) = A S(p^_.k)</c>, A = N x cell area; eq. 12: ± 1.96 S.</item>
/// </list>
/// <para>For a stratified design whose strata are not the map classes use Stehman (2014); this class refuses such samples.</para>
/// </remarks>
public static class AreaEstimator
{
    /// <summary>Estimates from the sample's confusion matrix.</summary>
    /// <param name="classes">The q class values, in report order; class k of <paramref name="sample"/> is <c>classes[k]</c>.</param>
    /// <param name="mappedCells">N_i.: cells mapped as each class.</param>
    /// <param name="sample">The sample units counted in Core's orientation (<see cref="ConfusionMatrix"/>: row = reference
    /// class, column = map class), so Olofsson's n_ij (row = map class i, column = reference class j) is
    /// <c>sample[j, i]</c>; whole counts (<see cref="ConfusionMatrix.HoldsCounts"/>).</param>
    /// <param name="cellAreaKm2">Area of one cell in km2 (1 for the 1 km grid; 0.0009 for 30 m pixels).</param>
    /// <param name="names">Class names for the reports (defaults to the values).</param>
    /// <exception cref="ArgumentException">Shapes disagree, an entry is not a whole count, or a mapped class has no sample unit.</exception>
    public static AreaEstimate Estimate(IReadOnlyList<byte> classes, ReadOnlySpan<long> mappedCells, ConfusionMatrix sample, double cellAreaKm2 = 1.0, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.ClassCount != classes.Count)
        {
            throw new ArgumentException($"Expected a {classes.Count}-class sample matrix; got {sample.ClassCount} classes.", nameof(sample));
        }

        if (!sample.HoldsCounts)
        {
            throw new ArgumentException("The area estimator needs counts of sample units: every entry a whole number.", nameof(sample));
        }

        int q = classes.Count;
        var counts = new long[q, q];
        for (int i = 0; i < q; i++)
        {
            for (int j = 0; j < q; j++)
            {
                counts[i, j] = (long)sample[j, i];
            }
        }

        return Estimate(classes, mappedCells, counts, cellAreaKm2, names);
    }

    // sampleCounts: Olofsson's n_ij, rows = map class, columns = reference class (the transpose of the sample matrix).
    private static AreaEstimate Estimate(IReadOnlyList<byte> classes, ReadOnlySpan<long> mappedCells, long[,] sampleCounts, double cellAreaKm2, IReadOnlyList<string>? names)
    {
        int q = classes.Count;
        if (q < 2)
        {
            throw new ArgumentException("Need at least two classes.", nameof(classes));
        }

        if (mappedCells.Length != q || sampleCounts.GetLength(0) != q || sampleCounts.GetLength(1) != q)
        {
            throw new ArgumentException($"Expected {q} mapped counts and a {q} x {q} sample matrix.", nameof(sampleCounts));
        }

        if (names is not null && names.Count != q)
        {
            throw new ArgumentException($"Expected {q} names.", nameof(names));
        }

        if (!(cellAreaKm2 > 0 && double.IsFinite(cellAreaKm2)))
        {
            throw new ArgumentOutOfRangeException(nameof(cellAreaKm2), cellAreaKm2, "Cell area must be positive.");
        }

        double total = 0;
        var rowN = new double[q];
        for (int i = 0; i < q; i++)
        {
            if (mappedCells[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(mappedCells), mappedCells[i], "Mapped counts cannot be negative.");
            }

            total += mappedCells[i];
            for (int j = 0; j < q; j++)
            {
                if (sampleCounts[i, j] < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(sampleCounts), sampleCounts[i, j], "Sample counts cannot be negative.");
                }

                rowN[i] += sampleCounts[i, j];
            }

            if (mappedCells[i] > 0 && rowN[i] == 0)
            {
                throw new ArgumentException($"Map class {classes[i]} covers {mappedCells[i]} cells but has no sample unit.", nameof(sampleCounts));
            }
        }

        if (total <= 0)
        {
            throw new ArgumentException("The map has no cell.", nameof(mappedCells));
        }

        var w = new double[q];
        var p = new double[q, q];
        for (int i = 0; i < q; i++)
        {
            w[i] = mappedCells[i] / total;
            for (int j = 0; j < q; j++)
            {
                p[i, j] = rowN[i] > 0 ? w[i] * sampleCounts[i, j] / rowN[i] : 0;
            }
        }

        var rowP = new double[q];
        var colP = new double[q];
        double overall = 0;
        for (int i = 0; i < q; i++)
        {
            overall += p[i, i];
            for (int j = 0; j < q; j++)
            {
                rowP[i] += p[i, j];
                colP[j] += p[i, j];
            }
        }

        var user = new IntervalEstimate[q];
        var producer = new IntervalEstimate[q];
        var proportion = new IntervalEstimate[q];
        var area = new IntervalEstimate[q];
        double varOverall = 0;
        for (int i = 0; i < q; i++)
        {
            double u = rowP[i] > 0 ? p[i, i] / rowP[i] : double.NaN;
            double vu = rowN[i] > 1 ? u * (1 - u) / (rowN[i] - 1) : double.NaN;
            user[i] = new IntervalEstimate(u, Math.Sqrt(vu));
            if (w[i] > 0)
            {
                varOverall += w[i] * w[i] * vu;
            }
        }

        double totalArea = total * cellAreaKm2;
        for (int j = 0; j < q; j++)
        {
            // eq. 7
            double pj = colP[j] > 0 ? p[j, j] / colP[j] : double.NaN;
            double nHatJ = 0, sumOther = 0, varPropJ = 0;
            for (int i = 0; i < q; i++)
            {
                if (rowN[i] == 0)
                {
                    continue;
                }

                double f = sampleCounts[i, j] / rowN[i];
                nHatJ += mappedCells[i] * f;
                double term = rowN[i] > 1 ? f * (1 - f) / (rowN[i] - 1) : double.NaN;
                varPropJ += w[i] * w[i] * term;
                if (i != j)
                {
                    sumOther += (double)mappedCells[i] * mappedCells[i] * term;
                }
            }

            double uj = user[j].Value;
            double first = rowN[j] > 1 ? (double)mappedCells[j] * mappedCells[j] * (1 - pj) * (1 - pj) * uj * (1 - uj) / (rowN[j] - 1) : double.NaN;
            double vp = nHatJ > 0 ? (first + (pj * pj * sumOther)) / (nHatJ * nHatJ) : double.NaN;
            producer[j] = new IntervalEstimate(pj, Math.Sqrt(vp));
            proportion[j] = new IntervalEstimate(colP[j], Math.Sqrt(varPropJ));
            area[j] = new IntervalEstimate(colP[j] * totalArea, Math.Sqrt(varPropJ) * totalArea);
        }

        var counts = (long[,])sampleCounts.Clone();
        return new AreaEstimate(
            [.. classes], names is null ? [.. classes.Select(c => Fmt.I(c))] : [.. names], mappedCells.ToArray(), counts, p, w,
            user, producer, new IntervalEstimate(overall, Math.Sqrt(varOverall)), proportion, area, cellAreaKm2);
    }

    /// <summary>Estimates from reference samples (e.g. <see cref="SampleFiles.ReadReferenceCsv"/>).</summary>
    /// <param name="samples">Samples; each stratum must equal its map class.</param>
    /// <param name="classes">The class values, in report order; every map and reference value must be one of them.</param>
    /// <param name="mappedCells">N_i. per class.</param>
    /// <param name="cellAreaKm2">Area of one cell in km2.</param>
    /// <param name="names">Class names for the reports.</param>
    public static AreaEstimate Estimate(IReadOnlyList<ReferenceSample> samples, IReadOnlyList<byte> classes, ReadOnlySpan<long> mappedCells, double cellAreaKm2 = 1.0, IReadOnlyList<string>? names = null)
        => Estimate(classes, mappedCells, CountMatrix(samples, classes), cellAreaKm2, names);

    /// <summary>The samples counted as a confusion matrix over the classes by position (row = reference class, column =
    /// map class, as <see cref="ConfusionMatrix"/> orients them: the transpose of Olofsson's n_ij).</summary>
    /// <param name="samples">Samples; each stratum must equal its map class.</param>
    /// <param name="classes">The class values (at least two).</param>
    public static ConfusionMatrix CountMatrix(IReadOnlyList<ReferenceSample> samples, IReadOnlyList<byte> classes)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(classes);
        var index = new int[256];
        Array.Fill(index, -1);
        for (int k = 0; k < classes.Count; k++)
        {
            index[classes[k]] = k;
        }

        var counts = new ConfusionMatrix(classes.Count);
        foreach (var s in samples)
        {
            if (s.Stratum != s.MapClass)
            {
                throw new ArgumentException($"Cell {s.CellId}: stratum {s.Stratum} differs from map class {s.MapClass}; these estimators need strata = map classes (see Stehman 2014 otherwise).", nameof(samples));
            }

            int i = index[s.MapClass], j = index[s.Reference];
            if (i < 0 || j < 0)
            {
                throw new ArgumentException($"Cell {s.CellId}: class {(i < 0 ? s.MapClass : s.Reference)} is not one of the {classes.Count} classes.", nameof(samples));
            }

            counts.Add(j, i);
        }

        return counts;
    }
}

/// <summary>Result of <see cref="AreaEstimator"/>: the estimated error matrix, accuracies and areas with 95% intervals.</summary>
public sealed class AreaEstimate
{
    private readonly long[,] _counts; // n_ij, rows = map class: what the JSON's sample_counts lists

    internal AreaEstimate(byte[] classes, string[] names, long[] mapped, long[,] counts, double[,] p, double[] w,
        IntervalEstimate[] user, IntervalEstimate[] producer, IntervalEstimate overall, IntervalEstimate[] proportion,
        IntervalEstimate[] area, double cellAreaKm2)
    {
        Classes = classes;
        Names = names;
        MappedCells = mapped;
        _counts = counts;
        var sample = new ConfusionMatrix(classes.Length);
        for (int i = 0; i < classes.Length; i++)
        {
            for (int j = 0; j < classes.Length; j++)
            {
                sample.Add(j, i, counts[i, j]);
            }
        }

        SampleCounts = sample;
        Proportions = p;
        Weights = w;
        UserAccuracy = user;
        ProducerAccuracy = producer;
        OverallAccuracy = overall;
        AreaProportion = proportion;
        AreaKm2 = area;
        CellAreaKm2 = cellAreaKm2;
    }

    /// <summary>Class values, in row / column order.</summary>
    public IReadOnlyList<byte> Classes { get; }

    /// <summary>Class names for reports.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>N_i.: mapped cells per class.</summary>
    public IReadOnlyList<long> MappedCells { get; }

    /// <summary>W_i = N_i. / N.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The sample units as a confusion matrix (a copy): row = reference class, column = map class, class k =
    /// <see cref="Classes"/>[k]; Olofsson's n_ij is <c>SampleCounts[j, i]</c>.</summary>
    public ConfusionMatrix SampleCounts { get; }

    /// <summary>p_ij, the error matrix in area proportions (eq. 4).</summary>
    public double[,] Proportions { get; }

    /// <summary>User's accuracy per map class (eq. 6 for the SE).</summary>
    public IReadOnlyList<IntervalEstimate> UserAccuracy { get; }

    /// <summary>Producer's accuracy per reference class (eq. 7 for the SE).</summary>
    public IReadOnlyList<IntervalEstimate> ProducerAccuracy { get; }

    /// <summary>Overall accuracy (eq. 5 for the SE).</summary>
    public IntervalEstimate OverallAccuracy { get; }

    /// <summary>Estimated area proportion of each reference class (eqs. 9-10).</summary>
    public IReadOnlyList<IntervalEstimate> AreaProportion { get; }

    /// <summary>Error-adjusted area of each class in km2 (eq. 11).</summary>
    public IReadOnlyList<IntervalEstimate> AreaKm2 { get; }

    /// <summary>Area of one cell in km2.</summary>
    public double CellAreaKm2 { get; }

    /// <summary>Mapped area of class i in km2, N_i. x cell area.</summary>
    /// <param name="i">Class index.</param>
    public double MappedAreaKm2(int i) => MappedCells[i] * CellAreaKm2;

    /// <summary>CSV, one row per class: <c>class,name,mapped_cells,mapped_km2,sample_units,users_accuracy,users_ci95,producers_accuracy,producers_ci95,area_proportion,area_proportion_se,area_km2,area_km2_ci95,area_km2_low,area_km2_high</c>, then a row <c>overall</c> with the overall accuracy.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("class,name,mapped_cells,mapped_km2,sample_units,users_accuracy,users_ci95,producers_accuracy,producers_ci95,area_proportion,area_proportion_se,area_km2,area_km2_ci95,area_km2_low,area_km2_high\n");
        for (int i = 0; i < Classes.Count; i++)
        {
            sb.Append(Fmt.I(Classes[i])).Append(',').Append(Names[i]).Append(',').Append(Fmt.I(MappedCells[i])).Append(',')
              .Append(Fmt.D(MappedAreaKm2(i))).Append(',').Append(Fmt.I(RowTotal(i))).Append(',')
              .Append(Fmt.D(UserAccuracy[i].Value)).Append(',').Append(Fmt.D(UserAccuracy[i].HalfWidth95)).Append(',')
              .Append(Fmt.D(ProducerAccuracy[i].Value)).Append(',').Append(Fmt.D(ProducerAccuracy[i].HalfWidth95)).Append(',')
              .Append(Fmt.D(AreaProportion[i].Value)).Append(',').Append(Fmt.D(AreaProportion[i].StandardError)).Append(',')
              .Append(Fmt.D(AreaKm2[i].Value)).Append(',').Append(Fmt.D(AreaKm2[i].HalfWidth95)).Append(',')
              .Append(Fmt.D(AreaKm2[i].Lower95)).Append(',').Append(Fmt.D(AreaKm2[i].Upper95)).Append('\n');
        }

        sb.Append("overall,overall,,,").Append(Fmt.I(TotalSample())).Append(',').Append(Fmt.D(OverallAccuracy.Value)).Append(',')
          .Append(Fmt.D(OverallAccuracy.HalfWidth95)).Append(",,,,,,,,\n");
        return sb.ToString();
    }

    /// <summary>Writes the JSON report: classes, the count and proportion matrices, accuracies and areas with SE and 95% intervals.</summary>
    /// <param name="w">Destination.</param>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("method", "Olofsson et al. 2014, stratified estimators (eqs. 4-12), strata = map classes, z = 1.96");
        w.WriteNumber("cell_area_km2", CellAreaKm2);
        WriteInterval(w, "overall_accuracy", OverallAccuracy);
        w.WriteStartArray("classes");
        for (int i = 0; i < Classes.Count; i++)
        {
            w.WriteStartObject();
            w.WriteNumber("value", Classes[i]);
            w.WriteString("name", Names[i]);
            w.WriteNumber("mapped_cells", MappedCells[i]);
            w.WriteNumber("mapped_km2", MappedAreaKm2(i));
            w.WriteNumber("weight", Weights[i]);
            w.WriteNumber("sample_units", RowTotal(i));
            WriteInterval(w, "users_accuracy", UserAccuracy[i]);
            WriteInterval(w, "producers_accuracy", ProducerAccuracy[i]);
            WriteInterval(w, "area_proportion", AreaProportion[i]);
            WriteInterval(w, "area_km2", AreaKm2[i]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("sample_counts");
        for (int i = 0; i < Classes.Count; i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < Classes.Count; j++)
            {
                w.WriteNumberValue(_counts[i, j]);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartArray("area_proportions");
        for (int i = 0; i < Classes.Count; i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < Classes.Count; j++)
            {
                w.WriteNumberValue(Proportions[i, j]);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A text report: the proportion matrix and a table of accuracies and areas with ± 95% half-widths.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("Error matrix in area proportions (rows map, columns reference)\n");
        sb.Append(string.Empty.PadRight(20));
        foreach (string name in Names)
        {
            sb.Append(Trim(name, 12).PadLeft(13));
        }

        sb.Append('\n');
        for (int i = 0; i < Classes.Count; i++)
        {
            sb.Append(Trim(Names[i], 19).PadRight(20));
            for (int j = 0; j < Classes.Count; j++)
            {
                sb.Append(Fmt.F(Proportions[i, j], 4).PadLeft(13));
            }

            sb.Append('\n');
        }

        sb.Append('\n').Append("class                 user's acc.       producer's acc.   mapped km2      adjusted km2 (95% CI)\n");
        for (int i = 0; i < Classes.Count; i++)
        {
            sb.Append(Trim(Names[i], 19).PadRight(20))
              .Append((Fmt.F(UserAccuracy[i].Value, 3) + " ± " + Fmt.F(UserAccuracy[i].HalfWidth95, 3)).PadLeft(16))
              .Append((Fmt.F(ProducerAccuracy[i].Value, 3) + " ± " + Fmt.F(ProducerAccuracy[i].HalfWidth95, 3)).PadLeft(20))
              .Append(Fmt.F(MappedAreaKm2(i), 1).PadLeft(15))
              .Append((Fmt.F(AreaKm2[i].Value, 1) + " ± " + Fmt.F(AreaKm2[i].HalfWidth95, 1)).PadLeft(26)).Append('\n');
        }

        sb.Append("overall accuracy ").Append(Fmt.F(OverallAccuracy.Value, 4)).Append(" ± ").Append(Fmt.F(OverallAccuracy.HalfWidth95, 4))
          .Append(" (").Append(Fmt.I(TotalSample())).Append(" sample units)\n");
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> atomically.</summary>
    /// <param name="path">Output file.</param>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Output file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    private long RowTotal(int i)
    {
        long s = 0;
        for (int j = 0; j < Classes.Count; j++)
        {
            s += _counts[i, j];
        }

        return s;
    }

    private long TotalSample()
    {
        long s = 0;
        for (int i = 0; i < Classes.Count; i++)
        {
            s += RowTotal(i);
        }

        return s;
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max];

    private static void WriteInterval(Utf8JsonWriter w, string name, IntervalEstimate e)
    {
        w.WriteStartObject(name);
        WriteNumber(w, "value", e.Value);
        WriteNumber(w, "se", e.StandardError);
        WriteNumber(w, "ci95_low", e.Lower95);
        WriteNumber(w, "ci95_high", e.Upper95);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
