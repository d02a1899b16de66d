using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>Growth alerts from files: a growth raster, a first-urban-year raster and a confidence raster on one grid.</summary>
public static class GrowthAlerts
{
    /// <summary>
    /// Reads the three rasters (and the zones) row by row and writes the alerts as GeoPackage, and GeoJSON when asked;
    /// both appear whole or not at all.
    /// </summary>
    /// <param name="growthPath">SPEC 7 growth codes (Byte: 0, 1, 2 new urban, 3, 255).</param>
    /// <param name="firstYearPath">First year urban (UInt16: the year, 0 never, 65535 nodata), as <c>urban series</c> writes it.</param>
    /// <param name="confidencePath">p(urban) or confidence (Byte 0..100, 255 nodata); a map's band 2 when it has two bands.</param>
    /// <param name="zones">Zones on the same grid, or null.</param>
    /// <param name="geoPackagePath">The GeoPackage to write.</param>
    /// <param name="geoJsonPath">The GeoJSON to write, or null.</param>
    /// <exception cref="ArgumentException">An output would overwrite an input.</exception>
    /// <exception cref="DataFileException">An input cannot be read, is of the wrong type, or is not on the growth raster's grid.</exception>
    public static GrowthAlertSummary Write(string growthPath, string firstYearPath, string confidencePath, IZoneRowSource? zones, string geoPackagePath, string? geoJsonPath) =>
        Write(growthPath, firstYearPath, confidencePath, zones, geoPackagePath, geoJsonPath, lastChangeUtc: null);

    /// <summary>
    /// As <see cref="Write(string, string, string, IZoneRowSource?, string, string?)"/>, with the GeoPackage's
    /// <c>last_change</c> given (null: the growth raster's modification time), so that a run whose rasters were written
    /// at another time, e.g. merged from tiles, writes the same bytes.
    /// </summary>
    /// <param name="growthPath">SPEC 7 growth codes (Byte: 0, 1, 2 new urban, 3, 255).</param>
    /// <param name="firstYearPath">First year urban (UInt16: the year, 0 never, 65535 nodata).</param>
    /// <param name="confidencePath">p(urban) or confidence (Byte 0..100, 255 nodata); a map's band 2 when it has two bands.</param>
    /// <param name="zones">Zones on the same grid, or null.</param>
    /// <param name="geoPackagePath">The GeoPackage to write.</param>
    /// <param name="geoJsonPath">The GeoJSON to write, or null.</param>
    /// <param name="lastChangeUtc">The GeoPackage's <c>last_change</c>, or null for the growth raster's modification time.</param>
    /// <exception cref="ArgumentException">An output would overwrite an input.</exception>
    /// <exception cref="DataFileException">An input cannot be read, is of the wrong type, or is not on the growth raster's grid.</exception>
    public static GrowthAlertSummary Write(string growthPath, string firstYearPath, string confidencePath, IZoneRowSource? zones, string geoPackagePath, string? geoJsonPath, DateTime? lastChangeUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(growthPath);
        ArgumentException.ThrowIfNullOrEmpty(firstYearPath);
        ArgumentException.ThrowIfNullOrEmpty(confidencePath);
        ArgumentException.ThrowIfNullOrEmpty(geoPackagePath);
        string[] inputs = [growthPath, firstYearPath, confidencePath];
        foreach (string output in geoJsonPath is null ? [geoPackagePath] : new[] { geoPackagePath, geoJsonPath })
        {
            if (inputs.Any(i => string.Equals(Path.GetFullPath(i), Path.GetFullPath(output), StringComparison.Ordinal)))
            {
                throw new ArgumentException($"the output {output} would overwrite an input");
            }
        }

        using GeoTiffReader growth = Open(growthPath, RasterSampleType.Byte, "a growth raster");
        using GeoTiffReader firstYear = Open(firstYearPath, RasterSampleType.UInt16, "a first-urban-year raster");
        using GeoTiffReader confidence = Open(confidencePath, RasterSampleType.Byte, "a confidence raster");
        RasterInfo grid = growth.Info;
        RasterGrids.EnsureSameGrid(grid, firstYear.Info);
        RasterGrids.EnsureSameGrid(grid, confidence.Info);
        if (zones is not null && (zones.Width != grid.Width || zones.Height != grid.Height))
        {
            throw new DataFileException(growthPath, string.Create(CultureInfo.InvariantCulture, $"the zones are {zones.Width} x {zones.Height} cells, the grid {grid.Width} x {grid.Height}"));
        }

        int epsg = grid.Epsg ?? throw new DataFileException(growthPath, "has no EPSG code; alerts need the grid's CRS");
        int confidenceBand = confidence.Info.BandCount >= 2 ? 1 : 0;
        int width = grid.Width;
        byte[] growthRow = new byte[width], confidenceRow = new byte[width];
        ushort[] yearRow = new ushort[width];
        int[] zoneRow = zones is null ? [] : new int[width];
        using var writer = new GrowthAlertWriter(geoPackagePath, geoJsonPath, width, grid.Height, grid.GeoTransform, epsg);
        for (int row = 0; row < grid.Height; row++)
        {
            var window = new PixelWindow(0, row, width, 1);
            growth.Read<byte>(window, [0], growthRow);
            firstYear.Read<ushort>(window, [0], yearRow);
            confidence.Read<byte>(window, [confidenceBand], confidenceRow);
            for (int c = 0; c < width; c++)
            {
                if (confidenceRow[c] > 100 && confidenceRow[c] != 255)
                {
                    throw new DataFileException(confidencePath, string.Create(CultureInfo.InvariantCulture, $"cell ({row}, {c}) holds {confidenceRow[c]}; confidence is 0..100 or 255 (nodata)"));
                }
            }

            zones?.ReadRow(row, zoneRow);
            writer.AddRow(growthRow, yearRow, confidenceRow, zoneRow, zones?.NoData);
        }

        return writer.Commit(lastChangeUtc ?? File.GetLastWriteTimeUtc(growthPath));
    }

    private static GeoTiffReader Open(string path, RasterSampleType type, string what)
    {
        GeoTiffReader reader = GeoTiffReader.Open(path);
        if (reader.Info.SampleType != type)
        {
            RasterSampleType actual = reader.Info.SampleType;
            reader.Dispose();
            throw new DataFileException(path, $"{what} must hold {type} samples, not {actual}");
        }

        return reader;
    }
}
