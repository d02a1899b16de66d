namespace Inegi.UrbanGrowth;

/// <summary>A rectangle of pixels in a raster, in pixel coordinates (column <see cref="X"/>, row <see cref="Y"/>).</summary>
/// <param name="X">Column of the window's top-left pixel.</param>
/// <param name="Y">Row of the window's top-left pixel.</param>
/// <param name="Width">Number of columns.</param>
/// <param name="Height">Number of rows.</param>
public readonly record struct PixelWindow(int X, int Y, int Width, int Height)
{
    /// <summary>Number of pixels in the window.</summary>
    public long PixelCount => (long)Width * Height;

    /// <summary>Column just past the window's right edge.</summary>
    public int Right => X + Width;

    /// <summary>Row just past the window's bottom edge.</summary>
    public int Bottom => Y + Height;

    /// <summary>Whether the window lies entirely inside a raster of the given size.</summary>
    /// <param name="rasterWidth">Raster width in pixels.</param>
    /// <param name="rasterHeight">Raster height in pixels.</param>
    public bool IsInside(int rasterWidth, int rasterHeight) =>
        Width > 0 && Height > 0 && X >= 0 && Y >= 0 && (long)X + Width <= rasterWidth && (long)Y + Height <= rasterHeight;
}
