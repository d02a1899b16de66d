using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>What <see cref="SpatialContextRefinement.Apply"/> wrote.</summary>
/// <param name="Cells">Cells of the grid.</param>
/// <param name="Classified">Cells with a probability in the input map.</param>
/// <param name="Urban">Cells the refined map calls urban.</param>
/// <param name="InputUrban">Cells the input map called urban.</param>
/// <param name="Confusion">[label, refined class] counts over labelled classified cells when a label grid was given; null otherwise.</param>
public sealed record RefinementSummary(long Cells, long Classified, long Urban, long InputUrban, ConfusionMatrix? Confusion);

/// <summary>
/// The spatial-context second stage on class maps written by <see cref="GridClassifier"/> (band 1 class, band 2
/// p(urban) in percent, 255 nodata): fit a <see cref="SpatialContextModel"/> on a map and its label grid, then
/// rewrite any map of the same model with the refined probabilities and classes. The grids are 1 km cells (a country
/// is a few million cells, a few MB per band), so they are read whole.
/// </summary>
public static class SpatialContextRefinement
{
    /// <summary>p(urban) of every cell of a map (band 2 percent / 100), NaN where the map has no class.</summary>
    /// <param name="mapPath">A map of <see cref="GridClassifier"/>.</param>
    /// <param name="info">The map's grid.</param>
    /// <exception cref="DataFileException">Not a Byte map, or without the probability band.</exception>
    public static float[] ReadProbabilities(string mapPath, out RasterInfo info)
    {
        using GeoTiffReader reader = MapFiles.OpenMap(mapPath);
        info = reader.Info;
        if (info.BandCount < 2)
        {
            throw new DataFileException(mapPath, "the map has no probability band (band 2, p(urban) in percent); classify with 'urban classify' first");
        }

        int cells = checked(info.Width * info.Height);
        byte[] percent = reader.ReadBand<byte>(1);
        var p = new float[cells];
        for (int i = 0; i < cells; i++)
        {
            byte v = percent[i];
            if (v != UrbanClass.Undefined && v > 100)
            {
                throw new DataFileException(mapPath, $"band 2 holds {v} at cell {i}; a probability band holds 0-100 percent or 255");
            }

            p[i] = v == UrbanClass.Undefined ? float.NaN : v / 100f;
        }

        return p;
    }

