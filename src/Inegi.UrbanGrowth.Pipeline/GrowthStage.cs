using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Inputs of <see cref="GrowthStage.Run"/>.</summary>
public sealed record GrowthOptions
{
    /// <summary>One mosaic per year, oldest first (opened by the caller's rules: <see cref="Mosaic.Open(string, MosaicOptions?)"/>).</summary>
    public required IReadOnlyList<Func<Mosaic>> Mosaics { get; init; }

    /// <summary>The years, strictly increasing, one per mosaic.</summary>
    public required IReadOnlyList<int> Years { get; init; }

    /// <summary>The 1 km grid holding the census labels of one of the years (0, 1, 255).</summary>
    public required string Grid { get; init; }

    /// <summary>The year of the grid's labels; null: the one year of <see cref="Years"/> written in the grid's file name (labels_2010.tif).</summary>
    public int? CensusYear { get; init; }

    /// <summary>The output folder.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>A zone raster on the grid (integer ids), or null.</summary>
    public string? Zones { get; init; }

    /// <summary>Reflectance scale and offset per year (null: 0.0001 and 0 for every year).</summary>
    public IReadOnlyList<(float Scale, float Offset)>? Reflectance { get; init; }

    /// <summary>Noise spreads a score change must exceed (<see cref="AnchoredGrowthRule.Margin"/>).</summary>
    public double Margin { get; init; } = AnchoredGrowthRule.DefaultMargin;

    /// <summary>
    /// A model from <c>urban train</c> (recommended): each year is classified with it on its own into
    /// <c>independent_&lt;year&gt;.tif</c> (the post-classification baseline, kept), and its p(urban) is the built-up
    /// score the years are decided on together (<see cref="SpatialGrowthRule"/>). Without a model, a linear score of
    /// each cell's mean spectrum is fitted on the census labels and decided with <see cref="AnchoredGrowthRule"/>: faster,
    /// and measured clearly worse (docs/growth.md).
    /// </summary>
    public UrbanModel? Model { get; init; }

    /// <summary>Worker threads (-1: all cores); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Keep the yearly score rasters (<c>score_&lt;year&gt;.tif</c>, Float32 log-odds before normalisation, NaN nodata) in the output folder.</summary>
    public bool KeepScores { get; init; }

    /// <summary>
    /// Per-year reflectance settings as the command line gives them (<c>--scale</c>, <c>--offset</c>): each one value
    /// for every year, or one per year, comma-separated.
    /// </summary>
    /// <param name="scale">Scale text, e.g. <c>0.0001</c> or <c>0.0001,0.0000275</c>.</param>
    /// <param name="offset">Offset text.</param>
    /// <param name="years">Number of years.</param>
    /// <exception cref="ArgumentException">Not a number, or neither one value nor one per year (the message names the option).</exception>
    public static IReadOnlyList<(float Scale, float Offset)> ParseReflectance(string scale, string offset, int years)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(offset);
        return [.. PerYear(scale, years, "--scale").Zip(PerYear(offset, years, "--offset"))];
    }

    private static float[] PerYear(string text, int years, string name)
    {
        string[] parts = text.Split(',');
        if (parts.Length != 1 && parts.Length != years)
        {
            throw new ArgumentException($"{name} takes one value or one per year ({years}), not {parts.Length}");
        }

        float[] values = [.. parts.Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)
            ? f : throw new ArgumentException($"{name}: '{v}' is not a number"))];
        return parts.Length == 1 ? [.. Enumerable.Repeat(values[0], years)] : values;
    }
}

/// <summary>What <see cref="GrowthStage.Run"/> wrote and found: everything the growth alerts need.</summary>
public sealed class GrowthResult
{
    /// <summary>The years.</summary>
    public required IReadOnlyList<int> Years { get; init; }

    /// <summary>The census year used.</summary>
    public required int CensusYear { get; init; }

    /// <summary>The consistent yearly maps (band 1 class 0/1/255, band 2 confidence p(urban) 0..100), one per year.</summary>
    public required IReadOnlyList<string> Maps { get; init; }

    /// <summary>The first-year-urban raster (UInt16 year, 0 never urban, 65535 nodata).</summary>
    public required string FirstYearUrban { get; init; }

    /// <summary>The growth raster between the first and last year (SPEC 7 codes).</summary>
    public required string Growth { get; init; }

