namespace Inegi.UrbanGrowth.Rendering;

/// <summary>A cell-level class map laid over a reflectance window: urban cells are tinted and outlined.</summary>
/// <remarks>Cell <c>(col, row)</c> covers window pixels <c>[OriginX + col * CellSize, OriginX + (col + 1) * CellSize)</c>
/// horizontally, and likewise vertically (33 pixels per 1 km cell for 30 m Landsat pixels, SPEC 1.2).</remarks>
public sealed class CellOverlay
{
    private readonly byte[] _classes;

    /// <summary>Creates the overlay.</summary>
    /// <param name="classes">Classes of the cells, row-major (0 non-urban, 1 urban, 255 nodata).</param>
    /// <param name="columns">Cells per row.</param>
    /// <param name="rows">Rows of cells.</param>
    /// <param name="cellSize">Window pixels per cell side (&gt; 0).</param>
    /// <param name="originX">Window x of the left edge of cell column 0, in pixels.</param>
    /// <param name="originY">Window y of the top edge of cell row 0, in pixels.</param>
    public CellOverlay(ReadOnlySpan<byte> classes, int columns, int rows, double cellSize, double originX = 0, double originY = 0)
    {
        Picture.CheckGrid(classes.Length, columns, rows, nameof(classes));
        if (!double.IsFinite(cellSize) || cellSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "The cell size must be a positive number of pixels.");
        }

        _classes = classes.ToArray();
        Columns = columns;
        Rows = rows;
        CellSize = cellSize;
        OriginX = originX;
        OriginY = originY;
    }

    /// <summary>Cells per row.</summary>
    public int Columns { get; }

    /// <summary>Rows of cells.</summary>
    public int Rows { get; }

    /// <summary>Window pixels per cell side.</summary>
    public double CellSize { get; }

    /// <summary>Window x of cell column 0's left edge.</summary>
    public double OriginX { get; }

    /// <summary>Window y of cell row 0's top edge.</summary>
    public double OriginY { get; }

    /// <summary>The class of a cell.</summary>
    /// <param name="column">Cell column.</param>
    /// <param name="row">Cell row.</param>
    /// <returns>0, 1 or 255.</returns>
    public byte ClassAt(int column, int row) => _classes[(row * Columns) + column];
}
