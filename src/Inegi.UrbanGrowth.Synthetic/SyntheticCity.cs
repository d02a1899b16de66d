namespace Inegi.UrbanGrowth.Synthetic;

/// <summary>One city or town of a synthetic scene (ground truth for tests and demos).</summary>
/// <remarks>
/// The dense built-up core of a city is a disc of radius <see cref="RadiusMeters"/> with a noisy edge
/// (the radius is modulated by +-30% fractal noise); a peri-urban ring of scattered buildings reaches 1.8 radii.
/// The radius grows geometrically: <c>r(year) = BaseRadiusMeters * (1 + GrowthPerFiveYears)^((year - FirstYear) / 5)</c>.
/// </remarks>
public sealed class SyntheticCity
{
    internal SyntheticCity(int id, double centerX, double centerY, double baseRadiusMeters, double growthPerFiveYears, int firstYear)
    {
        Id = id;
        CenterX = centerX;
        CenterY = centerY;
        BaseRadiusMeters = baseRadiusMeters;
        GrowthPerFiveYears = growthPerFiveYears;
        FirstYear = firstYear;
    }

    /// <summary>Index of the city in <see cref="SyntheticScene.Cities"/> (largest first).</summary>
    public int Id { get; }

    /// <summary>Map x of the centre (metres, scene CRS).</summary>
    public double CenterX { get; }

    /// <summary>Map y of the centre (metres, scene CRS).</summary>
    public double CenterY { get; }

    /// <summary>Radius of the dense core in the first year (metres).</summary>
    public double BaseRadiusMeters { get; }

    /// <summary>Relative growth of the radius per five years (e.g. 0.1 = +10%).</summary>
    public double GrowthPerFiveYears { get; }

    /// <summary>The scene's first year, where the radius is <see cref="BaseRadiusMeters"/>.</summary>
    public int FirstYear { get; }

    /// <summary>Radius of the dense core in a year (metres).</summary>
    /// <param name="year">Any year; the formula is in the type's remarks.</param>
    public double RadiusMeters(int year) => BaseRadiusMeters * Math.Pow(1 + GrowthPerFiveYears, (year - FirstYear) / 5.0);
}
