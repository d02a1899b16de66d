using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>
/// Neighbourhood features of one cell of a grid of urban probabilities: what a per-cell classifier cannot see. A
/// village or a quarry that looks urban in its own 1 km patch usually stands alone, while a city's cells have urban
/// neighbours; the census labels (urban localities of 2,500 people or more) follow the same rule.
/// </summary>
public static class NeighbourhoodFeatures
{
    /// <summary>Features per cell.</summary>
    public const int Count = 5;

    /// <summary>Probabilities are clamped to [<see cref="ProbabilityFloor"/>, 1 - floor] before the logit.</summary>
    public const double ProbabilityFloor = 0.005;

    /// <summary>
    /// Names, in order: the cell's own logit; the mean and the maximum probability of its 8 neighbours; the mean
    /// probability of the 16 cells at Chebyshev distance 2; the share of the 8 neighbours at or above 0.5.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["logit_self", "mean_8", "max_8", "mean_ring2", "urban_share_8"];

    /// <summary>
    /// Computes the features of cell (<paramref name="column"/>, <paramref name="row"/>). Cells outside the grid or
    /// without a probability (NaN) are left out of the neighbour statistics; with no neighbour at all the cell's own
    /// probability stands in for them.
    /// </summary>
    /// <param name="probabilities">Row-major grid of p(urban), NaN where unknown.</param>
    /// <param name="width">Grid columns.</param>
    /// <param name="height">Grid rows.</param>
    /// <param name="column">The cell's column.</param>
    /// <param name="row">The cell's row.</param>
    /// <param name="features">Receives <see cref="Count"/> values.</param>
    /// <returns>False when the cell itself has no probability (the features are then not written).</returns>
    public static bool Compute(ReadOnlySpan<float> probabilities, int width, int height, int column, int row, Span<double> features)
    {
        if ((long)width * height > probabilities.Length || (uint)column >= (uint)width || (uint)row >= (uint)height)
        {
            throw new ArgumentOutOfRangeException(nameof(probabilities), "The cell or the grid size does not fit the probabilities.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, Count, nameof(features));
        float self = probabilities[(row * width) + column];
        if (float.IsNaN(self))
        {
            return false;
        }

        double sum8 = 0, max8 = double.NegativeInfinity, sum16 = 0;
        int n8 = 0, n16 = 0, urban8 = 0;
        for (int dy = -2; dy <= 2; dy++)
        {
            int y = row + dy;
            if ((uint)y >= (uint)height)
            {
                continue;
            }

            for (int dx = -2; dx <= 2; dx++)
            {
                int x = column + dx;
                if ((dx == 0 && dy == 0) || (uint)x >= (uint)width)
                {
                    continue;
                }

                float p = probabilities[(y * width) + x];
                if (float.IsNaN(p))
                {
                    continue;
                }

                if (Math.Abs(dx) <= 1 && Math.Abs(dy) <= 1)
                {
                    sum8 += p;
                    max8 = Math.Max(max8, p);
                    urban8 += p >= 0.5f ? 1 : 0;
                    n8++;
                }
                else
                {
                    sum16 += p;
                    n16++;
                }
            }
        }

        double clamped = Math.Clamp(self, ProbabilityFloor, 1 - ProbabilityFloor);
        features[0] = Math.Log(clamped / (1 - clamped));
        features[1] = n8 > 0 ? sum8 / n8 : self;
        features[2] = n8 > 0 ? max8 : self;
        features[3] = n16 > 0 ? sum16 / n16 : features[1];
        features[4] = n8 > 0 ? urban8 / (double)n8 : (self >= 0.5f ? 1 : 0);
        return true;
    }
}

/// <summary>Settings of <see cref="SpatialContextModel.Fit"/>.</summary>
public sealed record SpatialContextOptions
{
    /// <summary>
    /// Pick the threshold with the highest urban precision among those whose urban recall is at most this far below the
    /// input map's own recall on the same cells (e.g. 0.05 = five points); null picks the urban-F1 threshold.
    /// </summary>
    public double? MaxRecallLoss { get; init; }

    /// <summary>Ridge penalty on the weights (not the intercept) of the logistic regression; 0.01 by default.</summary>
    public double Ridge { get; init; } = 1e-2;
}

/// <summary>
/// A second stage over a first-stage probability map: logistic regression of the census label on
/// <see cref="NeighbourhoodFeatures"/>, fitted on the labelled cells of a grid (the whole population, so its
/// probabilities are already at the population's prevalence), with a decision threshold chosen on the same cells.
/// Six parameters fitted on tens of thousands of cells: the in-sample optimism is negligible, and the honest check is
/// another year's labels (docs/accuracy.md).
/// </summary>
public sealed class SpatialContextModel
{
    /// <summary>The file's format name.</summary>
    public const string Format = "inegi-urbangrowth-spatial-context";

    /// <summary>The file's format version.</summary>
    public const int FormatVersion = 1;

    private readonly double[] _weights;

    private SpatialContextModel(double[] weights, double threshold, int cells, double prevalence, double inputRecall, double recall, double precision)
    {
        _weights = weights;
        Threshold = threshold;
        FittedCells = cells;
        Prevalence = prevalence;
        InputRecall = inputRecall;
        FittedRecall = recall;
        FittedPrecision = precision;
    }

    /// <summary>Intercept, then one weight per feature of <see cref="NeighbourhoodFeatures.Names"/>.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Cells at or above this refined probability are urban.</summary>
    public double Threshold { get; }

    /// <summary>Labelled cells the model was fitted on.</summary>
    public int FittedCells { get; }

    /// <summary>Urban share of those cells.</summary>
    public double Prevalence { get; }

    /// <summary>Urban recall of the input map's classes on those cells.</summary>
    public double InputRecall { get; }

    /// <summary>Urban recall of the refined classes on those cells.</summary>
    public double FittedRecall { get; }

    /// <summary>Urban precision of the refined classes on those cells.</summary>
    public double FittedPrecision { get; }

    /// <summary>Fits the regression and the threshold.</summary>
    /// <param name="features">Row-major, <see cref="NeighbourhoodFeatures.Count"/> values per cell.</param>
    /// <param name="labels">0 non-urban or 1 urban per cell.</param>
    /// <param name="inputClasses">The input map's class (0 or 1) per cell, for its recall.</param>
    /// <param name="options">Threshold rule and ridge; defaults when null.</param>
    /// <exception cref="ArgumentException">Sizes disagree, a label is not 0/1, or a class is missing.</exception>
    public static SpatialContextModel Fit(ReadOnlySpan<double> features, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> inputClasses, SpatialContextOptions? options = null)
    {
        options ??= new SpatialContextOptions();
        const int d = NeighbourhoodFeatures.Count + 1;
        int n = labels.Length;
        if (features.Length != n * NeighbourhoodFeatures.Count || inputClasses.Length != n)
        {
            throw new ArgumentException($"{features.Length} feature values, {n} labels and {inputClasses.Length} input classes do not describe the same cells.", nameof(features));
        }

        int urban = 0, inputTruePositive = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] > 1)
            {
                throw new ArgumentException($"Label {labels[i]} at cell {i}; only 0 (non-urban) and 1 (urban) can be fitted.", nameof(labels));
            }

            urban += labels[i];
            inputTruePositive += labels[i] & (inputClasses[i] == 1 ? 1 : 0);
        }

