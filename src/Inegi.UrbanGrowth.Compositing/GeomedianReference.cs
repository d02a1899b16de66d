namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// One pixel at a time, the way geomad's <c>__gm</c> loop reads: the scalar reference the vector kernel is tested
/// against (bit for bit) and the baseline of the benchmark.
/// </summary>
internal static class GeomedianReference
{
    public static void Compute(ObservationBlock stack, Span<float> median, GeomedianOptions options)
    {
        int n = stack.ObservationCount, bands = stack.BandCount, pixels = stack.PixelCount;
        var x = new double[n * bands];
        var valid = new bool[n];
        var dinv = new float[n];
        var y = new float[bands];
        var y1 = new float[bands];
        var t = new float[bands];
        double eps = options.Epsilon;
        for (int p = 0; p < pixels; p++)
        {
            int k = 0;
            for (int o = 0; o < n; o++)
            {
                bool ok = true;
                for (int b = 0; b < bands; b++)
                {
                    float v = stack.Values[((o * bands) + b) * pixels + p];
                    ok &= float.IsFinite(v);
                    x[(o * bands) + b] = v;
                }

                valid[o] = ok;
                k += ok ? 1 : 0;
            }

            if (k == 0)
            {
                for (int b = 0; b < bands; b++)
                {
                    median[(b * pixels) + p] = float.NaN;
                }

                continue;
            }

            for (int b = 0; b < bands; b++)
            {
                double total = 0;
                for (int o = 0; o < n; o++)
                {
                    if (valid[o])
                    {
                        total += x[(o * bands) + b];
                    }
                }

                y[b] = (float)(total / k);
            }

            for (int iteration = 0; iteration < options.MaxIterations; iteration++)
            {
                double dinvSum = 0;
                int zeros = 0;
                for (int o = 0; o < n; o++)
                {
                    dinv[o] = 0;
                    if (!valid[o])
                    {
                        continue;
                    }

                    double total = 0;
                    for (int b = 0; b < bands; b++)
                    {
                        double d = x[(o * bands) + b] - y[b];
                        total += d * d;
                    }

                    double dist = Math.Sqrt(total);
                    dinv[o] = dist > 0 ? (float)(1.0 / dist) : 1f;
                    zeros += dist > 0 ? 0 : 1;
                    dinvSum += dinv[o];
                }

                for (int b = 0; b < bands; b++)
                {
                    double total = 0;
                    for (int o = 0; o < n; o++)
                    {
                        if (valid[o])
                        {
                            float w = (float)(dinv[o] / dinvSum);
                            total += w * (float)x[(o * bands) + b];
                        }
                    }

                    t[b] = (float)total;
                }

                if (zeros == n)
                {
                    break;
                }

                if (zeros == 0)
                {
                    t.CopyTo(y1, 0);
                }
                else
                {
                    double r = 0;
                    for (int b = 0; b < bands; b++)
                    {
                        float rb = (float)((t[b] - y[b]) * dinvSum);
                        r += (double)rb * rb;
                    }

                    r = Math.Sqrt(r);
                    double rInverse = r > 0 ? zeros / r : 0;
                    for (int b = 0; b < bands; b++)
                    {
                        y1[b] = (float)((Math.Max(0, 1 - rInverse) * t[b]) + (Math.Min(1, rInverse) * y[b]));
                    }
                }

                double step = 0;
                for (int b = 0; b < bands; b++)
                {
                    double d = y[b] - y1[b];
                    step += d * d;
                }

                step = Math.Sqrt(step);
                y1.CopyTo(y, 0);
                if (double.IsNaN(step) || step < eps)
                {
                    break;
                }
            }

            for (int b = 0; b < bands; b++)
            {
                median[(b * pixels) + p] = y[b];
            }
        }
    }
}
