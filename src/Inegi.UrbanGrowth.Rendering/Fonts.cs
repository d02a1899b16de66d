using SkiaSharp;

namespace Inegi.UrbanGrowth.Rendering;

/// <summary>The embedded DejaVu Sans typeface (Bitstream Vera licence, see licenses/DejaVuSans.LICENSE.txt in the
/// package), so that text renders on machines without system fonts.</summary>
internal static class Fonts
{
    private static readonly Lazy<SKTypeface> Regular = new(Load);

    public static SKTypeface Typeface => Regular.Value;

    public static SKFont Create(float size) => new(Typeface, size)
    {
        Edging = SKFontEdging.Antialias,
        Subpixel = false,
        Hinting = SKFontHinting.None,
    };

    private static SKTypeface Load()
    {
        using Stream stream = typeof(Fonts).Assembly.GetManifestResourceStream("Inegi.UrbanGrowth.Rendering.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The embedded font Inegi.UrbanGrowth.Rendering.DejaVuSans.ttf is missing from the assembly.");
        return SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException("The embedded font could not be loaded by SkiaSharp.");
    }
}
