using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>The command actions: parse files, call the pipeline, print what users need to see.</summary>
internal static partial class Commands
{
    internal static Mosaic OpenMosaic(string[] paths, string? bands)
    {
        if (paths.Length != 1 && paths.Length != StandardChannels.BandCount)
        {
            throw new ArgumentException($"--mosaic takes one 6-band file or six single-band files, not {paths.Length}");
        }

        foreach (string p in paths)
        {
            if (!File.Exists(p))
            {
                throw new DataFileException(p, "file not found");
            }
        }

        var options = new MosaicOptions();
        if (bands is not null)
        {
            int[] numbers = [.. bands.Split(',').Select(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v - 1 : throw new ArgumentException($"--bands: '{b}' is not a band number"))];
            if (numbers.Length != StandardChannels.BandCount)
            {
                throw new ArgumentException("--bands needs six band numbers: blue,green,red,nir,swir1,swir2");
            }

            options = options with { BandOrder = new BandOrder(numbers) };
        }

        return paths.Length == 1 ? Mosaic.Open(paths[0], options) : Mosaic.Open(paths, options);
    }

    internal static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }
    }

    public static int Sample(string gridPath, int perClass, int seed, string output, string[]? mosaicPaths, int? nonUrbanCount = null)
    {
        RequireFile(gridPath);
        if (perClass < 1)
        {
            throw new ArgumentException("--per-class must be at least 1");
        }

        if (nonUrbanCount is < 1)
        {
            throw new ArgumentException("--non-urban must be at least 1");
        }

        OutputPaths.Prepare([gridPath, .. mosaicPaths ?? []], [output]);

        int nonUrban = nonUrbanCount ?? perClass;

        using Mosaic? mosaic = mosaicPaths is { Length: > 0 } ? OpenMosaic(mosaicPaths, null) : null;
        RasterInfo reference = mosaic?.Info ?? GeoTiffReader.ReadInfo(gridPath);
        using CellGrid grid = CellGrid.Open(gridPath, reference);
        TrainingSample sample = TrainingSample.DrawCounts(grid, nonUrban, perClass, seed, mosaic);
        sample.WriteCsv(output);
        Console.WriteLine(sample.ToString());
        if (sample.DrawnPerClass[0] < nonUrban || sample.DrawnPerClass[1] < perClass)
        {
            Console.Error.WriteLine("urban: warning: a class has fewer usable cells than asked for; all of them were taken");
        }

        return UrbanCli.Success;
    }

    public static int Features(string[] mosaicPaths, string? bands, string gridPath, string? cellsPath, string output, float scale, float offset, string tasseledCap, int threads)
    {
        RequireFile(gridPath);
        OutputPaths.Prepare([.. mosaicPaths, gridPath, cellsPath], [output, FeatureExtractionSettings.SidecarPath(output)]);
        using Mosaic mosaic = OpenMosaic(mosaicPaths, bands);
        using CellGrid grid = CellGrid.Open(gridPath, mosaic);
        IReadOnlyList<SampledCell>? cells = cellsPath is null ? null : TrainingSample.ReadCsv(cellsPath, grid.Width);
        var settings = FeatureExtractionSettings.Default with { Scale = scale, Offset = offset, TasseledCap = tasseledCap };
        FeatureExtractionSummary summary = FeatureExtraction.WriteCsv(mosaic, grid, cells, output, settings, threads, new ConsoleProgress());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Written:N0} cells written to {output}, {summary.Incomplete:N0} incomplete skipped, {summary.Elapsed.TotalSeconds:F1} s ({(summary.Written + summary.Incomplete) / Math.Max(summary.Elapsed.TotalSeconds, 1e-9):N0} cells/s)"));
        return UrbanCli.Success;
    }

    public static int Patches(string[] mosaicPaths, string? bands, string gridPath, string cellsPath, string output, float scale, float offset, string tasseledCap, int threads)
    {
        RequireFile(gridPath);
        OutputPaths.Prepare([.. mosaicPaths, gridPath, cellsPath], [output]);
        using Mosaic mosaic = OpenMosaic(mosaicPaths, bands);
        using CellGrid grid = CellGrid.Open(gridPath, mosaic);
        IReadOnlyList<SampledCell> cells = TrainingSample.ReadCsv(cellsPath, grid.Width);
        var settings = FeatureExtractionSettings.Default with { Scale = scale, Offset = offset, TasseledCap = tasseledCap };
        FeatureExtractionSummary summary = PatchTable.Write(mosaic, grid, cells, output, settings, threads, new ConsoleProgress());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Written:N0} cells written to {output} ({new FileInfo(output).Length / 1e6:F1} MB), {summary.Incomplete:N0} incomplete skipped, {summary.Elapsed.TotalSeconds:F1} s"));
        return UrbanCli.Success;
    }

    public static int Inspect(string modelPath)
    {
        UrbanModel model = UrbanModel.Load(modelPath);
        Console.WriteLine(JsonText.Format(model.WriteJson));
        return UrbanCli.Success;
    }

    public static int Classify(string[] mosaicPaths, string? bands, string gridPath, string modelPath, string output, float? threshold, string? json, int threads,
        float? scale = null, float? offset = null, string? tasseledCap = null, string? excludePath = null)
    {
        RequireFile(gridPath);
        if (excludePath is not null)
        {
            RequireFile(excludePath);
        }

        if (threshold is { } t && !(t >= 0 && t <= 1))
        {
            throw new ArgumentException("--threshold must lie between 0 and 1");
        }

        // Before the model is read or a cell computed: a map that cannot be written fails in the first second.
        OutputPaths.Prepare([.. mosaicPaths, gridPath, modelPath, excludePath], [output, json]);

        UrbanModel model = UrbanModel.Load(modelPath);
        SensorSettings? sensor = null;
        if (scale is not null || offset is not null || tasseledCap is not null)
        {
            // Another sensor than the training mosaic's: its own reflectance scale and tasseled-cap table.
            sensor = new SensorSettings(scale ?? model.Settings.Scale, offset ?? model.Settings.Offset, tasseledCap ?? model.Settings.TasseledCap);
            _ = Spectral.TasseledCapCoefficients.FromName(sensor.TasseledCap);
        }

        using Mosaic mosaic = OpenMosaic(mosaicPaths, bands);
        using CellGrid grid = CellGrid.Open(gridPath, mosaic);
        (int Row, int Column)[]? excluded = excludePath is null ? null : [.. ExcludedCells(excludePath, grid.Width, grid.Height)];
        ClassificationSummary summary = GridClassifier.Classify(mosaic, grid, model, output,
            new ClassificationOptions { Threshold = threshold, MaxDegreeOfParallelism = threads, Sensor = sensor, ExcludedFromConfusion = excluded }, new ConsoleProgress());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Cells:N0} cells: {summary.Classified:N0} classified ({summary.Urban:N0} urban), {summary.Incomplete:N0} incomplete; {summary.Elapsed.TotalSeconds:F1} s, {summary.CellsPerSecond:N0} cells/s; map {output}"));
        if (excluded is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{summary.LabelledExcluded:N0} labelled cells of {excludePath} left out of the national table"));
        }

        if (summary.Confusion is { } confusion)
        {
            PrintNationalTable(confusion, json);
        }
        else if (json is not null)
        {
            throw new DataFileException(gridPath, "the grid holds no labels, so there is no national evaluation to write to --json");
        }

        return UrbanCli.Success;
    }

    /// <summary>The cells of a cells CSV, each checked against the grid's extent (one-line error naming the file).</summary>
    private static IEnumerable<(int Row, int Column)> ExcludedCells(string path, int width, int height)
    {
        foreach (SampledCell cell in TrainingSample.ReadCsv(path, width))
        {
            if (cell.Row < 0 || cell.Row >= height || cell.Column < 0 || cell.Column >= width)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                    $"cell {cell.CellId} (row {cell.Row}, column {cell.Column}) lies outside the {width} x {height} grid"));
            }

            yield return (cell.Row, cell.Column);
        }
    }

    public static int Context(string mapPath, string gridPath, string? excludePath, double? maxRecallLoss, string output)
    {
        RequireFile(mapPath);
        RequireFile(gridPath);
        if (maxRecallLoss is { } loss && !(loss >= 0 && loss < 1))
        {
            throw new ArgumentException("--max-recall-loss must lie in [0, 1)");
        }

        OutputPaths.Prepare([mapPath, gridPath, excludePath], [output]);

        IEnumerable<(int Row, int Column)>? excluded = null;
        if (excludePath is not null)
        {
            RequireFile(excludePath);
            int width;
            using (GeoTiffReader reader = MapFiles.OpenMap(mapPath))
            {
                width = reader.Info.Width;
            }

            excluded = [.. TrainingSample.ReadCsv(excludePath, width).Select(c => (c.Row, c.Column))];
        }

        SpatialContextModel model = SpatialContextRefinement.Fit(mapPath, gridPath, excluded, new SpatialContextOptions { MaxRecallLoss = maxRecallLoss });
        model.Save(output);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"context model fitted on {model.FittedCells:N0} labelled cells ({model.Prevalence:P2} urban): threshold {model.Threshold:F3}, urban recall {model.InputRecall:P2} -> {model.FittedRecall:P2}, urban precision {model.FittedPrecision:P2}; {output}"));
        return UrbanCli.Success;
    }

    public static int Refine(string mapPath, string contextPath, string output, string? gridPath, string? json, string? excludePath = null)
    {
        RequireFile(mapPath);
        SpatialContextModel model = SpatialContextModel.Load(contextPath);
        if (json is not null && gridPath is null)
        {
            throw new ArgumentException("--json needs --grid (the labels to compare with)");
        }

        if (excludePath is not null && gridPath is null)
        {
            throw new ArgumentException("--exclude needs --grid (it leaves cells out of the national table)");
        }

        OutputPaths.Prepare([mapPath, contextPath, gridPath, excludePath], [output, json]);

        (int Row, int Column)[]? excluded = null;
        if (excludePath is not null)
        {
            RequireFile(excludePath);
            using GeoTiffReader reader = MapFiles.OpenMap(mapPath);
            excluded = [.. ExcludedCells(excludePath, reader.Info.Width, reader.Info.Height)];
        }

        RefinementSummary summary = SpatialContextRefinement.Apply(mapPath, model, output, gridPath, excluded);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Classified:N0} classified cells: {summary.InputUrban:N0} urban before, {summary.Urban:N0} after (threshold {model.Threshold:F3}); map {output}"));
        if (summary.Confusion is { } confusion)
        {
            if (confusion.Total == 0)
            {
                throw new DataFileException(gridPath!, "no classified cell of the map is labelled in the grid, so there is no national evaluation");
            }

            PrintNationalTable(confusion, json);
        }

        return UrbanCli.Success;
    }

    /// <summary>Prints the pilot's national table of a [label, class] confusion and writes its JSON when asked.</summary>
    private static void PrintNationalTable(ConfusionMatrix confusion, string? json)
    {
        var table = new NationalAccuracyTable(confusion);
        Console.WriteLine(table.ToText());
        if (json is not null)
        {
            table.Save(json);
        }
    }

    public static int ValidationSample(string mapPath, string output, double targetSe, string? expectedUa, int minPerStratum, int seed)
    {
        RequireFile(mapPath);
        if (!(targetSe > 0 && targetSe < 0.5))
        {
            throw new ArgumentException("--target-se must lie between 0 and 0.5");
        }

        OutputPaths.Prepare([mapPath], [output, Path.ChangeExtension(output, ".geojson")]);

        using GeoTiffReader map = GeoTiffReader.Open(mapPath);
        RasterInfo info = map.Info;
        byte[] strata = map.ReadBand<byte>(0);
        long[] counts = new long[256];
        SampleDesign.CountStrata(strata, counts);
        counts[UrbanClass.Undefined] = 0;
        long population = counts.Sum();
        if (population == 0)
        {
            throw new DataFileException(mapPath, "the map holds no classified cell");
        }

        var ua = ParseUserAccuracies(expectedUa);
        var present = Enumerable.Range(0, 255).Where(c => counts[c] > 0).ToArray();
        double[] weights = [.. present.Select(c => (double)counts[c] / population)];
        double[] accuracies = [.. present.Select(c => ua.TryGetValue(c, out double u) ? u : (c == UrbanClass.NonUrban ? 0.95 : 0.7))];
        int n = SampleDesign.SampleSize(weights, accuracies, targetSe, population);
        StratumAllocation[] allocation = SampleDesign.Allocate(counts, n, SampleAllocation.MinimumThenProportional, minPerStratum);
        IReadOnlyList<SampleCell> cells = SampleDesign.Select(strata, info.Width, info.Height, allocation, (ulong)seed);
        SampleFiles.WriteCsv(output, cells, info.GeoTransform);
        string geojson = Path.ChangeExtension(output, ".geojson");
        SampleFiles.WriteGeoJson(geojson, cells, info.GeoTransform, info.Epsg ?? 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cells.Count:N0} cells sampled (target SE {targetSe}: n = {n}); {string.Join(", ", allocation.Where(a => a.SampleSize > 0).Select(a => $"stratum {a.Stratum}: {a.SampleSize} of {a.Population:N0}"))}; {output}, {geojson}"));
        return UrbanCli.Success;
    }

    private static Dictionary<int, double> ParseUserAccuracies(string? text)
    {
        var result = new Dictionary<int, double>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = pair.Split(':');
            if (kv.Length != 2 || !int.TryParse(kv[0], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c > 254
                || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double u) || !(u > 0 && u < 1))
            {
                throw new ArgumentException($"--expected-ua: '{pair}' is not CLASS:ACCURACY (accuracy between 0 and 1)");
            }

            result[c] = u;
        }

        return result;
    }

    public static int ValidationAssess(string mapPath, string samplePath, string? json, string? csv)
    {
        RequireFile(mapPath);
        OutputPaths.Prepare([mapPath, samplePath], [json, csv]);
        using GeoTiffReader map = GeoTiffReader.Open(mapPath);
        RasterInfo info = map.Info;
        byte[] classes = map.ReadBand<byte>(0);
        long[] counts = new long[256];
        SampleDesign.CountStrata(classes, counts);
        IReadOnlyList<ReferenceSample> samples = SampleFiles.ReadReferenceCsv(samplePath);
        byte[] present = [.. Enumerable.Range(0, 255).Where(c => counts[c] > 0).Select(c => (byte)c)];
        long[] mapped = [.. present.Select(c => counts[c])];
        double cellArea = Math.Abs(info.GeoTransform.PixelWidth * info.GeoTransform.PixelHeight) / 1e6;
        string[] names = [.. present.Select(c => c < UrbanClass.Names.Count ? UrbanClass.Names[c] : "class_" + c.ToString(CultureInfo.InvariantCulture))];
        AreaEstimate estimate = AreaEstimator.Estimate(samples, present, mapped, cellArea, names);
        Console.WriteLine(estimate.ToText());
        if (json is not null)
        {
            estimate.Save(json);
        }

        if (csv is not null)
        {
            estimate.WriteCsv(csv);
        }

        return UrbanCli.Success;
    }
}
