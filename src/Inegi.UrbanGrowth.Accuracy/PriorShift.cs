namespace Inegi.UrbanGrowth.Accuracy;

/// <summary>
/// Corrects posterior probabilities learned on a training sample whose class mix differs from the population's
/// (the pilot trained on a 50/50 sample; about 2% of Mexico's labelled cells are urban).
/// </summary>
/// <remarks>
/// <para>Bayes' rule with the class-conditional densities unchanged (Saerens, Latinne and Decaestecker 2002,
/// "Adjusting the outputs of a classifier to new a priori probabilities: a simple procedure", Neural Computation
/// 14(1):21-41, eq. 2.4):
/// <c>p'(c|x) = [p(c|x) pi_pop(c) / pi_train(c)] / sum_k [p(k|x) pi_pop(k) / pi_train(k)]</c>.</para>
/// <para>For two classes with urban priors <c>t</c> (training) and <c>q</c> (population):
/// <c>p' = p r1 / (p r1 + (1 - p) r0)</c>, <c>r1 = q / t</c>, <c>r0 = (1 - q) / (1 - t)</c>. The map is monotone
/// increasing in p, so a threshold on corrected probabilities is a threshold on raw ones:
/// <see cref="AdjustBinary(double, double, double)"/> with the priors swapped inverts it.</para>
/// <para>The correction is exact only for calibrated probabilities; Extra-Trees vote fractions are roughly so.
/// Priors must lie strictly between 0 and 1.</para>
/// </remarks>
public static class PriorShift
{
    /// <summary>Corrects one urban probability from the training prior to the population prior.</summary>
    /// <param name="pUrban">p(urban|x) under the training prior, in [0, 1].</param>
    /// <param name="trainPrior">Urban fraction of the training sample, in (0, 1) (0.5 for the pilot).</param>
    /// <param name="populationPrior">Urban fraction of the population, in (0, 1).</param>
    public static double AdjustBinary(double pUrban, double trainPrior, double populationPrior)
    {
        CheckPrior(trainPrior, nameof(trainPrior));
        CheckPrior(populationPrior, nameof(populationPrior));
        return Adjust(pUrban, populationPrior / trainPrior, (1 - populationPrior) / (1 - trainPrior));
    }

    /// <summary>Corrects urban probabilities in place (NaN stays NaN).</summary>
    /// <param name="pUrban">p(urban|x) per cell, overwritten with the corrected values.</param>
    /// <param name="trainPrior">Urban fraction of the training sample, in (0, 1).</param>
    /// <param name="populationPrior">Urban fraction of the population, in (0, 1).</param>
    public static void AdjustBinary(Span<float> pUrban, double trainPrior, double populationPrior)
    {
        CheckPrior(trainPrior, nameof(trainPrior));
        CheckPrior(populationPrior, nameof(populationPrior));
        double r1 = populationPrior / trainPrior, r0 = (1 - populationPrior) / (1 - trainPrior);
        for (int i = 0; i < pUrban.Length; i++)
        {
            pUrban[i] = (float)Adjust(pUrban[i], r1, r0);
        }
    }

    /// <summary>Corrects k-class probabilities in place.</summary>
    /// <param name="probabilities">Row-major n x k matrix: row i holds p(c|x_i) for c = 0..k-1.</param>
    /// <param name="classCount">k, at least 2.</param>
    /// <param name="trainPriors">Training class fractions (k values, each &gt; 0).</param>
    /// <param name="populationPriors">Population class fractions (k values, each &gt; 0).</param>
    /// <remarks>Each row is multiplied by <c>pi_pop(c) / pi_train(c)</c> and renormalised to sum 1; a row whose
    /// weighted sum is 0 is left unchanged.</remarks>
    public static void Adjust(Span<float> probabilities, int classCount, ReadOnlySpan<double> trainPriors, ReadOnlySpan<double> populationPriors)
    {
        CheckMatrix(classCount, trainPriors, populationPriors);
        if (probabilities.Length % classCount != 0)
        {
            throw new ArgumentException($"Length {probabilities.Length} is not a multiple of the class count {classCount}.", nameof(probabilities));
        }

        Span<double> ratio = classCount <= 64 ? stackalloc double[classCount] : new double[classCount];
        for (int c = 0; c < classCount; c++)
        {
            ratio[c] = populationPriors[c] / trainPriors[c];
        }

        for (int row = 0; row < probabilities.Length; row += classCount)
        {
            Span<float> p = probabilities.Slice(row, classCount);
            double sum = 0;
            for (int c = 0; c < classCount; c++)
            {
                sum += p[c] * ratio[c];
            }

            if (sum > 0)
            {
                for (int c = 0; c < classCount; c++)
                {
                    p[c] = (float)(p[c] * ratio[c] / sum);
                }
            }
        }
    }

