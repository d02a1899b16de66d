namespace Inegi.UrbanGrowth;

/// <summary>
/// A classifier that reads only some of its features: a forest tests a feature only where one of its split nodes
/// does, so the others never change a prediction and a caller need not compute them (classification computes only
/// the patch statistics the trees read).
/// </summary>
public interface IFeatureUsage
{
    /// <summary>
    /// The distinct indices into <see cref="IClassifierModel.Schema"/> that some split node tests, ascending. Rows that
    /// agree on these columns get the same probabilities bit for bit, whatever the other columns hold (NaN included).
    /// </summary>
    IReadOnlyList<int> UsedFeatures();
}