        if (urban == 0 || urban == n)
        {
            throw new ArgumentException("The cells hold only one class; the context model needs urban and non-urban cells.", nameof(labels));
        }

        // Newton-Raphson (IRLS) on the penalised log-likelihood; the problem is convex and tiny (6 x 6).
        var w = new double[d];
        var gradient = new double[d];
        var hessian = new double[d * d];
        Span<double> x = stackalloc double[d];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                x[0] = 1;
                features.Slice(i * NeighbourhoodFeatures.Count, NeighbourhoodFeatures.Count).CopyTo(x[1..]);
                double p = Sigmoid(Dot(w, x));
                double r = labels[i] - p, v = Math.Max(p * (1 - p), 1e-12);
                for (int a = 0; a < d; a++)
                {
                    gradient[a] += r * x[a];
                    for (int b = 0; b <= a; b++)
                    {
                        hessian[(a * d) + b] += v * x[a] * x[b];
                    }
                }
            }

            for (int a = 0; a < d; a++)
            {
                for (int b = 0; b < a; b++)
                {
                    hessian[(b * d) + a] = hessian[(a * d) + b];
                }

                if (a > 0)
                {
                    gradient[a] -= options.Ridge * w[a];
                    hessian[(a * d) + a] += options.Ridge;
                }
            }

            double[] step = Solve(hessian, gradient, d);
            double change = 0;
            for (int a = 0; a < d; a++)
            {
                w[a] += step[a];
                change = Math.Max(change, Math.Abs(step[a]));
            }

            if (change < 1e-10)
            {
                break;
            }
        }

        var model = new SpatialContextModel(w, 0.5, n, urban / (double)n, inputTruePositive / (double)urban, 0, 0);
        var refined = new float[n];
        for (int i = 0; i < n; i++)
        {
            refined[i] = (float)model.Probability(features.Slice(i * NeighbourhoodFeatures.Count, NeighbourhoodFeatures.Count));
        }

        ThresholdOptions thresholdOptions = options.MaxRecallLoss is { } loss
            ? new ThresholdOptions { Score = ThresholdScore.PrecisionAtMinimumRecall, MinimumRecall = Math.Max(0, model.InputRecall - loss) }
            : new ThresholdOptions { Score = ThresholdScore.UrbanF1 };
        ThresholdChoice choice = ThresholdSelector.Select(refined, labels, thresholdOptions);
        BinaryConfusion c = choice.Confusion;

        // The selector returns the lowest probability still called urban; any threshold down to the next lower
        // probability gives the same confusion on these cells, so take the middle of that gap: when the classes are
        // (nearly) separated the lowest urban probability sits next to 1 and would call nothing urban in another year.
        double below = 0;
        foreach (float v in refined)
        {
            if (v < choice.Threshold && v > below)
            {
                below = v;
            }
        }

        double threshold = choice.Threshold <= 1 ? (choice.Threshold + below) / 2 : choice.Threshold;
        return new SpatialContextModel(w, Math.Min(threshold, 1), n, model.Prevalence, model.InputRecall, c.Recall, c.Precision);
    }

    /// <summary>The refined p(urban) of a cell from its <see cref="NeighbourhoodFeatures"/>.</summary>
    /// <param name="features">The cell's <see cref="NeighbourhoodFeatures.Count"/> features.</param>
    public double Probability(ReadOnlySpan<double> features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, NeighbourhoodFeatures.Count, nameof(features));
        double z = _weights[0];
        for (int j = 0; j < NeighbourhoodFeatures.Count; j++)
        {
            z += _weights[j + 1] * features[j];
        }

        return Sigmoid(z);
    }

    /// <summary>Writes the model as a JSON object (format, version, feature names, weights, threshold and the fit's figures).</summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteStartArray("features");
        foreach (string name in NeighbourhoodFeatures.Names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("weights");
        foreach (double v in _weights)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
        writer.WriteNumber("threshold", Threshold);
        writer.WriteNumber("fitted_cells", FittedCells);
        writer.WriteNumber("prevalence", Prevalence);
        writer.WriteNumber("input_recall", InputRecall);
        writer.WriteNumber("fitted_recall", FittedRecall);
        writer.WriteNumber("fitted_precision", FittedPrecision);
        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">The file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DataFileException">Missing, not JSON, another format or version, or values out of range.</exception>
    public static SpatialContextModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "spatial context model not found");
        }

        try
        {
            JsonObject o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
            if ((string?)o["format"] != Format)
            {
                throw new FormatException($"not a spatial context model (format '{(string?)o["format"]}')");
            }

            int version = (int)o["version"]!;
            if (version != FormatVersion)
            {
                throw new FormatException($"format version {version}; this library reads version {FormatVersion}");
            }

            string[] names = [.. o["features"]!.AsArray().Select(v => (string)v!)];
            if (!names.SequenceEqual(NeighbourhoodFeatures.Names))
            {
                throw new FormatException($"features [{string.Join(", ", names)}] differ from this library's [{string.Join(", ", NeighbourhoodFeatures.Names)}]");
            }

            double[] weights = [.. o["weights"]!.AsArray().Select(v => (double)v!)];
            double threshold = (double)o["threshold"]!;
            if (weights.Length != NeighbourhoodFeatures.Count + 1 || !weights.All(double.IsFinite) || !(threshold >= 0 && threshold <= 1))
            {
                throw new FormatException("weights or threshold out of range");
            }

            return new SpatialContextModel(weights, threshold, (int)o["fitted_cells"]!, (double)o["prevalence"]!, (double)o["input_recall"]!,
                (double)o["fitted_recall"]!, (double)o["fitted_precision"]!);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"not a valid spatial context model ({ex.Message})"), ex);
        }
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Dot(double[] w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * x[i];
        }

        return s;
    }

    /// <summary>Solves the symmetric positive definite system by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[] matrix, double[] rhs, int d)
    {
        var a = (double[])matrix.Clone();
        var b = (double[])rhs.Clone();
        for (int col = 0; col < d; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < d; r++)
            {
                if (Math.Abs(a[(r * d) + col]) > Math.Abs(a[(pivot * d) + col]))
                {
                    pivot = r;
                }
            }

            if (pivot != col)
            {
                for (int k = 0; k < d; k++)
                {
                    (a[(col * d) + k], a[(pivot * d) + k]) = (a[(pivot * d) + k], a[(col * d) + k]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            double diagonal = a[(col * d) + col];
            if (Math.Abs(diagonal) < 1e-300)
            {
                throw new InvalidOperationException("The context regression is singular (a feature is constant over the fitted cells).");
            }

            for (int r = col + 1; r < d; r++)
            {
                double f = a[(r * d) + col] / diagonal;
                for (int k = col; k < d; k++)
                {
                    a[(r * d) + k] -= f * a[(col * d) + k];
                }

                b[r] -= f * b[col];
            }
        }

        var x = new double[d];
        for (int r = d - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < d; k++)
            {
                s -= a[(r * d) + k] * x[k];
            }

            x[r] = s / a[(r * d) + r];
        }

        return x;
    }
}