    /// <summary>The urban area table (per year and zone, with 95% intervals).</summary>
    public required string AreaTable { get; init; }

    /// <summary>The markdown report.</summary>
    public required string Report { get; init; }

    /// <summary>The mapped urban area and its expected value per year and zone.</summary>
    public required UrbanAreaEstimate Areas { get; init; }

    /// <summary>Growth statistics between the first and last year.</summary>
    public required ChangeStatisticsAccumulator Change { get; init; }

    /// <summary>Mapped urban area per year and zone, as the yearly maps count it (the quick-look chart draws it).</summary>
    public required UrbanTimeSeries Series { get; init; }

    /// <summary>The post-classification baseline maps (empty without a baseline model).</summary>
    public required IReadOnlyList<string> IndependentMaps { get; init; }

    /// <summary>The fitted score's mean log loss on the census labels it was fitted on.</summary>
    public required double CensusLogLoss { get; init; }

    /// <summary>Per-year score shift and change noise (<see cref="YearNormalisation"/>).</summary>
    public required IReadOnlyList<(double Offset, double Noise)> Normalisation { get; init; }
}

/// <summary>
/// The growth stage (issue 19): from one mosaic per year and one census year's labels, the consistent yearly maps,
/// first year urban, growth between the first and last year, urban area per year and zone with intervals, and a
/// report with pictures. With a model (the recommended method) the stage is two parts: <see cref="ClassifyYears"/> (the
/// model on every year's cells: nearly all the time, and splittable into tiles of cells) and
/// <see cref="DecideFromMaps"/> (global over the grid: per-year normalisation, count-matching threshold, growth
/// sweeps; cheap). Without a model (docs/growth.md): a linear built-up score of 16 spectral summaries of each cell's
/// patch, fitted on the census labels; per-year relative normalisation; per cell a non-decreasing fit of the scores
/// and the <see cref="AnchoredGrowthRule"/>, which keeps the census state and lets a cell change only where its score
/// moved by more than year-to-year noise. Streams rows; temporary score rasters are deleted at the end.
/// </summary>
public static class GrowthStage
{
    private const int RowsPerBatch = 8;
    private const int MaxFitCells = 200_000;

    /// <summary>
    /// Runs the stage. With a model it is <see cref="ClassifyYears"/> on the whole grid, then
    /// <see cref="DecideFromMaps"/>: the two parts <c>urban plan growth</c> runs as tile tasks and a merge, so both
    /// write the same bytes.
    /// </summary>
    /// <param name="options">Inputs.</param>
    /// <param name="log">Receives one line per step, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static GrowthResult Run(GrowthOptions options, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        int census = CheckOptions(options);
        if (options.Model is not null)
        {
            Directory.CreateDirectory(options.OutputFolder);
            IReadOnlyList<string> maps = ClassifyYears(options, null, options.OutputFolder, log, cancellationToken);
            return DecideFromMaps(options, maps, log, cancellationToken);
        }

