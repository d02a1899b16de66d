using System.Text;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>Accuracy of a map within one distance class of <see cref="BoundaryDistance"/>.</summary>
/// <param name="DistanceClass">0 boundary, 1, 2, 3 interior (3+); -1 for the row of all cells.</param>
/// <param name="Name">"boundary", "ring1", "ring2", "interior3plus" or "all".</param>
/// <param name="Confusion">Counts of the cells of that class labelled and predicted 0 or 1.</param>
public sealed record DistanceClassAccuracy(int DistanceClass, string Name, BinaryConfusion Confusion);

/// <summary>
/// Confusion counts, accuracy and urban precision / recall / F1 per distance to the city edge: shows whether
/// errors concentrate on the boundary cells (mixed 1 km cells) or reach into the interiors.
/// </summary>
/// <remarks>A cell counts when its label and its prediction are both 0 or 1; the distance is that of the
/// <em>reference</em> labels. Cells whose grid holds no cell of the other class fall in the interior class.</remarks>
public sealed class AccuracyByDistance
{
    private AccuracyByDistance(DistanceClassAccuracy[] rows) => Rows = rows;

    /// <summary>One row per distance class (0..3), then the row "all".</summary>
    public IReadOnlyList<DistanceClassAccuracy> Rows { get; }

    /// <summary>Tabulates the accuracy by distance class.</summary>
    /// <param name="labels">Reference labels (0, 1, 255).</param>
    /// <param name="predictions">Predicted classes (0, 1, 255), same length.</param>
    /// <param name="distances">Distances from <see cref="BoundaryDistance.Compute(ReadOnlySpan{byte}, int, int)"/> of <paramref name="labels"/>.</param>
    public static AccuracyByDistance Compute(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> predictions, ReadOnlySpan<int> distances)
    {
        if (labels.Length != predictions.Length)
        {
            throw new ArgumentException($"labels has {labels.Length} cells but predictions has {predictions.Length}.", nameof(predictions));
        }

        if (labels.Length != distances.Length)
        {
            throw new ArgumentException($"labels has {labels.Length} cells but distances has {distances.Length}.", nameof(distances));
        }

        const int K = BoundaryDistance.DistanceClassCount;
        var tallies = new ConfusionMatrix[K];
        for (int k = 0; k < K; k++)
        {
            tallies[k] = new ConfusionMatrix(2);
        }

        for (int i = 0; i < labels.Length; i++)
        {
            byte r = labels[i], p = predictions[i];
            if (r == UrbanClass.Undefined || p == UrbanClass.Undefined)
            {
                continue;
            }

            if (r > 1 || p > 1)
            {
                throw new ArgumentException($"cell {i}: label {r}, prediction {p}; expected 0, 1 or 255.", r > 1 ? nameof(labels) : nameof(predictions));
            }

            byte k = BoundaryDistance.ToDistanceClass(distances[i]);
            if (k == UrbanClass.Undefined)
            {
                throw new ArgumentException($"distances[{i}] is {distances[i]} for a labelled cell; were the distances computed from these labels?", nameof(distances));
            }

            tallies[k].Add(r, p);
        }

        var rows = new DistanceClassAccuracy[K + 1];
        var all = new ConfusionMatrix(2);
        for (int k = 0; k < K; k++)
        {
            rows[k] = new DistanceClassAccuracy(k, BoundaryDistance.DistanceClassNames[k], tallies[k].Binary());
            all.Add(tallies[k]);
        }

        rows[K] = new DistanceClassAccuracy(-1, "all", all.Binary());
        return new AccuracyByDistance(rows);
    }

    /// <summary>CSV with header <c>distance_class,name,cells,tn,fp,fn,tp,accuracy,urban_precision,urban_recall,urban_f1</c>.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("distance_class,name,cells,tn,fp,fn,tp,accuracy,urban_precision,urban_recall,urban_f1\n");
        foreach (var row in Rows)
        {
            var m = row.Confusion;
            sb.Append(Fmt.I(row.DistanceClass)).Append(',').Append(row.Name).Append(',')
              .Append(Fmt.D(m.Total)).Append(',').Append(Fmt.D(m.TrueNegatives)).Append(',').Append(Fmt.D(m.FalsePositives)).Append(',')
              .Append(Fmt.D(m.FalseNegatives)).Append(',').Append(Fmt.D(m.TruePositives)).Append(',')
              .Append(Fmt.D(m.Accuracy)).Append(',').Append(Fmt.D(m.Precision)).Append(',')
              .Append(Fmt.D(m.Recall)).Append(',').Append(Fmt.D(m.F1)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> atomically.</summary>
    /// <param name="path">Output file.</param>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>A fixed-width text table for a terminal.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("distance        cells        tn        fp        fn        tp  accuracy  precision  recall      f1\n");
        foreach (var row in Rows)
        {
            var m = row.Confusion;
            sb.Append(row.Name.PadRight(13))
              .Append(Fmt.F(m.Total, 0).PadLeft(10)).Append(Fmt.F(m.TrueNegatives, 0).PadLeft(10))
              .Append(Fmt.F(m.FalsePositives, 0).PadLeft(10)).Append(Fmt.F(m.FalseNegatives, 0).PadLeft(10))
              .Append(Fmt.F(m.TruePositives, 0).PadLeft(10)).Append(Fmt.F(m.Accuracy, 4).PadLeft(10))
              .Append(Fmt.F(m.Precision, 4).PadLeft(11)).Append(Fmt.F(m.Recall, 4).PadLeft(8))
              .Append(Fmt.F(m.F1, 4).PadLeft(8)).Append('\n');
        }

        return sb.ToString();
    }
}
