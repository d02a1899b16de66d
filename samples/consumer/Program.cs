// A user's program against the published Inegi.UrbanGrowth packages (see README.md beside it).
// Computes the patch features of a synthetic patch, the change statistics of two small class maps,
// a prior-shift correction and a quick-look PNG, checks each result against values derived by hand,
// prints one summary line and exits 1 on any failure.
using System.Globalization;
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Patches;
using Inegi.UrbanGrowth.Rendering;
using SkiaSharp;

var failures = new List<string>();
int checks = 0;

void Check(bool ok, string what)
{
    checks++;
    if (!ok)
    {
        failures.Add(what);
        Console.Error.WriteLine("FAIL " + what);
    }
}

static bool Near(double actual, double expected, double relative) =>
    Math.Abs(actual - expected) <= relative * Math.Max(1.0, Math.Abs(expected));

string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "urbangrowth-consumer-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(outDir);

try
{
    // 1. Patches: 27 channels of a 33 x 33 patch; channel c holds the ramp c, c + 1, ..., c + 1088.
    // A ramp of n = 1089 values has mean = median = centre = c + 544, variance (n^2 - 1) / 12 = 98826.67,
    // skewness 0, and its 10 histogram counts add up to n.
    var extractor = new PatchFeatureExtractor();
    PatchFeatureLayout layout = extractor.Layout;
    int n = layout.PixelCount;
    Check(layout.ChannelCount == 27 && n == 1089 && layout.FeatureCount == 486, "Patches: layout is 27 channels x 1089 pixels -> 486 features");
    var planes = new float[layout.ValuesPerCell];
    for (int c = 0; c < layout.ChannelCount; c++)
    {
        for (int i = 0; i < n; i++)
        {
            planes[(c * n) + i] = c + i;
        }
    }

    var features = new float[layout.FeatureCount];
    extractor.Extract(planes, features);
    for (int c = 0; c < layout.ChannelCount; c++)
    {
        string channel = layout.ChannelNames[c];
        double centre = c + 544;
        Check(features[layout.ColumnOf(c, PatchStatistic.Mean)] == centre, $"Patches: mean of {channel}");
        Check(features[layout.ColumnOf(c, PatchStatistic.Median)] == centre, $"Patches: median of {channel}");
        Check(features[layout.ColumnOf(c, PatchStatistic.Center)] == centre, $"Patches: centre of {channel}");
        Check(Near(features[layout.ColumnOf(c, PatchStatistic.Variance)], ((double)n * n - 1) / 12, 1e-5), $"Patches: variance of {channel}");
        Check(Math.Abs(features[layout.ColumnOf(c, PatchStatistic.Skewness)]) < 1e-4, $"Patches: skewness of {channel}");
        double histogram = 0;
        for (var s = PatchStatistic.Hist0; s <= PatchStatistic.Hist9; s++)
        {
            histogram += features[layout.ColumnOf(c, s)];
        }

        Check(histogram == n, $"Patches: histogram of {channel} counts every pixel");
    }

    FeatureMatrix many = extractor.ExtractMany(planes.Concat(planes).ToArray(), cellCount: 2);
    Check(many.RowCount == 2 && many.Row(1).SequenceEqual(features), "Patches: ExtractMany matches Extract");

    // 2. Growth: every (from, to) pair once per block of 8, repeated so the vector path runs too.
    byte[] fromBlock = [0, 0, 1, 1, 255, 0, 1, 0];
    byte[] toBlock = [0, 1, 1, 0, 0, 1, 1, 255];
    const int Blocks = 100;
    var from = new byte[fromBlock.Length * Blocks];
    var to = new byte[from.Length];
    for (int b = 0; b < Blocks; b++)
    {
        fromBlock.CopyTo(from, b * fromBlock.Length);
        toBlock.CopyTo(to, b * toBlock.Length);
    }

    var growthMap = new byte[from.Length];
    var accumulator = new ChangeStatisticsAccumulator(cellAreaKm2: 1.0);
    accumulator.AddRows(from, to, growthMap);
    ChangeStatistics national = accumulator.National;
    Check(national.StableNonUrban == Blocks && national.NewUrban == 2 * Blocks && national.StableUrban == 2 * Blocks
        && national.UrbanLost == Blocks && national.NoData == 2 * Blocks, "Growth: change counts " + national);
    Check(national.NetChange == Blocks && Near(national.GrowthRate, 1.0 / 3.0, 1e-12), "Growth: net change and growth rate");
    Check(growthMap[1] == GrowthCode.NewUrban && growthMap[3] == GrowthCode.UrbanLost && growthMap[4] == GrowthCode.NoData, "Growth: change codes");
    Check(accumulator.ToCsv().StartsWith(ChangeStatisticsAccumulator.CsvHeader, StringComparison.Ordinal), "Growth: CSV header");

    // 3. Accuracy: a model trained on a balanced sample (prior 0.5) that says 0.5 says the population
    // prior after the Saerens et al. (2002) correction; 0.9 becomes 0.9 * 0.1 / (0.9 * 0.1 + 0.1 * 0.9) = 0.5.
    Check(Near(PriorShift.AdjustBinary(0.5, 0.5, 0.1), 0.1, 1e-12), "Accuracy: prior shift of 0.5");
    float[] probabilities = [0.5f, 0.9f];
    PriorShift.AdjustBinary(probabilities, 0.5, 0.1);
    Check(Near(probabilities[0], 0.1, 1e-6) && Near(probabilities[1], 0.5, 1e-6), "Accuracy: prior shift of a span");
    BinaryConfusion confusion = ConfusionMatrix.FromLabels([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]).Binary();
    Check(confusion.TruePositives == 2 && confusion.FalsePositives == 1 && confusion.FalseNegatives == 1 && Near(confusion.F1, 2.0 / 3.0, 1e-12), "Accuracy: confusion and F1");

    // 4. Rendering: a quick-look PNG of a 64 x 48 class map (urban square in the middle).
    const int Width = 64, Height = 48;
    var classes = new byte[Width * Height];
    for (int y = 16; y < 32; y++)
    {
        classes.AsSpan((y * Width) + 24, 16).Fill(UrbanClass.Urban);
    }

    byte[] png = QuickLook.ClassMap(classes, Width, Height, "Consumer check");
    string pngPath = Path.Combine(outDir, "class-map.png");
    PngFile.Write(pngPath, png);
    using SKBitmap? bitmap = SKBitmap.Decode(pngPath);
    Check(bitmap is not null && bitmap.Width >= Width && bitmap.Height >= Height, "Rendering: PNG decodes to at least the map size");
    bool urbanColour = false;
    if (bitmap is not null)
    {
        for (int y = 0; y < bitmap.Height && !urbanColour; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (bitmap.GetPixel(x, y) == Palette.Urban)
                {
                    urbanColour = true;
                    break;
                }
            }
        }
    }

    Check(urbanColour, "Rendering: the urban colour is drawn");
}
catch (Exception ex)
{
    failures.Add("exception: " + ex);
    Console.Error.WriteLine(ex);
}

Console.WriteLine(failures.Count == 0
    ? $"Consumer: {checks} checks passed (Patches, Growth, Accuracy, Rendering from the packages; PNG in {outDir})"
    : $"Consumer: {failures.Count} of {checks} checks FAILED: {string.Join("; ", failures)}");
return failures.Count == 0 ? 0 : 1;
