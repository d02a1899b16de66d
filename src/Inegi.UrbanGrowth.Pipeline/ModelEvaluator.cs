using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Evaluation;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>Random and spatial cross-validation results of one feature table.</summary>
/// <param name="Random">Stratified k-fold (the pilot's evaluation).</param>
/// <param name="Spatial">Spatial block k-fold, or null when skipped.</param>
/// <param name="BlockCells">Block size of the spatial folds, in cells.</param>
public sealed record EvaluationResult(CrossValidationResult Random, CrossValidationResult? Spatial, int BlockCells)
{
    /// <summary>The report as text: the pilot's table for random folds, then spatial folds.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Stratified {Random.Folds.Count}-fold cross-validation (pilot: O.A. 0.92870):");
        text.AppendLine(Random.Pooled.ToText());
        if (Spatial is not null)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Spatial {Spatial.Folds.Count}-fold cross-validation, blocks of {BlockCells} x {BlockCells} cells (neighbours never split between train and test):");
            text.AppendLine(Spatial.Pooled.ToText());
        }

        return text.ToString();
    }

    /// <summary>The SPEC 8 evaluation JSON of the random folds, with the spatial folds under <c>spatial</c>.</summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)JsonNode.Parse(Random.ToJson())!;
        if (Spatial is not null)
        {
            var spatial = (JsonObject)JsonNode.Parse(Spatial.ToJson())!;
            spatial["block_cells"] = BlockCells;
            json["spatial"] = spatial;
        }

        return json;
    }
}

/// <summary>
/// Cross-validates the pilot's model on a feature table, with selection fitted inside each training fold, or the LeNet
/// on a table of patch pixels (<see cref="TrainingOptions.Classifier"/>; no selection, the channel normalisation is
/// fitted inside each training fold).
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Runs stratified k-fold and, when <paramref name="blockCells"/> &gt; 0, spatial block k-fold.</summary>
    /// <param name="table">Features with labels (unlabelled rows are ignored).</param>
    /// <param name="folds">Number of folds.</param>
    /// <param name="options">Training options (classifier, trees or LeNet options, seed, threads, selection).</param>
    /// <param name="blockCells">Spatial block size in cells (0 to skip).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static EvaluationResult CrossValidate(FeatureTable table, int folds = 10, TrainingOptions? options = null, int blockCells = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        options ??= new TrainingOptions();
        FeatureTable labelled = table.LabelledRows();
        ModelTrainer.EnsureBothClasses(labelled.Labels);
        (ILearner<IClassifierModel> learner, IFeatureSelector? selector) = ModelTrainer.CreateFoldPipeline(options);
        if (selector is null)
        {
            ModelTrainer.EnsurePatchPixels(labelled.Features.Schema, null);
        }

        var random = new CrossValidator(new StratifiedKFold(folds, options.Seed), selector)
            .Run(learner, labelled.Features, labelled.Labels, cancellationToken: cancellationToken);
        CrossValidationResult? spatial = null;
        if (blockCells > 0)
        {
            var cells = new GridCell[labelled.RowCount];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = new GridCell(labelled.GridRows[i], labelled.GridColumns[i]);
            }

            spatial = new CrossValidator(new SpatialBlockKFold(blockCells, folds, options.Seed), selector)
                .Run(learner, labelled.Features, labelled.Labels, cells, cancellationToken: cancellationToken);
        }

        return new EvaluationResult(random, spatial, blockCells);
    }

    /// <summary>Writes an evaluation as indented JSON, atomically.</summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="path">Destination.</param>
    public static void WriteJson(EvaluationResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        AtomicFile.WriteAllText(path, result.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
