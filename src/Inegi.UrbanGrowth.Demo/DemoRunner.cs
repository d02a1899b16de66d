using System.Diagnostics;
using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Evaluation;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Rendering;
using Inegi.UrbanGrowth.Synthetic;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Options of the end-to-end demo.</summary>
public sealed record DemoOptions
{
    /// <summary>Synthetic grid width in cells (default 120).</summary>
    public int CellsX { get; init; } = 120;

    /// <summary>Synthetic grid height in cells (default 80).</summary>
    public int CellsY { get; init; } = 80;

    /// <summary>Years of the synthetic scene.</summary>
    public IReadOnlyList<int> Years { get; init; } = [2010, 2015, 2020];

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Training cells per class; at most half of the scene's urban cells are drawn, and as many non-urban.</summary>
    public int PerClass { get; init; } = 1000;

    /// <summary>Trees.</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Cross-validation folds.</summary>
    public int Folds { get; init; } = 10;

    /// <summary>
    /// Whether each year's mosaic is made from scenes, as a user makes it (<c>urban demo --from-scenes</c>): a
    /// synthetic Landsat Collection 2 Level 2 archive of the year is written (<see cref="SyntheticArchiveWriter"/>) and
    /// composited by the geomedian onto the scene's grid. False (the default, <c>--from-mosaics</c>) renders the yearly
    /// mosaics directly, as <c>urban synth</c> does: the scene stage costs about 1.8x the CPU of the whole tour on a
    /// scene a quarter the size, peaks above 1 GB, and on that smaller scene the printed growth is a third of the
    /// truth's (docs/benchmarks.md, "The demo starts from scenes"), so the quick tour stays the faithful one.
    /// </summary>
    public bool FromScenes { get; init; }

    /// <summary>With <see cref="FromScenes"/>: acquisitions per frame and year, spread through the year (0: every 16-day revisit of each satellite).</summary>
    public int AcquisitionsPerFrame { get; init; } = 6;

    /// <summary>
    /// With <see cref="FromScenes"/>: keep each year's scene archive in <c>scenes/</c> (about 0.8 GB a year at 120 x 80
    /// cells). False (the default) deletes a year's scenes once they are composited, so the archive on disk is never
    /// more than one year's.
    /// </summary>
    public bool KeepScenes { get; init; }

    /// <summary>The folder holding the real Landsat scenes (<c>shared/data</c>); searched for when null; skipped when absent.</summary>
    public string? RealDataFolder { get; init; }
}

