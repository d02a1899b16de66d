using System.Diagnostics;
using System.Globalization;
using System.Text;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Raster.Projections;
using Inegi.UrbanGrowth.Synthetic;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Pipeline;

/// <summary>The UTM grid a synthetic frame is written on, as a Landsat Collection 2 scene's: 30 m pixels, corners on the 15 m lattice.</summary>
/// <param name="Epsg">WGS 84 / UTM zone of the frame's centre (EPSG:326zz north, 327zz south).</param>
/// <param name="GeoTransform">North-up, 30 m.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public sealed record SyntheticFrameGrid(int Epsg, GeoTransform GeoTransform, int Width, int Height);

/// <summary>One scene folder of a written archive.</summary>
/// <param name="Folder">The folder (named by the product id).</param>
/// <param name="Acquisition">What it holds.</param>
/// <param name="Grid">Its UTM grid.</param>
/// <param name="CloudCover">Percentage of the scene's data pixels flagged cloud, as the MTL's <c>CLOUD_COVER</c>.</param>
public sealed record SyntheticArchiveScene(string Folder, SyntheticAcquisition Acquisition, SyntheticFrameGrid Grid, double CloudCover);

/// <summary>
/// Writes a <see cref="SyntheticArchive"/> as Landsat Collection 2 Level 2 scene folders, the layout
/// <c>urban composite --scenes</c> reads: per acquisition a folder <c>PRODUCT_ID/</c> with <c>PRODUCT_ID_SR_B{n}.TIF</c>
/// (the six reflective bands of the sensor's band map, UInt16, scale 0.0000275, offset -0.2, nodata 0),
/// <c>PRODUCT_ID_QA_PIXEL.TIF</c> (nodata 1), <c>PRODUCT_ID_QA_RADSAT.TIF</c> and <c>PRODUCT_ID_MTL.txt</c>, each frame
/// in the UTM zone of its centre (docs/synthetic.md).
/// </summary>
/// <remarks>Frames are written strip by strip (256 rows), up to 8 acquisitions at a time, so memory depends on a
/// frame's width only (about 8 x 40 bytes per pixel of a 256-row strip). A scene folder is written under a temporary name and renamed when complete: a folder with the
/// product id's name is always whole. Same scene, year, options and seed: same bytes.</remarks>
public static class SyntheticArchiveWriter
{
    private const int Strip = 64; // rows rendered at once: 256 took 0.75 GB for a batch of 8 acquisitions, 64 0.51 GB, same bytes
    private const int Lattice = 32;
    private const int Batch = 8; // acquisitions of a frame written together: one ground render serves them all
    private const string PartialPrefix = ".partial-";

    /// <summary>Plans the archive of a year over a scene, its sun model at the scene centre's latitude unless <paramref name="options"/> sets one.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="year">One of its years.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">The scene's CRS is not one the library can project (the message names it), or the archive's own checks fail.</exception>
    public static SyntheticArchive Plan(SyntheticScene scene, int year, SyntheticArchiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        options ??= new SyntheticArchiveOptions();
        if (!CrsCatalog.TryGet(scene.Epsg, out _))
        {
            throw new ArgumentException($"EPSG:{scene.Epsg} is not a coordinate system the synthetic archive can reproject to UTM frames.", nameof(scene));
        }

        if (options.Latitude is null)
        {
            (_, double latitude) = ToGeographic(scene, scene.MosaicWidth / 2.0, scene.MosaicHeight / 2.0);
            options = options with { Latitude = Math.Clamp(latitude, -59, 59) };
        }

        return new SyntheticArchive(scene, year, options);
    }

