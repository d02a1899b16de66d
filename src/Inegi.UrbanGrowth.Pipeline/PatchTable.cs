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
/// Version 2 (written now) is a <see cref="FileFrame"/> (magic <c>UGPATCH\0</c>, version, payload length, payload,
/// SHA-256) whose payload, little endian, is: the feature settings as JSON text (<see cref="BinaryWriter.Write(string)"/>:
/// 7-bit encoded length, UTF-8); int32 patch size; int32 values per row (<c>channels x size x size</c>); then per row
/// (as many as fill the payload): int64 cell id, int32 grid row, int32 grid column, byte label (255 = none), and the
/// values as float32, channel-planar, each plane row-major (column <c>c * size * size + r * size + k</c> is
/// <c>&lt;channel c&gt;_r&lt;r&gt;c&lt;k&gt;</c>). Rows come in cell-id order. Written atomically, streamed once.
/// Version 1 (still read): 8 magic bytes, int32 version 1, the same settings, size and values per row, int64 row
/// count, the same rows; no checksum.
/// </remarks>
public static class PatchTable
{
    private const uint Version = 2;
    private const int LegacyVersion = 1;

    /// <summary>Bytes before a row's values: int64 cell id, int32 grid row, int32 grid column, byte label.</summary>
    private const int RowPrefixBytes = 17;
    private const int Batch = 256;
    private static readonly byte[] Magic = "UGPATCH\0"u8.ToArray();

    /// <summary>True when the file starts with the patch table's magic bytes.</summary>
    /// <param name="path">A file.</param>
    public static bool IsPatchTable(string path) => FileFrame.HasMagic(path, Magic);

    /// <summary>
    /// Computes the patch pixels of the listed cells or of every cell and writes the table, rows in storage (cell-id)
    /// order as the features CSV (<see cref="CellFeatureSource"/>).
    /// </summary>
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
        var source = new CellFeatureSource(mosaic, grid, new CellFeatureExtractor(settings, CellFeatureKind.PatchPixels), maxDegreeOfParallelism, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        long total = cells?.Count ?? grid.CellCount;
        int valueCount = source.Extractor.FeatureCount;
        long written = 0, incomplete = 0;

        AtomicFile.Write(outputPath, stream => FileFrame.Write(stream, Magic, Version, payload =>
        {
            using var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            w.Write(JsonText.Format(source.Extractor.Settings.WriteJson, indented: false));
            w.Write(PatchGeometry.Size);
            w.Write(valueCount);
            IEnumerable<CellFeatureBatch> batches = cells is not null
                ? source.ReadCells(cells, Batch)
                : source.ReadRows(null, Math.Max(1, Batch / grid.Width));
            foreach (CellFeatureBatch batch in batches)
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    if (!batch.Complete[i])
                    {
                        incomplete++;
                        continue;
                    }

                    SampledCell cell = batch.Cells[i];
                    w.Write(cell.CellId);
                    w.Write(cell.Row);
                    w.Write(cell.Column);
                    w.Write(cell.Label);
                    w.Write(MemoryMarshal.AsBytes(batch.Features(i)));
                    written++;
                }

                progress?.Report(new PipelineProgress("patches", batch.CellsDone, total, stopwatch.Elapsed));
            }
        }));

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
        try
        {
            Span<byte> head = stackalloc byte[Magic.Length + 4];
            int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (got == 0)
            {
                throw new DataFileException(path, "empty file, not a patch table");
            }

            if (got < Magic.Length || !head[..Magic.Length].SequenceEqual(Magic))
            {
                throw new DataFileException(path, "not a patch table (wrong magic bytes; 'urban patches' writes them)");
            }

            int version = got < head.Length ? -1 : BitConverter.ToInt32(head[Magic.Length..]);
            stream.Position = 0;
            if (version == LegacyVersion)
            {
                stream.Position = Magic.Length + 4;
                return ReadLegacy(stream, path);
            }

            // The current version is framed: its checksum is verified after the rows are read.
            using FramedPayloadStream payload = FileFrame.OpenPayload(stream, path, Magic, [Version], "patch table", "a");
            using var r = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            (FeatureExtractionSettings settings, PatchPixelLayout layout) = ReadLayout(r, path);
            long rowBytes = RowPrefixBytes + (4L * layout.ValueCount);
            long body = payload.Length - payload.Position;
            if (body % rowBytes != 0)
            {
                throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"corrupt: {body} bytes of rows are not a whole number of {rowBytes}-byte rows"));
            }

            PatchTableContent content = ReadRows(r, payload, body / rowBytes, settings, layout, path);
            payload.VerifyChecksum();
            return content;
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

    /// <summary>Version 1 (written before the shared frame): int32 version, the layout, int64 row count, the rows; no checksum.</summary>
    private static PatchTableContent ReadLegacy(Stream stream, string path)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        (FeatureExtractionSettings settings, PatchPixelLayout layout) = ReadLayout(r, path);
        long rows = r.ReadInt64();
        long rowBytes = RowPrefixBytes + (4L * layout.ValueCount);
        if (rows < 0 || rows * rowBytes != stream.Length - stream.Position)
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"truncated or corrupt: the header announces {rows} rows of {rowBytes} bytes, the file holds {stream.Length - stream.Position} bytes after it"));
        }

        return ReadRows(r, stream, rows, settings, layout, path);
    }

    /// <summary>The feature settings, patch size and values per row that both versions store before the rows.</summary>
    private static (FeatureExtractionSettings Settings, PatchPixelLayout Layout) ReadLayout(BinaryReader r, string path)
    {
        FeatureExtractionSettings settings = FeatureExtractionSettings.FromJson(
            JsonNode.Parse(r.ReadString()) ?? throw new DataFileException(path, "missing feature settings"), path);
        int size = r.ReadInt32();
        int valueCount = r.ReadInt32();
        var layout = new PatchPixelLayout(settings.Channels, size);
        if (valueCount != layout.ValueCount)
        {
            throw new DataFileException(path, string.Create(CultureInfo.InvariantCulture, $"corrupt header: {valueCount} values per row, but {layout.ChannelCount} channels of {size} x {size} pixels make {layout.ValueCount}"));
        }

        return (settings, layout);
    }

    private static PatchTableContent ReadRows(BinaryReader r, Stream stream, long rows, FeatureExtractionSettings settings, PatchPixelLayout layout, string path)
    {
        int valueCount = layout.ValueCount;
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
}
