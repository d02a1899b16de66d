namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>
/// Distance of every labelled grid cell to the nearest cell of the other class: how far inside a city (or outside
/// it) a cell lies.
/// </summary>
/// <remarks>
/// <para>Metric: chessboard (Chebyshev, L-infinity) distance in cells, <c>max(|dr|, |dc|)</c>, so a distance of 1
/// means the cell touches the other class through an edge or a corner (8-connectivity). It is computed exactly in
/// O(n) by the two-pass sequential distance transform of Rosenfeld and Pfaltz (1966, "Sequential operations in digital
/// picture processing", J. ACM 13:471-494) with the full 3 x 3 neighbourhood at unit cost, once towards the urban
/// cells and once towards the non-urban cells. Undefined cells (255) are crossed like any other cell (distance is
/// geometric) but are never targets, and their own distance is <see cref="Undefined"/>. Chessboard was chosen over
/// Euclidean because "touches the other class" is then exactly distance 1 and the rings are whole cells; it equals
/// scipy's <c>distance_transform_cdt(metric='chessboard')</c>.</para>
/// <para>Distance classes (<see cref="ToDistanceClass"/>): 0 = boundary (distance 1), 1 and 2 = the next rings,
/// 3 = three or more cells inside (interior).</para>
/// </remarks>
public static class BoundaryDistance
{
    /// <summary>Distance written for undefined (255) cells.</summary>
    public const int Undefined = -1;

    /// <summary>Distance written where the grid holds no cell of the other class at all.</summary>
    public const int NoOtherClass = int.MaxValue;

    /// <summary>Number of distance classes of <see cref="ToDistanceClass"/> (0, 1, 2, 3+).</summary>
    public const int DistanceClassCount = 4;

    /// <summary>Names of the distance classes, indexed by class.</summary>
    public static IReadOnlyList<string> DistanceClassNames { get; } = ["boundary", "ring1", "ring2", "interior3plus"];

    /// <summary>Computes the distance grid.</summary>
    /// <param name="labels">Row-major labels: 0 non-urban, 1 urban, 255 undefined.</param>
    /// <param name="width">Grid width (columns).</param>
    /// <param name="height">Grid height (rows).</param>
    public static int[] Compute(ReadOnlySpan<byte> labels, int width, int height)
    {
        var result = new int[checked(width * height)];
        Compute(labels, width, height, result);
        return result;
    }

    /// <summary>Computes the distance grid into <paramref name="destination"/>.</summary>
    /// <param name="labels">Row-major labels: 0 non-urban, 1 urban, 255 undefined.</param>
    /// <param name="width">Grid width (columns).</param>
    /// <param name="height">Grid height (rows).</param>
    /// <param name="destination">width x height distances: &gt;= 1 for labelled cells, <see cref="Undefined"/>, or <see cref="NoOtherClass"/>.</param>
    public static void Compute(ReadOnlySpan<byte> labels, int width, int height, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long n = (long)width * height;
        if (labels.Length != n)
        {
            throw new ArgumentException($"labels has {labels.Length} cells; expected {width} x {height} = {n}.", nameof(labels));
        }

        if (destination.Length < n)
        {
            throw new ArgumentException($"destination has {destination.Length} cells; expected {n}.", nameof(destination));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 1 && labels[i] != UrbanClass.Undefined)
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; expected 0, 1 or 255.", nameof(labels));
            }
        }

        int[] toUrban = new int[n];
        Transform(labels, width, height, UrbanClass.Urban, toUrban);
        Span<int> toNonUrban = destination[..(int)n];
        Transform(labels, width, height, UrbanClass.NonUrban, toNonUrban);
        for (int i = 0; i < toNonUrban.Length; i++)
        {
            int d = labels[i] switch
            {
                UrbanClass.NonUrban => toUrban[i],
                UrbanClass.Urban => toNonUrban[i],
                _ => Undefined,
            };
            toNonUrban[i] = d >= Infinity ? NoOtherClass : d;
        }
    }

    /// <summary>The distance class of a distance: 0 boundary (1), 1, 2, and 3 for 4 or more; 255 for undefined cells.</summary>
    /// <param name="distance">A value from <see cref="Compute(ReadOnlySpan{byte}, int, int)"/>.</param>
    public static byte ToDistanceClass(int distance) =>
        distance < 1 ? UrbanClass.Undefined : (byte)Math.Min(distance - 1, DistanceClassCount - 1);

    private const int Infinity = int.MaxValue / 2;

    /// <summary>Chessboard distance from every cell to the nearest cell whose label is <paramref name="target"/>.</summary>
    private static void Transform(ReadOnlySpan<byte> labels, int width, int height, byte target, Span<int> d)
    {
        // Forward pass: neighbours above and to the left.
        for (int r = 0; r < height; r++)
        {
            int row = r * width;
            for (int c = 0; c < width; c++)
            {
                int i = row + c;
                if (labels[i] == target)
                {
                    d[i] = 0;
                    continue;
                }

                int best = Infinity;
                if (c > 0)
                {
                    best = Math.Min(best, d[i - 1]);
                }

                if (r > 0)
                {
                    int up = i - width;
                    best = Math.Min(best, d[up]);
                    if (c > 0)
                    {
                        best = Math.Min(best, d[up - 1]);
                    }

                    if (c < width - 1)
                    {
                        best = Math.Min(best, d[up + 1]);
                    }
                }

                d[i] = best >= Infinity ? Infinity : best + 1;
            }
        }

        // Backward pass: neighbours below and to the right.
        for (int r = height - 1; r >= 0; r--)
        {
            int row = r * width;
            for (int c = width - 1; c >= 0; c--)
            {
                int i = row + c;
                int best = d[i];
                if (best == 0)
                {
                    continue;
                }

                if (c < width - 1)
                {
                    best = Math.Min(best, d[i + 1] + 1);
                }

                if (r < height - 1)
                {
                    int down = i + width;
                    best = Math.Min(best, d[down] + 1);
                    if (c > 0)
                    {
                        best = Math.Min(best, d[down - 1] + 1);
                    }

                    if (c < width - 1)
                    {
                        best = Math.Min(best, d[down + 1] + 1);
                    }
                }

                d[i] = Math.Min(best, Infinity);
            }
        }
    }
}
