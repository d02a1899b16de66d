using BitMiracle.LibTiff.Classic;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>How <see cref="GeoTiffWriter"/> computes the reduced-resolution images (overviews) it writes after the main image.</summary>
public enum OverviewResampling
{
    /// <summary>
    /// The area-weighted mean of the valid (not nodata) pixels under each overview pixel, as GDAL 3.6's
    /// <c>gdaladdo -r average</c>: each level from the previous one, pixels cut by the window edge weighted by the
    /// part inside it, integers rounded half up. For reflectance.
    /// </summary>
    Average,

    /// <summary>The pixel at the centre of each overview pixel's window, from the previous level. For counts and classes.</summary>
    Nearest,
}

/// <summary>
/// One overview level being built while the image streams through the writer: it receives the rows of the level
/// above it (the full image for the first), emits each of its own rows as soon as the rows it covers have arrived,
/// passes them to the next level, and tiles and compresses them into a temporary file of its own, whose tiles are
/// copied after the main image's directory on commit. Only the few source rows an output row spans are held.
/// </summary>
internal sealed class OverviewLevel : IDisposable
{
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;
    private readonly int _bands;
    private readonly double _ratioX;
    private readonly double _ratioY;
    private readonly double? _noData;
    private readonly OverviewResampling _resampling;
    private readonly RasterSampleType _type;
    private readonly (int First, double[] Weights)[] _columns;
    private readonly List<(int Y, double[] Row)> _rows = [];
    private readonly OverviewLevel? _next;
    private GeoTiffWriter? _writer;
    private int _nextRow;

    public OverviewLevel(GeoTiffWriteOptions main, int sourceWidth, int sourceHeight, IReadOnlyList<int> factors, int index, string temporaryPathFor)
    {
        int factor = factors[index];
        _sourceWidth = sourceWidth;
        _sourceHeight = sourceHeight;
        _bands = main.BandCount;
        _noData = main.NoData;
        _resampling = main.OverviewResampling;
        _type = main.SampleType;

        // GDAL's size of an overview of factor f: the full size divided by f, rounded up.
        Width = (main.Width + factor - 1) / factor;
        Height = (main.Height + factor - 1) / factor;
        _ratioX = (double)sourceWidth / Width;
        _ratioY = (double)sourceHeight / Height;
        _columns = new (int, double[])[Width];
        for (int i = 0; i < Width; i++)
        {
            _columns[i] = _resampling == OverviewResampling.Average ? Span(i, _ratioX, sourceWidth) : (NearestIndex(i, _ratioX, sourceWidth), [1.0]);
        }

        Path = AtomicFile.TemporaryPathFor(temporaryPathFor);
        _writer = GeoTiffWriter.Create(Path, main with
        {
            Width = Width, Height = Height, OverviewFactors = [], BigTiff = null, MaxDegreeOfParallelism = main.MaxDegreeOfParallelism,
        });
        try
        {
            _next = index + 1 < factors.Count ? new OverviewLevel(main, Width, Height, factors, index + 1, temporaryPathFor) : null;
        }
        catch
        {
            _writer.Dispose();
            throw;
        }
    }

    /// <summary>Columns of this level.</summary>
    public int Width { get; }

    /// <summary>Rows of this level.</summary>
    public int Height { get; }

    /// <summary>The temporary tiled file of this level (committed by <see cref="Commit"/>).</summary>
    public string Path { get; }

    /// <summary>This level and those below it, largest first.</summary>
    public IEnumerable<OverviewLevel> Chain
    {
        get
        {
            for (OverviewLevel? level = this; level is not null; level = level._next)
            {
                yield return level;
            }
        }
    }

    /// <summary>Receives source row <paramref name="y"/>: <c>bands x source width</c> values, band-planar.</summary>
    public void Push(int y, double[] row)
    {
        _rows.Add((y, row));
        while (_nextRow < Height && LastSourceRow(_nextRow) <= y)
        {
            double[] output = Reduce(_nextRow);
            WriteRow(output);
            _next?.Push(_nextRow, output);
            _nextRow++;
            int first = _nextRow < Height ? FirstSourceRow(_nextRow) : int.MaxValue;
            _rows.RemoveAll(r => r.Y < first);
        }
    }

    /// <summary>Finishes this level's file and those below (every row must have arrived).</summary>
    public void Commit()
    {
        _writer!.Commit();
        _writer = null;
        _next?.Commit();
    }

    /// <summary>Appends this level's tiles as a new reduced-resolution directory of <paramref name="target"/>, then the levels below.</summary>
    public void CopyInto(Tiff target, GeoTiffWriteOptions main)
    {
        using (Tiff source = LibTiffGlue.Open(Path, "r"))
        {
            GeoTiffWriter.WriteImageTags(target, main with { Width = Width, Height = Height });
            target.SetField(TiffTag.SUBFILETYPE, FileType.REDUCEDIMAGE);
            int tiles = source.NumberOfTiles();
            byte[] buffer = [];
            for (int t = 0; t < tiles; t++)
            {
                int size = checked((int)source.RawTileSize(t));
                if (buffer.Length < size)
                {
                    buffer = new byte[size];
                }

                LibTiffGlue.ClearError();
                int read = source.ReadRawTile(t, buffer, 0, size);
                if (read < 0 || target.WriteRawTile(t, buffer, 0, read) < 0)
                {
                    throw new IOException($"{Path}: could not copy overview tile {t} ({LibTiffGlue.LastError("LibTiff error")}).");
                }
            }

            LibTiffGlue.ClearError();
            if (!target.WriteDirectory())
            {
                throw new IOException($"could not write an overview directory ({LibTiffGlue.LastError("LibTiff error")}).");
            }
        }

        _next?.CopyInto(target, main);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        AtomicFile.TryDelete(Path);
        _next?.Dispose();
    }

