using System.Text.Json;

namespace Inegi.UrbanGrowth;

/// <summary>
/// The one confusion matrix of the packages: k classes, rows = reference (actual) class, columns = predicted class,
/// as scikit-learn's <c>confusion_matrix</c>. Entries are sums of weights; adding with weight 1 counts, so integer
/// counts are the special case (exact in <see cref="double"/> up to 2^53, far above any grid). For two classes:
/// [[tn, fp], [fn, tp]] with urban = 1 the positive class; <see cref="Binary"/> gives that view's metrics.
/// </summary>
/// <remarks>
/// Ratios follow scikit-learn's <c>zero_division=0</c>: a class never predicted has user's accuracy 0, a class with no
/// reference rows has producer's accuracy 0, F1 is 0 when 2 tp + fp + fn = 0. <see cref="OverallAccuracy"/> of an empty
/// matrix is NaN. The matrix is not thread-safe: tally per thread and <see cref="Add(ConfusionMatrix)"/> the parts.
/// </remarks>
public sealed class ConfusionMatrix
{
    /// <summary>The largest class count (class values are bytes and 255 is <see cref="UrbanClass.Undefined"/>).</summary>
    public const int MaxClassCount = 255;

    private readonly double[] _cells;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">Number of classes k (2 to 255).</param>
    public ConfusionMatrix(int classCount = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, MaxClassCount);
        ClassCount = classCount;
        _cells = new double[classCount * classCount];
    }

    /// <summary>Number of classes; class values are 0 .. <c>ClassCount - 1</c>.</summary>
    public int ClassCount { get; }

    /// <summary>The weight of rows of reference class <paramref name="reference"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="reference">Reference (actual) class.</param>
    /// <param name="predicted">Predicted class.</param>
    public double this[int reference, int predicted]
    {
        get
        {
            CheckClass(reference, nameof(reference));
            CheckClass(predicted, nameof(predicted));
            return _cells[reference * ClassCount + predicted];
        }
    }

    /// <summary>Sum of all entries.</summary>
    public double Total
    {
        get
        {
            double total = 0;
            foreach (double c in _cells)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>Sum of the diagonal: the correctly classified weight.</summary>
    public double Correct
    {
        get
        {
            double sum = 0;
            for (int i = 0; i < ClassCount; i++)
            {
                sum += _cells[i * ClassCount + i];
            }

            return sum;
        }
    }

    /// <summary>Whether every entry is a whole number (a matrix of counts rather than of fractional weights).</summary>
    public bool HoldsCounts
    {
        get
        {
            foreach (double c in _cells)
            {
                if (!IsCount(c))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Correct / total (NaN for an empty matrix).</summary>
    public double OverallAccuracy
    {
        get
        {
            double total = Total;
            return total > 0 ? Correct / total : double.NaN;
        }
    }

    /// <summary>Counts the pairs of two label arrays; a pair where either label is <see cref="UrbanClass.Undefined"/> (255) is skipped.</summary>
    /// <param name="reference">Reference classes.</param>
    /// <param name="predicted">Predicted classes, same length.</param>
    /// <param name="classCount">Number of classes k.</param>
    /// <exception cref="ArgumentException">The lengths differ or a label is outside 0 .. k - 1 (and not 255).</exception>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted, int classCount = 2)
    {
        var matrix = new ConfusionMatrix(classCount);
        matrix.Add(reference, predicted);
        return matrix;
    }

    /// <summary>Builds a matrix from entries.</summary>
    /// <param name="counts">k x k counts or weights, row = reference, column = predicted; finite and non-negative.</param>
    /// <exception cref="ArgumentException">Not square, or an entry negative or not finite.</exception>
    public static ConfusionMatrix FromCounts(double[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        if (counts.GetLength(1) != k)
        {
            throw new ArgumentException($"A confusion matrix is square; got {k} x {counts.GetLength(1)}.", nameof(counts));
        }

        var matrix = new ConfusionMatrix(k);
        for (int r = 0; r < k; r++)
        {
            for (int p = 0; p < k; p++)
            {
                matrix.Add(r, p, counts[r, p]);
            }
        }

        return matrix;
    }

    /// <summary>Adds one observation.</summary>
    /// <param name="reference">Reference class.</param>
    /// <param name="predicted">Predicted class.</param>
    /// <param name="weight">Its weight (1 to count it); finite and non-negative.</param>
    public void Add(int reference, int predicted, double weight = 1)
    {
        CheckClass(reference, nameof(reference));
        CheckClass(predicted, nameof(predicted));
        if (!(weight >= 0) || double.IsPositiveInfinity(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight is finite and non-negative.");
        }

        _cells[reference * ClassCount + predicted] += weight;
    }

    /// <summary>Counts the pairs of two label arrays; a pair where either label is <see cref="UrbanClass.Undefined"/> (255) is skipped.</summary>
    /// <param name="reference">Reference classes.</param>
    /// <param name="predicted">Predicted classes, same length.</param>
    /// <exception cref="ArgumentException">The lengths differ or a label is outside 0 .. k - 1 (and not 255).</exception>
    public void Add(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted) => Add(reference, predicted, default, weighted: false);

    /// <summary>Adds the pairs of two label arrays with a weight each; a pair where either label is 255 is skipped.</summary>
    /// <param name="reference">Reference classes.</param>
    /// <param name="predicted">Predicted classes, same length.</param>
    /// <param name="weights">One finite, non-negative weight per pair.</param>
    /// <exception cref="ArgumentException">The lengths differ, a label is outside 0 .. k - 1 (and not 255), or a weight is negative or not finite.</exception>
    public void Add(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted, ReadOnlySpan<double> weights)
    {
        if (weights.Length != reference.Length)
        {
            throw new ArgumentException($"{reference.Length} reference labels but {weights.Length} weights.", nameof(weights));
        }

        Add(reference, predicted, weights, weighted: true);
    }

    /// <summary>Adds the entries of another matrix with the same number of classes.</summary>
    /// <param name="other">The other matrix.</param>
    public void Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"Cannot add a {other.ClassCount}-class confusion matrix to a {ClassCount}-class one.", nameof(other));
        }

        for (int i = 0; i < _cells.Length; i++)
        {
            _cells[i] += other._cells[i];
        }
    }

    /// <summary>Weight of reference class <paramref name="reference"/> (the class's support).</summary>
    /// <param name="reference">Reference class.</param>
    public double RowTotal(int reference)
    {
        CheckClass(reference, nameof(reference));
        double sum = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            sum += _cells[reference * ClassCount + p];
        }

        return sum;
    }

    /// <summary>Weight predicted as class <paramref name="predicted"/>.</summary>
    /// <param name="predicted">Predicted class.</param>
    public double ColumnTotal(int predicted)
    {
        CheckClass(predicted, nameof(predicted));
        double sum = 0;
        for (int r = 0; r < ClassCount; r++)
        {
            sum += _cells[r * ClassCount + predicted];
        }

        return sum;
    }

    /// <summary>Producer's accuracy (recall) of a class: diagonal / row total; 0 when the class has no reference rows.</summary>
    /// <param name="classValue">The class.</param>
    public double ProducersAccuracy(int classValue) => Ratio(this[classValue, classValue], RowTotal(classValue));

    /// <summary>User's accuracy (precision) of a class: diagonal / column total; 0 when nothing was predicted as the class.</summary>
    /// <param name="classValue">The class.</param>
    public double UsersAccuracy(int classValue) => Ratio(this[classValue, classValue], ColumnTotal(classValue));

    /// <summary>F1 of a class, 2 tp / (2 tp + fp + fn) = 2 tp / (row total + column total); 0 when that is 0 / 0.</summary>
    /// <param name="classValue">The class.</param>
    public double F1(int classValue) => Ratio(2 * this[classValue, classValue], RowTotal(classValue) + ColumnTotal(classValue));

    /// <summary>The two-class view: <paramref name="positiveClass"/> against every other class together.</summary>
    /// <param name="positiveClass">The positive class (urban by default).</param>
    public BinaryConfusion Binary(int positiveClass = UrbanClass.Urban)
    {
        CheckClass(positiveClass, nameof(positiveClass));

        // Each of the four is a plain sum of its own entries (no totals subtracted), so a two-class view holds the
        // very entries of the matrix, bit for bit, whatever the weights.
        double tn = 0, fp = 0, fn = 0, tp = 0;
        for (int r = 0; r < ClassCount; r++)
        {
            for (int p = 0; p < ClassCount; p++)
            {
                double v = _cells[r * ClassCount + p];
                switch (r == positiveClass, p == positiveClass)
                {
                    case (true, true): tp += v; break;
                    case (true, false): fn += v; break;
                    case (false, true): fp += v; break;
                    default: tn += v; break;
                }
            }
        }

        return new BinaryConfusion(tn, fp, fn, tp);
    }

    /// <summary>
    /// Writes the matrix as a JSON array of rows (row = reference), each an array of entries; whole entries are written
    /// as integers (<c>[[812, 33], [41, 290]]</c>), fractional weights as numbers.
    /// </summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        for (int r = 0; r < ClassCount; r++)
        {
            writer.WriteStartArray();
            for (int p = 0; p < ClassCount; p++)
            {
                WriteEntry(writer, _cells[r * ClassCount + p]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);

    // A whole entry is written as an integer: the bytes the long counts of earlier versions gave.
    private static void WriteEntry(Utf8JsonWriter writer, double value)
    {
        if (IsCount(value))
        {
            writer.WriteNumberValue((long)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static bool IsCount(double value) => Math.Abs(value) <= 9007199254740992.0 && value == Math.Floor(value);

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    private void Add(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted, ReadOnlySpan<double> weights, bool weighted)
    {
        if (reference.Length != predicted.Length)
        {
            throw new ArgumentException($"{reference.Length} reference labels but {predicted.Length} predictions.", nameof(predicted));
        }

        // Checked before anything is added, so a refused call leaves the matrix as it was.
        int k = ClassCount;
        for (int i = 0; i < reference.Length; i++)
        {
            int r = reference[i], p = predicted[i];
            if (r == UrbanClass.Undefined || p == UrbanClass.Undefined)
            {
                continue;
            }

            if (r >= k)
            {
                throw new ArgumentException($"Reference label {r} at row {i} is outside 0..{k - 1}.", nameof(reference));
            }

            if (p >= k)
            {
                throw new ArgumentException($"Predicted label {p} at row {i} is outside 0..{k - 1}.", nameof(predicted));
            }

            if (weighted && (!(weights[i] >= 0) || double.IsPositiveInfinity(weights[i])))
            {
                throw new ArgumentException($"Weight {weights[i]} at row {i} is negative or not finite.", nameof(weights));
            }
        }

        for (int i = 0; i < reference.Length; i++)
        {
            int r = reference[i], p = predicted[i];
            if (r != UrbanClass.Undefined && p != UrbanClass.Undefined)
            {
                _cells[r * k + p] += weighted ? weights[i] : 1;
            }
        }
    }

    private void CheckClass(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, ClassCount, name);
    }
}
