using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// A GDAL VRT mosaic of GeoTIFF tiles read as one raster, e.g. the <c>map.vrt</c> or a mosaic VRT of the tiles of a
/// national run (<c>gdalbuildvrt</c>). Supported: <c>SimpleSource</c> and <c>ComplexSource</c> elements that copy
/// GeoTIFF pixels one to one (source and destination rectangles of the same size, no scaling, no lookup table);
/// pixels no source covers read as the band's nodata value (0 without one). Anything else is refused with a
/// one-line error naming the file. Thread-safe for concurrent reads, like <see cref="GeoTiffReader"/>.
/// </summary>
public sealed partial class VrtRaster : IRasterSource
{
    private readonly GeoTiffReader[] _files;
    private readonly Source[][] _bands;

    private VrtRaster(RasterInfo info, GeoTiffReader[] files, Source[][] bands)
    {
        Info = info;
        _files = files;
        _bands = bands;
    }

    /// <inheritdoc/>
    public RasterInfo Info { get; }

    /// <summary>Whether a path names a VRT (by its extension).</summary>
    /// <param name="path">A raster path.</param>
    public static bool IsVrt(string path) => path is not null && path.EndsWith(".vrt", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a GeoTIFF or, for a <c>.vrt</c> path, a VRT mosaic of GeoTIFFs.</summary>
    /// <param name="path">The raster.</param>
    /// <param name="options">Reader options for each GeoTIFF.</param>
    public static IRasterSource OpenRaster(string path, GeoTiffReaderOptions? options = null) =>
        IsVrt(path) ? Open(path, options) : GeoTiffReader.Open(path, options);

    /// <summary>Opens a VRT and the GeoTIFFs it names.</summary>
    /// <param name="path">The VRT file.</param>
    /// <param name="options">Reader options for each GeoTIFF.</param>
    /// <exception cref="DataFileException">The VRT cannot be read, names a missing file, or uses a feature outside the supported subset.</exception>
    public static VrtRaster Open(string path, GeoTiffReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "file not found");
        }

        XElement root;
        try
        {
            root = XDocument.Load(path).Root ?? throw new DataFileException(path, "empty VRT");
        }
        catch (XmlException e)
        {
            throw new DataFileException(path, "not a VRT (XML error: " + e.Message + ")", e);
        }

        if (root.Name.LocalName != "VRTDataset")
        {
            throw new DataFileException(path, $"not a VRT: the root element is {root.Name.LocalName}, not VRTDataset");
        }

