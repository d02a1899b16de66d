namespace Inegi.UrbanGrowth.Growth;

/// <summary>
/// A linear built-up score: an L2-penalised logistic regression of the census labels on a few per-cell spectral
/// summaries, fitted by Newton's method (iteratively reweighted least squares) on standardised inputs. A cell's mean
/// spectrum is the area-weighted mix of the spectra of what covers it, so a linear function of it follows the
/// built-up fraction (the V-I-S view of Ridd 1995), not only which side of the urban threshold the cell is on.
/// </summary>
public sealed class LogisticScore
{
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _weights;

    private LogisticScore(double[] mean, double[] scale, double[] weights, double intercept)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
        Intercept = intercept;
    }

    /// <summary>Number of inputs.</summary>
    public int FeatureCount => _weights.Length;

    /// <summary>Weights on the standardised inputs ((x - mean) / standard deviation).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>The intercept (log-odds of urban at the mean input).</summary>
    public double Intercept { get; }

    /// <summary>
    /// Fits the score. Minimises <c>sum log(1 + exp(-y' z)) + ridge / 2 * |w|^2</c> (intercept not penalised) over
    /// standardised inputs (population standard deviation; constant inputs get weight 0), as scikit-learn's
    /// <c>LogisticRegression(C = 1 / ridge)</c> on <c>StandardScaler</c> output.
    /// </summary>
    /// <param name="features">Row-major, <paramref name="featureCount"/> values per row.</param>
    /// <param name="labels">0 or 1 per row.</param>
    /// <param name="featureCount">Inputs per row.</param>
    /// <param name="ridge">The L2 penalty (> 0).</param>
    public static LogisticScore Fit(ReadOnlySpan<float> features, ReadOnlySpan<byte> labels, int featureCount, double ridge = 1.0)
    {
        if (featureCount < 1 || features.Length != (long)labels.Length * featureCount)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {featureCount}.", nameof(features));
        }

        if (!(ridge > 0) || !double.IsFinite(ridge))
        {
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The penalty must be positive.");
        }

        int n = labels.Length, k = featureCount;
        int positives = 0;
        foreach (byte l in labels)
        {
            if (l > 1)
            {
                throw new ArgumentException($"Labels must be 0 or 1; found {l}.", nameof(labels));
            }

            positives += l;
        }

        if (positives == 0 || positives == n)
        {
            throw new ArgumentException($"Both classes are needed to fit a score ({positives} urban of {n} cells).", nameof(labels));
        }

        double[] mean = new double[k], scale = new double[k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                mean[j] += features[(i * k) + j];
            }
        }

        for (int j = 0; j < k; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double d = features[(i * k) + j] - mean[j];
                scale[j] += d * d;
            }
        }

        for (int j = 0; j < k; j++)
        {
            double sd = Math.Sqrt(scale[j] / n);
            scale[j] = sd > 1e-12 ? sd : 0; // 0 marks a constant input: it gets no weight.
        }

        // Parameters: beta[0] intercept, beta[1..k] weights. Newton steps on the penalised log-likelihood.
        int p = k + 1;
        double[] beta = new double[p];
        beta[0] = Math.Log(positives / (double)(n - positives));
        double[] gradient = new double[p], hessian = new double[p * p], x = new double[p];
        double previous = double.PositiveInfinity;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                x[0] = 1;
                for (int j = 0; j < k; j++)
                {
                    x[j + 1] = scale[j] > 0 ? (features[(i * k) + j] - mean[j]) / scale[j] : 0;
                }

                double z = 0;
                for (int j = 0; j < p; j++)
                {
                    z += beta[j] * x[j];
                }

                double prob = 1 / (1 + Math.Exp(-z));
                loss += labels[i] == 1 ? Softplus(-z) : Softplus(z);
                double residual = prob - labels[i], w = Math.Max(prob * (1 - prob), 1e-12);
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += residual * x[a];
                    double wa = w * x[a];
                    for (int b = 0; b <= a; b++)
                    {
                        hessian[(a * p) + b] += wa * x[b];
                    }
                }
            }

            for (int j = 1; j < p; j++)
            {
                loss += ridge / 2 * beta[j] * beta[j];
                gradient[j] += ridge * beta[j];
                hessian[(j * p) + j] += ridge;
            }

            for (int a = 0; a < p; a++)
            {
                for (int b = a + 1; b < p; b++)
                {
                    hessian[(a * p) + b] = hessian[(b * p) + a];
                }
            }

            double[] step = SolveSymmetric(hessian, gradient, p);
            double largest = 0;
            for (int j = 0; j < p; j++)
            {
                beta[j] -= step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }

            // Newton converges quadratically: stop once the step no longer moves the parameters.
            if (largest <= 1e-12 || (Math.Abs(previous - loss) <= 1e-15 * Math.Max(1, Math.Abs(loss)) && largest <= 1e-9))
            {
                break;
            }

            previous = loss;
        }

        return new LogisticScore(mean, scale, beta[1..], beta[0]);
    }

    /// <summary>The score (log-odds of urban) of one cell's inputs.</summary>
    /// <param name="features">The cell's <see cref="FeatureCount"/> inputs.</param>
    public double Score(ReadOnlySpan<float> features)
    {
        if (features.Length != _weights.Length)
        {
            throw new ArgumentException($"{features.Length} inputs given; the score has {_weights.Length}.", nameof(features));
        }

        double z = Intercept;
        for (int j = 0; j < _weights.Length; j++)
        {
            if (_scale[j] > 0)
            {
                z += _weights[j] * (features[j] - _mean[j]) / _scale[j];
            }
        }

        return z;
    }

    private static double Softplus(double z) => z > 30 ? z : Math.Log(1 + Math.Exp(z));

    // Cholesky solve of a symmetric positive definite system (the penalised Hessian is one).
    private static double[] SolveSymmetric(double[] a, double[] b, int p)
    {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[(i * p) + j];
                for (int m = 0; m < j; m++)
                {
                    s -= l[(i * p) + m] * l[(j * p) + m];
                }

                l[(i * p) + j] = i == j ? Math.Sqrt(Math.Max(s, 1e-300)) : s / l[(j * p) + j];
            }
        }

        double[] y = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = b[i];
            for (int m = 0; m < i; m++)
            {
                s -= l[(i * p) + m] * y[m];
            }

            y[i] = s / l[(i * p) + i];
        }

        double[] x = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int m = i + 1; m < p; m++)
            {
                s -= l[(m * p) + i] * x[m];
            }

            x[i] = s / l[(i * p) + i];
        }

        return x;
    }
}