    /// <summary>
    /// Fits the context model on every labelled, classified cell of <paramref name="gridPath"/>, leaving out the
    /// cells the first-stage model was trained on.
    /// </summary>
    /// <param name="mapPath">The first-stage map of the year the labels describe.</param>
    /// <param name="gridPath">The label grid of that year (0 non-urban, 1 urban, 255 unlabelled).</param>
    /// <param name="excludedCells">(row, column) of the training sample's cells, or null.</param>
    /// <param name="options">Threshold rule; defaults when null.</param>
    /// <exception cref="DataFileException">A file is missing, of the wrong kind, or on another grid.</exception>
    public static SpatialContextModel Fit(string mapPath, string gridPath, IEnumerable<(int Row, int Column)>? excludedCells, SpatialContextOptions? options = null)
    {
        float[] p = ReadProbabilities(mapPath, out RasterInfo info);
        byte[] classes = MapFiles.ReadByteBand(mapPath, 0);
        byte[] labels = ReadLabels(gridPath, info);
        var excluded = new bool[labels.Length];
        foreach ((int row, int column) in excludedCells ?? [])
        {
            if ((uint)row < (uint)info.Height && (uint)column < (uint)info.Width)
            {
                excluded[(row * info.Width) + column] = true;
            }
        }

        var features = new List<double>();
        var fitLabels = new List<byte>();
        var fitClasses = new List<byte>();
        Span<double> f = stackalloc double[NeighbourhoodFeatures.Count];
        for (int row = 0; row < info.Height; row++)
        {
            for (int column = 0; column < info.Width; column++)
            {
                int i = (row * info.Width) + column;
                if (excluded[i] || labels[i] > UrbanClass.Urban || !NeighbourhoodFeatures.Compute(p, info.Width, info.Height, column, row, f))
                {
                    continue;
                }

                foreach (double v in f)
                {
                    features.Add(v);
                }

                fitLabels.Add(labels[i]);
                fitClasses.Add(classes[i]);
            }
        }

        if (fitLabels.Count == 0)
        {
            throw new DataFileException(gridPath, "no labelled cell of the grid has a probability in the map");
        }

        int urban = fitLabels.Count(l => l == UrbanClass.Urban);
        if (urban == 0 || urban == fitLabels.Count)
        {
            int left = excluded.Count(e => e);
            throw new DataFileException(gridPath, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the {fitLabels.Count:N0} labelled cells left to fit (after leaving out {left:N0} training cells) are all {(urban == 0 ? "non-urban" : "urban")}; the context model needs both classes"));
        }

        return SpatialContextModel.Fit([.. features], [.. fitLabels], [.. fitClasses], options);
    }

    /// <summary>Writes the refined map: band 1 class at <see cref="SpatialContextModel.Threshold"/>, band 2 refined p(urban) in percent.</summary>
    /// <param name="mapPath">A first-stage map of the same model (any year).</param>
    /// <param name="model">The context model.</param>
    /// <param name="outputPath">The refined map (temporary name, then rename).</param>
    /// <param name="gridPath">A label grid of the map's year to compare with, or null.</param>
    /// <param name="excludedCells">
    /// (row, column) of cells left out of <see cref="RefinementSummary.Confusion"/> (still refined), typically the
    /// first-stage training sample; null for none.
    /// </param>
    /// <exception cref="ArgumentException">An excluded cell outside the map.</exception>
    public static RefinementSummary Apply(string mapPath, SpatialContextModel model, string outputPath, string? gridPath = null, IEnumerable<(int Row, int Column)>? excludedCells = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        float[] p = ReadProbabilities(mapPath, out RasterInfo info);
        byte[] inputClasses = MapFiles.ReadByteBand(mapPath, 0);
        byte[]? labels = gridPath is null ? null : ReadLabels(gridPath, info);
        var excluded = new bool[p.Length];
        foreach ((int row, int column) in excludedCells ?? [])
        {
            if ((uint)row >= (uint)info.Height || (uint)column >= (uint)info.Width)
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The excluded cell (row {row}, column {column}) lies outside the {info.Width} x {info.Height} map."), nameof(excludedCells));
            }

            excluded[(row * info.Width) + column] = true;
        }

        int cells = p.Length;
        var bands = new byte[2 * cells];
        Span<double> f = stackalloc double[NeighbourhoodFeatures.Count];
        long classified = 0, urban = 0, inputUrban = 0;
        ConfusionMatrix? confusion = labels is null ? null : new ConfusionMatrix(2);
        for (int row = 0; row < info.Height; row++)
        {
            for (int column = 0; column < info.Width; column++)
            {
                int i = (row * info.Width) + column;
                if (!NeighbourhoodFeatures.Compute(p, info.Width, info.Height, column, row, f))
                {
                    bands[i] = UrbanClass.Undefined;
                    bands[cells + i] = UrbanClass.Undefined;
                    continue;
                }

                double refined = model.Probability(f);
                byte mapped = refined >= model.Threshold ? UrbanClass.Urban : UrbanClass.NonUrban;
                bands[i] = mapped;
                bands[cells + i] = (byte)Math.Round(refined * 100, MidpointRounding.AwayFromZero);
                classified++;
                urban += mapped;
                inputUrban += inputClasses[i] == UrbanClass.Urban ? 1 : 0;
                if (confusion is not null && labels![i] <= UrbanClass.Urban && !excluded[i])
                {
                    confusion.Add(labels[i], mapped);
                }
            }
        }

        var options = new GeoTiffWriteOptions
        {
            Width = info.Width,
            Height = info.Height,
            BandCount = 2,
            SampleType = RasterSampleType.Byte,
            GeoTransform = info.GeoTransform,
            Epsg = info.Epsg,
            NoData = UrbanClass.Undefined,
        };
        using (var writer = GeoTiffWriter.Create(outputPath, options))
        {
            writer.WriteRows<byte>(bands);
            writer.Commit();
        }

        return new RefinementSummary(cells, classified, urban, inputUrban, confusion);
    }

    private static byte[] ReadLabels(string gridPath, RasterInfo mapInfo)
    {
        using GeoTiffReader reader = MapFiles.OpenMap(gridPath);
        RasterGrids.EnsureSameGrid(mapInfo, reader.Info);
        return reader.ReadBand<byte>(0);
    }
}