    /// <summary>Urban fraction among the labelled cells (0 or 1) of a grid; 255 is skipped.</summary>
    /// <param name="labels">Grid labels.</param>
    /// <exception cref="ArgumentException">No labelled cell, or a value other than 0, 1, 255.</exception>
    public static double PrevalenceFromLabels(ReadOnlySpan<byte> labels)
    {
        long urban = 0, labelled = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            byte v = labels[i];
            if (v == UrbanClass.Undefined)
            {
                continue;
            }

            if (v > 1)
            {
                throw new ArgumentException($"labels[{i}] is {v}; expected 0, 1 or 255.", nameof(labels));
            }

            labelled++;
            urban += v;
        }

        return labelled == 0
            ? throw new ArgumentException("The grid has no labelled (0 or 1) cell.", nameof(labels))
            : (double)urban / labelled;
    }

    /// <summary>
    /// Estimates the urban prevalence of an unlabelled population from the probabilities a classifier trained
    /// with prior <paramref name="trainPrior"/> gives its cells: the EM procedure of Saerens et al. (2002, section 2.2).
    /// </summary>
    /// <param name="pUrban">Uncorrected p(urban|x) of the population's cells (NaN skipped).</param>
    /// <param name="trainPrior">Urban fraction of the training sample, in (0, 1).</param>
    /// <param name="maxIterations">Iteration cap.</param>
    /// <param name="tolerance">Stop when the estimate moves less than this.</param>
    /// <remarks>
    /// Start with <c>q0 = trainPrior</c>; E-step: <c>p_s(x) = AdjustBinary(p(x), trainPrior, q_s)</c>; M-step:
    /// <c>q_{s+1} = mean_x p_s(x)</c>. Each step does not decrease the likelihood of the unlabelled data
    /// (Dempster, Laird and Rubin 1977). The result is as good as the calibration of p: a classifier that
    /// over-predicts urban for rural cells inflates it. The estimate is clamped to [1e-9, 1 - 1e-9].
    /// </remarks>
    public static PrevalenceEstimate EstimatePrevalence(ReadOnlySpan<float> pUrban, double trainPrior, int maxIterations = 1000, double tolerance = 1e-9)
    {
        CheckPrior(trainPrior, nameof(trainPrior));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance);
        long n = 0;
        for (int i = 0; i < pUrban.Length; i++)
        {
            if (!float.IsNaN(pUrban[i]))
            {
                n++;
            }
        }

        if (n == 0)
        {
            throw new ArgumentException("No probability to estimate from.", nameof(pUrban));
        }

        double q = trainPrior;
        for (int it = 1; it <= maxIterations; it++)
        {
            double r1 = q / trainPrior, r0 = (1 - q) / (1 - trainPrior), sum = 0;
            for (int i = 0; i < pUrban.Length; i++)
            {
                float p = pUrban[i];
                if (!float.IsNaN(p))
                {
                    sum += Adjust(p, r1, r0);
                }
            }

            double next = Math.Clamp(sum / n, 1e-9, 1 - 1e-9);
            bool done = Math.Abs(next - q) < tolerance;
            q = next;
            if (done)
            {
                return new PrevalenceEstimate(q, it, true);
            }
        }

        return new PrevalenceEstimate(q, maxIterations, false);
    }

    private static double Adjust(double p, double r1, double r0)
    {
        double a = p * r1, b = (1 - p) * r0, s = a + b;
        return s > 0 ? a / s : p;
    }

    private static void CheckPrior(double prior, string name)
    {
        if (!(prior > 0 && prior < 1))
        {
            throw new ArgumentOutOfRangeException(name, prior, "A class prior must lie strictly between 0 and 1.");
        }
    }

    private static void CheckMatrix(int classCount, ReadOnlySpan<double> trainPriors, ReadOnlySpan<double> populationPriors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);

        if (trainPriors.Length != classCount)
        {
            throw new ArgumentException($"Expected {classCount} training priors, got {trainPriors.Length}.", nameof(trainPriors));
        }

        if (populationPriors.Length != classCount)
        {
            throw new ArgumentException($"Expected {classCount} population priors, got {populationPriors.Length}.", nameof(populationPriors));
        }

        for (int c = 0; c < classCount; c++)
        {
            if (!(trainPriors[c] > 0 && double.IsFinite(trainPriors[c])))
            {
                throw new ArgumentOutOfRangeException(nameof(trainPriors), trainPriors[c], $"Training prior of class {c} must be positive.");
            }

            if (!(populationPriors[c] > 0 && double.IsFinite(populationPriors[c])))
            {
                throw new ArgumentOutOfRangeException(nameof(populationPriors), populationPriors[c], $"Population prior of class {c} must be positive.");
            }
        }
    }
}

/// <summary>Result of <see cref="PriorShift.EstimatePrevalence"/>.</summary>
/// <param name="Prevalence">Estimated urban fraction of the population.</param>
/// <param name="Iterations">EM iterations run.</param>
/// <param name="Converged">Whether the change fell below the tolerance before the cap.</param>
public readonly record struct PrevalenceEstimate(double Prevalence, int Iterations, bool Converged);