        int width = IntAttribute(path, root, "rasterXSize"), height = IntAttribute(path, root, "rasterYSize");
        double[] gt = ((string?)root.Element("GeoTransform") ?? "0, 1, 0, 0, 0, 1").Split(',')
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new DataFileException(path, $"GeoTransform value '{v.Trim()}' is not a number"))
            .ToArray();
        if (gt.Length != 6)
        {
            throw new DataFileException(path, "GeoTransform must hold six numbers");
        }

        int? epsg = Epsg((string?)root.Element("SRS"));
        XElement[] bandElements = [.. root.Elements("VRTRasterBand")];
        if (bandElements.Length == 0)
        {
            throw new DataFileException(path, "no VRTRasterBand");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var files = new Dictionary<string, GeoTiffReader>(StringComparer.Ordinal);
        try
        {
            RasterSampleType type = SampleType(path, (string?)bandElements[0].Attribute("dataType") ?? "Byte");
            double? noData = null;
            var bands = new Source[bandElements.Length][];
            for (int b = 0; b < bandElements.Length; b++)
            {
                XElement band = bandElements[b];
                if (SampleType(path, (string?)band.Attribute("dataType") ?? "Byte") != type)
                {
                    throw new DataFileException(path, "bands of different data types are not supported");
                }

                if (b == 0 && (string?)band.Element("NoDataValue") is { } nd)
                {
                    noData = double.Parse(nd, NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                var sources = new List<Source>();
                foreach (XElement s in band.Elements())
                {
                    string kind = s.Name.LocalName;
                    if (kind is "NoDataValue" or "ColorInterp" or "Description" or "Metadata" or "Offset" or "Scale")
                    {
                        continue;
                    }

                    if (kind is not ("SimpleSource" or "ComplexSource"))
                    {
                        throw new DataFileException(path, $"<{kind}> is not supported (only SimpleSource and ComplexSource of GeoTIFFs, copied one to one)");
                    }

                    if (s.Element("ScaleRatio") is { } ratio && (double)ratio != 1 || s.Element("ScaleOffset") is { } offset && (double)offset != 0 || s.Element("LUT") is not null)
                    {
                        throw new DataFileException(path, "scaled or looked-up ComplexSource is not supported");
                    }

                    XElement name = s.Element("SourceFilename") ?? throw new DataFileException(path, $"a {kind} has no SourceFilename");
                    string file = (string?)name.Attribute("relativeToVRT") == "1" ? Path.GetFullPath(Path.Combine(folder, name.Value)) : name.Value;
                    if (!files.TryGetValue(file, out GeoTiffReader? reader))
                    {
                        if (!File.Exists(file))
                        {
                            throw new DataFileException(path, $"source {file} not found");
                        }

                        reader = GeoTiffReader.Open(file, options);
                        files[file] = reader;
                    }

                    if (reader.Info.SampleType != type)
                    {
                        throw new DataFileException(path, $"source {file} holds {reader.Info.SampleType}, the VRT band {type}");
                    }

                    int sourceBand = ((int?)s.Element("SourceBand") ?? 1) - 1;
                    if (sourceBand < 0 || sourceBand >= reader.Info.BandCount)
                    {
                        throw new DataFileException(path, $"source {file} has no band {sourceBand + 1}");
                    }

                    PixelWindow src = Rect(path, s.Element("SrcRect")) ?? new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height);
                    PixelWindow dst = Rect(path, s.Element("DstRect")) ?? src;
                    if (src.Width != dst.Width || src.Height != dst.Height || !src.IsInside(reader.Info.Width, reader.Info.Height))
                    {
                        throw new DataFileException(path, $"source {file}: resampled or out-of-range rectangles are not supported (SrcRect and DstRect must be the same size, inside the source)");
                    }

                    sources.Add(new Source(reader, sourceBand, src, dst));
                }

                bands[b] = [.. sources];
            }

            var info = new RasterInfo(Path.GetFullPath(path), width, height, bandElements.Length, type,
                new GeoTransform(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]), epsg, noData,
                isTiled: true, blockWidth: Math.Min(width, 256), blockHeight: Math.Min(height, 256), RasterCompression.None, isBandInterleaved: true, isBigTiff: false);
            return new VrtRaster(info, [.. files.Values], bands);
        }
        catch
        {
            foreach (GeoTiffReader r in files.Values)
            {
                r.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public void Read<T>(PixelWindow window, ReadOnlySpan<int> bands, Span<T> destination) where T : unmanaged
    {
        if (RasterSampleTypes.Of<T>() != Info.SampleType)
        {
            throw new ArgumentException($"{Info.Path} holds {Info.SampleType} samples, not {typeof(T).Name}.", nameof(destination));
        }

        ReadCore(window, bands, destination, Fill<T>(), static (reader, w, band, d) => reader.Read(w, [band], d));
    }

    /// <inheritdoc/>
    public void ReadAsFloat(PixelWindow window, ReadOnlySpan<int> bands, Span<float> destination) =>
        ReadCore(window, bands, destination, (float)(Info.NoData ?? 0), static (reader, w, band, d) => reader.ReadAsFloat(w, [band], d));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (GeoTiffReader r in _files)
        {
            r.Dispose();
        }
    }

    private delegate void SourceRead<T>(GeoTiffReader reader, PixelWindow window, int band, Span<T> destination);

    private void ReadCore<T>(PixelWindow window, ReadOnlySpan<int> bands, Span<T> destination, T fill, SourceRead<T> read)
    {
        if (!Info.Contains(window))
        {
            throw new DataFileException(Info.Path, string.Create(CultureInfo.InvariantCulture,
                $"window (x {window.X}, y {window.Y}, {window.Width} x {window.Height}) is not inside the {Info.Width} x {Info.Height} raster"));
        }

        int plane = checked((int)window.PixelCount);
        if (destination.Length < (long)plane * bands.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {bands.Length} bands of {window.Width} x {window.Height} need {(long)plane * bands.Length}.", nameof(destination));
        }

        for (int i = 0; i < bands.Length; i++)
        {
            int band = bands[i];
            ArgumentOutOfRangeException.ThrowIfNegative(band, nameof(bands));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Info.BandCount, nameof(bands));
            Span<T> target = destination.Slice(i * plane, plane);
            target.Fill(fill);
            foreach (Source s in _bands[band])
            {
                int x0 = Math.Max(window.X, s.Destination.X), y0 = Math.Max(window.Y, s.Destination.Y);
                int x1 = Math.Min(window.X + window.Width, s.Destination.X + s.Destination.Width);
                int y1 = Math.Min(window.Y + window.Height, s.Destination.Y + s.Destination.Height);
                if (x1 <= x0 || y1 <= y0)
                {
                    continue;
                }

                int w = x1 - x0, h = y1 - y0;
                T[] buffer = ArrayPool<T>.Shared.Rent(w * h);
                try
                {
                    var src = new PixelWindow(s.Window.X + (x0 - s.Destination.X), s.Window.Y + (y0 - s.Destination.Y), w, h);
                    read(s.Reader, src, s.Band, buffer.AsSpan(0, w * h));
                    for (int r = 0; r < h; r++)
                    {
                        buffer.AsSpan(r * w, w).CopyTo(target.Slice(((y0 - window.Y + r) * window.Width) + (x0 - window.X), w));
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(buffer);
                }
            }
        }
    }

    private T Fill<T>() where T : unmanaged
    {
        double v = Info.NoData ?? 0;
        // Each arm boxed as itself: a switch of bare numbers would widen them all to double.
        object value = Info.SampleType switch
        {
            RasterSampleType.Byte => (object)(byte)v,
            RasterSampleType.UInt16 => (object)(ushort)v,
            RasterSampleType.Int16 => (object)(short)v,
            RasterSampleType.UInt32 => (object)(uint)v,
            RasterSampleType.Int32 => (object)(int)v,
            RasterSampleType.Float32 => (object)(float)v,
            _ => (object)v,
        };
        return (T)value;
    }

    private static int IntAttribute(string path, XElement e, string name) =>
        int.TryParse((string?)e.Attribute(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
        : throw new DataFileException(path, $"{e.Name.LocalName} needs a positive {name}");

    private static PixelWindow? Rect(string path, XElement? e)
    {
        if (e is null)
        {
            return null;
        }

        int Get(string name) => double.TryParse((string?)e.Attribute(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d)
            ? (int)d : throw new DataFileException(path, $"{e.Name.LocalName} {name} must be a whole number of pixels");
        return new PixelWindow(Get("xOff"), Get("yOff"), Get("xSize"), Get("ySize"));
    }

    private static RasterSampleType SampleType(string path, string name) => name switch
    {
        "Byte" => RasterSampleType.Byte,
        "UInt16" => RasterSampleType.UInt16,
        "Int16" => RasterSampleType.Int16,
        "UInt32" => RasterSampleType.UInt32,
        "Int32" => RasterSampleType.Int32,
        "Float32" => RasterSampleType.Float32,
        "Float64" => RasterSampleType.Float64,
        _ => throw new DataFileException(path, $"data type {name} is not supported"),
    };

    private static int? Epsg(string? srs)
    {
        if (string.IsNullOrWhiteSpace(srs))
        {
            return null;
        }

        MatchCollection m = EpsgPattern().Matches(srs);
        return m.Count > 0 ? int.Parse(m[^1].Groups["code"].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex("""(?:^\s*EPSG:|AUTHORITY\["EPSG",\s*"|ID\["EPSG",\s*)(?<code>\d+)""")]
    private static partial Regex EpsgPattern();

    private sealed record Source(GeoTiffReader Reader, int Band, PixelWindow Window, PixelWindow Destination);
}