        return Decide(options, census, null, log ?? TextWriter.Null, cancellationToken);
    }

    /// <summary>The file name of a year's post-classification map: <c>independent_&lt;year&gt;.tif</c>.</summary>
    /// <param name="year">The year.</param>
    public static string IndependentMapName(int year) => string.Create(CultureInfo.InvariantCulture, $"independent_{year}.tif");

    /// <summary>
    /// Part 1 of the stage with a model, nearly all of its time: each year's cells classified on their own with the
    /// model (its features and trees) into <c>independent_&lt;year&gt;.tif</c> (class and p(urban), as
    /// <see cref="GridClassifier.Classify"/> writes a map). Given a window of cells, only those are classified and the
    /// maps cover the window (patches still read the mosaic beyond it, so every cell is the whole run's): what a tile
    /// task of <c>urban plan growth</c> runs.
    /// </summary>
    /// <param name="options">Inputs; <see cref="GrowthOptions.Model"/> is required.</param>
    /// <param name="cells">The window of grid cells, or null for the whole grid.</param>
    /// <param name="folder">Where the maps go (created by the caller).</param>
    /// <param name="log">Receives one line per year, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The maps, one per year.</returns>
    /// <exception cref="ArgumentException">No model, or bad options.</exception>
    /// <exception cref="DataFileException">An input cannot be used.</exception>
    public static IReadOnlyList<string> ClassifyYears(GrowthOptions options, PixelWindow? cells, string folder, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        _ = CheckOptions(options);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        UrbanModel model = options.Model ?? throw new ArgumentException("Classifying the years needs a model (GrowthOptions.Model).", nameof(options));
        log ??= TextWriter.Null;
        var maps = new List<string>();
        for (int t = 0; t < options.Years.Count; t++)
        {
            string path = Path.Combine(folder, IndependentMapName(options.Years[t]));
            using (Mosaic mosaic = options.Mosaics[t]())
            using (CellGrid grid = CellGrid.Open(options.Grid, mosaic))
            {
                GridClassifier.Classify(mosaic, grid, model, path, new ClassificationOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, Cells = cells }, cancellationToken: cancellationToken);
            }

            maps.Add(path);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Years[t]} classified with the model"));
        }

        return maps;
    }

    /// <summary>
    /// Part 2 of the stage with a model: from every year's map of the whole grid (<see cref="ClassifyYears"/>, or its
    /// tiles stitched), the scores, the per-year normalisation, the years decided together
    /// (<see cref="SpatialGrowthRule"/>: count-matching threshold on the census year, growth spreading from towns) and
    /// the outputs. Global over the grid, and cheap: a few bytes per cell and year, streamed by rows but for the
    /// decision (4 bytes per cell and year in memory).
    /// </summary>
    /// <param name="options">Inputs (the mosaics and the model are not read).</param>
    /// <param name="independentMaps">One map per year on the grid (band 1 class, band 2 p(urban) in percent).</param>
    /// <param name="log">Receives one line per step, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="ArgumentException">Bad options, or not one map per year.</exception>
    /// <exception cref="DataFileException">A map or the grid cannot be used.</exception>
    public static GrowthResult DecideFromMaps(GrowthOptions options, IReadOnlyList<string> independentMaps, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        int census = CheckOptions(options);
        ArgumentNullException.ThrowIfNull(independentMaps);
        if (independentMaps.Count != options.Years.Count)
        {
            throw new ArgumentException($"{independentMaps.Count} yearly maps for {options.Years.Count} years.", nameof(independentMaps));
        }

        return Decide(options, census, independentMaps, log ?? TextWriter.Null, cancellationToken);
    }

    /// <summary>Checks the options (years, mosaics, reflectance, census year, the grid's presence) without reading the mosaics.</summary>
    /// <param name="options">Inputs.</param>
    /// <returns>The index of the census year in <see cref="GrowthOptions.Years"/>.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DataFileException">The grid does not exist.</exception>
    public static int CheckOptions(GrowthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = options.Years.Count;
        if (n < 2 || options.Mosaics.Count != n)
        {
            throw new ArgumentException($"Give at least two mosaics and one year per mosaic ({options.Mosaics.Count} mosaics, {n} years).", nameof(options));
        }

        for (int t = 1; t < n; t++)
        {
            if (options.Years[t] <= options.Years[t - 1])
            {
                throw new ArgumentException($"Years must increase: {options.Years[t - 1]} then {options.Years[t]}.", nameof(options));
            }
        }

        if (options.Reflectance is { } r && r.Count != n)
        {
            throw new ArgumentException($"{r.Count} reflectance settings for {n} years.", nameof(options));
        }

        if (options.CensusYear is { } cy && !options.Years.Contains(cy))
        {
            throw new ArgumentException($"The census year {cy} is not one of the years {string.Join(",", options.Years)}.", nameof(options));
        }

        if (!File.Exists(options.Grid))
        {
            throw new DataFileException(options.Grid, "file not found");
        }

        return CensusIndex(options);
    }

    /// <summary>
    /// Everything after the scores: with <paramref name="independentMaps"/> the model's method (scores from the maps,
    /// years decided together), without them the linear score fitted on the census year and the anchored rule.
    /// </summary>
    private static GrowthResult Decide(GrowthOptions options, int census, IReadOnlyList<string>? independentMaps, TextWriter log, CancellationToken cancellationToken)
    {
        int n = options.Years.Count;
        Directory.CreateDirectory(options.OutputFolder);
        string temporary = Path.Combine(options.OutputFolder, ".growth-tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(temporary);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            RasterInfo gridInfo = GeoTiffReader.ReadInfo(options.Grid);
            string[] scorePaths = new string[n];
            for (int t = 0; t < n; t++)
            {
                scorePaths[t] = Path.Combine(options.KeepScores ? options.OutputFolder : temporary, string.Create(CultureInfo.InvariantCulture, $"score_{options.Years[t]}.tif"));
            }

            double logLoss = double.NaN;
            bool withModel = independentMaps is not null;
            if (independentMaps is not null)
            {
                // 1-2. Each year's map from the model: its p(urban) as log-odds is the score.
                for (int t = 0; t < n; t++)
                {
                    WriteModelScores(independentMaps[t], scorePaths[t], gridInfo);
                }
            }
            else
            {
                // 1. Fit the built-up score on the census year's labelled cells.
                (LogisticScore score, logLoss) = FitYear(options, census, parallel);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built-up score fitted on the census year {options.Years[census]}: log loss {logLoss:0.0000}"));

                // 2. Scores of every cell and year into temporary Float32 rasters (NaN: incomplete patch).
                for (int t = 0; t < n; t++)
                {
                    WriteScores(options, t, score, scorePaths[t], gridInfo, parallel);
                }
            }

            // 3. Relative normalisation.
            var normalisation = new YearNormalisation(n, census);
            ForEachRow(scorePaths, gridInfo, (row, scores) =>
            {
                int width = gridInfo.Width;
                Span<double> cell = stackalloc double[n];
                for (int x = 0; x < width; x++)
                {
                    for (int t = 0; t < n; t++)
                    {
                        cell[t] = scores[(t * width) + x];
                    }

                    normalisation.Add(cell);
                }
            });
            double[] offsets = normalisation.Offsets(), noise = normalisation.Noise();
            for (int t = 0; t < n; t++)
            {
                if (t != census && double.IsNaN(noise[t]))
                {
                    throw new DataFileException(options.Grid, string.Create(CultureInfo.InvariantCulture, $"the {options.Years[t]} mosaic shares no complete cell with the census year's"));
                }
            }

            // 4. Decide and write.
            RowDecision decide;
            if (withModel)
            {
                SpatialGrowthRule.Decision decision = DecideTogether(scorePaths, offsets, options.Grid, gridInfo, census);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"years decided together: threshold {decision.Threshold:0.000} log-odds (count matching on the census year)"));
                decide = (row, scores, labels, classes, confidence, probability) =>
                {
                    int width = gridInfo.Width;
                    for (int t = 0; t < n; t++)
                    {
                        for (int x = 0; x < width; x++)
                        {
                            int i = (t * width) + x, cell = (row * width) + x;
                            classes[i] = decision.Classes[t][cell];
                            confidence[i] = decision.Confidence[t][cell];
                            probability[i] = classes[i] > 1 ? double.NaN : confidence[i] / 100.0;
                        }
                    }
                };
            }
            else
            {
                var rule = new AnchoredGrowthRule(census, [.. noise.Select(v => double.IsNaN(v) ? 1 : v)], options.Margin);
                decide = (row, scores, labels, classes, confidence, probability) => ApplyRule(rule, offsets, gridInfo.Width, scores, labels, classes, confidence, probability);
            }

            GrowthResult result = WriteOutputs(options, census, offsets, noise, decide, scorePaths, gridInfo, logLoss, independentMaps ?? [], withModel);
            return result;
        }
        finally
        {
            try
            {
                Directory.Delete(temporary, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless; the outputs are complete.
            }
        }
    }

    private static (LogisticScore Score, double LogLoss) FitYear(GrowthOptions options, int t, ParallelOptions parallel)
    {
        using Mosaic mosaic = options.Mosaics[t]();
        using CellGrid grid = CellGrid.Open(options.Grid, mosaic);
        CellSpectra spectra = Spectra(options, t);
        int width = grid.Width, height = grid.Height;
        // A deterministic stride keeps the fit bounded on a national grid.
        long labelled = 0;
        byte[] labels = new byte[width];
        for (int row = 0; row < height; row++)
        {
            grid.ReadLabels(row, 1, labels);
            foreach (byte l in labels)
            {
                if (l <= 1)
                {
                    labelled++;
                }
            }
        }

        long stride = Math.Max(1, (labelled + MaxFitCells - 1) / MaxFitCells);
        var features = new List<float>();
        var targets = new List<byte>();
        float[] buffer = new float[RowsPerBatch * width * CellSpectra.FeatureCount];
        bool[] complete = new bool[RowsPerBatch * width];
        byte[] rowLabels = new byte[RowsPerBatch * width];
        long index = 0;
        for (int first = 0; first < height; first += RowsPerBatch)
        {
            int rows = Math.Min(RowsPerBatch, height - first);
            grid.ReadLabels(first, rows, rowLabels.AsSpan(0, rows * width));
            spectra.Summarise(mosaic, grid, first, rows, buffer, complete, parallel);
            for (int i = 0; i < rows * width; i++)
            {
                if (rowLabels[i] > 1)
                {
                    continue;
                }

                if (index++ % stride == 0 && complete[i])
                {
                    features.AddRange(buffer.AsSpan(i * CellSpectra.FeatureCount, CellSpectra.FeatureCount));
                    targets.Add(rowLabels[i]);
                }
            }
        }

        float[] x = [.. features];
        byte[] y = [.. targets];
        LogisticScore score;
        try
        {
            score = LogisticScore.Fit(x, y, CellSpectra.FeatureCount);
        }
        catch (ArgumentException e)
        {
            throw new DataFileException(options.Grid, "cannot fit the built-up score: " + e.Message);
        }

        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = score.Score(x.AsSpan(i * CellSpectra.FeatureCount, CellSpectra.FeatureCount));
            loss += y[i] == 1 ? Softplus(-z) : Softplus(z);
        }

        return (score, loss / Math.Max(1, y.Length));
    }

    private static void WriteScores(GrowthOptions options, int t, LogisticScore score, string path, RasterInfo gridInfo, ParallelOptions parallel)
    {
        using Mosaic mosaic = options.Mosaics[t]();
        using CellGrid grid = CellGrid.Open(options.Grid, mosaic);
        CellSpectra spectra = Spectra(options, t);
        int width = grid.Width, height = grid.Height;
        float[] buffer = new float[RowsPerBatch * width * CellSpectra.FeatureCount];
        bool[] complete = new bool[RowsPerBatch * width];
        float[] scores = new float[RowsPerBatch * width];
        using var writer = GeoTiffWriter.Create(path, new GeoTiffWriteOptions
        {
            Width = width,
            Height = height,
            SampleType = RasterSampleType.Float32,
            GeoTransform = gridInfo.GeoTransform,
            Epsg = gridInfo.Epsg,
        });
        for (int first = 0; first < height; first += RowsPerBatch)
        {
            int rows = Math.Min(RowsPerBatch, height - first);
            spectra.Summarise(mosaic, grid, first, rows, buffer, complete, parallel);
            for (int i = 0; i < rows * width; i++)
            {
                scores[i] = complete[i] ? (float)score.Score(buffer.AsSpan(i * CellSpectra.FeatureCount, CellSpectra.FeatureCount)) : float.NaN;
            }

            writer.WriteRows<float>(scores.AsSpan(0, rows * width));
        }

        writer.Commit();
    }

    private static void ForEachRow(string[] scorePaths, RasterInfo gridInfo, Action<int, float[]> action)
    {
        var readers = new List<GeoTiffReader>();
        try
        {
            foreach (string p in scorePaths)
            {
                readers.Add(GeoTiffReader.Open(p));
            }

            int width = gridInfo.Width;
            float[] scores = new float[scorePaths.Length * width];
            for (int row = 0; row < gridInfo.Height; row++)
            {
                for (int t = 0; t < readers.Count; t++)
                {
                    readers[t].ReadAsFloat(new PixelWindow(0, row, width, 1), [0], scores.AsSpan(t * width, width));
                }

                action(row, scores);
            }
        }
        finally
        {
            foreach (GeoTiffReader reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private delegate void RowDecision(int row, float[] scores, byte[] labels, byte[] classes, byte[] confidence, double[] probability);

    private static void ApplyRule(AnchoredGrowthRule rule, double[] offsets, int width, float[] scores, byte[] labels, byte[] classes, byte[] confidence, double[] probability)
    {
        int n = offsets.Length;
        Span<double> cellScores = stackalloc double[n];
        Span<double> cellP = stackalloc double[n];
        for (int x = 0; x < width; x++)
        {
            for (int t = 0; t < n; t++)
            {
                float s = scores[(t * width) + x];
                cellScores[t] = float.IsNaN(s) ? double.NaN : s - offsets[t];
            }

            rule.Apply(cellScores, labels[x], cellP);
            for (int t = 0; t < n; t++)
            {
                double p = cellP[t];
                int i = (t * width) + x;
                probability[i] = p;
                bool valid = !double.IsNaN(p);
                classes[i] = valid ? (p >= 0.5 ? UrbanClass.Urban : UrbanClass.NonUrban) : UrbanClass.Undefined;
                confidence[i] = valid ? (byte)Math.Clamp((int)Math.Round(p * 100), 0, 100) : UrbanClass.Undefined;
            }
        }
    }

    /// <summary>Reads every year's normalised scores and the census labels into memory and decides them together.</summary>
    private static SpatialGrowthRule.Decision DecideTogether(string[] scorePaths, double[] offsets, string gridPath, RasterInfo gridInfo, int census)
    {
        int n = scorePaths.Length, cells = checked(gridInfo.Width * gridInfo.Height);
        float[][] scores = new float[n][];
        for (int t = 0; t < n; t++)
        {
            using GeoTiffReader reader = GeoTiffReader.Open(scorePaths[t]);
            scores[t] = reader.ReadBandAsFloat(0);
            float offset = (float)offsets[t];
            for (int i = 0; i < cells; i++)
            {
                scores[t][i] -= offset;
            }
        }

        byte[] labels = MapFiles.ReadByteBand(gridPath);
        return new SpatialGrowthRule().Decide(scores, labels, gridInfo.Width, census);
    }

    /// <summary>The score of a model's map: log-odds of its p(urban) (band 2, percent), NaN where the map has no class.</summary>
    private static void WriteModelScores(string mapPath, string scorePath, RasterInfo gridInfo)
    {
        using GeoTiffReader map = MapFiles.OpenMap(mapPath);
        RasterGrids.EnsureSameGrid(gridInfo, map.Info);
        int width = gridInfo.Width;
        byte[] cls = new byte[width], p = new byte[width];
        float[] scores = new float[width];
        using var writer = GeoTiffWriter.Create(scorePath, new GeoTiffWriteOptions
        {
            Width = width,
            Height = gridInfo.Height,
            SampleType = RasterSampleType.Float32,
            GeoTransform = gridInfo.GeoTransform,
            Epsg = gridInfo.Epsg,
        });
        for (int row = 0; row < gridInfo.Height; row++)
        {
            var window = new PixelWindow(0, row, width, 1);
            map.Read<byte>(window, [0], cls);
            map.Read<byte>(window, [1], p);
            for (int x = 0; x < width; x++)
            {
                // Half a percent keeps 0 and 100 finite: the map's p(urban) is rounded to whole percents.
                scores[x] = cls[x] > 1 || p[x] > 100 ? float.NaN : (float)Math.Log((p[x] + 0.5) / (100.5 - p[x]));
            }

            writer.WriteRows<float>(scores);
        }

        writer.Commit();
    }

    private static GrowthResult WriteOutputs(GrowthOptions options, int census, double[] offsets, double[] noise, RowDecision decide,
        string[] scorePaths, RasterInfo gridInfo, double logLoss, IReadOnlyList<string> independent, bool withModel)
    {
        IReadOnlyList<int> years = options.Years;
        int n = years.Count, width = gridInfo.Width, height = gridInfo.Height;
        string folder = options.OutputFolder;
        double cellArea = Math.Abs(gridInfo.GeoTransform.PixelWidth * gridInfo.GeoTransform.PixelHeight) / 1e6;
        using GeoTiffReader? zones = options.Zones is null ? null : OpenZones(options.Zones, gridInfo);
        int? zoneNoData = zones?.Info.NoData is { } nd && nd == Math.Floor(nd) ? (int)nd : null;
        using GeoTiffReader labelsReader = GeoTiffReader.Open(options.Grid);
        var areas = new UrbanAreaEstimate(years, cellArea, zoneNoData);
        var series = new UrbanTimeSeries(years, cellArea, zoneNoData);
        var change = new ChangeStatisticsAccumulator(cellArea, zoneNoData);
        string[] mapPaths = [.. years.Select(y => Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"map_{y}.tif")))];
        string firstPath = Path.Combine(folder, "first_year_urban.tif");
        string growthPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"growth_{years[0]}_{years[^1]}.tif"));
        var mapWriters = new List<GeoTiffWriter>();
        ushort[] first = new ushort[checked(width * height)];
        byte[] growth = new byte[checked(width * height)];
        try
        {
            foreach (string p in mapPaths)
            {
                mapWriters.Add(GeoTiffWriter.Create(p, new GeoTiffWriteOptions
                {
                    Width = width,
                    Height = height,
                    BandCount = 2,
                    SampleType = RasterSampleType.Byte,
                    GeoTransform = gridInfo.GeoTransform,
                    Epsg = gridInfo.Epsg,
                    NoData = UrbanClass.Undefined,
                }));
            }

            using var firstWriter = GeoTiffWriter.Create(firstPath, new GeoTiffWriteOptions
            {
                Width = width,
                Height = height,
                SampleType = RasterSampleType.UInt16,
                GeoTransform = gridInfo.GeoTransform,
                Epsg = gridInfo.Epsg,
                NoData = UrbanTimeSeries.NoData,
            });
            using var growthWriter = GeoTiffWriter.Create(growthPath, new GeoTiffWriteOptions
            {
                Width = width,
                Height = height,
                SampleType = RasterSampleType.Byte,
                GeoTransform = gridInfo.GeoTransform,
                Epsg = gridInfo.Epsg,
                NoData = GrowthCode.NoData,
            });
            byte[] classes = new byte[n * width], confidence = new byte[n * width], labels = new byte[width], mapRow = new byte[2 * width];
            double[] probability = new double[n * width];
            int[] zoneRow = new int[width];
            float[] zoneScratch = new float[width];
            ForEachRow(scorePaths, gridInfo, (row, scores) =>
            {
                labelsReader.Read<byte>(new PixelWindow(0, row, width, 1), [0], labels);
                ReadOnlySpan<int> zoneSpan = default;
                if (zones is not null)
                {
                    MapFiles.ReadZoneRow(zones, row, zoneScratch, zoneRow);
                    zoneSpan = zoneRow;
                }

                decide(row, scores, labels, classes, confidence, probability);

                areas.AddRow(classes, probability, zoneSpan);
                Span<ushort> firstRow = first.AsSpan(row * width, width);
                series.AddRow(classes, confidence, zoneSpan, firstRow, default);
                firstWriter.WriteRows<ushort>(firstRow);
                Span<byte> growthRow = growth.AsSpan(row * width, width);
                ReadOnlySpan<byte> from = classes.AsSpan(0, width), to = classes.AsSpan((n - 1) * width, width);
                if (zones is not null)
                {
                    change.AddRows(from, to, growthRow, zoneSpan);
                }
                else
                {
                    change.AddRows(from, to, growthRow);
                }

                growthWriter.WriteRows<byte>(growthRow);
                for (int t = 0; t < n; t++)
                {
                    classes.AsSpan(t * width, width).CopyTo(mapRow.AsSpan(0, width));
                    confidence.AsSpan(t * width, width).CopyTo(mapRow.AsSpan(width, width));
                    mapWriters[t].WriteRows<byte>(mapRow);
                }
            });

            firstWriter.Commit();
            growthWriter.Commit();
            foreach (GeoTiffWriter w in mapWriters)
            {
                w.Commit();
            }
        }
        finally
        {
            foreach (GeoTiffWriter w in mapWriters)
            {
                w.Dispose();
            }
        }

        string areaPath = Path.Combine(folder, "urban_area.csv");
        areas.WriteCsv(areaPath);
        change.WriteCsv(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"growth_{years[0]}_{years[^1]}.csv")));

        (double, double)[] norm = [.. Enumerable.Range(0, n).Select(t => (offsets[t], noise[t]))];
        string reportPath = Path.Combine(folder, "report.md");
        AtomicFile.WriteAllText(reportPath, BuildReport(years, census, areas, change, norm, logLoss, options.Margin, withModel));
        return new GrowthResult
        {
            Years = [.. years],
            CensusYear = years[census],
            Maps = mapPaths,
            FirstYearUrban = firstPath,
            Growth = growthPath,
            AreaTable = areaPath,
            Report = reportPath,
            Areas = areas,
            Series = series,
            Change = change,
            IndependentMaps = independent,
            CensusLogLoss = logLoss,
            Normalisation = norm,
        };
    }

    private static string BuildReport(IReadOnlyList<int> years, int census, UrbanAreaEstimate areas, ChangeStatisticsAccumulator change,
        (double Offset, double Noise)[] norm, double logLoss, double margin, bool withModel)
    {
        var text = new StringBuilder();
        ChangeStatistics national = change.National;
        text.AppendLine(Inv($"# Urban growth {years[0]} -> {years[^1]}")).AppendLine()
            .AppendLine(withModel
                ? Inv($"Census labels of {years[census]}; {years.Count} yearly mosaics. Method: docs/growth.md (each year classified on its own with the model, independent_<year>.tif; its p(urban) as log-odds, relative normalisation per year, non-decreasing fit per cell, the years decided together: census year exact, count-matching threshold, growth spreading from towns).")
                : Inv($"Census labels of {years[census]}; {years.Count} yearly mosaics. Method: docs/growth.md (built-up score of each cell's mean spectrum, relative normalisation per year, non-decreasing fit per cell, census-anchored rule with margin {margin:0.##}); give a model (--model) for the better method."))
            .AppendLine()
            .AppendLine(Inv($"Urban {national.UrbanFromKm2:N1} km2 in {years[0]} -> {national.UrbanToKm2:N1} km2 in {years[^1]}: {national.NewUrban:N0} new urban cells, {national.UrbanLost:N0} lost."))
            .AppendLine()
            .AppendLine("![growth](" + Inv($"growth_{years[0]}_{years[^1]}.png") + ") ![first year urban](first_year_urban.png) ![urban area](urban_area.png) ![confidence](" + Inv($"confidence_{years[^1]}.png") + ")")
            .AppendLine()
            .AppendLine("## Urban area per year (all zones)").AppendLine()
            .AppendLine("| year | mapped km2 | expected km2 | 95% interval km2 |").AppendLine("|---:|---:|---:|---:|");
        foreach (UrbanAreaEstimate.Row row in areas.Rows().Where(r => r.Zone == "all"))
        {
            text.AppendLine(Inv($"| {row.Year} | {row.MappedKm2:N1} | {row.ExpectedKm2:N1} | {row.LowKm2:N1} - {row.HighKm2:N1} |"));
        }

        text.AppendLine().AppendLine("Per zone: urban_area.csv. The interval counts the cells' own uncertainty (the sum of p(1 - p)); it does not include an error of the score common to many cells.")
            .AppendLine().AppendLine("## Diagnostics").AppendLine()
            .AppendLine(double.IsNaN(logLoss) ? "Built-up score: the model's p(urban)." : Inv($"Built-up score: log loss {logLoss:0.0000} on the census labels it was fitted on.")).AppendLine()
            .AppendLine("| year | score shift | change noise |").AppendLine("|---:|---:|---:|");
        for (int t = 0; t < years.Count; t++)
        {
            text.AppendLine(Inv($"| {years[t]}{(t == census ? " (census)" : "")} | {norm[t].Offset:0.000} | {(t == census ? "-" : norm[t].Noise.ToString("0.000", CultureInfo.InvariantCulture))} |"));
        }

        return text.ToString();
    }

    private static int CensusIndex(GrowthOptions options)
    {
        if (options.CensusYear is { } year)
        {
            return IndexOf(options.Years, year);
        }

        string name = Path.GetFileNameWithoutExtension(options.Grid);
        int[] named = [.. Enumerable.Range(0, options.Years.Count).Where(t => name.Contains(options.Years[t].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))];
        return named.Length == 1
            ? named[0]
            : throw new ArgumentException($"Say which year the labels of {options.Grid} describe (--census-year): its name names {(named.Length == 0 ? "none" : "several")} of the years.", nameof(options));
    }

    private static CellSpectra Spectra(GrowthOptions options, int t) =>
        options.Reflectance is { } r ? new CellSpectra(r[t].Scale, r[t].Offset) : new CellSpectra();

    private static GeoTiffReader OpenZones(string path, RasterInfo grid)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        GeoTiffReader zones = GeoTiffReader.Open(path);
        try
        {
            RasterGrids.EnsureSameGrid(grid, zones.Info);
            return zones;
        }
        catch
        {
            zones.Dispose();
            throw;
        }
    }

    private static int IndexOf(IReadOnlyList<int> years, int year)
    {
        for (int t = 0; t < years.Count; t++)
        {
            if (years[t] == year)
            {
                return t;
            }
        }

        return -1;
    }

    private static double Softplus(double z) => z > 30 ? z : Math.Log(1 + Math.Exp(z));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
