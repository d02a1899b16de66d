using System.Globalization;
using Inegi.UrbanGrowth.Compositing;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Cluster.Tests;

/// <summary>
/// A real multi-date stack: the 19 Landsat 8 dates of 2018 over New York (nyc-l8-2018-coarse, three path/rows, 3 km
/// pixels, Collection 1 BQA with real clouds), each date's B2..B7 put into one six-band GeoTIFF, composited into
/// INEGI's EPSG:6372 at 1.5 km (a real reprojection) by the single-process <c>urban composite</c>, whose outputs every
/// tiled run must reproduce byte for byte.
/// </summary>
public sealed class NycStack : IDisposable
{
    /// <summary>The processing block: the 300 x 320 grid is 5 x 5 blocks, the last column of blocks 44 pixels wide.</summary>
    public const int Block = 64;

    public NycStack()
    {
        foreach (string scene in Directory.GetDirectories(TestData.Path("nyc-l8-2018-coarse")).Order(StringComparer.Ordinal))
        {
            string id = Path.GetFileName(scene)[..25];
            string image = Dir.File(id + "_SR.tif");
            RasterInfo info = GeoTiffReader.ReadInfo(Path.Combine(scene, id + "_B2.TIF"));
            int pixels = info.Width * info.Height;
            var planes = new ushort[6 * pixels];
            for (int b = 0; b < 6; b++)
            {
                using GeoTiffReader band = GeoTiffReader.Open(Path.Combine(scene, string.Create(CultureInfo.InvariantCulture, $"{id}_B{b + 2}.TIF")));
                Assert.Equal((info.Width, info.Height), (band.Info.Width, band.Info.Height));
                band.Read<ushort>(new PixelWindow(0, 0, info.Width, info.Height), planes.AsSpan(b * pixels, pixels));
            }

            GeoTiffWriter.Write<ushort>(image, new GeoTiffWriteOptions
            {
                Width = info.Width, Height = info.Height, BandCount = 6, SampleType = RasterSampleType.UInt16,
                GeoTransform = info.GeoTransform, Epsg = info.Epsg, NoData = 0,
            }, planes);
            Images.Add(image);
            Quality.Add(Path.Combine(scene, id + "_BQA.TIF"));
        }

        Assert.Equal(19, Images.Count);
        Urban.Ok(Urban.Run(["composite", "--out", SingleRun("mosaic.tif"), "--mads", SingleRun("mads.tif"), "--count", SingleRun("count.tif"), "--threads", "1", .. CommandLine]));
    }

    public TempDirectory Dir { get; } = new();

    public List<string> Images { get; } = [];

    public List<string> Quality { get; } = [];

