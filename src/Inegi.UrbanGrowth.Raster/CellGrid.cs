using System.Globalization;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// The 1 km grid of SPEC 1.2 laid over a mosaic: cell ids, labels (0 non-urban, 1 urban, 255 undefined), and each
/// cell's 33 x 33 patch window in the mosaic.
/// </summary>
/// <remarks>
/// Cell id = row * <see cref="Width"/> + col. The centre of cell (row, col) is the map point of grid pixel position
/// (col + 0.5, row + 0.5); the patch is centred on the mosaic pixel that contains it,
/// <c>px = floor(u + 1e-9)</c>, <c>py = floor(v + 1e-9)</c> with (u, v) the fractional mosaic pixel position of
/// the centre (the tiny epsilon keeps a centre that lies exactly on a pixel edge, up to rounding, in the pixel to
/// its right / below, the pixel whose half-open extent contains it). Cell edges need not fall on pixel edges
/// (1000 m / 30 m).
/// </remarks>
public sealed class CellGrid : IDisposable
{
    private const double EdgeEpsilon = 1e-9;
    private readonly GeoTiffReader _labels;

    private CellGrid(GeoTiffReader labels, RasterInfo mosaic)
    {
        _labels = labels;
        Info = labels.Info;
        MosaicInfo = mosaic;
    }

    /// <summary>The grid file's description.</summary>
    public RasterInfo Info { get; }

    /// <summary>The mosaic the patches are cut from.</summary>
    public RasterInfo MosaicInfo { get; }

    /// <summary>Cells per row.</summary>
    public int Width => Info.Width;

    /// <summary>Rows of cells.</summary>
    public int Height => Info.Height;

    /// <summary>Number of cells.</summary>
    public long CellCount => (long)Width * Height;

    /// <summary>Opens a grid GeoTIFF (one Byte band) over a mosaic, checking that both share the EPSG code.</summary>
    /// <param name="gridPath">The grid GeoTIFF.</param>
    /// <param name="mosaic">The mosaic's description (e.g. <see cref="Mosaic.Info"/>).</param>
    /// <exception cref="DataFileException">The grid cannot be read, is not one Byte band, or its CRS differs from the mosaic's.</exception>
    public static CellGrid Open(string gridPath, RasterInfo mosaic)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        GeoTiffReader reader = GeoTiffReader.Open(gridPath);
        try
        {
            RasterInfo g = reader.Info;
            if (g.SampleType != RasterSampleType.Byte || g.BandCount < 1)
            {
                throw new DataFileException(gridPath, $"a grid must hold Byte labels, not {g.BandCount} band(s) of {g.SampleType}");
            }

            if (g.Epsg is null || mosaic.Epsg is null || g.Epsg != mosaic.Epsg)
            {
                throw new DataFileException(gridPath, $"CRS EPSG:{Code(g.Epsg)} of the grid does not match EPSG:{Code(mosaic.Epsg)} of the mosaic {mosaic.Path} (no reprojection is done)");
            }

            return new CellGrid(reader, mosaic);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Opens a grid over a mosaic.</summary>
    /// <param name="gridPath">The grid GeoTIFF.</param>
    /// <param name="mosaic">The mosaic.</param>
    public static CellGrid Open(string gridPath, Mosaic mosaic)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        return Open(gridPath, mosaic.Info);
    }

    /// <summary>The id of a cell: row * Width + col.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    public long CellId(int row, int col)
    {
        CheckCell(row, col);
        return (long)row * Width + col;
    }

