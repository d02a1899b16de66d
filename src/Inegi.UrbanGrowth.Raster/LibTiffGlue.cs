using System.Globalization;
using System.Runtime.CompilerServices;
using BitMiracle.LibTiff.Classic;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// Process-wide LibTiff.NET set-up: registers the GeoTIFF and GDAL tags (so they are read and written as typed
/// custom fields) and replaces the console error handler by one that records the last message per thread, so
/// that failures surface as <see cref="DataFileException"/> naming the file.
/// </summary>
internal static class LibTiffGlue
{
    /// <summary>ModelPixelScaleTag (GeoTIFF 1.1, 33550).</summary>
    public const TiffTag ModelPixelScale = (TiffTag)33550;

    /// <summary>ModelTiepointTag (33922).</summary>
    public const TiffTag ModelTiepoint = (TiffTag)33922;

    /// <summary>ModelTransformationTag (34264).</summary>
    public const TiffTag ModelTransformation = (TiffTag)34264;

    /// <summary>GeoKeyDirectoryTag (34735).</summary>
    public const TiffTag GeoKeyDirectory = (TiffTag)34735;

    /// <summary>GeoDoubleParamsTag (34736).</summary>
    public const TiffTag GeoDoubleParams = (TiffTag)34736;

    /// <summary>GeoAsciiParamsTag (34737).</summary>
    public const TiffTag GeoAsciiParams = (TiffTag)34737;

    /// <summary>GDAL_NODATA (42113), ASCII.</summary>
    public const TiffTag GdalNoData = (TiffTag)42113;

    private static readonly TiffFieldInfo[] GeoFields =
    [
        new(ModelPixelScale, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelPixelScaleTag"),
        new(ModelTiepoint, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelTiepointTag"),
        new(ModelTransformation, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelTransformationTag"),
        new(GeoKeyDirectory, -1, -1, TiffType.SHORT, FieldBit.Custom, true, true, "GeoKeyDirectoryTag"),
        new(GeoDoubleParams, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "GeoDoubleParamsTag"),
        new(GeoAsciiParams, -1, -1, TiffType.ASCII, FieldBit.Custom, true, false, "GeoAsciiParamsTag"),
        new(GdalNoData, -1, -1, TiffType.ASCII, FieldBit.Custom, true, false, "GDALNoDataValue"),
    ];

    private static readonly object Gate = new();
    private static Tiff.TiffExtendProc? _parentExtender;
    private static bool _initialized;

    [ThreadStatic]
    private static string? _lastError;

    /// <summary>Registers the tags and the error handler once per process.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }

        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            Tiff.SetErrorHandler(new RecordingErrorHandler());
            _parentExtender = Tiff.SetTagExtender(Extend);
            Volatile.Write(ref _initialized, true);
        }
    }

    /// <summary>Clears the calling thread's last LibTiff error.</summary>
    public static void ClearError() => _lastError = null;

    /// <summary>The calling thread's last LibTiff error, or a generic text.</summary>
    public static string LastError(string fallback) => _lastError ?? fallback;

    /// <summary>Opens a TIFF, translating every failure into a <see cref="DataFileException"/>.</summary>
    public static Tiff Open(string path, string mode)
    {
        EnsureInitialized();
        ClearError();
        Tiff? tiff;
        try
        {
            tiff = Tiff.Open(path, mode);
        }
        catch (Exception e) when (e is not DataFileException and not OutOfMemoryException)
        {
            throw new DataFileException(path, "not a readable TIFF (" + e.Message + ")", e);
        }

        return tiff ?? throw new DataFileException(path, "not a readable TIFF (" + LastError("LibTiff could not open it") + ")");
    }

    /// <summary>The values of a numeric array field (any integer or floating type), or null when absent.</summary>
    public static double[]? GetDoubles(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? values = tiff.GetField(tag);
        if (values is null)
        {
            return null;
        }

        for (int i = values.Length - 1; i >= 0; i--)
        {
            object v = values[i].Value;
            switch (v)
            {
                case double[] d: return d;
                case float[] f: return Array.ConvertAll(f, x => (double)x);
                case short[] s: return Array.ConvertAll(s, x => (double)(ushort)x);
                case ushort[] us: return Array.ConvertAll(us, x => (double)x);
                case int[] n: return Array.ConvertAll(n, x => (double)x);
                case uint[] un: return Array.ConvertAll(un, x => (double)x);
                // LibTiff.NET hands custom array fields back as bytes, already in native byte order.
                case byte[] b when tag is GeoKeyDirectory: return ShortsFromBytes(b);
                case byte[] b: return DoublesFromBytes(b);
                default: break;
            }
        }

        return null;
    }

    /// <summary>The text of an ASCII field, or null when absent.</summary>
    public static string? GetText(Tiff tiff, TiffTag tag)
    {
        FieldValue[]? values = tiff.GetField(tag);
        if (values is null)
        {
            return null;
        }

        foreach (FieldValue fv in values)
        {
            switch (fv.Value)
            {
                case string s: return s.TrimEnd('\0', ' ');
                case byte[] b: return System.Text.Encoding.ASCII.GetString(b).TrimEnd('\0', ' ');
                default: break;
            }
        }

        return null;
    }

    /// <summary>Integer value of a standard field, or a default.</summary>
    public static int GetInt(Tiff tiff, TiffTag tag, int fallback)
    {
        FieldValue[]? v = tiff.GetField(tag);
        return v is null || v.Length == 0 ? fallback : v[0].ToInt();
    }

    private static double[] ShortsFromBytes(byte[] b)
    {
        var result = new double[b.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = BitConverter.ToUInt16(b, 2 * i);
        }

        return result;
    }

    private static double[] DoublesFromBytes(byte[] b)
    {
        var result = new double[b.Length / 8];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = BitConverter.ToDouble(b, 8 * i);
        }

        return result;
    }

    private static void Extend(Tiff tiff)
    {
        tiff.MergeFieldInfo(GeoFields, GeoFields.Length);
        _parentExtender?.Invoke(tiff);
    }

    /// <summary>Formats a nodata value as GDAL writes it in GDAL_NODATA.</summary>
    public static string FormatNoData(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Parses GDAL_NODATA text; null when it is not a number.</summary>
    public static double? ParseNoData(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string t = text.Trim();
        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase) || t.Equals("-nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        if (t.Equals("-inf", StringComparison.OrdinalIgnoreCase))
        {
            return double.NegativeInfinity;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
    }

    private sealed class RecordingErrorHandler : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
            _lastError = Format(method, format, args);
        }

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
            _lastError = Format(method, format, args);
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string Format(string method, string format, object[] args)
        {
            string text;
            try
            {
                text = args is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, format, args) : format;
            }
            catch (FormatException)
            {
                text = format;
            }

            return string.IsNullOrEmpty(method) ? text : method + ": " + text;
        }
    }
}
