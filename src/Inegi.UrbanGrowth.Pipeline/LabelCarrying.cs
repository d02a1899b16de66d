namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>
/// Census labels that monotone growth makes certain in other years (training-sample migration). A cell urban in the
/// census is urban in every later year; a cell non-urban in the census was non-urban in every earlier year. Training on
/// those cells' features from the other years' mosaics shows the model each year's radiometry (phenology, sensor gain,
/// haze) with labels that are right by construction, instead of the census year's alone. Nothing is carried the
/// other way (a non-urban cell may have grown; an urban one may be new), so no carried label is a guess.
/// </summary>
public static class LabelCarrying
{
    /// <summary>The census cells whose label holds in a year after the census: the urban ones (label 1).</summary>
    /// <param name="censusCells">Cells labelled in the census year.</param>
    public static IReadOnlyList<SampledCell> ToLaterYear(IReadOnlyList<SampledCell> censusCells) => Keep(censusCells, UrbanClass.Urban);

    /// <summary>The census cells whose label holds in a year before the census: the non-urban ones (label 0).</summary>
    /// <param name="censusCells">Cells labelled in the census year.</param>
    public static IReadOnlyList<SampledCell> ToEarlierYear(IReadOnlyList<SampledCell> censusCells) => Keep(censusCells, UrbanClass.NonUrban);

    private static SampledCell[] Keep(IReadOnlyList<SampledCell> cells, int label)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return [.. cells.Where(c => c.Label == label)];
    }
}
