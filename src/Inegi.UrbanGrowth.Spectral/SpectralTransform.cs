using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Inegi.UrbanGrowth.Spectral.Kernels;

namespace Inegi.UrbanGrowth.Spectral;

/// <summary>
/// Turns six band-planar reflectance (or raw DN) planes into band-planar float32 channel planes (SPEC 2): channel c of
/// n pixels at <c>[c * n, (c + 1) * n)</c>, in the order of <see cref="Channels"/>.
/// </summary>
/// <remarks>
/// <para>Input: band k (0 = blue, 1 = green, 2 = red, 3 = nir, 4 = swir1, 5 = swir2) of pixel i at <c>k * n + i</c>.
/// Digital numbers become reflectance as <c>DN * Scale + Offset</c> (one fused multiply-add, in the same pass as the
/// channels).</para>
/// <para>Division rule (SPEC 2): every division whose divisor is 0 or whose quotient is not finite gives 0, including
/// the intermediate ratios (S1/G in nbai; 2S1/(S1+N), N/(N+R), G/(G+S1) in ibi). Any other channel value that is
/// not finite (a NaN or infinite band copied through, a tasseled-cap sum of infinities) is stored as 0 as well.</para>
/// <para>The 27 standard channels are computed by one fused kernel per vector of pixels (AVX-512, AVX2 or SSE/NEON,
/// whichever is the widest the CPU accelerates) that gives bit-identical results to the scalar reference.
/// Instances are immutable: one transform can be shared by any number of threads, and calls allocate nothing.</para>
/// </remarks>
public sealed class SpectralTransform
{
    /// <summary>Default DN scale (geomedian / ARD convention, SPEC 1.1).</summary>
    public const float DefaultScale = 0.0001f;

    /// <summary>Default DN offset.</summary>
    public const float DefaultOffset = 0f;

    /// <summary>Landsat Collection 2 Level 2 surface reflectance scale.</summary>
    public const float Collection2Scale = 0.0000275f;

    /// <summary>Landsat Collection 2 Level 2 surface reflectance offset.</summary>
    public const float Collection2Offset = -0.2f;

    private readonly float[] _tc;

    /// <summary>Creates a transform.</summary>
    /// <param name="channels">Channels to write; default <see cref="ChannelSet.Standard"/>.</param>
    /// <param name="tasseledCap">Tasseled-cap table; default <see cref="TasseledCapCoefficients.Default"/> (Crist 1985).</param>
    /// <param name="scale">DN to reflectance scale for <see cref="ComputeFromDigitalNumbers{T}"/>.</param>
    /// <param name="offset">DN to reflectance offset.</param>
    /// <exception cref="ArgumentException">A non-finite scale or offset.</exception>
    public SpectralTransform(ChannelSet? channels = null, TasseledCapCoefficients? tasseledCap = null, float scale = DefaultScale, float offset = DefaultOffset)
    {
        if (!float.IsFinite(scale))
        {
            throw new ArgumentException("The DN scale must be finite.", nameof(scale));
        }

        if (!float.IsFinite(offset))
        {
            throw new ArgumentException("The DN offset must be finite.", nameof(offset));
        }

        Channels = channels ?? ChannelSet.Standard;
        TasseledCap = tasseledCap ?? TasseledCapCoefficients.Default;
        Scale = scale;
        Offset = offset;
        _tc = TasseledCap.Values.ToArray();
    }

    /// <summary>The channels written, in output-plane order.</summary>
    public ChannelSet Channels { get; }

    /// <summary>The tasseled-cap coefficient table.</summary>
    public TasseledCapCoefficients TasseledCap { get; }

    /// <summary>DN scale: reflectance = DN * Scale + Offset.</summary>
    public float Scale { get; }

    /// <summary>DN offset.</summary>
    public float Offset { get; }

    /// <summary>Number of output planes (<c>Channels.Count</c>).</summary>
    public int ChannelCount => Channels.Count;

    /// <summary>Widest vector the kernels use on this machine: 512, 256, 128, or 0 (scalar).</summary>
    public static int HardwareVectorBits => (int)BestWidth;

