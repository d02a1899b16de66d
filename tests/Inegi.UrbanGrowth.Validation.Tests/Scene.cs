using Inegi.UrbanGrowth.Accuracy;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>
/// A labelling job on real pixels: the Landsat 7 window over Olinda / Recife (shared data, 28.5 m, EPSG:31985) as the
/// mosaic of 2010 and 2020, a 9 x 9 km map of 1 km cells over it, and a sample of those cells.
/// </summary>
internal sealed class Scene : IDisposable
{
    public const int Epsg = 31985;
    public static readonly GeoTransform Grid = GeoTransform.NorthUp(289000, 9120500, 1000);

    private Scene(int cellCount)
    {
        Mosaic = TestData.Path("olinda-ls7-etm", "L7_ETMs.tif");
        Assert.True(File.Exists(Mosaic), "shared data missing: " + Mosaic);
        MapPath = Dir.File("map.tif");
        byte[] classes = new byte[9 * 9];
        for (int r = 0; r < 9; r++)
        {
            for (int c = 0; c < 9; c++)
            {
                // The built-up half of the window (Olinda, the north of Recife) lies west of the coast.
                classes[(r * 9) + c] = c < 5 ? UrbanClass.Urban : UrbanClass.NonUrban;
            }
        }

        GeoTiffWriter.Write<byte>(MapPath, new GeoTiffWriteOptions { Width = 9, Height = 9, GeoTransform = Grid, Epsg = Epsg, NoData = 255 }, classes);
        var cells = new List<SampleCell>();
        for (int i = 0; i < 81 && cells.Count < cellCount; i += Math.Max(1, 81 / cellCount))
        {
            cells.Add(new SampleCell(i, i / 9, i % 9, classes[i], classes[i]));
        }

        Cells = cells;
        SamplePath = Dir.File("sample.csv");
        SampleFiles.WriteCsv(SamplePath, cells, Grid);
        DatabasePath = Dir.File("labels.db");
    }

    public TempDirectory Dir { get; } = new();

    public string Mosaic { get; }

    public string MapPath { get; }

    public string SamplePath { get; }

    public string DatabasePath { get; }

    public IReadOnlyList<SampleCell> Cells { get; }

    public IReadOnlyDictionary<int, string> Mosaics => new Dictionary<int, string> { [2010] = Mosaic, [2020] = Mosaic };

    public string MosaicsArgument => $"2010={Mosaic},2020={Mosaic}";

    public static Scene Create(int cellCount = 20) => new(cellCount);

    public ValidationServerOptions Options(double doubleShare = 0.1, bool blind = true) => new()
    {
        SamplePath = SamplePath,
        Mosaics = Mosaics,
        DatabasePath = DatabasePath,
        DoubleShare = doubleShare,
        Blind = blind,
        Port = 0,
    };

    public void Dispose() => Dir.Dispose();
}
