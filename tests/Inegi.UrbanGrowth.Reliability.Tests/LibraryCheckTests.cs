using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Testing;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>The library-side checks behind the tool's contract, each cross-checked where an independent tool exists.</summary>
public sealed class LibraryCheckTests : IClassFixture<Workspace>
{
    private readonly Workspace _w;

    public LibraryCheckTests(Workspace workspace) => _w = workspace;

    [Fact]
    public void SparseTiles_ReadAsNodata_ExactlyAsGdalReadsThem()
    {
        string folder = _w.NewFolder("sparse");
        string sparse = Path.Combine(folder, "sparse.tif"), raw = Path.Combine(folder, "gdal.raw");
        // A window larger than the mosaic: the tiles beyond its edge hold only nodata, which SPARSE_OK leaves unwritten
        // (offset and byte count 0).
        RasterInfo source = GeoTiffReader.ReadInfo(_w.Mosaic);
        int width = source.Width + 300, height = source.Height + 200;
        Oracles.RunGdal("gdal_translate", "-q", "-srcwin", "0", "0", width.ToString(System.Globalization.CultureInfo.InvariantCulture), height.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-a_nodata", "7", "-co", "TILED=YES", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=64", "-co", "SPARSE_OK=TRUE", "-co", "COMPRESS=DEFLATE", _w.Mosaic, sparse);
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", sparse, raw);

        using GeoTiffReader reader = GeoTiffReader.Open(sparse);
        Assert.Equal(7.0, reader.Info.NoData);
        ushort[] ours = new ushort[width * height * source.BandCount];
        reader.Read<ushort>(new PixelWindow(0, 0, width, height), ours);
        ushort[] gdal = MemoryMarshal.Cast<byte, ushort>(File.ReadAllBytes(raw)).ToArray();
        Assert.Equal(gdal.Length, ours.Length);
        Assert.True(gdal.AsSpan().SequenceEqual(ours), "the reader disagrees with GDAL on the sparse file");
        Assert.Equal(7, ours[^1]);
        Assert.True(new FileInfo(sparse).Length < new FileInfo(_w.Mosaic).Length * 2, "GDAL wrote the empty tiles (not sparse)");
    }

    [Fact]
    public void GeoTiffWriter_TemporaryName_CarriesTheProcessIdLikeAtomicFile()
    {
        string folder = _w.NewFolder("writer-temp");
        string path = Path.Combine(folder, "x.tif");
        var options = new GeoTiffWriteOptions { Width = 16, Height = 16, BandCount = 1, SampleType = RasterSampleType.Byte, GeoTransform = new GeoTransform(0, 1, 0, 16, 0, -1), Epsg = 6372 };
        using (GeoTiffWriter writer = GeoTiffWriter.Create(path, options))
        {
            string temp = Assert.Single(Directory.GetFiles(folder, ".x.tif.*.tmp"));
            Assert.StartsWith($".x.tif.{Environment.ProcessId}.", Path.GetFileName(temp), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void ModelFrame_DeclaredPayloadBeyondTheFile_IsRefusedBeforeAllocating()
    {
        string folder = _w.NewFolder("frame");
        // The Extra-Trees frame inside the tool's model file ("IUGXTREE", 24-byte header, payload, SHA-256).
        byte[] model = File.ReadAllBytes(_w.Model);
        int at = model.AsSpan().IndexOf("IUGXTREE"u8);
        Assert.True(at > 0);
        long length = BinaryPrimitives.ReadInt64LittleEndian(model.AsSpan(at + 16));
        byte[] frame = model.AsSpan(at, (int)(24 + length + 32)).ToArray();
        Assert.NotNull(ExtraTreesModel.Load(new MemoryStream(frame), "frame"));

        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(16), int.MaxValue - 40);
        string path = Path.Combine(folder, "huge.xtrees");
        File.WriteAllBytes(path, frame);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        DataFileException e = Assert.Throws<DataFileException>(() => ExtraTreesModel.Load(path));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 << 20, $"{allocated} bytes allocated for a file of {frame.Length}");
    }

    [Fact]
    public void OutputPaths_SameFile_FollowsLinksAndInodes()
    {
        string folder = _w.NewFolder("same-file");
        string a = Path.Combine(folder, "a.txt"), symbolic = Path.Combine(folder, "s.txt"), hard = Path.Combine(folder, "h.txt"), other = Path.Combine(folder, "o.txt");
        File.WriteAllText(a, "a");
        File.WriteAllText(other, "a");
        File.CreateSymbolicLink(symbolic, a);
        Oracles.Run("ln", [a, hard]);
        Assert.True(OutputPaths.SameFile(a, Path.Combine(folder, ".", "a.txt")));
        Assert.True(OutputPaths.SameFile(a, symbolic));
        Assert.True(OutputPaths.SameFile(hard, a));
        Assert.False(OutputPaths.SameFile(a, other));
        Assert.False(OutputPaths.SameFile(a, Path.Combine(folder, "absent.txt")));

        Assert.Throws<ArgumentException>(() => OutputPaths.Prepare([a], [symbolic]));
        Assert.Throws<ArgumentException>(() => OutputPaths.Prepare([], [other, Path.Combine(folder, "..", Path.GetFileName(folder), "o.txt")]));
        Assert.Throws<ArgumentException>(() => OutputPaths.Prepare([], [folder]));
        OutputPaths.Prepare([a], [Path.Combine(folder, "new", "b.txt")]);
        Assert.True(Directory.Exists(Path.Combine(folder, "new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, "new")));
    }

    [Fact]
    public void AtomicFile_RemovesOnlyTheTemporariesOfDeadProcesses()
    {
        string folder = _w.NewFolder("atomic");
        string target = Path.Combine(folder, "t.json");
        int dead = ErrorContractTests.DeadProcessId();
        string deadTemp = Path.Combine(folder, $".t.json.{dead}.0123abcd.tmp"), legacy = Path.Combine(folder, ".t.json.89abcdef.tmp");
        string mine = Path.Combine(folder, $".t.json.{Environment.ProcessId}.0123abcd.tmp"), unrelated = Path.Combine(folder, ".t.json.notes.tmp");
        foreach (string f in new[] { deadTemp, legacy, mine, unrelated })
        {
            File.WriteAllText(f, "x");
        }

        AtomicFile.WriteAllText(target, "{}");
        Assert.False(File.Exists(deadTemp));
        Assert.False(File.Exists(legacy));
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(unrelated));
        Assert.Equal("{}", File.ReadAllText(target));
    }
}
