using Inegi.UrbanGrowth.Pipeline;
using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Synthetic;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Vectors.Tests;

/// <summary>
/// A synthetic scene's grids (<c>urban synth</c>, 2000-2020), its growth raster (<c>urban change</c>), first-urban-year
/// raster (<c>urban series</c>), a confidence raster, and the alerts written from them once for all tests.
/// </summary>
public sealed class SyntheticAlertsFixture : IDisposable
{
    public SyntheticAlertsFixture()
    {
        var scene = new SyntheticScene(new SyntheticSceneOptions { CellsX = 90, CellsY = 70, Years = [2000, 2010, 2020], Seed = 23 });
        var files = new SyntheticSceneFiles(Dir.Path, scene.Years);
        SyntheticSceneWriter.WriteGridFiles(scene, files);
        Zones = files.Zones;
        GrowthAnalysis.Change(files.Labels(2000), files.Labels(2020), Growth);
        GrowthAnalysis.Series([files.Labels(2000), files.Labels(2010), files.Labels(2020)], [2000, 2010, 2020], FirstYear);
        Info = GeoTiffReader.ReadInfo(Growth);
        GrowthCodes = TestGrids.ReadAll<byte>(Growth);

        // Confidence: a deterministic pattern over 0..100 with some nodata.
        ConfidenceValues = new byte[GrowthCodes.Length];
        for (int i = 0; i < ConfidenceValues.Length; i++)
        {
            ConfidenceValues[i] = i % 17 == 0 ? (byte)255 : (byte)((i * 37) % 101);
        }

        GeoTiffWriter.Write<byte>(Confidence, new GeoTiffWriteOptions { Width = Info.Width, Height = Info.Height, GeoTransform = Info.GeoTransform, Epsg = Info.Epsg, NoData = 255 }, ConfidenceValues);
        using IZoneRowSource zones = ZoneSources.Open(Zones, null, Info);
        Summary = GrowthAlerts.Write(Growth, FirstYear, Confidence, zones, GeoPackage, GeoJson);
        Alerts = GrowthAlertWriter.Read(GeoPackage);
    }

    public TempDirectory Dir { get; } = new();

    public string Growth => Dir.File("growth_2000_2020.tif");

    public string FirstYear => Dir.File("first_year_urban.tif");

    public string Confidence => Dir.File("confidence.tif");

    public string Zones { get; }

    public string GeoPackage => Dir.File("out/alerts.gpkg");

    public string GeoJson => Dir.File("out/alerts.geojson");

    public RasterInfo Info { get; }

    public byte[] GrowthCodes { get; }

    public byte[] ConfidenceValues { get; }

    public GrowthAlertSummary Summary { get; }

    public IReadOnlyList<GrowthAlert> Alerts { get; }

    public void Dispose() => Dir.Dispose();
}

/// <summary>The test classes that share one <see cref="SyntheticAlertsFixture"/> (built once).</summary>
[CollectionDefinition(Name)]
public sealed class SyntheticAlertsCollection : ICollectionFixture<SyntheticAlertsFixture>
{
    public const string Name = "synthetic alerts";
}
