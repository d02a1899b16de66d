namespace Inegi.UrbanGrowth.Compositing;

/// <summary>Stopping rule of the Weiszfeld iteration behind <see cref="Geomedian"/>.</summary>
/// <remarks>The defaults are geomad's (<c>MAXITERS = 10000</c>, <c>EPS = 1e-4</c> in <c>geomad/pcm.pyx</c>).</remarks>
public sealed record GeomedianOptions
{
    /// <summary>geomad's default <see cref="Epsilon"/>.</summary>
    public const float DefaultEpsilon = 1e-4f;

    /// <summary>geomad's default <see cref="MaxIterations"/>.</summary>
    public const int DefaultMaxIterations = 10000;

    /// <summary>The shared default options.</summary>
    public static GeomedianOptions Default { get; } = new();

    /// <summary>
    /// The iteration stops when the estimate moves less than this (Euclidean distance, reflectance units).
    /// Held as float32 because geomad compares against a float32 <c>eps</c>.
    /// </summary>
    public float Epsilon { get; init; } = DefaultEpsilon;

    /// <summary>Upper bound on Weiszfeld iterations per pixel (at least 1).</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a non-positive or non-finite value.</summary>
    public void Validate()
    {
        if (!(Epsilon > 0) || !float.IsFinite(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "eps must be a positive finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
    }
}
