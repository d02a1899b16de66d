namespace Inegi.UrbanGrowth.Patches;

/// <summary>
/// The bin edges and bin index of <c>numpy.histogram(values, bins=10)</c> for a float32 array, replicated
/// operation by operation (numpy 1.24, <c>lib/histograms.py</c> and <c>core/function_base.py: linspace</c>) so that
/// counts match numpy exactly, including values that lie on or next to an edge.
/// </summary>
/// <remarks>
/// <para>What numpy does for a float32 array <c>a</c> with <c>bins=10</c>:</para>
/// <list type="number">
/// <item><c>first, last = a.min(), a.max()</c> (float32). When <c>first == last</c> they become the float64 values
/// <c>first - 0.5</c> and <c>last + 0.5</c>.</item>
/// <item>Edges: <c>np.linspace(first, last, 11, dtype=float32)</c>, computed in float64 as
/// <c>i * ((last - first) / 10) + first</c> (the last edge set to <c>last</c>) and then rounded to float32.</item>
/// <item><c>norm = 10 / (last - first)</c>: the difference in the edges' own type (float32, or float64 for the
/// constant case), the quotient in float64, then rounded to float32 when it multiplies the float32 array.</item>
/// <item>First guess <c>i = (int)((x - first) * norm)</c> in float32 arithmetic; <c>i == 10</c> becomes 9.</item>
/// <item>Correction against the float32 edges: <c>i -= 1</c> where <c>x &lt; edge[i]</c>; then <c>i += 1</c> where
/// <c>x &gt;= edge[i + 1]</c> and <c>i != 9</c>.</item>
/// </list>
/// <para>So a constant patch of an ordinary value lands in bin 5, as SPEC 3 says. Numpy itself puts a constant
/// patch elsewhere when <c>v - 0.5</c> and <c>v + 0.5</c> collapse in float32 (|v| of about 1e7 and above: bin 1) or
/// when a tiny negative v rounds the middle edge to 0 (v = -1e-30: bin 4); this class does the same.</para>
/// </remarks>
internal static class NumpyHistogram
{
    /// <summary>Number of bins.</summary>
    public const int Bins = PatchStatistics.HistogramBins;

    /// <summary>Length of an edge buffer: 11 edges padded with +inf so that a 16-float table can be read from edge 0
    /// and from edge 1 (the vector kernels look up edge[g] and edge[g + 1] with the same index).</summary>
    public const int EdgeBufferLength = 32;

    /// <summary>Computes numpy's float32 edges, the float32 left edge used in the index guess, and the float32 norm.</summary>
    /// <param name="min">Minimum of the (finite) values.</param>
    /// <param name="max">Maximum of the values.</param>
    /// <param name="edges">At least <see cref="EdgeBufferLength"/> floats; 0..10 receive the edges, the rest +inf.</param>
    /// <param name="first">The left edge as numpy subtracts it from a float32 value.</param>
    /// <param name="norm">The bin scaling factor as numpy multiplies it into a float32 value.</param>
    public static void Setup(float min, float max, Span<float> edges, out float first, out float norm)
    {
        double first64;
        double last64;
        double denominator;
        if (min == max)
        {
            first64 = (double)min - 0.5;
            last64 = (double)max + 0.5;
            denominator = last64 - first64;
        }
        else
        {
            first64 = min;
            last64 = max;
            denominator = max - min; // float32 subtraction, as numpy subtracts two float32 scalars
        }

        double step = (last64 - first64) / Bins;
        for (int i = 0; i < Bins; i++)
        {
            edges[i] = (float)((i * step) + first64);
        }

        edges[Bins] = (float)last64;
        for (int i = Bins + 1; i < EdgeBufferLength; i++)
        {
            edges[i] = float.PositiveInfinity;
        }

        first = (float)first64;
        norm = (float)(Bins / denominator);
    }

    /// <summary>The bin of one value, exactly as numpy's fast equal-bin path computes it.</summary>
    /// <param name="x">A value between the minimum and maximum used in <see cref="Setup"/>.</param>
    /// <param name="edges">The edges from <see cref="Setup"/>.</param>
    /// <param name="first">The left edge from <see cref="Setup"/>.</param>
    /// <param name="norm">The norm from <see cref="Setup"/>.</param>
    public static int BinOf(float x, ReadOnlySpan<float> edges, float first, float norm)
    {
        float guess = (x - first) * norm;
        int i = (int)guess; // truncation, as astype(intp); saturating for the out-of-range values numpy would reject
        i = Math.Clamp(i, 0, Bins - 1);
        if (x < edges[i])
        {
            i--;
        }

        if (i < 0)
        {
            i = 0;
        }

        if (i != Bins - 1 && x >= edges[i + 1])
        {
            i++;
        }

        return i;
    }
}
