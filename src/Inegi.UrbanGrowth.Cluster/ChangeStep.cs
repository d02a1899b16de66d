using Inegi.UrbanGrowth.Growth;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// <c>urban change</c> as tiles: each tile writes the growth codes of its cells; the merge writes <c>growth.tif</c>
/// and <c>statistics.csv</c> (national and per zone), byte for byte as
/// <c>urban change --out growth.tif --stats statistics.csv</c> does.
/// </summary>
public sealed class ChangeStep : ITiledStep
{
    /// <inheritdoc/>
    public string Name => "change";

    /// <inheritdoc/>
    public string Description => "Growth between two maps with statistics per zone (as 'urban change'), tile by tile.";

    /// <inheritdoc/>
    public IReadOnlyList<StepOption> Options { get; } =
    [
        new("from", "The earlier map.", StepOptionKind.InputFile, Required: true),
        new("to", "The later map (same grid).", StepOptionKind.InputFile, Required: true),
        new("zones", "A zone raster on the same grid (integer ids) for statistics per zone.", StepOptionKind.InputFile),
    ];

    /// <inheritdoc/>
    public IReadOnlyList<string> TileRasters { get; } = ["growth.tif"];

    /// <inheritdoc/>
    public GridSize Prepare(StepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using GeoTiffReader from = MapFiles.OpenMap(options.Require("from"));
        using GeoTiffReader to = MapFiles.OpenMap(options.Require("to"));
        RasterGrids.EnsureSameGrid(from.Info, to.Info);
        if (options.Get("zones") is { } zonesPath)
        {
            using GeoTiffReader zones = GeoTiffReader.Open(zonesPath);
            RasterGrids.EnsureSameGrid(from.Info, zones.Info);
        }

        return new GridSize(from.Info.Width, from.Info.Height);
    }

    /// <inheritdoc/>
    public void RunTile(StepOptions options, TileWindow tile, string outputFolder, int threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using GeoTiffReader from = MapFiles.OpenMap(options.Require("from"));
        using GeoTiffReader to = MapFiles.OpenMap(options.Require("to"));
        RasterGrids.EnsureSameGrid(from.Info, to.Info);
        PixelWindow cells = tile.Cells;
        (double x, double y) = from.Info.GeoTransform.PixelToMap(cells.X, cells.Y);
        byte[] a = new byte[cells.Width], b = new byte[cells.Width], growth = new byte[cells.Width];
        using var writer = GeoTiffWriter.Create(Path.Combine(outputFolder, TileRasters[0]), WriteOptions(from.Info, cells.Width, cells.Height) with
        {
            GeoTransform = from.Info.GeoTransform with { OriginX = x, OriginY = y },
        });
        for (int row = 0; row < cells.Height; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = new PixelWindow(cells.X, cells.Y + row, cells.Width, 1);
            from.Read<byte>(window, [0], a);
            to.Read<byte>(window, [0], b);
            ChangeMap.Compute(a, b, growth);
            writer.WriteRows<byte>(growth);
        }

        writer.Commit();
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Merge(TilePlan plan, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        RasterInfo info = GeoTiffReader.ReadInfo(plan.Options.Require("from"));
        using GeoTiffReader? zones = plan.Options.Get("zones") is { } z ? GeoTiffReader.Open(z) : null;
        int? zoneNoData = zones?.Info.NoData is { } nd && nd == Math.Floor(nd) && nd >= int.MinValue && nd <= int.MaxValue ? (int)nd : null;
        double cellArea = Math.Abs(info.GeoTransform.PixelWidth * info.GeoTransform.PixelHeight) / 1e6;
        var statistics = new ChangeStatisticsAccumulator(cellArea, zoneNoData);
        int width = info.Width, row = 0;
        int[] zoneRow = new int[width];
        float[] scratch = new float[width];
        string growthPath = Path.Combine(outputFolder, TileRasters[0]);
        // GrowthAnalysis.Change counts each row as it writes it (AddRows = ChangeMap.Compute + AddGrowthRow): the same here.
        TileStitcher.Stitch<byte>(plan, TileRasters[0], WriteOptions(info, width, info.Height), growthPath, (rows, _) =>
        {
            if (zones is not null)
            {
                zones.ReadAsFloat(new PixelWindow(0, row, width, 1), [0], scratch);
                for (int i = 0; i < width; i++)
                {
                    zoneRow[i] = (int)scratch[i];
                }

                statistics.AddGrowthRow(rows.Span, zoneRow);
            }
            else
            {
                statistics.AddGrowthRow(rows.Span);
            }

            row++;
        });
        string csv = Path.Combine(outputFolder, "statistics.csv");
        statistics.WriteCsv(csv);
        return [growthPath, csv];
    }

    /// <summary>The writer options of GrowthAnalysis.Change.</summary>
    private static GeoTiffWriteOptions WriteOptions(RasterInfo map, int width, int height) => new()
    {
        Width = width,
        Height = height,
        SampleType = RasterSampleType.Byte,
        GeoTransform = map.GeoTransform,
        Epsg = map.Epsg,
        NoData = GrowthCode.NoData,
    };
}