    /// <summary>The options both runs share, as `urban composite` and `urban plan composite` take them.</summary>
    public string[] CommandLine =>
    [
        "--images", .. Images, "--qa", .. Quality, "--qa-format", "c1", "--nodata", "0", "--scale", "0.00002", "--offset", "-0.1",
        "--crs", "EPSG:6372", "--bounds", "4710000,3240000,5160000,3720000", "--resolution", "1500", "--tile", Block.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>The same options for <see cref="TilePlan.Create"/>.</summary>
    public StepOptions Options => new(
    [
        new("images", [.. Images]), new("qa", [.. Quality]), new("qa-format", ["c1"]), new("nodata", ["0"]), new("scale", ["0.00002"]),
        new("offset", ["-0.1"]), new("crs", ["EPSG:6372"]), new("bounds", ["4710000,3240000,5160000,3720000"]), new("resolution", ["1500"]),
        new("tile", [Block.ToString(CultureInfo.InvariantCulture)]),
    ]);

    /// <summary>The single-process outputs: mosaic.tif, mads.tif, count.tif, mosaic.provenance.json.</summary>
    public string SingleRun(string name) => Path.Combine(Dir.File("single"), name);

    public string NewFolder(string name) => Dir.File(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Dir.Dispose();
}

/// <summary>`urban plan composite`: tiles of the target pixel grid, merged byte for byte into the single-process composite.</summary>
public sealed class CompositeStepTests(NycStack s) : IClassFixture<NycStack>
{
    private static readonly string[] Outputs = ["mosaic.tif", "mads.tif", "count.tif", "mosaic.provenance.json"];

    [Fact]
    public void Plan_splits_the_pixel_grid_on_multiples_of_the_processing_block_and_records_every_image()
    {
        TilePlan plan = TilePlan.Create(TiledSteps.Find("composite"), s.Options, 3, 2, s.NewFolder("plan"), Urban.Launcher);
        Assert.Equal(new GridSize(300, 320, NycStack.Block), plan.Grid);
        Assert.Equal(2 * 19, plan.Inputs.Count);
        Assert.Equal(
            [(0, 0, 64, 128), (64, 0, 128, 128), (192, 0, 108, 128), (0, 128, 64, 192), (64, 128, 128, 192), (192, 128, 108, 192)],
            plan.Tiles.Select(t => (t.Cells.X, t.Cells.Y, t.Cells.Width, t.Cells.Height)));

        // The alignment survives plan.json.
        Assert.Equal(plan.Tiles, TilePlan.Load(plan.Folder).Tiles);
        Assert.Contains("\"alignment\": 64", File.ReadAllText(plan.PlanFile), StringComparison.Ordinal);

        // At most one tile per block: 5 x 5 here.
        var e = Assert.Throws<ArgumentException>(() => TilePlan.Create(TiledSteps.Find("composite"), s.Options, 6, 1, s.NewFolder("too-many"), Urban.Launcher));
        Assert.Contains("1..5 tiles across", e.Message, StringComparison.Ordinal);
        Assert.Contains("multiples of 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiles_of_any_grid_fall_on_the_alignment_and_cover_it_once()
    {
        foreach ((GridSize grid, int tx, int ty) in new[] { (new GridSize(300, 320, 64), 5, 5), (new GridSize(1000, 37, 256), 3, 1), (new GridSize(513, 512, 256), 2, 2), (new GridSize(77, 78, 16), 4, 3) })
        {
            int[] covered = new int[grid.Width * grid.Height];
            foreach (TileWindow tile in TilePlan.Split(grid, tx, ty))
            {
                PixelWindow c = tile.Cells;
                Assert.True(c.Width > 0 && c.Height > 0, $"{grid}: empty tile {tile}");
                Assert.Equal(0, c.X % grid.Alignment);
                Assert.Equal(0, c.Y % grid.Alignment);
                Assert.True((c.X + c.Width) % grid.Alignment == 0 || c.X + c.Width == grid.Width);
                for (int y = c.Y; y < c.Y + c.Height; y++)
                {
                    for (int x = c.X; x < c.X + c.Width; x++)
                    {
                        covered[(y * grid.Width) + x]++;
                    }
                }
            }

            Assert.All(covered, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void Tiles_of_2x2_merge_to_the_single_process_composite_byte_for_byte_and_gdal_reads_the_vrt_as_it()
    {
        TilePlan plan = TilePlan.Create(TiledSteps.Find("composite"), s.Options, 2, 2, s.NewFolder("plan-2x2"), Urban.Launcher);
        foreach (TileWindow tile in plan.Tiles)
        {
            TaskOutcome outcome = TileTask.Run(plan, tile.Index, threads: 2);
            Assert.True(outcome.ExitCode == 0, outcome.Message);

            // A tile holds only its window, georeferenced at its corner.
            RasterInfo info = GeoTiffReader.ReadInfo(Path.Combine(plan.TileFolder(tile.Index), "mosaic.tif"));
            Assert.Equal((tile.Cells.Width, tile.Cells.Height, 6), (info.Width, info.Height, info.BandCount));
            Assert.Equal(4_710_000 + (1500.0 * tile.Cells.X), info.GeoTransform.OriginX);
            Assert.Equal(3_720_000 - (1500.0 * tile.Cells.Y), info.GeoTransform.OriginY);
        }

        string merged = s.NewFolder("merged-2x2");
        IReadOnlyList<string> files = PlanMerger.Merge(plan, merged);
        Assert.Equal(Outputs, files.Select(Path.GetFileName));
        AssertSameBytes(merged);

        // GDAL reads each VRT of the tiles as the single-process raster: size, origin, pixel size, nodata, checksums.
        foreach (string raster in new[] { "mosaic", "mads", "count" })
        {
            Assert.Equal(GdalSummary(s.SingleRun(raster + ".tif")), GdalSummary(Path.Combine(plan.Folder, raster + ".vrt")));
        }

        // The mosaic readers take the VRT too (so 'urban plan classify --mosaic PLAN/mosaic.vrt' works before the merge).
        using VrtRaster vrt = VrtRaster.Open(Path.Combine(plan.Folder, "mosaic.vrt"));
        using GeoTiffReader single = GeoTiffReader.Open(s.SingleRun("mosaic.tif"));
        Assert.Equal(single.Info.GeoTransform, vrt.Info.GeoTransform);
        var all = new PixelWindow(0, 0, 300, 320);
        ushort[] expected = new ushort[6 * all.PixelCount], actual = new ushort[6 * all.PixelCount];
        single.Read<ushort>(all, [0, 1, 2, 3, 4, 5], expected);
        vrt.Read<ushort>(all, [0, 1, 2, 3, 4, 5], actual);
        Assert.Equal(expected, actual);
        Assert.Contains(expected, v => v == 0);        // pixels no date saw clear
        Assert.True(expected.Count(v => v != 0) > expected.Length * 0.4, $"{expected.Count(v => v != 0)} of {expected.Length} values with data");  // 47 %: the rotated footprint, and clouds
    }

    [Fact]
    public void Tiles_of_5x3_planned_run_and_merged_by_the_cli_give_the_same_bytes()
    {
        string folder = s.NewFolder("plan-cli");
        Urban.Result planned = Urban.Ok(Urban.Run(["plan", "composite", .. s.CommandLine, "--tiles-x", "5", "--tiles-y", "3", "--out", folder]));
        Assert.Contains("15 tasks (5 x 3 tiles of a 300 x 320 grid), 38 inputs", planned.Stdout, StringComparison.Ordinal);
        Urban.Ok(Urban.Run("task", folder, "--index", "7", "--threads", "1"));
        Urban.Result status = Urban.Run("plan", "status", folder);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("1 done, 14 missing, 0 failed", status.Stdout, StringComparison.Ordinal);
        Urban.Ok(Urban.Run("plan", "run", folder, "--parallel", "2", "--threads", "1"));

        // Each task opened only the scenes over its tile (three path/rows: tiles at the edges see fewer), in plan order.
        TilePlan plan = TilePlan.Load(folder);
        int[] read = [.. plan.Tiles.Select(t => File.ReadAllLines(Path.Combine(plan.TileFolder(t.Index), CompositeStep.ImageList)).Length)];
        Assert.All(read, n => Assert.InRange(n, 1, 19));
        Assert.True(read.Min() < 19, string.Join(", ", read));
        foreach (TileWindow t in plan.Tiles)
        {
            string[] used = File.ReadAllLines(Path.Combine(plan.TileFolder(t.Index), CompositeStep.ImageList));
            Assert.Equal(s.Images.Where(used.Contains), used);
        }

        string merged = s.NewFolder("merged-cli");
        Urban.Ok(Urban.Run("merge", folder, "--out", merged));
        AssertSameBytes(merged);
    }

    [Fact]
    public void Plan_refuses_bad_options_with_one_line_and_the_documented_exit_codes()
    {
        string[] common = ["plan", "composite", "--images", .. s.Images, "--crs", "EPSG:6372", "--bounds", "4710000,3240000,5160000,3720000", "--resolution", "1500"];
        foreach ((string[] extra, int exit, string message) in new (string[], int, string)[]
        {
            (["--tile", "8"], 2, "--tile must be at least 16"),
            (["--mask", "clouds"], 2, "unknown condition 'clouds'"),
            (["--qa", s.Quality[0]], 2, "--qa lists 1 files for 19 images"),
            (["--scale", "abc"], 2, "--scale: 'abc' is not a number"),
            (["--qa", .. s.Quality[..18], s.Dir.File("missing_BQA.TIF")], 1, "missing_BQA.TIF"),
        })
        {
            string folder = s.NewFolder("bad");
            Urban.Result r = Urban.Run([.. common, .. extra, "--out", folder]);
            Assert.True(r.ExitCode == exit, $"{string.Join(' ', extra)}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.False(File.Exists(Path.Combine(folder, "plan.json")));
        }
    }

    [Fact]
    public void A_window_on_the_block_lattice_equals_the_single_process_run_and_one_off_it_does_not()
    {
        // Why the tiles are aligned: reprojected coordinates come from a lattice anchored at each block's corner, so a
        // block that starts elsewhere samples a few pixels from the neighbouring source pixel (0.05-0.2 % here).
        var settings = new CompositeSettings
        {
            Images = s.Images, QualityBands = s.Quality, QaFormat = "c1", NoData = 0, Scale = 0.00002, Offset = -0.1,
            Crs = "EPSG:6372", Bounds = "4710000,3240000,5160000,3720000", Resolution = 1500, TileSize = NycStack.Block,
        };
        using ObservationReader reader = settings.OpenReader();
        var compositor = new GeomedianCompositor(reader, settings.ToCompositeOptions(threads: 2));
        using GeoTiffReader single = GeoTiffReader.Open(s.SingleRun("mosaic.tif"));
        foreach ((PixelWindow window, bool aligned) in new[] { (new PixelWindow(64, 128, 236, 192), true), (new PixelWindow(32, 32, 200, 200), false), (new PixelWindow(37, 21, 150, 200), false) })
        {
            string path = s.NewFolder("window") + ".tif";
            compositor.WriteWindow(window, path);
            using GeoTiffReader tile = GeoTiffReader.Open(path);
            ushort[] actual = new ushort[6 * window.PixelCount], expected = new ushort[6 * window.PixelCount];
            tile.Read<ushort>(new PixelWindow(0, 0, window.Width, window.Height), actual);
            single.Read<ushort>(window, expected);
            int differ = actual.Zip(expected).Count(p => p.First != p.Second);
            Assert.True(aligned ? differ == 0 : differ > 0, $"{window}: {differ} of {actual.Length} values differ from the single-process run");
        }
    }

    [Fact]
    public void A_scene_a_tile_leaves_out_has_no_observation_in_it_and_the_reader_of_a_window_equals_the_full_one()
    {
        var settings = new CompositeSettings
        {
            Images = s.Images, QualityBands = s.Quality, QaFormat = "c1", NoData = 0, Scale = 0.00002, Offset = -0.1,
            Crs = "EPSG:6372", Bounds = "4710000,3240000,5160000,3720000", Resolution = 1500, TileSize = NycStack.Block,
        };
        using ObservationReader all = settings.OpenReader();
        int skipped = 0;
        foreach (TileWindow tile in TilePlan.Split(new GridSize(300, 320, NycStack.Block), 5, 5))
        {
            PixelWindow window = tile.Cells;
            using ObservationReader some = settings.OpenReader(reaching: window);
            string[] kept = [.. some.Images.Select(i => i.Path)];
            float[] everything = new float[all.ValuesFor(window)];
            all.Read(window, everything);
            float[] subset = new float[some.ValuesFor(window)];
            some.Read(window, subset);
            int planes = 6 * (int)window.PixelCount, k = 0;
            for (int o = 0; o < s.Images.Count; o++)
            {
                Span<float> observation = everything.AsSpan(o * planes, planes);
                if (kept.Contains(s.Images[o]))
                {
                    // The kept observations come in plan order and read exactly as in the full reader.
                    Assert.True(subset.AsSpan(k * planes, planes).SequenceEqual(observation), $"tile {tile.Index}, image {o}");
                    k++;
                }
                else
                {
                    skipped++;
                    foreach (float v in observation)
                    {
                        Assert.True(float.IsNaN(v), $"tile {tile.Index} left out image {o}, which has data there");
                    }
                }
            }

            Assert.Equal(kept.Length, k);
        }

        Assert.True(skipped > 100, $"only {skipped} (tile, scene) pairs left out of 25 x 19");
    }

    private void AssertSameBytes(string merged)
    {
        foreach (string name in Outputs)
        {
            Assert.True(File.ReadAllBytes(s.SingleRun(name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, name))), name + " differs from the single-process run's");
        }
    }

    private static string GdalSummary(string path)
    {
        string info = Oracles.RunGdal("gdalinfo", "-checksum", path);
        return string.Join('\n', info.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("Size is", StringComparison.Ordinal) || l.StartsWith("Origin", StringComparison.Ordinal)
                || l.StartsWith("Pixel Size", StringComparison.Ordinal) || l.StartsWith("Checksum", StringComparison.Ordinal)
                || l.StartsWith("NoData", StringComparison.Ordinal)));
    }
}
