using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// <c>urban series</c> as tiles: each tile writes the first year urban of its cells and its counts of valid and urban
/// cells per year and zone; the merge stitches <c>first_year.tif</c> and sums the counts into <c>statistics.csv</c>,
/// byte for byte as <c>urban series --out first_year.tif --stats statistics.csv</c> does (with the same
/// <c>--zones</c>; the temporal consistency rule is not offered here: it writes one corrected map per year).
/// </summary>
public sealed class SeriesStep : ITiledStep
{
    private const string FirstYear = "first_year.tif", CountsFile = "counts.json";

    /// <inheritdoc/>
    public string Name => "series";

    /// <inheritdoc/>
    public string Description => "First year urban and urban area per year and zone from yearly maps (as 'urban series'), tile by tile.";

    /// <inheritdoc/>
    public IReadOnlyList<StepOption> Options { get; } =
    [
        new("maps", "Yearly maps of one grid, oldest first.", StepOptionKind.InputFiles, Required: true),
        new("years", "Their years, comma-separated.", Required: true),
        new("zones", "A zone raster on the same grid (integer ids) for the area per zone.", StepOptionKind.InputFile),
    ];

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRasters { get; } = [FirstYear];

    /// <inheritdoc/>
    public GridSize Prepare(StepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int[] years = Years(options);
        IReadOnlyList<string> maps = options.GetAll("maps");
        RasterInfo grid;
        using (GeoTiffReader first = MapFiles.OpenMap(maps[0]))
        {
            grid = first.Info;
        }

        foreach (string m in maps)
        {
            using GeoTiffReader map = MapFiles.OpenMap(m);
            RasterGrids.EnsureSameGrid(grid, map.Info);
        }

        if (options.Get("zones") is { } zonesPath)
        {
            using GeoTiffReader zones = GeoTiffReader.Open(zonesPath);
            RasterGrids.EnsureSameGrid(grid, zones.Info);
        }

        _ = new UrbanTimeSeries(years);
        return new GridSize(grid.Width, grid.Height);
    }

