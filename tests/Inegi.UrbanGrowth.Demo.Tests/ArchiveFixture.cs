using Inegi.UrbanGrowth.Compositing;
using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Demo.Tests;

/// <summary>One small scene's 2010 archive (6 acquisitions per frame), written once and composited with and without the quality masks.</summary>
public sealed class ArchiveFixture : IDisposable
{
    public ArchiveFixture()
    {
        Scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 24, CellsY = 18, Years = [2010], Seed = 4 });
        Options = new SyntheticArchiveOptions { MaxAcquisitionsPerFrame = 6, Seed = 4 };
        Archive = SyntheticArchiveWriter.Plan(Scene, 2010, Options);
        Written = SyntheticArchiveWriter.Write(Archive, Dir.File("scenes"));
        GeoTransform t = Scene.MosaicTransform;
        Settings = new CompositeSettings
        {
            Scenes = Dir.File("scenes"),
            Period = "2010",
            Crs = "EPSG:6372",
            Bounds = FormattableString.Invariant($"{t.OriginX},{t.OriginY + (t.PixelHeight * Scene.MosaicHeight)},{t.OriginX + (t.PixelWidth * Scene.MosaicWidth)},{t.OriginY}"),
            Resolution = 30,
        };
        Masked = Composite(Settings, "masked.tif");
        Unmasked = Composite(Settings with { Mask = "fill" }, "unmasked.tif");
    }

    public TempDirectory Dir { get; } = new();

    public SyntheticScene Scene { get; }

    public SyntheticArchiveOptions Options { get; }

    public SyntheticArchive Archive { get; }

    public IReadOnlyList<SyntheticArchiveScene> Written { get; }

    public CompositeSettings Settings { get; }

    public string Masked { get; }

    public string Unmasked { get; }

    public void Dispose() => Dir.Dispose();

    private string Composite(CompositeSettings settings, string name)
    {
        string path = Dir.File(name);
        using ObservationReader reader = settings.OpenReader();
        new GeomedianCompositor(reader, settings.ToCompositeOptions(-1)).Write(path, provenance: settings.Provenance());
        return path;
    }
}
