namespace Inegi.UrbanGrowth.Evaluation;

/// <summary>
/// Counts of (actual, predicted) class pairs for k classes, as scikit-learn's <c>confusion_matrix</c>:
/// row = actual class, column = predicted class. For two classes: [[tn, fp], [fn, tp]] with urban = 1 positive.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">Number of classes k (2 to 255).</param>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 255);
        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The count of rows of actual class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">Actual class.</param>
    /// <param name="predicted">Predicted class.</param>
    public long this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[actual * ClassCount + predicted];
        }
    }

    /// <summary>Total number of counted rows.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (long c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>Number of correctly classified rows (the trace).</summary>
    public long Correct
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < ClassCount; i++)
            {
                sum += _counts[i * ClassCount + i];
            }

            return sum;
        }
    }

    /// <summary>Builds a matrix from actual and predicted labels; rows whose actual label is 255 (undefined) are skipped.</summary>
    /// <param name="actual">Actual classes.</param>
    /// <param name="predicted">Predicted classes.</param>
    /// <param name="classCount">Number of classes k.</param>
    /// <exception cref="ArgumentException">The lengths differ or a label is outside 0 .. k - 1.</exception>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> predicted, int classCount = 2)
    {
        var matrix = new ConfusionMatrix(classCount);
        matrix.Add(actual, predicted);
        return matrix;
    }

    /// <summary>Builds a matrix from counts.</summary>
    /// <param name="counts">k x k counts, row = actual, column = predicted; non-negative.</param>
    public static ConfusionMatrix FromCounts(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        if (counts.GetLength(1) != k)
        {
            throw new ArgumentException($"A confusion matrix is square; got {k} x {counts.GetLength(1)}.", nameof(counts));
        }

        var matrix = new ConfusionMatrix(k);
        for (int a = 0; a < k; a++)
        {
            for (int p = 0; p < k; p++)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(counts[a, p], nameof(counts));
                matrix._counts[a * k + p] = counts[a, p];
            }
        }

        return matrix;
    }

    /// <summary>Counts more (actual, predicted) pairs; rows whose actual label is 255 are skipped.</summary>
    /// <param name="actual">Actual classes.</param>
    /// <param name="predicted">Predicted classes.</param>
    public void Add(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"{actual.Length} actual labels but {predicted.Length} predictions.", nameof(predicted));
        }

        int k = ClassCount;
        for (int i = 0; i < actual.Length; i++)
        {
            int a = actual[i];
            if (a == UrbanClass.Undefined)
            {
                continue;
            }

            int p = predicted[i];
            if (a >= k)
            {
                throw new ArgumentException($"Actual label {a} at row {i} is outside 0..{k - 1}.", nameof(actual));
            }

            if (p >= k)
            {
                throw new ArgumentException($"Predicted label {p} at row {i} is outside 0..{k - 1}.", nameof(predicted));
            }

            _counts[a * k + p]++;
        }
    }

    /// <summary>Adds the counts of another matrix with the same number of classes.</summary>
    /// <param name="other">The other matrix.</param>
    public void Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"Cannot add a {other.ClassCount}-class confusion matrix to a {ClassCount}-class one.", nameof(other));
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>Rows of actual class <paramref name="actual"/> (the support).</summary>
    /// <param name="actual">Actual class.</param>
    public long RowTotal(int actual)
    {
        CheckClass(actual, nameof(actual));
        long sum = 0;
        for (int p = 0; p < ClassCount; p++)
        {
            sum += _counts[actual * ClassCount + p];
        }

        return sum;
    }

    /// <summary>Rows predicted as class <paramref name="predicted"/>.</summary>
    /// <param name="predicted">Predicted class.</param>
    public long ColumnTotal(int predicted)
    {
        CheckClass(predicted, nameof(predicted));
        long sum = 0;
        for (int a = 0; a < ClassCount; a++)
        {
            sum += _counts[a * ClassCount + predicted];
        }

        return sum;
    }

    /// <summary>The counts as a jagged array, row = actual (the JSON <c>confusion</c> field).</summary>
    public long[][] ToArray()
    {
        var result = new long[ClassCount][];
        for (int a = 0; a < ClassCount; a++)
        {
            result[a] = _counts.AsSpan(a * ClassCount, ClassCount).ToArray();
        }

        return result;
    }

    private void CheckClass(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, ClassCount, name);
    }
}
