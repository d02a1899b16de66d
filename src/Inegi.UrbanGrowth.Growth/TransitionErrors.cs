namespace Inegi.UrbanGrowth.Growth;

/// <summary>Year-to-year transitions of predicted maps compared with the true labels.</summary>
/// <param name="Transitions">Cell pairs (year t-1, year t) counted: valid in the prediction and the truth in both years.</param>
/// <param name="PredictedGrowth">Predicted 0 then 1.</param>
/// <param name="TrueGrowth">True 0 then 1.</param>
/// <param name="FalseGrowth">Predicted 0 then 1 where the truth is not 0 then 1.</param>
/// <param name="PredictedLoss">Predicted 1 then 0.</param>
/// <param name="TrueLoss">True 1 then 0.</param>
/// <param name="FalseLoss">Predicted 1 then 0 where the truth is not 1 then 0.</param>
/// <param name="CellYears">Cell-years valid in the prediction and the truth.</param>
/// <param name="ClassErrors">Of those, cell-years whose predicted class differs from the truth.</param>
public readonly record struct TransitionErrors(
    long Transitions, long PredictedGrowth, long TrueGrowth, long FalseGrowth,
    long PredictedLoss, long TrueLoss, long FalseLoss, long CellYears, long ClassErrors)
{
    /// <summary>Predicted growth that is true growth.</summary>
    public long DetectedGrowth => PredictedGrowth - FalseGrowth;

    /// <summary>True growth that the prediction missed.</summary>
    public long MissedGrowth => TrueGrowth - DetectedGrowth;
}
