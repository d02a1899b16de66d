using System.Net;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>What <c>urban validate serve</c> serves and where.</summary>
public sealed record ValidationServerOptions
{
    /// <summary>The sample CSV of <c>urban validation-sample</c>.</summary>
    public required string SamplePath { get; init; }

    /// <summary>One mosaic per year.</summary>
    public required IReadOnlyDictionary<int, string> Mosaics { get; init; }

    /// <summary>
    /// Class maps by year (band 1: 0 / 1 / 255), each a year of <see cref="Mosaics"/>, or null for none: their class at each
    /// cell is stored with the sample, shown to interpreters only when <see cref="Blind"/> is off, and exported beside the
    /// labels as <c>map_YEAR</c> columns.
    /// </summary>
    public IReadOnlyDictionary<int, string>? Maps { get; init; }

    /// <summary>The labels database (created when absent).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The map's year, whose answer is the reference label; null for the last mosaic year.</summary>
    public int? ReferenceYear { get; init; }

    /// <summary>Share of cells labelled by two interpreters, 0..1.</summary>
    public double DoubleShare { get; init; } = 0.1;

    /// <summary>Seed of the labelling order and of the double-labelled share.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Whether the map's class and the stratum are hidden from interpreters (the default: blind interpretation).</summary>
    public bool Blind { get; init; } = true;

    /// <summary>Side of a sample cell in map units.</summary>
    public double CellSize { get; init; } = 1000;

    /// <summary>Band order and nodata of the mosaics.</summary>
    public MosaicOptions? MosaicOptions { get; init; }

    /// <summary>Address to listen on: loopback unless told otherwise.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Port (0: any free port).</summary>
    public int Port { get; init; } = 8080;
}
