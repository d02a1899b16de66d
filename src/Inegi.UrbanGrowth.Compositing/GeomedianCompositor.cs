using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>Settings of a composite run besides the inputs.</summary>
public sealed record CompositeOptions
{
    /// <summary>The geomedian's stopping rule.</summary>
    public GeomedianOptions Geomedian { get; init; } = GeomedianOptions.Default;

    /// <summary>Side of the square output tiles processed at once (default 256, the writer's tile size).</summary>
    /// <remarks>Working memory is about 4 x observations x bands x TileSize^2 bytes (100 dates of 6 bands: 157 MB).</remarks>
    public int TileSize { get; init; } = 256;

    /// <summary>Worker threads (-1: all cores). Results are the same bytes whatever the value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Clear observations a pixel needs before its window widens (0: never). With <see cref="WideningSteps"/>, a pixel
    /// uses the observations of steps 0..k for the smallest k that gives it this many, or, when no step does, the
    /// smallest k that gives it as many as all the steps together; <see cref="CompositeTileResult.Widening"/> records k.
    /// </summary>
    public int MinObservations { get; init; }

    /// <summary>The widening step of each observation, in the reader's order (0: inside the period); null: all 0.</summary>
    public IReadOnlyList<int>? WideningSteps { get; init; }
}

/// <summary>The result of one output tile: reflectance geomedian, the three MADs and COUNT, band-planar over the window.</summary>
/// <param name="Window">The window of the target grid.</param>
/// <param name="Median">Bands x pixels reflectance; NaN where COUNT is 0.</param>
/// <param name="Deviations">EMAD, SMAD, BCMAD planes; NaN where COUNT is 0.</param>
/// <param name="Count">Usable observations per pixel.</param>
public sealed record CompositeTileResult(PixelWindow Window, float[] Median, float[] Deviations, ushort[] Count)
{
    /// <summary>The widening step each pixel used (0: the period itself); all 0 without widening.</summary>
    public ushort[] Widening { get; init; } = new ushort[Count.Length];
}

/// <summary>The outputs of a composite run.</summary>
public enum CompositeOutput
{
    /// <summary>The mosaic: bands UInt16 reflectance x 10000, nodata 0.</summary>
    Mosaic,

    /// <summary>EMAD, SMAD, BCMAD: Float32, nodata NaN.</summary>
    Deviations,

    /// <summary>Usable observations per pixel: UInt16, no nodata.</summary>
    Count,

    /// <summary>The widening step each pixel used (<see cref="CompositeOptions.MinObservations"/>): UInt16, no nodata.</summary>
    Widening,
}

/// <summary>What a composite run did.</summary>
/// <param name="Pixels">Pixels of the target grid.</param>
/// <param name="PixelsWithData">Pixels with at least one usable observation.</param>
/// <param name="Observations">Images read.</param>
public sealed record CompositeSummary(long Pixels, long PixelsWithData, int Observations)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"composite: {Observations} observations, {PixelsWithData} of {Pixels} pixels with data ({(Pixels == 0 ? 0 : 100.0 * PixelsWithData / Pixels):F1}%)");
}

/// <summary>
/// The geomedian composite of a set of observations on a target grid, tile by tile: <see cref="CompositeTile"/> is the
/// unit of work (one output tile of one period) a cluster can schedule; <see cref="Write"/> runs every tile of the grid
/// and streams the mosaic, MADs and COUNT to GeoTIFFs.
/// </summary>
public sealed class GeomedianCompositor
{
    private readonly ObservationReader _reader;
    private readonly CompositeOptions _options;

