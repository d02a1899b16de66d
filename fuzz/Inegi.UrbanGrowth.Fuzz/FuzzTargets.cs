using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Trees;

namespace Inegi.UrbanGrowth.Fuzz;

/// <summary>
/// The four fuzz targets of issue 18. Each feeds one input to a file reader of the library; a
/// <see cref="DataFileException"/> is the reader's correct answer to a bad file, and any other exception escapes:
/// a crash for the fuzzer, a failed regression test for the test suite.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The target names, as <c>urban-fuzz TARGET</c> and the corpus folders spell them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["geotiff", "model", "features-csv", "sample-csv"];

    /// <summary>The width of the grid the seed samples were drawn from (cell ids are row * width + column).</summary>
    private const int SampleGridWidth = 12;

    /// <summary>Largest raster read whole; bigger ones are read by a corner window (bounded memory per input).</summary>
    private const long WholeReadLimit = 1 << 22;

    /// <summary>Runs target <paramref name="name"/> on the file <paramref name="path"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="path">The input file (the readers take paths, as the tool does).</param>
    /// <returns>True when the reader accepted the file, false when it refused it with a <see cref="DataFileException"/>.</returns>
    public static bool Run(string name, string path)
    {
        try
        {
            switch (name)
            {
                case "geotiff": GeoTiff(path); break;
                case "model": Model(path); break;
                case "features-csv": FeaturesCsv(path); break;
                case "sample-csv": SampleCsv(path); break;
                default: throw new ArgumentException($"unknown fuzz target '{name}' (expected {string.Join(", ", Names)})", nameof(name));
            }

            return true;
        }
        catch (DataFileException)
        {
            return false;
        }
    }

    private static void GeoTiff(string path)
    {
        using GeoTiffReader reader = GeoTiffReader.Open(path, new GeoTiffReaderOptions { RequireGeoreferencing = false, MaxConcurrentDecoders = 1, BlockCacheBytes = 16 << 20 });
        RasterInfo info = reader.Info;
        long whole = (long)info.Width * info.Height * info.BandCount;
        var window = whole <= WholeReadLimit
            ? new PixelWindow(0, 0, info.Width, info.Height)
            : new PixelWindow(0, 0, Math.Min(info.Width, 64), Math.Min(info.Height, 64));
        float[] values = new float[(long)window.Width * window.Height * info.BandCount];
        reader.ReadAsFloat(window, values);
    }

    private static void Model(string path)
    {
        // The tool's loader (every kind behind one header), then the classifiers' own frames.
        bool accepted = Attempt(() => UrbanModel.Load(path)) | Attempt(() => ExtraTreesModel.Load(path)) | Attempt(() => GradientBoostingModel.Load(path));

        // A mutated payload almost never keeps its SHA-256, so the parsers behind the checksum would go unexplored:
        // the same input again with its frame's length and checksum made right.
        byte[] bytes = File.ReadAllBytes(path);
        if (RepairFrame(bytes))
        {
            _ = Attempt(() => UrbanModel.Load(new MemoryStream(bytes), path)) | Attempt(() => ExtraTreesModel.Load(new MemoryStream(bytes), path))
                | Attempt(() => GradientBoostingModel.Load(new MemoryStream(bytes), path));
        }

        if (!accepted)
        {
            throw new DataFileException(path, "no model loader accepts it");
        }
    }

    /// <summary>Sets the declared payload length and the trailing SHA-256 of a model frame to match its bytes.</summary>
    private static bool RepairFrame(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        int header = span.StartsWith("UGMODEL\0"u8) ? 20 : span.StartsWith("IUGXTREE"u8) || span.StartsWith("IUGHGBDT"u8) ? 24 : 0;
        if (header == 0 || bytes.Length < header + 32)
        {
            return false;
        }

        int payload = bytes.Length - header - 32;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(header - 8), payload);
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(header, payload), bytes.AsSpan(header + payload));
        return true;
    }

    private static void FeaturesCsv(string path)
    {
        FeatureTable table = FeatureCsv.Read(path, 1);
        _ = FeatureExtractionSettings.ReadSidecarFor(path, table.Features.Schema);
    }

    private static void SampleCsv(string path)
    {
        // A training sample (cell_id,row,col[,label]) or a filled-in validation sample (with stratum and reference).
        if (!(Attempt(() => TrainingSample.ReadCsv(path, SampleGridWidth)) | Attempt(() => Accuracy.SampleFiles.ReadReferenceCsv(path))))
        {
            throw new DataFileException(path, "neither sample reader accepts it");
        }
    }

    /// <summary>Runs a reader whose refusal is fine, so that the next reader of the target sees the input too.</summary>
    /// <returns>Whether the reader accepted the input.</returns>
    private static bool Attempt(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (DataFileException)
        {
            return false;
        }
    }
}