    // GDAL's windows (overview.cpp, average): overview pixel i covers source [i r, (i + 1) r), cut to whole pixels
    // with a 1e-8 tolerance; the first and last pixels weigh the part of them inside (the first weighs 1 when it is
    // the only one), those between weigh 1.
    private static (int First, double[] Weights) Span(int i, double ratio, int size)
    {
        double start = i * ratio, end = (i + 1) * ratio;
        int first = (int)(start + 1e-8), last = (int)Math.Ceiling(end - 1e-8);
        if (last == first)
        {
            last++;
        }

        last = Math.Min(last, size);
        var weights = new double[last - first];
        Array.Fill(weights, 1.0);
        weights[0] = last == first + 1 ? 1.0 : 1 - (start - first);
        if (weights.Length > 1)
        {
            weights[^1] = 1 - (last - end);
        }

        return (first, weights);
    }

    private static int NearestIndex(int i, double ratio, int size) => Math.Min(size - 1, (int)((i + 0.5) * ratio));

    private int FirstSourceRow(int j) =>
        _resampling == OverviewResampling.Average ? Span(j, _ratioY, _sourceHeight).First : NearestIndex(j, _ratioY, _sourceHeight);

    private int LastSourceRow(int j)
    {
        if (_resampling != OverviewResampling.Average)
        {
            return NearestIndex(j, _ratioY, _sourceHeight);
        }

        (int first, double[] weights) = Span(j, _ratioY, _sourceHeight);
        return first + weights.Length - 1;
    }

    private bool IsNoData(double v) => _noData is double nd && (v == nd || (double.IsNaN(nd) && double.IsNaN(v)));

    private double[] Reduce(int j)
    {
        var output = new double[_bands * Width];
        int w = _sourceWidth;
        if (_resampling == OverviewResampling.Nearest)
        {
            double[] row = _rows.First(r => r.Y == NearestIndex(j, _ratioY, _sourceHeight)).Row;
            for (int b = 0; b < _bands; b++)
            {
                for (int i = 0; i < Width; i++)
                {
                    output[(b * Width) + i] = row[(b * w) + _columns[i].First];
                }
            }

            return output;
        }

        (int firstY, double[] rowWeights) = Span(j, _ratioY, _sourceHeight);
        for (int b = 0; b < _bands; b++)
        {
            for (int i = 0; i < Width; i++)
            {
                // Summed as GDAL sums: each source row's weighted values and weights, then the row times its weight.
                (int firstX, double[] columnWeights) = _columns[i];
                double sum = 0, weight = 0;
                int valid = 0;
                for (int dy = 0; dy < rowWeights.Length; dy++)
                {
                    double[] row = RowAt(firstY + dy);
                    double lineSum = 0, lineWeight = 0;
                    for (int dx = 0; dx < columnWeights.Length; dx++)
                    {
                        double v = row[(b * w) + firstX + dx];
                        if (IsNoData(v) || double.IsNaN(v))
                        {
                            continue;
                        }

                        valid++;
                        lineSum += columnWeights[dx] == 1.0 ? v : v * columnWeights[dx];
                        lineWeight += columnWeights[dx];
                    }

                    sum += lineSum * rowWeights[dy];
                    weight += lineWeight * rowWeights[dy];
                }

                output[(b * Width) + i] = valid > 0 ? Round(sum / weight) : _noData ?? 0;
            }
        }

        return output;
    }

    private double[] RowAt(int y)
    {
        foreach ((int Y, double[] Row) r in _rows)
        {
            if (r.Y == y)
            {
                return r.Row;
            }
        }

        throw new InvalidOperationException($"overview source row {y} is not held");
    }

    // GDAL rounds integer averages half up (adds 0.5 and truncates); floating types keep the mean. A mean that
    // rounds to the nodata value is moved one step off it, so that data never turns into nodata.
    private double Round(double mean)
    {
        if (_type is RasterSampleType.Float32 or RasterSampleType.Float64)
        {
            return mean;
        }

        double v = Math.Floor(mean + 0.5);
        return _noData is double nd && v == nd ? (v > 0 ? v - 1 : v + 1) : v;
    }

    private void WriteRow(double[] row)
    {
        GeoTiffWriter writer = _writer!;
        switch (_type)
        {
            case RasterSampleType.Byte: writer.WriteRows<byte>(Array.ConvertAll(row, v => (byte)Math.Clamp(v, byte.MinValue, byte.MaxValue))); break;
            case RasterSampleType.UInt16: writer.WriteRows<ushort>(Array.ConvertAll(row, v => (ushort)Math.Clamp(v, ushort.MinValue, ushort.MaxValue))); break;
            case RasterSampleType.Int16: writer.WriteRows<short>(Array.ConvertAll(row, v => (short)Math.Clamp(v, short.MinValue, short.MaxValue))); break;
            case RasterSampleType.UInt32: writer.WriteRows<uint>(Array.ConvertAll(row, v => (uint)Math.Clamp(v, uint.MinValue, uint.MaxValue))); break;
            case RasterSampleType.Int32: writer.WriteRows<int>(Array.ConvertAll(row, v => (int)Math.Clamp(v, int.MinValue, int.MaxValue))); break;
            case RasterSampleType.Float32: writer.WriteRows<float>(Array.ConvertAll(row, v => (float)v)); break;
            default: writer.WriteRows<double>(row); break;
        }
    }
}
