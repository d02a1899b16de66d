using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// Writes the SPEC 8 evaluation JSON: the random folds' object, with the spatial folds' object (and their
    /// <c>block_cells</c>) under <c>spatial</c>.
    /// </summary>
    /// <param name="writer">Destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        Random.WriteJsonProperties(writer);
        if (Spatial is not null)
        {
            writer.WriteStartObject("spatial");
            Spatial.WriteJsonProperties(writer);
            writer.WriteNumber("block_cells", BlockCells);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteJson"/> to a file, atomically (indented UTF-8, trailing newline).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path) => JsonText.Save(path, WriteJson);
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
}
