namespace Inegi.UrbanGrowth.Cnn.Tests;

/// <summary>
/// Realistic small patch sets: urban patches hold a bright, textured, low-NDVI blob (streets and roofs) on a
/// vegetation / soil background; non-urban patches are smooth vegetation or soil, a third of them with a bright but
/// smooth bare-soil blob; urban blobs vary in size and contrast, and 4% of labels are flipped, so the task is not trivial.
/// </summary>
internal static class SyntheticPatches
{
    /// <summary>Eight channels: the six bands plus NDVI and NDBI (SPEC 2 formulas).</summary>
    public static readonly string[] Channels = ["blue", "green", "red", "nir", "swir1", "swir2", "ndvi", "ndbi"];

    private static readonly float[] Vegetation = [0.03f, 0.06f, 0.04f, 0.32f, 0.15f, 0.07f];
    private static readonly float[] Soil = [0.08f, 0.11f, 0.15f, 0.22f, 0.28f, 0.22f];
    private static readonly float[] Urban = [0.11f, 0.13f, 0.15f, 0.17f, 0.22f, 0.21f];
    private static readonly float[] Bare = [0.12f, 0.16f, 0.21f, 0.27f, 0.33f, 0.27f];

    public static (FeatureMatrix Features, byte[] Labels) Create(int count, int patchSize, int seed)
    {
        var layout = new PatchPixelLayout(Channels, patchSize);
        var matrix = new FeatureMatrix(count, layout.Schema);
        var labels = new byte[count];
        var random = new Random(seed);
        int plane = patchSize * patchSize;
        var bands = new float[6];
        for (int i = 0; i < count; i++)
        {
            bool urban = i % 2 == 1;
            Span<float> row = matrix.Row(i);
            double vegShare = random.NextDouble();
            double phase = random.NextDouble() * Math.PI * 2;
            double freq = 0.1 + random.NextDouble() * 0.2;
            bool hasBlob = urban || random.NextDouble() < 0.35;
            double cy = patchSize / 2.0 + (random.NextDouble() - 0.5) * 6;
            double cx = patchSize / 2.0 + (random.NextDouble() - 0.5) * 6;
            double radius = urban ? 2.5 + random.NextDouble() * 4.5 : 2 + random.NextDouble() * 4;
            double contrast = urban ? 0.35 + random.NextDouble() * 0.65 : 0.5 + random.NextDouble() * 0.5;
            int blockSeed = random.Next();
            for (int y = 0; y < patchSize; y++)
            {
                for (int x = 0; x < patchSize; x++)
                {
                    double smooth = 0.5 + 0.5 * Math.Sin(freq * (x + y) + phase);
                    double v = Math.Clamp(vegShare * 0.7 + smooth * 0.3, 0, 1);
                    double d = Math.Sqrt((y - cy) * (y - cy) + (x - cx) * (x - cx));
                    double inBlob = hasBlob ? Math.Clamp(radius + 0.5 - d, 0, 1) * contrast : 0;
                    // Roof / street texture: brightness alternates in 2 x 2 blocks, hashed from the block position.
                    int hash = Mix(blockSeed, y / 2, x / 2);
                    double texture = urban ? ((hash & 3) - 1.5) * 0.035 : 0;
                    for (int b = 0; b < 6; b++)
                    {
                        double background = v * Vegetation[b] + (1 - v) * Soil[b];
                        double target = urban ? Urban[b] * (1 + texture / 0.15) : Bare[b];
                        double value = background * (1 - inBlob) + target * inBlob + Gaussian(random) * 0.012;
                        bands[b] = (float)Math.Max(0.001, value);
                    }

                    int p = y * patchSize + x;
                    for (int b = 0; b < 6; b++)
                    {
                        row[b * plane + p] = bands[b];
                    }

                    row[6 * plane + p] = (bands[3] - bands[2]) / (bands[3] + bands[2]);
                    row[7 * plane + p] = (bands[4] - bands[3]) / (bands[4] + bands[3]);
                }
            }

            labels[i] = random.NextDouble() < 0.04 ? (byte)(urban ? 0 : 1) : (byte)(urban ? 1 : 0);
        }

        return (matrix, labels);
    }

    /// <summary>The rows <c>[start, start + count)</c> of a matrix, as a new matrix.</summary>
    public static FeatureMatrix Rows(FeatureMatrix source, int start, int count)
    {
        int[] rows = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }

        return source.SelectRows(rows);
    }

    private static int Mix(int seed, int a, int b)
    {
        uint h = unchecked((uint)seed ^ ((uint)a * 73856093u) ^ ((uint)b * 19349663u));
        h ^= h >> 16;
        h = unchecked(h * 0x7feb352du);
        h ^= h >> 15;
        return (int)(h >> 4);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
