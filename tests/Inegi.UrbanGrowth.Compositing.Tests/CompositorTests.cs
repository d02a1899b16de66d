using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>Per-date GeoTIFFs to the mosaic: masking, the tile loop, the output files, against geomad end to end.</summary>
public sealed class CompositorTests : IDisposable
{
    private const int Width = 150, Height = 110, Dates = 9, Bands = 6;
    private static readonly GeoTransform Transform = GeoTransform.NorthUp(2_500_000, 1_000_000, 30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "urbangrowth-composite-" + Guid.NewGuid().ToString("N"));

    public CompositorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Nine dates of a synthetic scene as Collection 2 style files: UInt16 DN (reflectance x 10000), nodata 0 at
    /// a swath edge, QA_PIXEL with clouds, shadows and snow, a few saturated-dark zeros.
    /// Returns the images and the stack the composite must see (reflectance, NaN where masked), built independently.
    /// </summary>
    private (List<CompositeImage> Images, float[] Expected) WriteScenes()
    {
        var rng = new Random(5);
        var images = new List<CompositeImage>();
        int pixels = Width * Height;
        float[] expected = new float[Dates * Bands * pixels];
        var ground = new double[Bands * pixels];
        for (int i = 0; i < ground.Length; i++)
        {
            ground[i] = 0.03 + (0.35 * rng.NextDouble());
        }

        for (int d = 0; d < Dates; d++)
        {
            var dn = new ushort[Bands * pixels];
            var qa = new ushort[pixels];
            for (int p = 0; p < pixels; p++)
            {
                int col = p % Width;
                bool fill = col < d * 3;                                   // the swath edge moves date by date
                int kind = rng.Next(10);                                   // 0 cloud, 1 shadow, 2 snow, 3 dilated, else clear
                qa[p] = (ushort)(fill ? 1 : kind switch { 0 => 8 | (3 << 8), 1 => 16, 2 => 32, 3 => 2, _ => 64 });
                bool dark = !fill && rng.Next(200) == 0;                  // a zero reflectance in one band
                bool masked = fill || kind <= 3 || dark;
                for (int b = 0; b < Bands; b++)
                {
                    double r = ground[(b * pixels) + p] + (0.01 * (rng.NextDouble() - 0.5)) + (kind == 0 ? 0.5 : 0);
                    ushort v = fill ? (ushort)0 : (ushort)Math.Round(r * 10000);
                    if (dark && b == 3)
                    {
                        v = 0;
                    }

                    dn[(b * pixels) + p] = v;
                    expected[((d * Bands) + b) * pixels + p] = masked ? float.NaN : v * 1e-4f;
                }
            }

            string image = Path.Combine(_dir, $"date{d}_SR.tif"), quality = Path.Combine(_dir, $"date{d}_QA.tif");
            var options = new GeoTiffWriteOptions { Width = Width, Height = Height, BandCount = Bands, SampleType = RasterSampleType.UInt16, GeoTransform = Transform, Epsg = 6372, NoData = 0 };
            GeoTiffWriter.Write<ushort>(image, options, dn);
            GeoTiffWriter.Write<ushort>(quality, options with { BandCount = 1, NoData = null }, qa);
            images.Add(new CompositeImage(image, quality));
        }

        return (images, expected);
    }

    private static TargetGrid Grid => new(Width, Height, Transform, 6372);