    /// <summary>Writes every acquisition of the scene's year into <paramref name="folder"/>.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="year">One of its years.</param>
    /// <param name="folder">The archive folder (created; scene folders of the same ids are replaced).</param>
    /// <param name="options">Settings, or null for the defaults (every revisit).</param>
    /// <param name="progress">Receives frame rows done.</param>
    /// <param name="cancellationToken">Stops the run (whole scene folders stay; the ones being written are removed).</param>
    /// <returns>The scene folders, by date then frame.</returns>
    public static IReadOnlyList<SyntheticArchiveScene> Write(SyntheticScene scene, int year, string folder, SyntheticArchiveOptions? options = null,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Write(Plan(scene, year, options), folder, progress, cancellationToken);

    /// <summary>Writes every acquisition of a planned archive into <paramref name="folder"/>.</summary>
    /// <param name="archive">The archive, from <see cref="Plan"/>.</param>
    /// <param name="folder">The archive folder (created; scene folders of the same ids are replaced).</param>
    /// <param name="progress">Receives frame rows done.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The scene folders, by date then frame.</returns>
    public static IReadOnlyList<SyntheticArchiveScene> Write(SyntheticArchive archive, string folder, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.EnumerateDirectories(folder, PartialPrefix + "*"))
        {
            Directory.Delete(stale, recursive: true); // left by a killed run; never a finished scene
        }

        var written = new SyntheticArchiveScene[archive.Acquisitions.Count];
        var stopwatch = Stopwatch.StartNew();
        SyntheticFrameGrid[] grids = [.. archive.Frames.Select(f => FrameGrid(archive, f))];
        long totalRows = archive.Acquisitions.Sum(a => (long)grids[a.FrameIndex].Height), doneRows = 0;
        foreach (SyntheticFrame frame in archive.Frames)
        {
            SyntheticFrameGrid grid = grids[frame.Index];
            SyntheticAcquisition[] ofFrame = [.. archive.Acquisitions.Where(a => a.FrameIndex == frame.Index)];
            for (int start = 0; start < ofFrame.Length; start += Batch)
            {
                SyntheticAcquisition[] batch = ofFrame[start..Math.Min(ofFrame.Length, start + Batch)];
                foreach (SyntheticArchiveScene s in WriteBatch(archive, grid, batch, folder, rows =>
                {
                    doneRows += rows;
                    progress?.Report(new PipelineProgress("synth scenes", doneRows, totalRows, stopwatch.Elapsed));
                }, cancellationToken))
                {
                    written[s.Acquisition.Index] = s;
                }
            }
        }

        return written;
    }

    /// <summary>The UTM grid of a frame: the zone of its centre, covering its data area within the scene, corners on the 15 m lattice as Landsat's.</summary>
    /// <param name="archive">The archive.</param>
    /// <param name="frame">One of its frames.</param>
    public static SyntheticFrameGrid FrameGrid(SyntheticArchive archive, SyntheticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(frame);
        SyntheticScene scene = archive.Scene;
        double cx = frame.Footprint.Average(p => p.Column), cy = frame.Footprint.Average(p => p.Row);
        (double lon, double lat) = ToGeographic(scene, cx, cy);
        int zone = Math.Clamp((int)Math.Floor((lon + 180) / 6) + 1, 1, 60);
        int epsg = (lat >= 0 ? 32600 : 32700) + zone;
        MathTransform toUtm = CrsCatalog.Transformation(scene.Epsg, epsg);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        IReadOnlyList<(double Column, double Row)> f = frame.Footprint;
        for (int i = 0; i < f.Count; i++)
        {
            (double c0, double r0) = f[i];
            (double c1, double r1) = f[(i + 1) % f.Count];
            for (int k = 0; k < 16; k++)
            {
                double t = k / 16.0;
                (double x, double y) = scene.MosaicTransform.PixelToMap(c0 + (t * (c1 - c0)), r0 + (t * (r1 - r0)));
                double[] p = toUtm.Transform([x, y]);
                (minX, maxX, minY, maxY) = (Math.Min(minX, p[0]), Math.Max(maxX, p[0]), Math.Min(minY, p[1]), Math.Max(maxY, p[1]));
            }
        }

        const double Pixel = 30;
        double x0 = (Math.Floor((minX - 15) / Pixel) * Pixel) + 15, x1 = (Math.Ceiling((maxX - 15) / Pixel) * Pixel) + 15;
        double y0 = (Math.Floor((minY - 15) / Pixel) * Pixel) + 15, y1 = (Math.Ceiling((maxY - 15) / Pixel) * Pixel) + 15;
        return new SyntheticFrameGrid(epsg, GeoTransform.NorthUp(x0, y1, Pixel), (int)Math.Round((x1 - x0) / Pixel), (int)Math.Round((y1 - y0) / Pixel));
    }

