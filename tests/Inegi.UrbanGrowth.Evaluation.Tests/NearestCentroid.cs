namespace Inegi.UrbanGrowth.Evaluation.Tests;

/// <summary>A tiny learner for the tests: per-class means; p(class) from softmax of negative squared distances.</summary>
internal sealed class NearestCentroidLearner : ILearner<NearestCentroidModel>
{
    public int FitCount { get; private set; }

    public List<int> FeatureCounts { get; } = [];

    public NearestCentroidModel Fit(FeatureMatrix features, ReadOnlySpan<byte> labels, CancellationToken cancellationToken = default)
    {
        FitCount++;
        FeatureCounts.Add(features.ColumnCount);
        int k = 0;
        foreach (byte l in labels)
        {
            k = Math.Max(k, l + 1);
        }

        int m = features.ColumnCount;
        var centroids = new double[k * m];
        var counts = new int[k];
        for (int r = 0; r < features.RowCount; r++)
        {
            counts[labels[r]]++;
            Span<float> row = features.Row(r);
            for (int j = 0; j < m; j++)
            {
                centroids[labels[r] * m + j] += row[j];
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < m; j++)
            {
                centroids[c * m + j] /= Math.Max(1, counts[c]);
            }
        }

        return new NearestCentroidModel(features.Schema, k, centroids);
    }
}

internal sealed class NearestCentroidModel(FeatureSchema schema, int classCount, double[] centroids) : IClassifierModel
{
    public FeatureSchema Schema => schema;

    public int ClassCount => classCount;

    public void PredictProbabilities(FeatureMatrix features, Span<float> probabilities)
    {
        schema.EnsureCompatible(features.Schema, "the model");
        int m = features.ColumnCount;
        Span<double> d = stackalloc double[classCount];
        for (int r = 0; r < features.RowCount; r++)
        {
            Span<float> row = features.Row(r);
            double min = double.MaxValue;
            for (int c = 0; c < classCount; c++)
            {
                double s = 0;
                for (int j = 0; j < m; j++)
                {
                    double e = row[j] - centroids[c * m + j];
                    s += e * e;
                }

                d[c] = s;
                min = Math.Min(min, s);
            }

            double total = 0;
            for (int c = 0; c < classCount; c++)
            {
                d[c] = Math.Exp(-(d[c] - min));
                total += d[c];
            }

            for (int c = 0; c < classCount; c++)
            {
                probabilities[r * classCount + c] = (float)(d[c] / total);
            }
        }
    }

    public void Save(Stream stream) => throw new NotSupportedException();

    public string Kind => "nearest-centroid";

    public int FormatVersion => 0;

    public void Describe(System.Text.Json.Utf8JsonWriter writer) => writer.WriteNumber("centroids", classCount);

    public void Dispose()
    {
    }
}
