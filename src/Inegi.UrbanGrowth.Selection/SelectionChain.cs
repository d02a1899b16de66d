namespace Inegi.UrbanGrowth.Selection;

/// <summary>
/// Selectors applied in sequence, like a scikit-learn <c>Pipeline</c> of selectors: each stage is fitted on the
/// output of the previous one; the fitted chain maps input indices straight to the finally kept ones.
/// </summary>
/// <remarks>SPEC 4 is <see cref="CreateDefault"/>: <see cref="SelectFwe"/>(alpha) then <see cref="VarianceThreshold"/>(threshold).
/// The fitted result is one <see cref="FittedSelection"/> over the original features (see <see cref="FittedSelection.Compose"/>).</remarks>
public sealed class SelectionChain : IFeatureSelector
{
    private readonly IFeatureSelector[] _stages;

    /// <summary>Creates a chain.</summary>
    /// <param name="stages">Selectors, applied in order (at least one).</param>
    /// <exception cref="ArgumentException">No stage, or a null stage.</exception>
    public SelectionChain(params IReadOnlyList<IFeatureSelector> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("A selection chain needs at least one stage.", nameof(stages));
        }

        _stages = new IFeatureSelector[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            _stages[i] = stages[i] ?? throw new ArgumentException($"Stage {i} is null.", nameof(stages));
        }
    }

    /// <summary>The stages, in order.</summary>
    public IReadOnlyList<IFeatureSelector> Stages => _stages;

    /// <summary>The selection of SPEC 4: SelectFwe with the ANOVA F-test, then VarianceThreshold.</summary>
    /// <param name="alpha">Family-wise error rate of SelectFwe (0.05).</param>
    /// <param name="varianceThreshold">VarianceThreshold's threshold (0).</param>
    public static SelectionChain CreateDefault(double alpha = 0.05, double varianceThreshold = 0) =>
        new(new SelectFwe(alpha), new VarianceThreshold(varianceThreshold));

    /// <summary>Fits every stage on the output of the previous one.</summary>
    /// <param name="features">Training rows.</param>
    /// <param name="labels">Class of each row.</param>
    public FittedSelection Fit(FeatureMatrix features, ReadOnlySpan<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        FittedSelection combined = FittedSelection.From(_stages[0].Fit(features, labels));
        for (int i = 1; i < _stages.Length; i++)
        {
            IFittedSelection next = _stages[i].Fit(combined.Transform(features), labels);
            combined = FittedSelection.Compose(combined, next);
        }

        return combined;
    }

    /// <inheritdoc/>
    IFittedSelection IFeatureSelector.Fit(FeatureMatrix features, ReadOnlySpan<byte> labels) => Fit(features, labels);
}