    /// <summary>
    /// Where the centres of frame pixels fall in the scene's mosaic (pixel coordinates: column, row; pixel i spans
    /// [i, i + 1)): exact transforms on a lattice every 32 frame pixels, bilinear between them (under 1e-4 pixel from
    /// the exact transform over a 1 km lattice cell). The lattice is the frame's, so any strip split gives the same values.
    /// </summary>
    /// <param name="archive">The archive.</param>
    /// <param name="grid">A frame's grid.</param>
    /// <param name="firstRow">First frame row.</param>
    /// <param name="rows">Frame rows.</param>
    /// <param name="columns">Receives <c>rows x grid.Width</c> mosaic columns, row-major.</param>
    /// <param name="sceneRows">Receives the mosaic rows.</param>
    public static void MapToScene(SyntheticArchive archive, SyntheticFrameGrid grid, int firstRow, int rows, Span<double> columns, Span<double> sceneRows)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(grid);
        SyntheticScene scene = archive.Scene;
        int w = grid.Width;
        ArgumentOutOfRangeException.ThrowIfLessThan(columns.Length, rows * w, nameof(columns));
        ArgumentOutOfRangeException.ThrowIfLessThan(sceneRows.Length, rows * w, nameof(sceneRows));
        MathTransform toScene = CrsCatalog.Transformation(grid.Epsg, scene.Epsg);
        int j0 = firstRow / Lattice, j1 = ((firstRow + rows) / Lattice) + 1, nodesX = (w / Lattice) + 2;
        var nodeC = new double[(j1 - j0 + 1) * nodesX];
        var nodeR = new double[nodeC.Length];
        GeoTransform m = scene.MosaicTransform;
        for (int jj = j0; jj <= j1; jj++)
        {
            for (int ii = 0; ii < nodesX; ii++)
            {
                (double x, double y) = grid.GeoTransform.PixelToMap(ii * Lattice, jj * Lattice);
                double[] p = toScene.Transform([x, y]);
                int k = ((jj - j0) * nodesX) + ii;
                nodeC[k] = (p[0] - m.OriginX) / m.PixelWidth;
                nodeR[k] = (p[1] - m.OriginY) / m.PixelHeight;
            }
        }