    /// <summary>Composites the observations of <paramref name="reader"/>.</summary>
    /// <param name="reader">The observations on the target grid (not owned).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public GeomedianCompositor(ObservationReader reader, CompositeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _options = options ?? new CompositeOptions();
        _options.Geomedian.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.TileSize, 16, nameof(CompositeOptions.TileSize));
        if (_options.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxDegreeOfParallelism, "--threads must be -1 or positive.");
        }

        if (reader.ObservationCount > ushort.MaxValue)
        {
            throw new ArgumentException($"{reader.ObservationCount} observations: COUNT is UInt16, at most 65535.");
        }

        if (_options.WideningSteps is { } steps && (steps.Count != reader.ObservationCount || steps.Any(k => k is < 0 or > ushort.MaxValue)))
        {
            throw new ArgumentException($"WideningSteps must give a step of 0..65535 for each of the {reader.ObservationCount} observations.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(_options.MinObservations, nameof(CompositeOptions.MinObservations));
    }

    /// <summary>The target grid.</summary>
    public TargetGrid Grid => _reader.Grid;

    /// <summary>Reads the observations of one window of the target grid and composites them.</summary>
    /// <param name="window">The window (any size inside the grid; the memory it needs grows with its area).</param>
    public CompositeTileResult CompositeTile(PixelWindow window) => CompositeTileCore(window, deviations: true);

    private CompositeTileResult CompositeTileCore(PixelWindow window, bool deviations, TileBuffers? buffers = null)
    {
        int n = _reader.ObservationCount, bands = _reader.BandCount, pixels = checked((int)window.PixelCount);
        // Pooled: the stack is tens of megabytes per tile (dates x 6 x tile^2 floats); a fresh one per tile would
        // grow the large-object heap between collections. Every value is written by Read before it is used.
        float[] stack = ArrayPool<float>.Shared.Rent(checked((int)_reader.ValuesFor(window)));
        try
        {
            return CompositeStack(window, stack, n, bands, pixels, deviations, buffers);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(stack);
        }
    }

    // deviations false: the MADs are left out (an empty array, not even allocated) and only COUNT is counted.
    // buffers: reused across the tiles of a run (results then hold views of them, valid until the next tile); every
    // value of the window's first pixels is written below, so nothing of the previous tile shows through.
    private CompositeTileResult CompositeStack(PixelWindow window, float[] stack, int n, int bands, int pixels, bool deviations, TileBuffers? buffers)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        _reader.ReadAll(window, stack, parallel);

        float[] median = buffers?.Median ?? new float[bands * pixels];
        float[] mads = !deviations ? [] : buffers?.Deviations ?? new float[3 * pixels];
        ushort[] count = buffers?.Count ?? new ushort[pixels];
        ushort[] widening = buffers?.Widening ?? new ushort[pixels];
        Array.Clear(widening, 0, pixels);
        if (_options.MinObservations > 0 && _options.WideningSteps is { } steps && steps.Any(k => k > 0))
        {
            int[] step = [.. steps];
            Parallel.For(0, (pixels + 255) / 256, parallel, c => Widen(stack, n, bands, pixels, step, c * 256, Math.Min(pixels, (c * 256) + 256), widening));
        }

        // Chunks of whole blocks of four pixels: each pixel's value is independent of the others, so any split gives the same bytes.
        const int chunk = 256;
        Parallel.For(0, (pixels + chunk - 1) / chunk, parallel, c =>
        {
            int start = c * chunk, end = Math.Min(pixels, start + chunk);
            var block = new ObservationBlock(stack, n, bands, pixels);
            Geomedian.ComputeRange(block, median, _options.Geomedian, start, end);
            if (deviations)
            {
                Geomedian.ComputeDeviationsRange(block, median, mads, count, start, end);
            }
            else
            {
                Geomedian.CountRange(block, count, start, end);
            }
        });

        return new CompositeTileResult(window, median, mads, count) { Widening = widening };
    }

    /// <summary>
    /// Picks each pixel's widening step from its clear observations per step and masks (NaN) the observations beyond
    /// it, so that the geomedian, MADs and COUNT see only the window used. Per pixel, so independent of tiles and threads.
    /// </summary>
    private void Widen(float[] stack, int n, int bands, int pixels, int[] step, int start, int end, ushort[] widening)
    {
        int maxStep = step.Max();
        Span<int> perStep = stackalloc int[maxStep + 1];
        for (int p = start; p < end; p++)
        {
            perStep.Clear();
            for (int o = 0; o < n; o++)
            {
                bool usable = true;
                for (int b = 0; b < bands && usable; b++)
                {
                    usable = float.IsFinite(stack[(((o * bands) + b) * pixels) + p]);
                }

                perStep[step[o]] += usable ? 1 : 0;
            }

            int total = 0;
            foreach (int c in perStep)
            {
                total += c;
            }

            int k = 0, sum = perStep[0];
            while (k < maxStep && sum < _options.MinObservations && sum < total)
            {
                sum += perStep[++k];
            }

            widening[p] = (ushort)k;
            for (int o = 0; o < n; o++)
            {
                if (step[o] > k)
                {
                    for (int b = 0; b < bands; b++)
                    {
                        stack[(((o * bands) + b) * pixels) + p] = float.NaN;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Composites the whole grid and writes the six-band UInt16 mosaic (reflectance x 10000 rounded, at least 1; nodata 0),
    /// optionally the Float32 MADs (EMAD, SMAD, BCMAD; nodata NaN) and the UInt16 COUNT, and the provenance JSON beside
    /// the mosaic (<c>NAME.provenance.json</c>). Every file appears whole or not at all.
    /// </summary>
    /// <param name="mosaicPath">The mosaic GeoTIFF.</param>
    /// <param name="madsPath">The MADs GeoTIFF, or null.</param>
    /// <param name="countPath">The COUNT GeoTIFF, or null.</param>
    /// <param name="provenance">Extra entries (the command line's options) for the provenance JSON, or null.</param>
    /// <param name="wideningPath">The UInt16 band of the widening step each pixel used (<see cref="CompositeOptions.MinObservations"/>), or null.</param>
    public CompositeSummary Write(string mosaicPath, string? madsPath = null, string? countPath = null, IReadOnlyDictionary<string, string>? provenance = null, string? wideningPath = null)
    {
        CompositeSummary summary = WriteRegion(new PixelWindow(0, 0, Grid.Width, Grid.Height), mosaicPath, madsPath, countPath, wideningPath);
        WriteProvenance(mosaicPath, madsPath, countPath, summary, provenance, wideningPath);
        return summary;
    }

    /// <summary>
    /// Composites one window of the grid (a cluster tile) into a mosaic, and optionally MADs and COUNT, of the window's
    /// size, georeferenced at its corner and encoded as <see cref="Write"/> encodes the whole grid; no provenance (the
    /// merge of the tiles writes it). Memory is bounded by the block (<see cref="CompositeOptions.TileSize"/>) and one
    /// row of blocks of the window, whatever the size of the grid or of the scenes.
    /// </summary>
    /// <remarks>
    /// Blocks are taken from the window's corner. When the corner lies on multiples of the block size, the blocks are
    /// those of the whole-grid run, so each pixel is computed from the same reprojected coordinates and the window's
    /// values are that window of <see cref="Write"/>'s output, bit for bit.
    /// </remarks>
    /// <param name="window">The window of the target grid.</param>
    /// <param name="mosaicPath">The window's mosaic GeoTIFF.</param>
    /// <param name="madsPath">The window's MADs GeoTIFF, or null.</param>
    /// <param name="countPath">The window's COUNT GeoTIFF, or null.</param>
    /// <param name="wideningPath">The window's widening-step GeoTIFF, or null.</param>
    /// <returns>The window's pixels and those with data.</returns>
    public CompositeSummary WriteWindow(PixelWindow window, string mosaicPath, string? madsPath = null, string? countPath = null, string? wideningPath = null)
    {
        if (window.Width < 1 || window.Height < 1 || !window.IsInside(Grid.Width, Grid.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be a non-empty part of the target grid.");
        }

        return WriteRegion(window, mosaicPath, madsPath, countPath, wideningPath);
    }

    /// <summary>The writer settings of each output of <see cref="Write"/> (whole grid): a merge of windows writes with these to get the same bytes.</summary>
    /// <param name="output">Which output.</param>
    public GeoTiffWriteOptions OutputOptions(CompositeOutput output)
    {
        TargetGrid g = Grid;
        var options = new GeoTiffWriteOptions
        {
            Width = g.Width, Height = g.Height, BandCount = _reader.BandCount, SampleType = RasterSampleType.UInt16, GeoTransform = g.GeoTransform,
            Epsg = g.Epsg, NoData = 0, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
        };
        return output switch
        {
            // The mosaic is what people look at, zoomed out too: averaged overviews (nodata left out) down to one tile.
            // COUNT, the MADs and the widening step are analysis layers, read at full resolution only.
            CompositeOutput.Mosaic => options with { OverviewFactors = GeoTiffWriter.OverviewFactorsFor(g.Width, g.Height, options.TileSize), OverviewResampling = OverviewResampling.Average },
            CompositeOutput.Deviations => options with { BandCount = 3, SampleType = RasterSampleType.Float32, NoData = double.NaN },
            CompositeOutput.Count or CompositeOutput.Widening => options with { BandCount = 1, NoData = null },
            _ => throw new ArgumentOutOfRangeException(nameof(output), output, "Unknown output."),
        };
    }

    /// <summary>
    /// Writes the provenance JSON of a mosaic (<see cref="ProvenancePath"/>) exactly as <see cref="Write"/> does, for a
    /// mosaic put together from windows.
    /// </summary>
    /// <param name="mosaicPath">The mosaic GeoTIFF (its name is recorded).</param>
    /// <param name="madsPath">The MADs GeoTIFF, or null.</param>
    /// <param name="countPath">The COUNT GeoTIFF, or null.</param>
    /// <param name="summary">The whole grid's summary.</param>
    /// <param name="provenance">Extra entries (the command line's options), or null.</param>
    /// <param name="wideningPath">The widening-step GeoTIFF, or null.</param>
    public void WriteProvenance(string mosaicPath, string? madsPath, string? countPath, CompositeSummary summary, IReadOnlyDictionary<string, string>? provenance = null, string? wideningPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mosaicPath);
        ArgumentNullException.ThrowIfNull(summary);
        AtomicFile.WriteAllText(ProvenancePath(mosaicPath), ProvenanceJson(mosaicPath, madsPath, countPath, wideningPath, summary, provenance));
    }

    /// <summary>Composites a region block by block from its corner and streams it to the outputs (georeferenced at the region's corner).</summary>
    private CompositeSummary WriteRegion(PixelWindow region, string mosaicPath, string? madsPath, string? countPath, string? wideningPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mosaicPath);
        string[] outputs = [.. new[] { mosaicPath, madsPath, countPath, wideningPath }.OfType<string>().Select(Path.GetFullPath)];
        foreach (CompositeImage image in _reader.Images)
        {
            foreach (string input in image.Files)
            {
                if (outputs.Contains(Path.GetFullPath(input), StringComparer.Ordinal))
                {
                    throw new ArgumentException($"{input}: an output would overwrite an input.");
                }
            }
        }

        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length)
        {
            throw new ArgumentException("--out, --mads, --count and --window must be different files.");
        }

        int bands = _reader.BandCount, tile = _options.TileSize, width = region.Width;
        (double originX, double originY) = Grid.GeoTransform.PixelToMap(region.X, region.Y);
        GeoTiffWriteOptions Options(CompositeOutput output) => OutputOptions(output) with
        {
            Width = region.Width,
            Height = region.Height,
            OverviewFactors = output == CompositeOutput.Mosaic ? GeoTiffWriter.OverviewFactorsFor(region.Width, region.Height, OutputOptions(output).TileSize) : [],
            GeoTransform = region.X == 0 && region.Y == 0 ? Grid.GeoTransform : Grid.GeoTransform with { OriginX = originX, OriginY = originY },
        };

        long withData = 0;
        using GeoTiffWriter mosaic = GeoTiffWriter.Create(mosaicPath, Options(CompositeOutput.Mosaic));
        using GeoTiffWriter? mads = madsPath is null ? null : GeoTiffWriter.Create(madsPath, Options(CompositeOutput.Deviations));
        using GeoTiffWriter? counts = countPath is null ? null : GeoTiffWriter.Create(countPath, Options(CompositeOutput.Count));
        using GeoTiffWriter? widening = wideningPath is null ? null : GeoTiffWriter.Create(wideningPath, Options(CompositeOutput.Widening));
        // One set of row and tile buffers for the whole run: fresh ones per row of tiles (tens of megabytes) let the
        // large-object heap grow between collections.
        int fullArea = Math.Min(tile, region.Height) * width;
        var mosaicBuffer = new ushort[bands * fullArea];
        float[] madBuffer = mads is null ? [] : new float[3 * fullArea];
        var countBuffer = new ushort[fullArea];
        ushort[] wideningBuffer = widening is null ? [] : new ushort[fullArea];
        var buffers = new TileBuffers(bands, Math.Min(tile, width) * Math.Min(tile, region.Height), mads is not null);
        for (int y = 0; y < region.Height; y += tile)
        {
            int rows = Math.Min(tile, region.Height - y);
            int area = rows * width;
            Span<ushort> mosaicRows = mosaicBuffer.AsSpan(0, bands * area);
            Span<float> madRows = madBuffer.AsSpan(0, mads is null ? 0 : 3 * area);
            Span<ushort> countRows = countBuffer.AsSpan(0, area);
            Span<ushort> wideningRows = wideningBuffer.AsSpan(0, widening is null ? 0 : area);
            for (int x = 0; x < width; x += tile)
            {
                var window = new PixelWindow(region.X + x, region.Y + y, Math.Min(tile, width - x), rows);
                // The MADs cost a sort per pixel and statistic: computed only when they are written.
                CompositeTileResult t = CompositeTileCore(window, deviations: mads is not null, buffers);
                int wp = window.Width * rows;
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < window.Width; c++)
                    {
                        int src = (r * window.Width) + c, dst = (r * width) + x + c;
                        countRows[dst] = t.Count[src];
                        if (widening is not null)
                        {
                            wideningRows[dst] = t.Widening[src];
                        }

                        for (int b = 0; b < bands; b++)
                        {
                            mosaicRows[(b * area) + dst] = ToDigitalNumber(t.Median[(b * wp) + src]);
                        }

                        for (int k = 0; k < madRows.Length / Math.Max(1, area); k++)
                        {
                            madRows[(k * area) + dst] = t.Deviations[(k * wp) + src];
                        }
                    }
                }
            }

            foreach (ushort c in countRows)
            {
                withData += c > 0 ? 1 : 0;
            }

            mosaic.WriteRows<ushort>(mosaicRows);
            mads?.WriteRows<float>(madRows);
            counts?.WriteRows<ushort>(countRows);
            widening?.WriteRows<ushort>(wideningRows);
        }

        mosaic.Commit();
        mads?.Commit();
        counts?.Commit();
        widening?.Commit();
        return new CompositeSummary(region.PixelCount, withData, _reader.ObservationCount);
    }

    /// <summary>Where <see cref="Write"/> puts the provenance of <paramref name="mosaicPath"/>: <c>NAME.provenance.json</c> beside it.</summary>
    /// <param name="mosaicPath">The mosaic.</param>
    public static string ProvenancePath(string mosaicPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(mosaicPath)) ?? ".", Path.GetFileNameWithoutExtension(mosaicPath) + ".provenance.json");

    /// <summary>Reflectance to the mosaic's UInt16: x 10000 rounded half away from zero, clamped to 1..65535; NaN gives 0 (nodata).</summary>
    /// <param name="reflectance">The reflectance.</param>
    public static ushort ToDigitalNumber(float reflectance) =>
        float.IsNaN(reflectance) ? (ushort)0 : (ushort)Math.Clamp(Math.Round(reflectance * 10000.0, MidpointRounding.AwayFromZero), 1, ushort.MaxValue);

    private string ProvenanceJson(string mosaicPath, string? madsPath, string? countPath, string? wideningPath, CompositeSummary summary, IReadOnlyDictionary<string, string>? extra)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("method", "geomedian (Weiszfeld, geomad semantics)");
            w.WriteString("library", "Inegi.UrbanGrowth.Compositing " + typeof(GeomedianCompositor).Assembly.GetName().Version);
            w.WriteNumber("eps", _options.Geomedian.Epsilon);
            w.WriteNumber("max_iterations", _options.Geomedian.MaxIterations);
            w.WriteStartObject("grid");
            w.WriteNumber("epsg", Grid.Epsg);
            w.WriteNumber("width", Grid.Width);
            w.WriteNumber("height", Grid.Height);
            w.WriteStartArray("geotransform");
            foreach (double v in Grid.GeoTransform.ToArray())
            {
                w.WriteNumberValue(v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("outputs");
            w.WriteString("mosaic", Path.GetFileName(mosaicPath));
            w.WriteString("mosaic_encoding", "UInt16 reflectance x 10000, nodata 0; bands blue, green, red, nir, swir1, swir2; internal overviews averaged");
            if (madsPath is not null)
            {
                w.WriteString("mads", Path.GetFileName(madsPath));
                w.WriteString("mads_bands", "emad, smad, bcmad (Float32, NaN nodata)");
            }

            if (countPath is not null)
            {
                w.WriteString("count", Path.GetFileName(countPath));
            }

            if (wideningPath is not null)
            {
                w.WriteString("window", Path.GetFileName(wideningPath));
                w.WriteString("window_encoding", "UInt16 widening step per pixel: 0 the period, k the period widened by k x its length on both sides");
            }

            w.WriteEndObject();
            w.WriteNumber("pixels", summary.Pixels);
            w.WriteNumber("pixels_with_data", summary.PixelsWithData);
            w.WriteStartArray("observations");
            int index = 0;
            foreach (CompositeImage image in _reader.Images)
            {
                w.WriteStartObject();
                if (_options.WideningSteps is { } steps && _options.MinObservations > 0)
                {
                    w.WriteNumber("widening_step", steps[index]);
                }

                index++;
                if (image.SceneId is not null)
                {
                    w.WriteString("scene", image.SceneId);
                }

                w.WriteString("image", Path.GetFullPath(image.Path));
                if (image.QualityPath is not null)
                {
                    w.WriteString("quality", Path.GetFullPath(image.QualityPath));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (extra is not null)
            {
                w.WriteStartObject("options");
                foreach (KeyValuePair<string, string> kv in extra.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WriteString(kv.Key, kv.Value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>A tile's result arrays, reused from tile to tile of one run.</summary>
    private sealed class TileBuffers(int bands, int pixels, bool deviations)
    {
        public float[] Median { get; } = new float[bands * pixels];

        public float[] Deviations { get; } = deviations ? new float[3 * pixels] : [];

        public ushort[] Count { get; } = new ushort[pixels];

        public ushort[] Widening { get; } = new ushort[pixels];
    }
}
