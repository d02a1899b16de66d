namespace Inegi.UrbanGrowth.Rendering;

/// <summary>Size of the map part of a quick-look picture.</summary>
/// <remarks>
/// A grid of <c>w x h</c> cells is shown at <c>k</c> pixels per cell, <c>k = max(1, TargetSize / max(w, h))</c>
/// (integer division, at most <see cref="MaxScale"/>), so small grids are enlarged by an integer factor. A grid
/// larger than <see cref="MaxSize"/> is reduced by the integer factor <c>d = ceil(max(w, h) / MaxSize)</c>: each
/// picture pixel shows a <c>d x d</c> block, by its most frequent valid value for categorical maps (ties go to the
/// larger value, so rare classes such as new urban survive), by the mean of its valid values for probabilities and
/// reflectance; a block with no valid cell is nodata.
/// </remarks>
public sealed record QuickLookOptions
{
    /// <summary>The default options.</summary>
    public static QuickLookOptions Default { get; } = new();

    /// <summary>Longest side, in pixels, that small maps are enlarged towards (default 800).</summary>
    public int TargetSize { get; init; } = 800;

    /// <summary>Longest side, in pixels, of the map part; larger grids are reduced (default 2,000).</summary>
    public int MaxSize { get; init; } = 2000;

    /// <summary>Largest enlargement factor (default 32).</summary>
    public int MaxScale { get; init; } = 32;

    internal void Validate()
    {
        if (TargetSize < 1 || MaxSize < 1 || MaxScale < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QuickLookOptions), "TargetSize, MaxSize and MaxScale must be at least 1.");
        }
    }
}