        for (int j = 0; j < rows; j++)
        {
            double v = (firstRow + j + 0.5) / Lattice;
            int jj = (int)Math.Floor(v);
            double fy = v - jj;
            int top = (jj - j0) * nodesX, bottom = top + nodesX;
            for (int i = 0; i < w; i++)
            {
                double u = (i + 0.5) / Lattice;
                int ii = (int)Math.Floor(u);
                double fx = u - ii;
                int o = (j * w) + i;
                columns[o] = Bilinear(nodeC, top + ii, bottom + ii, fx, fy);
                sceneRows[o] = Bilinear(nodeR, top + ii, bottom + ii, fx, fy);
            }
        }
    }

    private static double Bilinear(double[] v, int top, int bottom, double fx, double fy)
    {
        double a = v[top] + (fx * (v[top + 1] - v[top]));
        double b = v[bottom] + (fx * (v[bottom + 1] - v[bottom]));
        return a + (fy * (b - a));
    }

    private static (double Lon, double Lat) ToGeographic(SyntheticScene scene, double column, double row)
    {
        (double x, double y) = scene.MosaicTransform.PixelToMap(column, row);
        double[] p = CrsCatalog.Transformation(scene.Epsg, 4326).Transform([x, y]);
        return (p[0], p[1]);
    }

    private static List<SyntheticArchiveScene> WriteBatch(SyntheticArchive archive, SyntheticFrameGrid grid, SyntheticAcquisition[] batch, string folder, Action<int> rowsDone, CancellationToken cancellationToken)
    {
        int w = grid.Width, n = batch.Length;
        var partial = new string[n];
        var writers = new GeoTiffWriter[n][];
        var cloudy = new long[n];
        var data = new long[n];
        try
        {
            for (int a = 0; a < n; a++)
            {
                string id = batch[a].ProductId;
                partial[a] = Path.Combine(folder, PartialPrefix + id);
                if (Directory.Exists(partial[a]))
                {
                    Directory.Delete(partial[a], recursive: true);
                }

                Directory.CreateDirectory(partial[a]);
                writers[a] = [.. FileNames(batch[a]).Select((name, i) => GeoTiffWriter.Create(Path.Combine(partial[a], name), BandOptions(grid, i)))];
            }

            int capacity = Strip * w;
            var columns = new double[capacity];
            var rows = new double[capacity];
            var reflectance = new ushort[n][];
            var qaPixel = new ushort[n][];
            var qaRadsat = new ushort[n][];
            var conditions = new SyntheticConditions[n][];
            for (int a = 0; a < n; a++)
            {
                reflectance[a] = new ushort[SyntheticScene.BandCount * capacity];
                qaPixel[a] = new ushort[capacity];
                qaRadsat[a] = new ushort[capacity];
                conditions[a] = new SyntheticConditions[capacity];
            }

            for (int y = 0; y < grid.Height; y += Strip)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int h = Math.Min(Strip, grid.Height - y), count = h * w;
                MapToScene(archive, grid, y, h, columns, rows);
                SyntheticGround ground = archive.Ground(columns.AsSpan(0, count), rows.AsSpan(0, count));
                Parallel.For(0, n, a =>
                {
                    archive.Render(batch[a], ground, reflectance[a], qaPixel[a], qaRadsat[a], conditions[a]);
                    for (int b = 0; b < SyntheticScene.BandCount; b++)
                    {
                        writers[a][b].WriteRows<ushort>(reflectance[a].AsSpan(b * count, count));
                    }

                    writers[a][6].WriteRows<ushort>(qaPixel[a].AsSpan(0, count));
                    writers[a][7].WriteRows<ushort>(qaRadsat[a].AsSpan(0, count));
                    for (int p = 0; p < count; p++)
                    {
                        SyntheticConditions c = conditions[a][p];
                        data[a] += (c & SyntheticConditions.Fill) == 0 ? 1 : 0;
                        cloudy[a] += (c & SyntheticConditions.Cloud) != 0 ? 1 : 0;
                    }
                });
                rowsDone(h * n);
            }

            var scenes = new List<SyntheticArchiveScene>(n);
            for (int a = 0; a < n; a++)
            {
                foreach (GeoTiffWriter writer in writers[a])
                {
                    writer.Commit();
                }

                double cover = data[a] > 0 ? 100.0 * cloudy[a] / data[a] : 0;
                SyntheticAcquisition acquisition = batch[a];
                AtomicFile.WriteAllText(Path.Combine(partial[a], acquisition.ProductId + "_MTL.txt"), Mtl(archive, acquisition, grid, cover));
                string final = Path.Combine(folder, acquisition.ProductId);
                if (Directory.Exists(final))
                {
                    Directory.Delete(final, recursive: true);
                }

                Directory.Move(partial[a], final);
                scenes.Add(new SyntheticArchiveScene(final, acquisition, grid, cover));
            }

            return scenes;
        }
        finally
        {
            for (int a = 0; a < n; a++)
            {
                foreach (GeoTiffWriter? writer in writers[a] ?? [])
                {
                    writer?.Dispose();
                }

                if (partial[a] is { } p && Directory.Exists(p))
                {
                    Directory.Delete(p, recursive: true);
                }
            }
        }
    }

    private static IEnumerable<string> FileNames(SyntheticAcquisition a) =>
        a.BandNumbers.Select(b => string.Create(CultureInfo.InvariantCulture, $"{a.ProductId}_SR_B{b}.TIF"))
            .Append(a.ProductId + "_QA_PIXEL.TIF").Append(a.ProductId + "_QA_RADSAT.TIF");

    private static GeoTiffWriteOptions BandOptions(SyntheticFrameGrid grid, int file) => new()
    {
        Width = grid.Width,
        Height = grid.Height,
        SampleType = RasterSampleType.UInt16,
        GeoTransform = grid.GeoTransform,
        Epsg = grid.Epsg,
        NoData = file < SyntheticScene.BandCount ? SyntheticArchive.Fill : file == SyntheticScene.BandCount ? SyntheticArchive.QaFill : null,
        MaxDegreeOfParallelism = 1, // acquisitions are written in parallel instead
    };

    private static string Mtl(SyntheticArchive archive, SyntheticAcquisition a, SyntheticFrameGrid grid, double cloudCover)
    {
        SyntheticFrame frame = archive.Frames[a.FrameIndex];
        (double lon, double lat) = ToGeographic(archive.Scene, frame.Footprint.Average(p => p.Column), frame.Footprint.Average(p => p.Row));
        double utc = 10.4 - (lon / 15);
        utc -= 24 * Math.Floor(utc / 24);
        var time = TimeSpan.FromHours(utc);
        GeoTransform g = grid.GeoTransform;
        var s = new StringBuilder();
        void Line(int indent, string text) => s.Append(' ', 2 * indent).Append(text).Append('\n');
        void Value(string key, FormattableString value) => Line(2, key + " = " + value.ToString(CultureInfo.InvariantCulture));
        Line(0, "GROUP = LANDSAT_METADATA_FILE");
        Line(1, "GROUP = PRODUCT_CONTENTS");
        Value("ORIGIN", $"\"Synthetic scene written by Inegi.UrbanGrowth (not a USGS product)\"");
        Value("LANDSAT_PRODUCT_ID", $"\"{a.ProductId}\"");
        Value("PROCESSING_LEVEL", $"\"L2SP\"");
        Value("COLLECTION_NUMBER", $"02");
        Value("COLLECTION_CATEGORY", $"\"T1\"");
        foreach (int b in a.BandNumbers)
        {
            Value($"FILE_NAME_BAND_{b}", $"\"{a.ProductId}_SR_B{b}.TIF\"");
        }

        Value("FILE_NAME_QUALITY_L1_PIXEL", $"\"{a.ProductId}_QA_PIXEL.TIF\"");
        Value("FILE_NAME_QUALITY_L1_RADIOMETRIC_SATURATION", $"\"{a.ProductId}_QA_RADSAT.TIF\"");
        Value("FILE_NAME_METADATA_ODL", $"\"{a.ProductId}_MTL.txt\"");
        Line(1, "END_GROUP = PRODUCT_CONTENTS");
        Line(1, "GROUP = IMAGE_ATTRIBUTES");
        Value("SPACECRAFT_ID", $"\"{a.Spacecraft}\"");
        Value("SENSOR_ID", $"\"{a.Sensor}\"");
        Value("WRS_TYPE", $"2");
        Value("WRS_PATH", $"{frame.Path}");
        Value("WRS_ROW", $"{frame.Row}");
        Value("DATE_ACQUIRED", $"{a.Date:yyyy-MM-dd}");
        Value("SCENE_CENTER_TIME", $"\"{time.Hours:00}:{time.Minutes:00}:{time.Seconds:00}.0000000Z\"");
        Value("CLOUD_COVER", $"{cloudCover:0.00}");
        Value("CLOUD_COVER_LAND", $"{cloudCover:0.00}");
        Value("SUN_AZIMUTH", $"{a.SunAzimuth:0.00000000}");
        Value("SUN_ELEVATION", $"{a.SunElevation:0.00000000}");
        if (a.Spacecraft == "LANDSAT_7")
        {
            Value("SENSOR_MODE_SLC", $"\"{(a.ScanLineCorrectorOff ? "OFF" : "ON")}\"");
        }

        Line(1, "END_GROUP = IMAGE_ATTRIBUTES");
        Line(1, "GROUP = PROJECTION_ATTRIBUTES");
        Value("MAP_PROJECTION", $"\"UTM\"");
        Value("DATUM", $"\"WGS84\"");
        Value("ELLIPSOID", $"\"WGS84\"");
        Value("UTM_ZONE", $"{grid.Epsg % 100}");
        Value("GRID_CELL_SIZE_REFLECTIVE", $"30.00");
        Value("REFLECTIVE_LINES", $"{grid.Height}");
        Value("REFLECTIVE_SAMPLES", $"{grid.Width}");
        Value("ORIENTATION", $"\"NORTH_UP\"");
        Value("CORNER_UL_PROJECTION_X_PRODUCT", $"{g.OriginX:0.000}");
        Value("CORNER_UL_PROJECTION_Y_PRODUCT", $"{g.OriginY:0.000}");
        Value("CORNER_LR_PROJECTION_X_PRODUCT", $"{g.OriginX + (30 * grid.Width):0.000}");
        Value("CORNER_LR_PROJECTION_Y_PRODUCT", $"{g.OriginY - (30 * grid.Height):0.000}");
        Value("SCENE_CENTER_LAT", $"{lat:0.0000}");
        Value("SCENE_CENTER_LON", $"{lon:0.0000}");
        Line(1, "END_GROUP = PROJECTION_ATTRIBUTES");
        Line(1, "GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS");
        foreach (int b in a.BandNumbers)
        {
            Value($"REFLECTANCE_MULT_BAND_{b}", $"2.75E-05");
            Value($"REFLECTANCE_ADD_BAND_{b}", $"-0.200000");
        }

        Line(1, "END_GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS");
        Line(0, "END_GROUP = LANDSAT_METADATA_FILE");
        Line(0, "END");
        return s.ToString();
    }
}
