using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace Inegi.UrbanGrowth.Cnn;

public sealed partial class LeNetModel
{
    /// <summary>
    /// The version of the file format that <see cref="Save(Stream)"/> writes (2: a <see cref="FileFrame"/>);
    /// <see cref="Load(Stream, string, string?)"/> also reads version 1 (the same payload under a header of its own).
    /// </summary>
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "UGLENET\0"u8.ToArray();

    /// <summary>Version 1's header: magic, int32 version, int64 payload length (no reserved field).</summary>
    private const int UnframedHeaderLength = 8 + 4 + 8;
    private const int UnframedVersion = 1;
    private const int ChecksumLength = 32;

    /// <summary>Writes the model file atomically (whole or not at all).</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Save);
    }

    /// <summary>Writes the model in its versioned binary format.</summary>
    /// <param name="stream">Destination stream.</param>
    /// <remarks>
    /// Little endian. A <see cref="FileFrame"/> (8 magic bytes <c>UGLENET\0</c>, uint32 format version 2, uint32
    /// reserved, int64 payload length, the payload, its SHA-256); version 1 had its own header (the magic, int32
    /// version 1, int64 payload length) before the same payload and trailer. Payload (BinaryWriter encoding, strings
    /// length-prefixed UTF-8): int32 class count; int32 patch size; int32 channel count and the channel names; the schema fingerprint (string, checked on load); channel means then
    /// standard deviations (float32 each); the options (int32 epochs, batch size; float64 learning rate, weight decay,
    /// validation fraction; int32 patience, seed, threads; string device; float64 dropout; int32 kernel, conv1, conv2,
    /// dense1, dense2); the training summary (int32 epochs run, best epoch; float64 best validation loss, final training
    /// loss; int32 training rows, validation rows); int32 tensor count, then per tensor of the state dictionary its
    /// name, int32 rank, int64 dimensions and float32 values row-major.
    /// </remarks>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // The tensors are copied off the libtorch thread once, not once per pass of the frame's writer.
        var tensors = TorchThread.Invoke(() => ParameterSnapshot.Take(_network));
        FileFrame.Write(stream, Magic, FormatVersion, payload =>
        {
            using var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            w.Write(ClassCount);
            w.Write(Layout.PatchSize);
            w.Write(Layout.ChannelCount);
            foreach (string name in Layout.ChannelNames)
            {
                w.Write(name);
            }

            w.Write(Schema.Fingerprint);
            WriteFloats(w, _mean);
            WriteFloats(w, _std);

            LeNetOptions o = Options;
            w.Write(o.Epochs);
            w.Write(o.BatchSize);
            w.Write(o.LearningRate);
            w.Write(o.WeightDecay);
            w.Write(o.ValidationFraction);
            w.Write(o.Patience);
            w.Write(o.Seed);
            w.Write(o.Threads);
            w.Write(o.Device);
            w.Write(o.Dropout);
            w.Write(o.KernelSize);
            w.Write(o.Conv1Filters);
            w.Write(o.Conv2Filters);
            w.Write(o.Dense1Units);
            w.Write(o.Dense2Units);

            LeNetTrainingSummary t = Training;
            w.Write(t.EpochsRun);
            w.Write(t.BestEpoch);
            w.Write(t.BestValidationLoss);
            w.Write(t.FinalTrainingLoss);
            w.Write(t.TrainingRows);
            w.Write(t.ValidationRows);

            w.Write(tensors.Count);
            foreach (var (name, shape, values) in tensors)
            {
                w.Write(name);
                w.Write(shape.Length);
                foreach (long d in shape)
                {
                    w.Write(d);
                }

                WriteFloats(w, values);
            }
        });
    }

    /// <summary>Reads a model file.</summary>
    /// <param name="path">The file written by <see cref="Save(string)"/>.</param>
    /// <param name="device">Run the model on this device ("cpu", "cuda", "cuda:N") instead of the one it was trained on.</param>
    /// <exception cref="DataFileException">Missing, empty, not a LeNet model, another format version, truncated or corrupt.</exception>
    public static LeNetModel Load(string path, string? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFileException(path, "LeNet model file not found");
        }

        using var stream = File.OpenRead(path);
        return Load(stream, path, device);
    }

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="stream">The bytes written by <see cref="Save(Stream)"/>.</param>
    /// <param name="sourceName">Name of the source for error messages (usually the file path).</param>
    /// <param name="device">Run the model on this device instead of the one it was trained on.</param>
    /// <exception cref="DataFileException">Empty, not a LeNet model, another format version, truncated or corrupt.</exception>
    public static LeNetModel Load(Stream stream, string sourceName, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (device is not null)
        {
            TorchRuntime.ParseDevice(device, nameof(device));
        }

        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        using var framed = new MemoryStream(bytes, writable: false);
        uint? version = FileFrame.PeekVersion(framed, Magic);
        if (version is { } v && v != FormatVersion)
        {
            if (v != UnframedVersion)
            {
                throw new DataFileException(sourceName, $"LeNet model format version {v} is not supported (this library reads versions {UnframedVersion} and {FormatVersion})");
            }

            return LoadUnframed(bytes, sourceName, device);
        }

        return FileFrame.Read(framed, sourceName, Magic, FormatVersion, "LeNet model", "a", (payload, length) => Parse(payload, 0, length, sourceName, device));
    }

    /// <summary>Version 1: the magic, int32 version, int64 payload length, the payload, its SHA-256.</summary>
    private static LeNetModel LoadUnframed(byte[] bytes, string sourceName, string? device)
    {
        if (bytes.Length < UnframedHeaderLength)
        {
            throw new DataFileException(sourceName, "truncated LeNet model file (incomplete header)");
        }

        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        long available = bytes.Length - UnframedHeaderLength - ChecksumLength;
        if (length < 0 || length > available)
        {
            throw new DataFileException(sourceName, $"truncated LeNet model file ({bytes.Length} bytes, payload of {length} announced)");
        }

        if (length < available)
        {
            throw new DataFileException(sourceName, $"corrupt LeNet model file ({available - length} unexpected trailing bytes)");
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(UnframedHeaderLength, (int)length);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(UnframedHeaderLength + (int)length, ChecksumLength)))
        {
            throw new DataFileException(sourceName, "corrupt LeNet model file (checksum mismatch)");
        }

        try
        {
            return Parse(bytes, UnframedHeaderLength, (int)length, sourceName, device);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or InvalidDataException or IOException or OverflowException)
        {
            throw new DataFileException(sourceName, $"corrupt LeNet model file ({ex.Message})", ex);
        }
    }

    private static LeNetModel Parse(byte[] bytes, int offset, int length, string sourceName, string? device)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, offset, length, writable: false), Encoding.UTF8);
        int classCount = r.ReadInt32();
        int patchSize = r.ReadInt32();
        int channelCount = r.ReadInt32();
        if (classCount < 2 || patchSize < 1 || channelCount < 1 || channelCount > 1 << 16)
        {
            throw new InvalidDataException($"{classCount} classes, {channelCount} channels of {patchSize} pixels");
        }

        var channels = new string[channelCount];
        for (int c = 0; c < channelCount; c++)
        {
            channels[c] = r.ReadString();
        }

        var layout = new PatchPixelLayout(channels, patchSize);
        string fingerprint = r.ReadString();
        if (!string.Equals(fingerprint, layout.Schema.Fingerprint, StringComparison.Ordinal))
        {
            throw new InvalidDataException("schema fingerprint does not match the channel names");
        }

        float[] mean = ReadFloats(r, channelCount);
        float[] std = ReadFloats(r, channelCount);
        var options = new LeNetOptions
        {
            Epochs = r.ReadInt32(),
            BatchSize = r.ReadInt32(),
            LearningRate = r.ReadDouble(),
            WeightDecay = r.ReadDouble(),
            ValidationFraction = r.ReadDouble(),
            Patience = r.ReadInt32(),
            Seed = r.ReadInt32(),
            Threads = r.ReadInt32(),
            Device = r.ReadString(),
            Dropout = r.ReadDouble(),
            KernelSize = r.ReadInt32(),
            Conv1Filters = r.ReadInt32(),
            Conv2Filters = r.ReadInt32(),
            Dense1Units = r.ReadInt32(),
            Dense2Units = r.ReadInt32(),
        };
        options.Validate();
        if (options.FeatureMapSize(patchSize) < 1)
        {
            throw new InvalidDataException("patch too small for the network");
        }

        var training = new LeNetTrainingSummary(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadInt32(), r.ReadInt32());
        int tensorCount = r.ReadInt32();
        if (tensorCount < 0 || tensorCount > 1024)
        {
            throw new InvalidDataException($"{tensorCount} tensors");
        }

        var tensors = new List<(string Name, long[] Shape, float[] Values)>(tensorCount);
        for (int t = 0; t < tensorCount; t++)
        {
            string name = r.ReadString();
            int rank = r.ReadInt32();
            if (rank < 0 || rank > 8)
            {
                throw new InvalidDataException($"tensor '{name}' of rank {rank}");
            }

            var shape = new long[rank];
            long count = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = r.ReadInt64();
                if (shape[d] < 0)
                {
                    throw new InvalidDataException($"tensor '{name}' has a negative dimension");
                }

                count = checked(count * shape[d]);
            }

            if (count * sizeof(float) > length)
            {
                throw new InvalidDataException($"tensor '{name}' larger than the file");
            }

            tensors.Add((name, shape, ReadFloats(r, (int)count)));
        }

        if (r.BaseStream.Position != length)
        {
            throw new InvalidDataException("unread bytes after the last tensor");
        }

        string deviceName = TorchRuntime.ParseDevice(device ?? options.Device, nameof(device));
        options = options with { Device = deviceName };
        return TorchThread.Invoke(() =>
        {
            torch.Device torchDevice = TorchRuntime.Resolve(deviceName, nameof(device));
            // On the libtorch thread, so drawing the layers' initial weights cannot interleave with a running fit.
            var network = new LeNetNetwork(channelCount, patchSize, classCount, options);

            try
            {
                ParameterSnapshot.Restore(network, tensors, sourceName);
                network.to(torchDevice);
                network.eval();
                return new LeNetModel(network, torchDevice, layout, classCount, mean, std, options, training);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        });
    }

    private static void WriteFloats(BinaryWriter w, ReadOnlySpan<float> values)
    {
        Span<byte> buffer = stackalloc byte[sizeof(float) * 256];
        while (!values.IsEmpty)
        {
            int n = Math.Min(256, values.Length);
            for (int i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer[(i * sizeof(float))..], values[i]);
            }

            w.Write(buffer[..(n * sizeof(float))]);
            values = values[n..];
        }
    }

    private static float[] ReadFloats(BinaryReader r, int count)
    {
        byte[] raw = r.ReadBytes(checked(count * sizeof(float)));
        if (raw.Length != count * sizeof(float))
        {
            throw new EndOfStreamException("unexpected end of data");
        }

        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * sizeof(float)));
        }

        return values;
    }
}