    [Fact]
    public void Write_MatchesGeomadOnTheMaskedStack_AndWritesTheDocumentedFiles()
    {
        (List<CompositeImage> images, float[] expected) = WriteScenes();
        string mosaic = Path.Combine(_dir, "mosaic.tif"), mads = Path.Combine(_dir, "mads.tif"), count = Path.Combine(_dir, "count.tif");
        using (var reader = new ObservationReader(images, Grid, new ImageReadOptions()))
        {
            var summary = new GeomedianCompositor(reader, new CompositeOptions { TileSize = 64 }).Write(mosaic, mads, count);
            Assert.Equal(Dates, summary.Observations);
        }

        int pixels = Width * Height;
        (float[] gm, float[] emad, float[] smad, float[] bcmad) = GeomadOracle.Run(expected, Dates, Bands, pixels);
        using var m = GeoTiffReader.Open(mosaic);
        using var d = GeoTiffReader.Open(mads);
        using var c = GeoTiffReader.Open(count);
        var dn = new ushort[Bands * pixels];
        m.Read<ushort>(new PixelWindow(0, 0, Width, Height), dn);
        var dev = new float[3 * pixels];
        d.Read<float>(new PixelWindow(0, 0, Width, Height), dev);
        var n = new ushort[pixels];
        c.Read<ushort>(new PixelWindow(0, 0, Width, Height), n);

        int empty = 0;
        for (int p = 0; p < pixels; p++)
        {
            int usable = 0;
            for (int o = 0; o < Dates; o++)
            {
                usable += float.IsNaN(expected[(o * Bands * pixels) + p]) ? 0 : 1;
            }

            Assert.Equal(usable, n[p]);
            empty += usable == 0 ? 1 : 0;
            for (int b = 0; b < Bands; b++)
            {
                // The mosaic holds geomad's reflectance x 10000, rounded (1e-4 reflectance: at most one DN apart).
                float g = gm[(b * pixels) + p];
                ushort want = float.IsNaN(g) ? (ushort)0 : GeomedianCompositor.ToDigitalNumber(g);
                Assert.InRange(dn[(b * pixels) + p], want - 1, want + 1);
            }

            float[] oracle = [emad[p], smad[p], bcmad[p]];
            for (int k = 0; k < 3; k++)
            {
                float a = dev[(k * pixels) + p];
                Assert.Equal(float.IsNaN(oracle[k]), float.IsNaN(a));
                Assert.True(float.IsNaN(a) || Math.Abs(a - oracle[k]) <= 1e-4, $"MAD {k} at {p}: {a} against geomad {oracle[k]}");
            }
        }

        Assert.True(empty > 0, "the swath edge should leave pixels without data");
        Assert.Equal(RasterSampleType.UInt16, m.Info.SampleType);
        Assert.Equal(0, m.Info.NoData);
        Assert.Equal(6372, m.Info.Epsg);
        Assert.True(m.Info.IsTiled);
        Assert.Equal(RasterCompression.Deflate, m.Info.Compression);
        Assert.Equal(RasterSampleType.Float32, d.Info.SampleType);
        string provenance = File.ReadAllText(GeomedianCompositor.ProvenancePath(mosaic));
        Assert.Contains("date8_SR.tif", provenance, StringComparison.Ordinal);
        Assert.Contains("\"max_iterations\": 10000", provenance, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    [Fact]
    public void Write_SameBytes_WhateverTheThreads_AndSamePixels_WhateverTheTiles()
    {
        (List<CompositeImage> images, _) = WriteScenes();
        using var reader = new ObservationReader(images, Grid, new ImageReadOptions());
        string a = Path.Combine(_dir, "a.tif"), b = Path.Combine(_dir, "b.tif"), c = Path.Combine(_dir, "c.tif");
        new GeomedianCompositor(reader, new CompositeOptions { TileSize = 256, MaxDegreeOfParallelism = 1 }).Write(a);
        new GeomedianCompositor(reader, new CompositeOptions { TileSize = 256, MaxDegreeOfParallelism = 4 }).Write(b);
        new GeomedianCompositor(reader, new CompositeOptions { TileSize = 48, MaxDegreeOfParallelism = 3 }).Write(c);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        using var ra = GeoTiffReader.Open(a);
        using var rc = GeoTiffReader.Open(c);
        Assert.Equal(ra.ReadAllAsFloat(), rc.ReadAllAsFloat());
    }

    [Fact]
    public void Write_SameBytes_WhateverTheBlockCache_WhichTheImagesShare()
    {
        (List<CompositeImage> images, _) = WriteScenes();
        string a = Path.Combine(_dir, "cached.tif"), b = Path.Combine(_dir, "uncached.tif");
        int files = images.Sum(i => i.Files.Count());
        using (var reader = new ObservationReader(images, Grid, new ImageReadOptions { BlockCacheBytes = 64L * files << 20 }))
        {
            Assert.Equal(64L << 20, reader.BlockCacheBytesPerFile);
            new GeomedianCompositor(reader, new CompositeOptions { TileSize = 48 }).Write(a);
        }

        // No budget: every file gets the floor, and every block straddling two tiles is decoded again; the same bytes.
        using (var reader = new ObservationReader(images, Grid, new ImageReadOptions { BlockCacheBytes = 0 }))
        {
            Assert.Equal(ObservationReader.MinBlockCacheBytesPerFile, reader.BlockCacheBytesPerFile);
            new GeomedianCompositor(reader, new CompositeOptions { TileSize = 48 }).Write(b);
        }

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObservationReader(images, Grid, new ImageReadOptions { BlockCacheBytes = -1 }));
    }

    [Fact]
    public void CompositeTile_EqualsTheSameWindowOfTheWholeGrid()
    {
        (List<CompositeImage> images, _) = WriteScenes();
        using var reader = new ObservationReader(images, Grid, new ImageReadOptions());
        var compositor = new GeomedianCompositor(reader);
        CompositeTileResult whole = compositor.CompositeTile(new PixelWindow(0, 0, Width, Height));
        var window = new PixelWindow(37, 21, 50, 33);
        CompositeTileResult part = compositor.CompositeTile(window);
        for (int b = 0; b < Bands; b++)
        {
            for (int r = 0; r < window.Height; r++)
            {
                for (int col = 0; col < window.Width; col++)
                {
                    float w = whole.Median[(b * Width * Height) + ((window.Y + r) * Width) + window.X + col];
                    Assert.Equal(w, part.Median[(b * window.PixelCount) + (r * window.Width) + col]);
                }
            }
        }
    }

    [Fact]
    public void Write_RefusesToOverwriteAnInput()
    {
        (List<CompositeImage> images, _) = WriteScenes();
        using var reader = new ObservationReader(images, Grid, new ImageReadOptions());
        byte[] before = File.ReadAllBytes(images[0].Path);
        Assert.Throws<ArgumentException>(() => new GeomedianCompositor(reader).Write(images[0].Path));
        Assert.Equal(before, File.ReadAllBytes(images[0].Path));
    }

    [Fact]
    public void ObservationReader_QualityBandOnAnotherGrid_NamesTheFile()
    {
        (List<CompositeImage> images, _) = WriteScenes();
        string other = Path.Combine(_dir, "small_QA.tif");
        GeoTiffWriter.Write<ushort>(other, new GeoTiffWriteOptions { Width = 10, Height = 10, SampleType = RasterSampleType.UInt16, GeoTransform = Transform, Epsg = 6372 }, new ushort[100]);
        var e = Assert.Throws<DataFileException>(() => new ObservationReader([images[0] with { QualityPath = other }], Grid, new ImageReadOptions()));
        Assert.Contains("small_QA.tif", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QualityFormat.LandsatCollection2, 21824, true)]    // L8 C2 clear land
    [InlineData(QualityFormat.LandsatCollection2, 21952, true)]    // clear water
    [InlineData(QualityFormat.LandsatCollection2, 22280, false)]   // high-confidence cloud
    [InlineData(QualityFormat.LandsatCollection2, 23888, false)]   // cloud shadow
    [InlineData(QualityFormat.LandsatCollection2, 30048, false)]   // snow
    [InlineData(QualityFormat.LandsatCollection2, 54596, false)]   // cirrus (bit 2)
    [InlineData(QualityFormat.LandsatCollection2, 1, false)]       // fill
    [InlineData(QualityFormat.LandsatCollection1, 2720, true)]     // L8 C1 clear
    [InlineData(QualityFormat.LandsatCollection1, 2800, false)]    // cloud
    [InlineData(QualityFormat.LandsatCollection1, 2976, false)]    // high-confidence shadow
    [InlineData(QualityFormat.LandsatCollection1, 6896, false)]    // high-confidence cirrus
    [InlineData(QualityFormat.LandsatCollection1, 1, false)]       // fill
    [InlineData(QualityFormat.Fmask, 0, true)]
    [InlineData(QualityFormat.Fmask, 1, true)]
    [InlineData(QualityFormat.Fmask, 2, false)]
    [InlineData(QualityFormat.Fmask, 4, false)]
    [InlineData(QualityFormat.Fmask, 255, false)]
    public void QualityMask_DefaultConditions(QualityFormat format, int value, bool clear) =>
        Assert.Equal(clear, QualityMask.IsClear(format, value, MaskedConditions.Default));

    [Fact]
    public void QualityMask_KeepsSnow_WhenSnowIsNotMasked()
    {
        Assert.True(QualityMask.IsClear(QualityFormat.LandsatCollection2, 30048, MaskedConditions.Default & ~MaskedConditions.Snow));
        Assert.True(QualityMask.IsClear(QualityFormat.Fmask, 3, MaskedConditions.Default & ~MaskedConditions.Snow));
    }
}
