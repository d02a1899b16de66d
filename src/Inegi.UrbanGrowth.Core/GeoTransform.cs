namespace Inegi.UrbanGrowth;

/// <summary>
/// The affine map from pixel coordinates to map coordinates, in GDAL's order:
/// <c>x = OriginX + col * PixelWidth + row * RowRotation</c>,
/// <c>y = OriginY + col * ColumnRotation + row * PixelHeight</c>.
/// </summary>
/// <remarks>Pixel coordinates refer to the pixel's top-left corner; the centre of pixel (c, r) is (c + 0.5, r + 0.5).
/// For north-up rasters the rotations are 0 and <see cref="PixelHeight"/> is negative.</remarks>
/// <param name="OriginX">Map x of the top-left corner of the raster.</param>
/// <param name="PixelWidth">Map units per column.</param>
/// <param name="RowRotation">Map x change per row (0 for north-up).</param>
/// <param name="OriginY">Map y of the top-left corner of the raster.</param>
/// <param name="ColumnRotation">Map y change per column (0 for north-up).</param>
/// <param name="PixelHeight">Map units per row (negative for north-up).</param>
public readonly record struct GeoTransform(
    double OriginX, double PixelWidth, double RowRotation,
    double OriginY, double ColumnRotation, double PixelHeight)
{
    /// <summary>Creates a north-up transform.</summary>
    /// <param name="originX">Map x of the top-left corner.</param>
    /// <param name="originY">Map y of the top-left corner.</param>
    /// <param name="pixelSize">Pixel size in map units (positive); rows go south.</param>
    public static GeoTransform NorthUp(double originX, double originY, double pixelSize) =>
        new(originX, pixelSize, 0, originY, 0, -pixelSize);

    /// <summary>Whether the transform has no rotation terms.</summary>
    public bool IsNorthUp => RowRotation == 0 && ColumnRotation == 0;

    /// <summary>Map coordinates of a (fractional) pixel position.</summary>
    /// <param name="column">Column, 0 at the left edge of the raster.</param>
    /// <param name="row">Row, 0 at the top edge of the raster.</param>
    public (double X, double Y) PixelToMap(double column, double row) =>
        (OriginX + column * PixelWidth + row * RowRotation, OriginY + column * ColumnRotation + row * PixelHeight);

    /// <summary>Fractional pixel position of a map coordinate (the inverse of <see cref="PixelToMap"/>).</summary>
    /// <param name="x">Map x.</param>
    /// <param name="y">Map y.</param>
    /// <exception cref="InvalidOperationException">The transform is singular.</exception>
    public (double Column, double Row) MapToPixel(double x, double y)
    {
        double det = PixelWidth * PixelHeight - RowRotation * ColumnRotation;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("The geotransform is singular and cannot be inverted.");
        }

        double dx = x - OriginX, dy = y - OriginY;
        return ((dx * PixelHeight - dy * RowRotation) / det, (dy * PixelWidth - dx * ColumnRotation) / det);
    }

    /// <summary>The six coefficients in GDAL's order, as <c>gdalinfo</c> prints them.</summary>
    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];
}
