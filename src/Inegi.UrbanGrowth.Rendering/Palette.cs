using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>The colours of the pictures.</summary>
/// <remarks>Categorical colours are chosen to read on white and for common colour-vision deficiencies (greys for
/// stable cells, red for new urban, blue for loss); the continuous ramp is matplotlib's viridis (van der Walt and
/// Smith, CC0), sampled at 9 stops and interpolated linearly.</remarks>
public static class Palette
{
    private static readonly SKColor[] Viridis =
    [
        new(0x44, 0x01, 0x54), new(0x47, 0x2c, 0x7a), new(0x3b, 0x51, 0x8b), new(0x2c, 0x71, 0x8e), new(0x21, 0x90, 0x8d),
        new(0x27, 0xad, 0x81), new(0x5c, 0xc8, 0x63), new(0xaa, 0xdc, 0x32), new(0xfd, 0xe7, 0x25),
    ];

    /// <summary>Non-urban cells of a class map.</summary>
    public static SKColor NonUrban { get; } = new(0xd9, 0xe6, 0xc3);

    /// <summary>Urban cells of a class map.</summary>
    public static SKColor Urban { get; } = new(0xc0, 0x39, 0x2b);

    /// <summary>Growth map colours indexed by growth code 0..3: stable non-urban, stable urban, new urban, urban lost.</summary>
    public static IReadOnlyList<SKColor> Growth { get; } =
    [
        new(0xe3, 0xe3, 0xe3), new(0x5a, 0x5a, 0x5a), new(0xe3, 0x1a, 0x1c), new(0x1f, 0x78, 0xb4),
    ];

    /// <summary>Cells never urban in a first-year-urban map.</summary>
    public static SKColor NeverUrban { get; } = new(0xee, 0xee, 0xee);

    /// <summary>Colours of the chart series (matplotlib tab10).</summary>
    public static IReadOnlyList<SKColor> Series { get; } =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    /// <summary>The continuous ramp (viridis) at a position.</summary>
    /// <param name="t">Position 0..1 (clamped): 0 dark purple, 1 yellow.</param>
    /// <returns>The colour.</returns>
    public static SKColor Ramp(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        double x = t * (Viridis.Length - 1);
        int i = Math.Min((int)x, Viridis.Length - 2);
        double f = x - i;
        SKColor a = Viridis[i];
        SKColor b = Viridis[i + 1];
        return new SKColor(Lerp(a.Red, b.Red, f), Lerp(a.Green, b.Green, f), Lerp(a.Blue, b.Blue, f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}
