using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Pipeline.Tests;

/// <summary>A small synthetic two-year scene written once for the tests of this assembly.</summary>
public sealed class SmallSceneFixture : IDisposable
{
    public SmallSceneFixture()
    {
        Scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 64, CellsY = 44, Years = [2010, 2020], Seed = 7 });
        Files = SyntheticSceneWriter.Write(Scene, Folder.File("scene"));
    }

    public TempDirectory Folder { get; } = new();

    public SyntheticScene Scene { get; }

    public SyntheticSceneFiles Files { get; }

    public void Dispose() => Folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SmallSceneCollection : ICollectionFixture<SmallSceneFixture>
{
    public const string Name = "small synthetic scene";
}