    /// <summary>Row and column of a cell id.</summary>
    /// <param name="cellId">The id.</param>
    public (int Row, int Col) CellOf(long cellId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cellId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cellId, CellCount);
        return ((int)(cellId / Width), (int)(cellId % Width));
    }

    /// <summary>Map coordinates of a cell's centre.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    public (double X, double Y) CellCenter(int row, int col) => Info.GeoTransform.PixelToMap(col + 0.5, row + 0.5);

    /// <summary>The mosaic pixel (column, row) that contains the cell's centre; may lie outside the mosaic.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    public (int Column, int Row) CenterPixel(int row, int col)
    {
        (double x, double y) = CellCenter(row, col);
        (double u, double v) = MosaicInfo.GeoTransform.MapToPixel(x, y);
        return ((int)Math.Floor(u + EdgeEpsilon), (int)Math.Floor(v + EdgeEpsilon));
    }

    /// <summary>The cell's 33 x 33 patch window in the mosaic, centred on <see cref="CenterPixel"/>; may leave the mosaic.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    public PixelWindow PatchWindow(int row, int col)
    {
        (int px, int py) = CenterPixel(row, col);
        return new PixelWindow(px - PatchGeometry.HalfSize, py - PatchGeometry.HalfSize, PatchGeometry.Size, PatchGeometry.Size);
    }

    /// <summary>Whether the cell's patch window lies inside the mosaic.</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    public bool IsPatchInside(int row, int col) => MosaicInfo.Contains(PatchWindow(row, col));

    /// <summary>Whether the cell is complete (SPEC 1.2): its patch lies inside the mosaic and holds no nodata in any band (reads the patch).</summary>
    /// <param name="row">Cell row.</param>
    /// <param name="col">Cell column.</param>
    /// <param name="mosaic">The mosaic the grid was opened over.</param>
    public bool IsComplete(int row, int col, Mosaic mosaic)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        return mosaic.IsComplete(PatchWindow(row, col));
    }

    /// <summary>
    /// The mosaic rows needed by the patches of one row of cells: the union of their windows' rows, clipped to the
    /// mosaic (Height 0 when none is inside). Read this band once per row of cells.
    /// </summary>
    /// <param name="cellRow">Cell row.</param>
    /// <returns>First mosaic row and number of rows.</returns>
    public (int FirstRow, int RowCount) PatchRows(int cellRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cellRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cellRow, Height);
        int top, bottom;
        GeoTransform g = Info.GeoTransform, m = MosaicInfo.GeoTransform;
        if (g.IsNorthUp && m.IsNorthUp)
        {
            int py = CenterPixel(cellRow, 0).Row;
            top = py - PatchGeometry.HalfSize;
            bottom = top + PatchGeometry.Size;
        }
        else
        {
            top = int.MaxValue;
            bottom = int.MinValue;
            for (int c = 0; c < Width; c++)
            {
                PixelWindow w = PatchWindow(cellRow, c);
                top = Math.Min(top, w.Y);
                bottom = Math.Max(bottom, w.Bottom);
            }
        }

        top = Math.Max(top, 0);
        bottom = Math.Min(bottom, MosaicInfo.Height);
        return bottom > top ? (top, bottom - top) : (Math.Clamp(top, 0, MosaicInfo.Height), 0);
    }

    /// <summary>Reads the labels of whole rows of cells.</summary>
    /// <param name="firstRow">First cell row.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="destination">At least <c>rowCount * Width</c> labels, row-major (index = cell id - firstRow * Width).</param>
    public void ReadLabels(int firstRow, int rowCount, Span<byte> destination)
    {
        ReadOnlySpan<int> band0 = [0];
        _labels.Read(new PixelWindow(0, firstRow, Width, rowCount), band0, destination);
    }

    /// <summary>Reads the labels of a window of cells (a tile of a national run).</summary>
    /// <param name="cells">The window, in cells (X column, Y row); must lie inside the grid.</param>
    /// <param name="destination">At least <c>cells.Width * cells.Height</c> labels, row-major.</param>
    public void ReadLabels(PixelWindow cells, Span<byte> destination)
    {
        ReadOnlySpan<int> band0 = [0];
        _labels.Read(cells, band0, destination);
    }

    /// <summary>Reads every label (index = cell id).</summary>
    public byte[] ReadAllLabels() => _labels.ReadBand<byte>(0);

    /// <inheritdoc/>
    public void Dispose() => _labels.Dispose();

    private void CheckCell(int row, int col)
    {
        if ((uint)row >= (uint)Height || (uint)col >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(nameof(row), string.Create(CultureInfo.InvariantCulture, $"Cell ({row}, {col}) is outside the {Width} x {Height} grid."));
        }
    }

    private static string Code(int? epsg) => epsg?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
