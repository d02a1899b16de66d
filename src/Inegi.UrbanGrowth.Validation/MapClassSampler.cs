using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>
/// Reads the class a map gives each sample cell: the value of band 1 at the cell's centre, so that maps of other years
/// (or of another model run) need not share the sample's grid, only its coordinate system.
/// </summary>
public static class MapClassSampler
{
    /// <summary>The class of each cell in a class map (0 non-urban, 1 urban, 255 nodata, outside the map or any other value).</summary>
    /// <param name="mapPath">A class map (band 1 Byte: 0 / 1 / 255), as <c>urban classify</c> or <c>urban growth</c> write.</param>
    /// <param name="cells">The sample cells.</param>
    /// <param name="epsg">The coordinate system of the cells' centres, when known: a map in another one is refused.</param>
    /// <exception cref="DataFileException">The map cannot be read, is not a Byte class map, or lies in another coordinate system.</exception>
    public static IReadOnlyDictionary<long, byte> Sample(string mapPath, IReadOnlyList<ValidationCell> cells, int? epsg = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mapPath);
        ArgumentNullException.ThrowIfNull(cells);
        using GeoTiffReader reader = GeoTiffReader.Open(mapPath);
        RasterInfo info = reader.Info;
        if (info.SampleType != RasterSampleType.Byte)
        {
            throw new DataFileException(mapPath, $"is not a class map: band 1 is {info.SampleType}, a map's classes are Byte (0 / 1 / 255)");
        }

        if (epsg is { } expected && info.Epsg is { } actual && expected != actual)
        {
            throw new DataFileException(mapPath, $"is in EPSG:{actual}, the sample's cells and mosaics in EPSG:{expected}");
        }

        var classes = new Dictionary<long, byte>(cells.Count);
        Span<byte> value = stackalloc byte[1];
        ReadOnlySpan<int> band1 = [0];
        foreach (ValidationCell cell in cells)
        {
            var (c, r) = info.GeoTransform.MapToPixel(cell.CentreX, cell.CentreY);
            int col = (int)Math.Floor(c), row = (int)Math.Floor(r);
            byte v = UrbanClass.Undefined;
            if (col >= 0 && row >= 0 && col < info.Width && row < info.Height)
            {
                reader.Read(new PixelWindow(col, row, 1, 1), band1, value);
                v = value[0] <= UrbanClass.Urban ? value[0] : UrbanClass.Undefined;
            }

            classes[cell.CellId] = v;
        }

        return classes;
    }
}
