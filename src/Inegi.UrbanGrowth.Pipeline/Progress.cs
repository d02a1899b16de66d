namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>How far a long pipeline step has come; reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Step">What is running, e.g. "classify".</param>
/// <param name="Done">Units done (cells, rows, trees).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Elapsed">Time since the step started.</param>
public readonly record struct PipelineProgress(string Step, long Done, long Total, TimeSpan Elapsed)
{
    /// <summary>Units per second so far.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;

    /// <summary>Estimated time left at the rate so far, or null before any unit is done.</summary>
    public TimeSpan? Remaining => Done > 0 && Total >= Done ? TimeSpan.FromSeconds((Total - Done) / Rate) : null;
}
