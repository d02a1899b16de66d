namespace Inegi.UrbanGrowth.Synthetic.Tests;

/// <summary>Scenes shared by the tests (built once per test run).</summary>
internal static class Scenes
{
    private static readonly Lazy<SyntheticScene> SmallScene = new(() => new SyntheticScene(new SyntheticSceneOptions { Seed = 7 }));
    private static readonly Lazy<SyntheticScene> MediumScene = new(() => new SyntheticScene(new SyntheticSceneOptions { CellsX = 120, CellsY = 80, Seed = 11 }));
    private static readonly Lazy<ushort[]> MediumMosaic = new(() => RenderAll(Medium, 2010));
    private static readonly Lazy<float[]> MediumCover = new(() =>
    {
        var window = new PixelWindow(0, 0, Medium.MosaicWidth, Medium.MosaicHeight);
        var cover = new float[8 * window.PixelCount];
        Medium.RenderCover(2010, window, cover);
        return cover;
    });

    /// <summary>The 2010 endmember abundances of <see cref="Medium"/>, cover-planar.</summary>
    public static float[] Medium2010Cover => MediumCover.Value;

    /// <summary>The default 60 x 40 cell scene, seed 7.</summary>
    public static SyntheticScene Small => SmallScene.Value;

    /// <summary>A 120 x 80 cell scene, seed 11.</summary>
    public static SyntheticScene Medium => MediumScene.Value;

    /// <summary>The whole 2010 mosaic of <see cref="Medium"/>, band-planar.</summary>
    public static ushort[] Medium2010 => MediumMosaic.Value;

    public static ushort[] RenderAll(SyntheticScene scene, int year)
    {
        var window = new PixelWindow(0, 0, scene.MosaicWidth, scene.MosaicHeight);
        var planes = new ushort[6 * window.PixelCount];
        scene.RenderMosaic(year, window, planes);
        return planes;
    }

    public static float Ndvi(float red, float nir) => nir + red == 0 ? 0 : (nir - red) / (nir + red);

    public static float Ndbi(float nir, float swir1) => swir1 + nir == 0 ? 0 : (swir1 - nir) / (swir1 + nir);
}