    /// <inheritdoc/>
    public void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        int[] years = Years(options);
        var readers = new List<GeoTiffReader>();
        try
        {
            foreach (string m in options.GetAll("maps"))
            {
                readers.Add(MapFiles.OpenMap(m));
                RasterGrids.EnsureSameGrid(readers[0].Info, readers[^1].Info);
            }

            RasterInfo info = readers[0].Info;
            using GeoTiffReader? zones = options.Get("zones") is { } z ? GeoTiffReader.Open(z) : null;
            PixelWindow cells = tile.Cells;
            int width = cells.Width, n = readers.Count;
            var series = new UrbanTimeSeries(years, CellArea(info), ZoneNoData(zones));
            byte[] classes = new byte[n * width];
            ushort[] first = new ushort[width];
            int[] zoneRow = new int[width];
            float[] scratch = new float[width];
            (double x, double y) = info.GeoTransform.PixelToMap(cells.X, cells.Y);
            using var writer = GeoTiffWriter.Create(Path.Combine(outputFolder, FirstYear), WriteOptions(info, width, cells.Height) with
            {
                GeoTransform = info.GeoTransform with { OriginX = x, OriginY = y },
            });
            for (int row = 0; row < cells.Height; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var window = new PixelWindow(cells.X, cells.Y + row, width, 1);
                for (int t = 0; t < n; t++)
                {
                    readers[t].Read<byte>(window, [0], classes.AsSpan(t * width, width));
                }

                ReadOnlySpan<int> zoneSpan = default;
                if (zones is not null)
                {
                    // As MapFiles.ReadZoneRow: read as float, truncated to integer ids.
                    zones.ReadAsFloat(window, [0], scratch);
                    for (int i = 0; i < width; i++)
                    {
                        zoneRow[i] = (int)scratch[i];
                    }

                    zoneSpan = zoneRow;
                }

                series.AddRow(classes, [], zoneSpan, first);
                writer.WriteRows<ushort>(first);
            }

            writer.Commit();
            UrbanSeriesCounts counts = series.Counts();
            AtomicFile.WriteAllText(Path.Combine(outputFolder, CountsFile), JsonText.Format(writer => WriteJson(writer, counts), indented: false) + "\n");
        }
        finally
        {
            foreach (GeoTiffReader r in readers)
            {
                r.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        RasterInfo info = GeoTiffReader.ReadInfo(plan.Options.GetAll("maps")[0]);
        using GeoTiffReader? zones = plan.Options.Get("zones") is { } z ? GeoTiffReader.Open(z) : null;
        string firstYear = Path.Combine(outputFolder, FirstYear);
        TileStitcher.Stitch<ushort>(plan, FirstYear, WriteOptions(info, info.Width, info.Height), firstYear);
        var total = new UrbanTimeSeries(Years(plan.Options), CellArea(info), ZoneNoData(zones));
        foreach (TileWindow tile in plan.Tiles)
        {
            string path = Path.Combine(plan.TileFolder(tile.Index), CountsFile);
            total.Add(FromJson(path));
        }

        string csv = Path.Combine(outputFolder, "statistics.csv");
        total.WriteCsv(csv);
        return [firstYear, csv];
    }

    /// <summary>The writer options of GrowthAnalysis.Series for the first-year raster.</summary>
    private static GeoTiffWriteOptions WriteOptions(RasterInfo map, int width, int height) => new()
    {
        Width = width,
        Height = height,
        SampleType = RasterSampleType.UInt16,
        GeoTransform = map.GeoTransform,
        Epsg = map.Epsg,
        NoData = UrbanTimeSeries.NoData,
    };

    private static double CellArea(RasterInfo info) => Math.Abs(info.GeoTransform.PixelWidth * info.GeoTransform.PixelHeight) / 1e6;

    /// <summary>As GrowthAnalysis: the zones' nodata when it is an integer, else none.</summary>
    private static int? ZoneNoData(GeoTiffReader? zones) =>
        zones?.Info.NoData is { } nd && nd == Math.Floor(nd) && nd >= int.MinValue && nd <= int.MaxValue ? (int)nd : null;

    private static int[] Years(StepOptions options)
    {
        string text = options.Require("years");
        int[] years = [.. text.Split(',', StringSplitOptions.TrimEntries).Select(y =>
            int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"--years: '{y}' is not a year"))];
        int maps = options.GetAll("maps").Count;
        if (maps < 2 || years.Length != maps)
        {
            throw new ArgumentException($"--years lists {years.Length} years for {maps} maps (at least two)");
        }

        return years;
    }

    private static void WriteJson(Utf8JsonWriter writer, UrbanSeriesCounts counts)
    {
        static void Array(Utf8JsonWriter writer, IReadOnlyList<long> values)
        {
            writer.WriteStartArray();
            foreach (long v in values)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartObject();
        writer.WritePropertyName("national");
        Array(writer, counts.National);
        writer.WritePropertyName("unzoned");
        Array(writer, counts.Unzoned);
        writer.WriteStartArray("zones");
        foreach (var z in counts.Zones)
        {
            writer.WriteStartObject();
            writer.WriteNumber("zone", z.Key);
            writer.WritePropertyName("counts");
            Array(writer, z.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static UrbanSeriesCounts FromJson(string path)
    {
        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new DataFileException(path, "empty counts record");
            static long[] Array(JsonNode? node) => [.. node!.AsArray().Select(v => (long)v!)];
            return new UrbanSeriesCounts(Array(root["national"]), Array(root["unzoned"]),
                [.. root["zones"]!.AsArray().Select(zone => new KeyValuePair<int, IReadOnlyList<long>>((int)zone!["zone"]!, Array(zone["counts"])))]);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new DataFileException(path, "not a valid counts record: " + e.Message, e);
        }
    }
}