/// <summary>
/// The whole pipeline on embedded default data: synthesize a multi-year scene (by default as a Landsat scene archive
/// composited into each year's mosaic), sample, extract features, train the
/// pilot's recipe and the prevalence-corrected one, cross-validate (random and spatial folds), classify every year,
/// compute growth and the urban time series, draw quick-looks, apply the model to the real Landsat scenes, and write a
/// markdown report of the figures.
/// </summary>
public static class DemoRunner
{
    /// <summary>Runs the demo into <paramref name="outputFolder"/> and returns the path of its report.</summary>
    /// <param name="outputFolder">Output folder (created).</param>
    /// <param name="options">Options.</param>
    /// <param name="log">Receives one line per step.</param>
    /// <param name="progress">Receives progress of long steps.</param>
    public static string Run(string outputFolder, DemoOptions? options = null, TextWriter? log = null, IProgress<PipelineProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        options ??= new DemoOptions();
        log ??= TextWriter.Null;
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(outputFolder);
        var report = new StringBuilder();
        report.AppendLine("# Inegi.UrbanGrowth demo report").AppendLine();
        var step = Stopwatch.StartNew();
        void Log(string message)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{total.Elapsed.TotalSeconds,6:F1} s] {message}"));
        }

        // 1. Scene.
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = options.CellsX, CellsY = options.CellsY, Years = [.. options.Years], Seed = options.Seed });
        string sceneFolder = Path.Combine(outputFolder, "scene");
        SyntheticSceneFiles files = options.FromScenes ? SyntheticSceneWriter.WriteGridFiles(scene, sceneFolder) : SyntheticSceneWriter.Write(scene, sceneFolder, progress);
        int first = options.Years[0], last = options.Years[^1];
        Log($"synthesized {scene.GridWidth} x {scene.GridHeight} cells ({scene.MosaicWidth} x {scene.MosaicHeight} px, EPSG:{scene.Epsg}) for {string.Join(", ", options.Years)} in {step.Elapsed.TotalSeconds:F1} s");
        report.AppendLine("## Scene").AppendLine()
            .AppendLine(Inv($"Synthetic scene (seed {options.Seed}): {scene.GridWidth} x {scene.GridHeight} cells of 1 km, mosaic {scene.MosaicWidth} x {scene.MosaicHeight} pixels of 30 m, 6 bands UInt16, EPSG:{scene.Epsg}; {scene.UndefinedCellCount:N0} undefined cells."))
            .AppendLine()
            .AppendLine("| year | urban cells (truth) |").AppendLine("|---:|---:|");
        foreach (int y in options.Years)
        {
            report.AppendLine(Inv($"| {y} | {scene.UrbanCellCount(y):N0} |"));
        }

        report.AppendLine();
        if (options.FromScenes)
        {
            SceneMosaics.Make(scene, files, Path.Combine(outputFolder, "scenes"), options.AcquisitionsPerFrame, options.Seed, report, Log, progress, options.KeepScenes);
        }

        // 2. Sample and features.
        step.Restart();
        TrainingSample sample;
        FeatureExtractionSummary extracted;
        string featuresPath = Path.Combine(outputFolder, "features.csv");
        using (Mosaic mosaic = Mosaic.Open(files.Mosaic(first)))
        using (CellGrid grid = CellGrid.Open(files.Labels(first), mosaic))
        {
            // The pilot's design: a balanced sample. Half of the urban cells at most, so that the national map is
            // judged mostly on cells the model has not seen.
            long urbanCells = scene.UrbanCellCount(first);
            int perClass = (int)Math.Max(10, Math.Min(options.PerClass, urbanCells / 2));
            sample = TrainingSample.Draw(grid, perClass, options.Seed, mosaic);
            sample.WriteCsv(Path.Combine(outputFolder, "sample.csv"));
            extracted = FeatureExtraction.WriteCsv(mosaic, grid, sample.Cells, featuresPath, progress: progress);
        }

        Log($"sampled {sample.Cells.Count} cells and computed their features in {step.Elapsed.TotalSeconds:F1} s");
        report.AppendLine("## Training sample").AppendLine().AppendLine(sample.ToString()).AppendLine();

        // 3. Train both recipes, cross-validate.
        step.Restart();
        FeatureTable table = FeatureCsv.Read(featuresPath);
        double prevalence = sample.UrbanPrevalence;
        var baseOptions = new TrainingOptions { Trees = options.Trees, Seed = options.Seed };
        TrainingResult pilot = ModelTrainer.Train(table, FeatureExtractionSettings.Default, baseOptions);
        // Issue 9's goal: at least twice the pilot's urban precision for at most 5 points of urban recall.
        TrainingResult ours = ModelTrainer.Train(table, FeatureExtractionSettings.Default, baseOptions with { PopulationPrevalence = prevalence, MaxRecallLoss = 0.05 });
        string pilotModel = Path.Combine(outputFolder, "model_pilot.ugm"), ourModel = Path.Combine(outputFolder, "model.ugm");
        pilot.Model.Save(pilotModel);
        ours.Model.Save(ourModel);
        Log($"trained (pilot recipe and prevalence-corrected, threshold {ours.Model.Threshold:0.###}) in {step.Elapsed.TotalSeconds:F1} s");
        step.Restart();
        EvaluationResult evaluation = ModelEvaluator.CrossValidate(table, options.Folds, baseOptions, blockCells: Math.Max(5, Math.Min(scene.GridWidth, scene.GridHeight) / 4));
        evaluation.Save(Path.Combine(outputFolder, "evaluation.json"));
        Log($"cross-validated in {step.Elapsed.TotalSeconds:F1} s");
        report.AppendLine("## Model").AppendLine()
            .AppendLine(Inv($"SelectFwe + VarianceThreshold kept {ours.Model.Selection.OutputSchema.Count} of {ours.Model.InputSchema.Count} features; Extra-Trees with {options.Trees} trees on {table.RowCount:N0} rows."))
            .AppendLine(Inv($"Prevalence-corrected model: urban prevalence {prevalence:0.0000} (from the labelled grid), decision threshold {ours.Model.Threshold:0.###}, chosen on out-of-fold cells to maximise urban precision at that prevalence while keeping urban recall within 5 points of the pilot recipe's."))
            .AppendLine().AppendLine("```").Append(evaluation.ToText()).AppendLine("```").AppendLine();

        // 4. Classify every year; compare recipes on the first year.
        report.AppendLine("## National maps").AppendLine();
        var maps = new List<string>();
        UrbanModel ourLoaded = UrbanModel.Load(ourModel), pilotLoaded = UrbanModel.Load(pilotModel);
        NationalAccuracyTable? pilotTable = null, ourTable = null;
        foreach (int y in options.Years)
        {
            step.Restart();
            string mapPath = Path.Combine(outputFolder, Inv($"map_{y}.tif"));
            ClassificationSummary summary;
            using (Mosaic mosaic = Mosaic.Open(files.Mosaic(y)))
            using (CellGrid grid = CellGrid.Open(files.Labels(y), mosaic))
            {
                summary = GridClassifier.Classify(mosaic, grid, ourLoaded, mapPath, progress: progress);
                if (y == first)
                {
                    ClassificationSummary pilotSummary = GridClassifier.Classify(mosaic, grid, pilotLoaded, Path.Combine(outputFolder, Inv($"map_{y}_pilot.tif")));
                    pilotTable = new NationalAccuracyTable(pilotSummary.Confusion!);
                    ourTable = new NationalAccuracyTable(summary.Confusion!);
                }
            }

            maps.Add(mapPath);
            byte[] classes = MapFiles.ReadByteBand(mapPath);
            PngFile.Write(Path.ChangeExtension(mapPath, ".png"), QuickLook.ClassMap(classes, scene.GridWidth, scene.GridHeight, Inv($"Urban map {y}")));
            Log($"classified {y}: {summary.Cells:N0} cells at {summary.CellsPerSecond:N0} cells/s, {summary.Urban:N0} urban");
            report.AppendLine(Inv($"- {y}: {summary.Urban:N0} cells mapped urban of {summary.Classified:N0} classified ({summary.Incomplete:N0} incomplete), {summary.CellsPerSecond:N0} cells/s. ![map {y}](map_{y}.png)"));
        }

        report.AppendLine().AppendLine(Inv($"### {first}: the pilot's recipe (50/50 sample, threshold 0.5) vs prevalence-corrected"))
            .AppendLine().AppendLine("| recipe | overall accuracy | urban precision | urban recall | macro F1 |").AppendLine("|---|---:|---:|---:|---:|")
            .AppendLine(TableRow("pilot recipe", pilotTable!)).AppendLine(TableRow("prevalence-corrected", ourTable!)).AppendLine()
            .AppendLine("```").AppendLine(ourTable!.ToText()).AppendLine("```").AppendLine();

        // City edges: accuracy by distance to the urban / non-urban boundary.
        byte[] firstLabels = MapFiles.ReadByteBand(files.Labels(first));
        byte[] firstMap = MapFiles.ReadByteBand(maps[0]);
        int[] distances = BoundaryDistance.Compute(firstLabels, scene.GridWidth, scene.GridHeight);
        AccuracyByDistance edges = AccuracyByDistance.Compute(firstLabels, firstMap, distances);
        edges.WriteCsv(Path.Combine(outputFolder, Inv($"accuracy_by_distance_{first}.csv")));
        report.AppendLine("### City edges (accuracy by distance to the urban / non-urban boundary)").AppendLine().AppendLine("```").AppendLine(edges.ToText()).AppendLine("```").AppendLine();

        // 5. Growth: the growth stage (docs/growth.md) over every year, anchored on the labels of the training year.
        step.Restart();
        string growthFolder = Path.Combine(outputFolder, "growth");
        GrowthResult growth = GrowthStage.Run(new GrowthOptions
        {
            Mosaics = [.. options.Years.Select(y => (Func<Mosaic>)(() => Mosaic.Open(files.Mosaic(y))))],
            Years = options.Years,
            Grid = files.Labels(first),
            CensusYear = first,
            OutputFolder = growthFolder,
            Zones = files.Zones,
            Model = ourLoaded,
        });
        Inegi.UrbanGrowth.Products.GrowthPictures.ForGrowthStage(growth);
        TemporalRuleAssessment rule = AssessTemporalRule(maps, options.Years, files);
        Log($"growth stage and temporal rule in {step.Elapsed.TotalSeconds:F1} s");
        ChangeStatistics n = growth.Change.National;
        long trueFirst = scene.UrbanCellCount(first), trueLast = scene.UrbanCellCount(last);
        report.AppendLine(Inv($"## Growth {first} -> {last}")).AppendLine()
            .AppendLine(Inv($"The growth stage (`urban growth`, docs/growth.md; census labels of {first}): urban {n.UrbanFromKm2:N0} km2 -> {n.UrbanToKm2:N0} km2 ({(n.UrbanFrom > 0 ? (double)n.UrbanTo / n.UrbanFrom - 1 : 0):+0.0%}), {n.NewUrban:N0} new urban cells, {n.UrbanLost:N0} lost. Truth: {trueFirst:N0} -> {trueLast:N0} urban cells ({(trueFirst > 0 ? (double)trueLast / trueFirst - 1 : 0):+0.0%})."))
            .AppendLine()
            .AppendLine("| year | mapped urban km2 | expected km2 (95% interval) | true urban cells |").AppendLine("|---:|---:|---:|---:|");
        foreach (UrbanAreaEstimate.Row row in growth.Areas.Rows().Where(r => r.Zone == "all"))
        {
            report.AppendLine(Inv($"| {row.Year} | {row.MappedKm2:N0} | {row.ExpectedKm2:N0} ({row.LowKm2:N0} - {row.HighKm2:N0}) | {scene.UrbanCellCount(row.Year):N0} |"));
        }

        report.AppendLine()
            .AppendLine(Inv($"![growth](growth/growth_{first}_{last}.png) ![first year urban](growth/first_year_urban.png) ![urban area](growth/urban_area.png)")).AppendLine()
            .AppendLine("```").AppendLine(growth.Change.ToString()).AppendLine("```").AppendLine()
            .AppendLine("### The yearly maps classified independently, with the older temporal consistency rule (docs/growth.md), against the synthetic truth").AppendLine()
            .AppendLine("```").AppendLine(rule.ToString()).AppendLine("```").AppendLine();

        // 6. Real Landsat scenes.
        report.AppendLine("## Real Landsat scenes").AppendLine()
            .AppendLine("The model learned synthetic spectra; on these real scenes (other sensors, other years, 25-30 m pixels) the pictures show the pipeline reading, classifying and drawing real pixels, not a calibrated accuracy: train on labelled cells of the same mosaic for that.")
            .AppendLine();
        string? data = options.RealDataFolder ?? FindSharedData();
        if (data is null)
        {
            report.AppendLine("shared/data was not found (set URBANGROWTH_SHARED_DATA); real scenes skipped.");
            Log("real scenes skipped: shared/data not found");
        }
        else
        {
            string realFolder = Path.Combine(outputFolder, "real");
            foreach ((string name, string title, Func<Mosaic> open) in RealSceneList(data))
            {
                step.Restart();
                using Mosaic mosaic = open();
                // A city-centred scene is not a 2%-urban country: the national prior would be the wrong one here,
                // so the real scenes use the model with the sample's balanced prior.
                ClassificationSummary s = RealScenes.ClassifyAndDraw(mosaic, pilotLoaded, realFolder, name, title);
                Log($"{name}: {s.Classified} cells classified, {s.Urban} urban");
                report.AppendLine(Inv($"- {title}: {s.Classified} cells classified, {s.Urban} urban, {s.Incomplete} incomplete. ![{name}](real/{name}.png)"));
            }
        }

        report.AppendLine().AppendLine(Inv($"Total run time {total.Elapsed.TotalSeconds:F0} s."));
        string reportPath = Path.Combine(outputFolder, "report.md");
        AtomicFile.WriteAllText(reportPath, report.ToString());
        Log($"report: {reportPath}");
        return reportPath;
    }

    private static IEnumerable<(string Name, string Title, Func<Mosaic> Open)> RealSceneList(string data)
    {
        string canberra = Path.Combine(data, "canberra-ls5-nbar");
        if (Directory.Exists(canberra))
        {
            string[] bands = ["B10", "B20", "B30", "B40", "B50", "B70"];
            string[] paths = [.. bands.Select(b => Path.Combine(canberra, $"LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_{b}.tif"))];
            if (paths.All(File.Exists))
            {
                yield return ("canberra", "Canberra, Landsat 5 TM NBAR, 1992 (urban cells outlined)", () => Mosaic.Open(paths));
            }
        }

        string portoVelho = Path.Combine(data, "portovelho-ls8-sr", "LC08_232066_20190727.tif");
        if (File.Exists(portoVelho))
        {
            yield return ("portovelho", "Porto Velho, Landsat 8 SR, 2019 (urban cells outlined)", () => Mosaic.Open(portoVelho, new MosaicOptions { NoData = -9999 }));
        }
    }

    private static TemporalRuleAssessment AssessTemporalRule(List<string> maps, IReadOnlyList<int> years, SyntheticSceneFiles files)
    {
        int n = maps.Count;
        var readers = new List<GeoTiffReader>();
        var truths = new List<GeoTiffReader>();
        try
        {
            foreach (string m in maps)
            {
                readers.Add(MapFiles.OpenMap(m));
            }

            foreach (int y in years)
            {
                truths.Add(MapFiles.OpenMap(files.Labels(y)));
            }

            int width = readers[0].Info.Width, height = readers[0].Info.Height;
            var assessment = new TemporalRuleAssessment(n, new TemporalConsistencyRule());
            byte[] classes = new byte[n * width], probabilities = new byte[n * width], truth = new byte[n * width];
            for (int row = 0; row < height; row++)
            {
                for (int y = 0; y < n; y++)
                {
                    MapFiles.ReadByteRow(readers[y], row, 0, classes.AsSpan(y * width, width));
                    MapFiles.ReadByteRow(readers[y], row, 1, probabilities.AsSpan(y * width, width));
                    MapFiles.ReadByteRow(truths[y], row, 0, truth.AsSpan(y * width, width));
                }

                assessment.AddRow(classes, probabilities, truth);
            }

            return assessment;
        }
        finally
        {
            foreach (GeoTiffReader r in readers.Concat(truths))
            {
                r.Dispose();
            }
        }
    }

    /// <summary>Finds <c>shared/data</c>: the <c>URBANGROWTH_SHARED_DATA</c> variable, else above the working folder or the program.</summary>
    public static string? FindSharedData()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("URBANGROWTH_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string TableRow(string name, NationalAccuracyTable r) =>
        Inv($"| {name} | {r.OverallAccuracy:P2} | {r.Report.PerClass[1].Precision:P2} | {r.Report.PerClass[1].Recall:P2} | {r.MacroF1:P2} |");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
