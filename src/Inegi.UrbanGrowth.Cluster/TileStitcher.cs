using System.Globalization;
using System.Security;
using System.Text;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>
/// Puts the tiles of one raster back together: the national GeoTIFF, written row by row with the writer options a
/// single-process run uses (so the bytes are the same), and a GDAL VRT mosaic of the tile files.
/// </summary>
public static class TileStitcher
{
    /// <summary>Rows read from each tile at a time (bounded memory: grid width x rows x bands samples).</summary>
    private const int RowsPerRead = 64;

    /// <summary>Writes the national raster from the tiles' <paramref name="fileName"/>.</summary>
    /// <typeparam name="T">The sample type of the tiles.</typeparam>
    /// <param name="plan">The plan (every tile complete).</param>
    /// <param name="fileName">The raster's name in each tile folder.</param>
    /// <param name="options">The writer options of the single-process run (width and height of the whole grid).</param>
    /// <param name="outputPath">The national raster (written atomically).</param>
    /// <param name="eachRows">Called with every block of rows written (band-planar, <c>rows</c> rows), e.g. to count statistics.</param>
    public static void Stitch<T>(TilePlan plan, string fileName, GeoTiffWriteOptions options, string outputPath, Action<ReadOnlyMemory<T>, int>? eachRows = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        int width = plan.Grid.Width, bands = options.BandCount;
        int[] bandList = [.. Enumerable.Range(0, bands)];
        using var writer = GeoTiffWriter.Create(outputPath, options);
        for (int ty = 0; ty < plan.TilesY; ty++)
        {
            TileWindow[] row = [.. plan.Tiles.Skip(ty * plan.TilesX).Take(plan.TilesX)];
            var readers = new List<GeoTiffReader>();
            try
            {
                foreach (TileWindow tile in row)
                {
                    string path = Path.Combine(plan.TileFolder(tile.Index), fileName);
                    GeoTiffReader reader = GeoTiffReader.Open(path);
                    readers.Add(reader);
                    if (reader.Info.Width != tile.Cells.Width || reader.Info.Height != tile.Cells.Height || reader.Info.BandCount != bands || reader.Info.SampleType != options.SampleType)
                    {
                        throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture,
                            $"tile raster is {reader.Info.Width} x {reader.Info.Height} x {reader.Info.BandCount} {reader.Info.SampleType}, the plan expects {tile.Cells.Width} x {tile.Cells.Height} x {bands} {options.SampleType}"));
                    }
                }

                int height = row[0].Cells.Height;
                T[] block = new T[(long)width * Math.Min(RowsPerRead, height) * bands];
                T[] piece = new T[(long)row.Max(t => t.Cells.Width) * Math.Min(RowsPerRead, height) * bands];
                for (int y = 0; y < height; y += RowsPerRead)
                {
                    int rows = Math.Min(RowsPerRead, height - y);
                    for (int i = 0; i < row.Length; i++)
                    {
                        PixelWindow cells = row[i].Cells;
                        int plane = cells.Width * rows;
                        readers[i].Read<T>(new PixelWindow(0, y, cells.Width, rows), bandList, piece.AsSpan(0, plane * bands));
                        for (int b = 0; b < bands; b++)
                        {
                            for (int r = 0; r < rows; r++)
                            {
                                piece.AsSpan((b * plane) + (r * cells.Width), cells.Width)
                                    .CopyTo(block.AsSpan((b * width * rows) + (r * width) + cells.X, cells.Width));
                            }
                        }
                    }

                    // One row at a time, as the single-process runs hand their rows to the writer.
                    T[] oneRow = new T[width * bands];
                    for (int r = 0; r < rows; r++)
                    {
                        for (int b = 0; b < bands; b++)
                        {
                            block.AsSpan((b * width * rows) + (r * width), width).CopyTo(oneRow.AsSpan(b * width, width));
                        }

                        writer.WriteRows<T>(oneRow);
                        eachRows?.Invoke(oneRow, 1);
                    }
                }
            }
            finally
            {
                foreach (GeoTiffReader r in readers)
                {
                    r.Dispose();
                }
            }
        }

        writer.Commit();
    }

    /// <summary>
    /// Writes a GDAL VRT mosaic of the complete tiles' <paramref name="fileName"/> (relative paths, so the plan folder
    /// can move): a user can look at the tiles done so far before the merge. Missing tiles read as nodata.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="fileName">The raster's name in each tile folder.</param>
    /// <param name="vrtPath">The VRT to write (atomically).</param>
    /// <returns>Number of tiles in the VRT.</returns>
    public static int WriteVrt(TilePlan plan, string fileName, string vrtPath)
    {
        ArgumentNullException.ThrowIfNull(plan);
        TileWindow[] done = [.. plan.Tiles.Where(t => TileTask.IsComplete(plan, t.Index))];
        if (done.Length == 0)
        {
            return 0;
        }

        RasterInfo first = GeoTiffReader.ReadInfo(Path.Combine(plan.TileFolder(done[0].Index), fileName));
        GeoTransform corner = first.GeoTransform;
        (double ox, double oy) = corner.PixelToMap(-done[0].Cells.X, -done[0].Cells.Y);
        GeoTransform grid = corner with { OriginX = ox, OriginY = oy };
        string vrtFolder = Path.GetDirectoryName(Path.GetFullPath(vrtPath))!;
        var xml = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        xml.Append(inv, $"<VRTDataset rasterXSize=\"{plan.Grid.Width}\" rasterYSize=\"{plan.Grid.Height}\">\n");
        if (first.Epsg is { } epsg)
        {
            xml.Append(inv, $"  <SRS dataAxisToSRSAxisMapping=\"1,2\">EPSG:{epsg}</SRS>\n");
        }

        xml.Append("  <GeoTransform>").Append(string.Join(", ", grid.ToArray().Select(v => v.ToString("R", inv)))).Append("</GeoTransform>\n");
        for (int b = 1; b <= first.BandCount; b++)
        {
            xml.Append(inv, $"  <VRTRasterBand dataType=\"{GdalType(first.SampleType)}\" band=\"{b}\">\n");
            if (first.NoData is { } nd)
            {
                xml.Append(inv, $"    <NoDataValue>{nd.ToString("R", inv)}</NoDataValue>\n");
            }

            foreach (TileWindow t in done)
            {
                string relative = Path.GetRelativePath(vrtFolder, Path.Combine(plan.TileFolder(t.Index), fileName));
                PixelWindow c = t.Cells;
                xml.Append("    <ComplexSource>\n")
                   .Append(inv, $"      <SourceFilename relativeToVRT=\"1\">{SecurityElement.Escape(relative)}</SourceFilename>\n")
                   .Append(inv, $"      <SourceBand>{b}</SourceBand>\n")
                   .Append(inv, $"      <SrcRect xOff=\"0\" yOff=\"0\" xSize=\"{c.Width}\" ySize=\"{c.Height}\" />\n")
                   .Append(inv, $"      <DstRect xOff=\"{c.X}\" yOff=\"{c.Y}\" xSize=\"{c.Width}\" ySize=\"{c.Height}\" />\n");
                if (first.NoData is { } n)
                {
                    xml.Append(inv, $"      <NODATA>{n.ToString("R", inv)}</NODATA>\n");
                }

                xml.Append("    </ComplexSource>\n");
            }

            xml.Append("  </VRTRasterBand>\n");
        }

        xml.Append("</VRTDataset>\n");
        AtomicFile.WriteAllText(vrtPath, xml.ToString());
        return done.Length;
    }

    private static string GdalType(RasterSampleType type) => type switch
    {
        RasterSampleType.Byte => "Byte",
        RasterSampleType.UInt16 => "UInt16",
        RasterSampleType.Int16 => "Int16",
        RasterSampleType.UInt32 => "UInt32",
        RasterSampleType.Int32 => "Int32",
        RasterSampleType.Float32 => "Float32",
        RasterSampleType.Float64 => "Float64",
        _ => throw new NotSupportedException($"no GDAL type for {type}"),
    };
}
