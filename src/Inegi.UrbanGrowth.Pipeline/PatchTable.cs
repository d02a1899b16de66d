using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>A patch table read back: the rows (schema <see cref="PatchPixelLayout.Schema"/>) and how they were computed.</summary>
/// <param name="Table">Cells with their labels and patch pixels.</param>
/// <param name="Settings">The feature settings (scale, offset, tasseled cap, channels) the pixels were computed with.</param>
public sealed record PatchTableContent(FeatureTable Table, FeatureExtractionSettings Settings);

/// <summary>
/// The patch pixels of cells (the input of the LeNet classifier) in a compact binary file: per cell, the channel
/// planes after the spectral transform, 27 x 33 x 33 = 29,403 float32 values for the standard channels. The features
/// CSV of the Extra-Trees path would need 29,403 text columns; this file is 117.6 kB per cell, read and written
/// without parsing.
/// </summary>
/// <remarks>
/// Layout (little endian): 8 magic bytes <c>UGPATCH\0</c>; int32 version (1); the feature settings as JSON text
/// (<see cref="BinaryWriter.Write(string)"/>: 7-bit encoded length, UTF-8); int32 patch size; int32 values per row
/// (<c>channels x size x size</c>); int64 row count; then per row: int64 cell id, int32 grid row, int32 grid column,
/// byte label (255 = none), and the values as float32, channel-planar, each plane row-major (column
/// <c>c * size * size + r * size + k</c> is <c>&lt;channel c&gt;_r&lt;r&gt;c&lt;k&gt;</c>). Written atomically.
/// </remarks>
public static class PatchTable
{
    private const int Version = 1;
    private const int Batch = 256;
    private static readonly byte[] Magic = "UGPATCH\0"u8.ToArray();

    /// <summary>True when the file starts with the patch table's magic bytes.</summary>
    /// <param name="path">A file.</param>
    public static bool IsPatchTable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[8];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(Magic);
    }

    /// <summary>Computes the patch pixels of the listed cells (in list order) or of every cell (row-major) and writes the table.</summary>
    /// <param name="mosaic">The mosaic.</param>
    /// <param name="grid">The grid (labels come from it unless the list carries them).</param>
    /// <param name="cells">Cells to compute, or null for all cells (117.6 kB each: meant for samples, not whole countries).</param>
    /// <param name="outputPath">The patch table to write.</param>
    /// <param name="settings">Feature settings (default when null).</param>
    /// <param name="maxDegreeOfParallelism">Threads (-1: all cores).</param>
    /// <param name="progress">Receives cells done.</param>
    /// <param name="cancellationToken">Stops the run (no file is left behind).</param>
    /// <returns>Rows written (complete cells) and incomplete cells skipped.</returns>
    public static FeatureExtractionSummary Write(Mosaic mosaic, CellGrid grid, IReadOnlyList<SampledCell>? cells, string outputPath,
        FeatureExtractionSettings? settings = null, int maxDegreeOfParallelism = -1, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mosaic);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var extractor = new CellFeatureExtractor(settings, CellFeatureKind.PatchPixels);
        var stopwatch = Stopwatch.StartNew();
        long total = cells?.Count ?? grid.CellCount;
        int valueCount = extractor.FeatureCount;
        float[] values = new float[Batch * valueCount];
        bool[] complete = new bool[Batch];
        var batchCells = new SampledCell[Batch];
        byte[] labelRow = new byte[grid.Width];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        long written = 0, incomplete = 0;

        AtomicFile.Write(outputPath, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Version);
            w.Write(extractor.Settings.ToJson().ToJsonString());
            w.Write(PatchGeometry.Size);
            w.Write(valueCount);
            long countPosition = stream.Position;
            w.Write(0L);
            for (long start = 0; start < total; start += Batch)
            {
                int n = (int)Math.Min(Batch, total - start);
                for (int i = 0; i < n; i++)
                {
                    long index = start + i;
                    batchCells[i] = cells is not null
                        ? cells[(int)index]
                        : new SampledCell(index, (int)(index / grid.Width), (int)(index % grid.Width), UrbanClass.Undefined);
                }

                GridClassifier.ExtractCells(mosaic, grid, extractor, batchCells, n, values, complete, parallel);

                for (int i = 0; i < n; i++)
                {
                    if (!complete[i])
                    {
                        incomplete++;
                        continue;
                    }

                    SampledCell cell = batchCells[i];
                    byte label = cell.Label;
                    if (label == UrbanClass.Undefined)
                    {
                        grid.ReadLabels(cell.Row, 1, labelRow);
                        label = labelRow[cell.Column];
                    }

                    w.Write(cell.CellId);
                    w.Write(cell.Row);
                    w.Write(cell.Column);
                    w.Write(label);
                    w.Write(MemoryMarshal.AsBytes(values.AsSpan(i * valueCount, valueCount)));
                    written++;
                }

                progress?.Report(new PipelineProgress("patches", start + n, total, stopwatch.Elapsed));
            }

            w.Flush();
            stream.Position = countPosition;
            w.Write(written);
            w.Flush();
        });

        return new FeatureExtractionSummary(written, incomplete, stopwatch.Elapsed);
    }

    /// <summary>Reads a patch table whole.</summary>
    /// <param name="path">The file written by <see cref="Write"/>.</param>
    /// <exception cref="DataFileException">Missing, not a patch table, another version, inconsistent or truncated.</exception>
    public static PatchTableContent Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "patch table not found");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Patch tables are read on little-endian machines only.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            byte[] magic = r.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new DataFileException(path, magic.Length == 0 ? "empty file, not a patch table" : "not a patch table (wrong magic bytes; 'urban patches' writes them)");
            }

            int version = r.ReadInt32();
            if (version != Version)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"patch table version {version} is not supported (this library reads version {Version})"));
            }

            FeatureExtractionSettings settings = FeatureExtractionSettings.FromJson(
                JsonNode.Parse(r.ReadString()) ?? throw new DataFileException(path, "missing feature settings"), path);
            int size = r.ReadInt32();
            int valueCount = r.ReadInt32();
            long rows = r.ReadInt64();
            var layout = new PatchPixelLayout(settings.Channels, size);
            if (valueCount != layout.ValueCount)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"corrupt header: {valueCount} values per row, but {layout.ChannelCount} channels of {size} x {size} pixels make {layout.ValueCount}"));
            }

            long rowBytes = 17 + (4L * valueCount);
            if (rows < 0 || rows * rowBytes != stream.Length - stream.Position)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"truncated or corrupt: the header announces {rows} rows of {rowBytes} bytes, the file holds {stream.Length - stream.Position} bytes after it"));
            }

            if (rows * valueCount > Array.MaxLength)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"{rows} rows of {valueCount} values do not fit in one array; use a smaller sample"));
            }

            int n = (int)rows;
            long[] ids = new long[n];
            int[] gridRows = new int[n], gridColumns = new int[n];
            byte[] labels = new byte[n];
            float[] values = new float[(long)n * valueCount];
            for (int i = 0; i < n; i++)
            {
                ids[i] = r.ReadInt64();
                gridRows[i] = r.ReadInt32();
                gridColumns[i] = r.ReadInt32();
                labels[i] = r.ReadByte();
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan(i * valueCount, valueCount)));
            }

            var table = new FeatureTable(ids, gridRows, gridColumns, labels, new FeatureMatrix(values, n, layout.Schema));
            return new PatchTableContent(table, settings);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFileException(path, "truncated patch table", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException)
        {
            throw new DataFileException(path, "corrupt patch table: " + e.Message, e);
        }
    }
}