    /// <summary>The vector width this instance uses; tests force each width (a width the CPU lacks still runs, emulated).</summary>
    internal VectorWidth Width { get; init; } = BestWidth;

    internal static VectorWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? VectorWidth.V512
        : Vector256.IsHardwareAccelerated ? VectorWidth.V256
        : Vector128.IsHardwareAccelerated ? VectorWidth.V128
        : VectorWidth.Scalar;

    /// <summary>Computes the channels from reflectance planes.</summary>
    /// <param name="reflectanceBandPlanes">6 * <paramref name="pixelCount"/> reflectance values, band-planar (B, G, R, N, S1, S2).</param>
    /// <param name="pixelCount">Pixels per plane (1,089 for a 33 x 33 patch).</param>
    /// <param name="channelPlanes">At least <see cref="ChannelCount"/> * <paramref name="pixelCount"/> values; must not overlap the input.</param>
    /// <exception cref="ArgumentException">Spans too short or overlapping.</exception>
    public void Compute(ReadOnlySpan<float> reflectanceBandPlanes, int pixelCount, Span<float> channelPlanes) =>
        Run(reflectanceBandPlanes, pixelCount, channelPlanes, scaled: false);

    /// <summary>Computes the channels from raw digital numbers, applying <c>DN * Scale + Offset</c> on the fly.</summary>
    /// <typeparam name="T"><see cref="byte"/>, <see cref="ushort"/>, <see cref="short"/> or <see cref="float"/>.</typeparam>
    /// <param name="dnBandPlanes">6 * <paramref name="pixelCount"/> samples, band-planar (B, G, R, N, S1, S2).</param>
    /// <param name="pixelCount">Pixels per plane.</param>
    /// <param name="channelPlanes">At least <see cref="ChannelCount"/> * <paramref name="pixelCount"/> values; must not overlap the input.</param>
    /// <exception cref="NotSupportedException">Another sample type.</exception>
    /// <exception cref="ArgumentException">Spans too short or overlapping.</exception>
    public void ComputeFromDigitalNumbers<T>(ReadOnlySpan<T> dnBandPlanes, int pixelCount, Span<float> channelPlanes)
        where T : unmanaged
    {
        if (typeof(T) != typeof(ushort) && typeof(T) != typeof(short) && typeof(T) != typeof(byte) && typeof(T) != typeof(float))
        {
            throw new NotSupportedException($"Sample type {typeof(T).Name} is not supported; use byte, ushort, short or float.");
        }

        Run(dnBandPlanes, pixelCount, channelPlanes, scaled: true);
    }

