using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>Hand-made grids on EPSG:6372 (1 km cells) and helpers to read rasters and run GDAL.</summary>
internal static class TestGrids
{
    public const int Epsg = 6372;
    public static readonly GeoTransform Transform = GeoTransform.NorthUp(2_400_000, 1_200_000, 1000);

    /// <summary>Growth codes from text rows: '2' new urban, '.' stable non-urban, '1' stable urban, '3' lost, 'x' nodata.</summary>
    public static byte[] Growth(params string[] rows) =>
        [.. rows.SelectMany(r => r.Select(ch => ch switch { '.' => (byte)0, '1' => (byte)1, '2' => (byte)2, '3' => (byte)3, _ => (byte)255 }))];

    public static void WriteByte(string path, int width, int height, byte[] values, double? noData = 255) =>
        GeoTiffWriter.Write<byte>(path, new GeoTiffWriteOptions { Width = width, Height = height, GeoTransform = Transform, Epsg = Epsg, NoData = noData }, values);

    public static void WriteUInt16(string path, int width, int height, ushort[] values) =>
        GeoTiffWriter.Write<ushort>(path, new GeoTiffWriteOptions { Width = width, Height = height, SampleType = RasterSampleType.UInt16, GeoTransform = Transform, Epsg = Epsg, NoData = 65535 }, values);

    public static T[] ReadAll<T>(string path) where T : unmanaged
    {
        using GeoTiffReader reader = GeoTiffReader.Open(path);
        var values = new T[reader.Info.Width * reader.Info.Height];
        reader.Read<T>(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height), [0], values);
        return values;
    }

    /// <summary>gdal_rasterize of a layer's attribute onto the grid of <paramref name="info"/> (default pixel-centre rule), as Int32.</summary>
    public static int[] GdalRasterize(string layer, string attribute, RasterInfo info, int init, string output)
    {
        GeoTransform t = info.GeoTransform;
        double xmin = t.OriginX, ymax = t.OriginY, xmax = xmin + (info.Width * t.PixelWidth), ymin = ymax + (info.Height * t.PixelHeight);
        Testing.Oracles.RunGdal("gdal_rasterize", "-q", "-a", attribute, "-init", I(init), "-ot", "Int32",
            "-te", D(xmin), D(ymin), D(xmax), D(ymax), "-ts", I(info.Width), I(info.Height), layer, output);
        return ReadAll<int>(output);
    }

    /// <summary>Transforms points with gdaltransform (PROJ), longitude/latitude order for geographic CRSs.</summary>
    public static (double X, double Y)[] GdalTransform(int source, int target, IReadOnlyList<(double X, double Y)> points)
    {
        string input = Path.Combine(Path.GetTempPath(), "urbangrowth-gdaltransform-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(input, points.Select(p => D(p.X) + " " + D(p.Y)));
        try
        {
            string stdout = Testing.Oracles.Run("sh", ["-c", $"gdaltransform -s_srs EPSG:{I(source)} -t_srs EPSG:{I(target)} -output_xy < \"{input}\""]);
            double[] numbers = Testing.Oracles.ParseNumbers(stdout);
            Assert.Equal(points.Count * 2, numbers.Length);
            return [.. Enumerable.Range(0, points.Count).Select(i => (numbers[2 * i], numbers[(2 * i) + 1]))];
        }
        finally
        {
            File.Delete(input);
        }
    }

    public static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