    private void Run<T>(ReadOnlySpan<T> source, int pixelCount, Span<float> destination, bool scaled)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pixelCount);
        long needIn = 6L * pixelCount;
        long needOut = (long)Channels.Count * pixelCount;
        if (source.Length < needIn)
        {
            throw new ArgumentException($"The band planes hold {source.Length} samples; 6 bands x {pixelCount} pixels need {needIn}.", nameof(source));
        }

        if (destination.Length < needOut)
        {
            throw new ArgumentException($"The channel planes hold {destination.Length} values; {Channels.Count} channels x {pixelCount} pixels need {needOut}.", nameof(destination));
        }

        if (pixelCount == 0)
        {
            return;
        }

        var inBytes = MemoryMarshal.AsBytes(source[..(int)needIn]);
        var outBytes = MemoryMarshal.AsBytes(destination[..(int)needOut]);
        if (inBytes.Overlaps(outBytes))
        {
            throw new ArgumentException("The channel planes must not overlap the band planes.", nameof(destination));
        }

        if (Channels.HasStandard)
        {
            Span<int> offsets = stackalloc int[FusedKernel.ChannelCount];
            int[] planes = Channels.StandardPlanes;
            for (int c = 0; c < offsets.Length; c++)
            {
                offsets[c] = planes[c] < 0 ? -1 : planes[c] * pixelCount;
            }

            RunStandard(source, pixelCount, destination, scaled, offsets);
        }

        if (Channels.CustomChannels.Length > 0)
        {
            RunCustom(source, pixelCount, destination, scaled);
        }
    }

    private void RunStandard<T>(ReadOnlySpan<T> source, int n, Span<float> destination, bool scaled, ReadOnlySpan<int> offsets)
        where T : unmanaged
    {
        VectorWidth width = Width;
        if (width == VectorWidth.V512 && n >= Vector512<float>.Count)
        {
            FusedKernel.Run<Simd512, Vector512<float>, T>(source, n, 0, n, scaled, Scale, Offset, _tc, destination, offsets);
        }
        else if (width >= VectorWidth.V256 && n >= Vector256<float>.Count)
        {
            FusedKernel.Run<Simd256, Vector256<float>, T>(source, n, 0, n, scaled, Scale, Offset, _tc, destination, offsets);
        }
        else if (width >= VectorWidth.V128 && n >= Vector128<float>.Count)
        {
            FusedKernel.Run<Simd128, Vector128<float>, T>(source, n, 0, n, scaled, Scale, Offset, _tc, destination, offsets);
        }
        else
        {
            RunScalar(source, n, destination, scaled, offsets);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunScalar<T>(ReadOnlySpan<T> source, int n, Span<float> destination, bool scaled, ReadOnlySpan<int> offsets)
        where T : unmanaged
    {
        Span<float> channels = stackalloc float[FusedKernel.ChannelCount];
        for (int i = 0; i < n; i++)
        {
            var bands = ReadPixel(source, n, i, scaled);
            ScalarReference.ComputePixel(bands, _tc, channels);
            for (int c = 0; c < channels.Length; c++)
            {
                if (offsets[c] >= 0)
                {
                    destination[offsets[c] + i] = channels[c];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunCustom<T>(ReadOnlySpan<T> source, int n, Span<float> destination, bool scaled)
        where T : unmanaged
    {
        Span<float> stack = stackalloc float[Channels.MaxExpressionDepth];
        var custom = Channels.CustomChannels;
        for (int i = 0; i < n; i++)
        {
            var bands = ReadPixel(source, n, i, scaled);
            foreach (var (plane, channel) in custom)
            {
                float v = channel.Function is { } f ? f(bands) : channel.Expression!.Evaluate(bands, stack);
                destination[(plane * n) + i] = ScalarReference.ZeroIfNotFinite(v);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SpectralBands ReadPixel<T>(ReadOnlySpan<T> source, int n, int i, bool scaled)
        where T : unmanaged
    {
        float b = ToSingle(source[i]), g = ToSingle(source[n + i]), r = ToSingle(source[(2 * n) + i]);
        float nir = ToSingle(source[(3 * n) + i]), s1 = ToSingle(source[(4 * n) + i]), s2 = ToSingle(source[(5 * n) + i]);
        if (scaled)
        {
            b = ScalarReference.MultiplyAdd(b, Scale, Offset);
            g = ScalarReference.MultiplyAdd(g, Scale, Offset);
            r = ScalarReference.MultiplyAdd(r, Scale, Offset);
            nir = ScalarReference.MultiplyAdd(nir, Scale, Offset);
            s1 = ScalarReference.MultiplyAdd(s1, Scale, Offset);
            s2 = ScalarReference.MultiplyAdd(s2, Scale, Offset);
        }

        return new SpectralBands(b, g, r, nir, s1, s2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToSingle<T>(T value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Unsafe.As<T, float>(ref value);
        }

        if (typeof(T) == typeof(ushort))
        {
            return Unsafe.As<T, ushort>(ref value);
        }

        if (typeof(T) == typeof(short))
        {
            return Unsafe.As<T, short>(ref value);
        }

        if (typeof(T) == typeof(byte))
        {
            return Unsafe.As<T, byte>(ref value);
        }

        throw new NotSupportedException();
    }
}

/// <summary>Vector width a kernel runs at (bits; 0 = the scalar reference).</summary>
internal enum VectorWidth
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}
