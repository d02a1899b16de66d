using System.Globalization;
using Inegi.UrbanGrowth.Raster;

namespace Inegi.UrbanGrowth.Vectors;

/// <summary>What <see cref="VectorLabels.Burn"/> wrote.</summary>
/// <param name="FeatureCount">Features read.</param>
/// <param name="LabelledCells">Cells that received a label.</param>
/// <param name="CellCount">Cells of the grid.</param>
public sealed record LabelBurnSummary(int FeatureCount, long LabelledCells, long CellCount)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{FeatureCount} features burnt: {LabelledCells} of {CellCount} cells labelled, the rest 255");
}

/// <summary>
/// Burns a labelled vector layer (polygons by cell centre, or points into the cell that contains them) into a label
/// grid (Byte, 255 nodata) on the grid of another raster: the inverse of exporting a grid's cells as features.
/// </summary>
public static class VectorLabels
{
    /// <summary>The value of cells that no feature labels.</summary>
    public const byte NoLabel = 255;

    /// <summary>Burns the layer and writes the label GeoTIFF atomically (tiled, Deflate, GDAL_NODATA 255).</summary>
    /// <param name="layerPath">A .shp or .gpkg layer of polygons or points.</param>
    /// <param name="field">The field holding the label: whole numbers 0..254 (see <see cref="ZoneRasterizer"/> for the accepted field types).</param>
    /// <param name="likePath">A raster whose grid (size, geotransform, EPSG code) the output takes.</param>
    /// <param name="outputPath">The label GeoTIFF; it must not be one of the inputs.</param>
    /// <exception cref="ArgumentException">The output would overwrite an input.</exception>
    /// <exception cref="DataFileException">An input cannot be read, or a feature is neither a polygon nor a point, or a label is out of range.</exception>
    public static LabelBurnSummary Burn(string layerPath, string field, string likePath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(layerPath);
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(likePath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        string output = Path.GetFullPath(outputPath);
        foreach (string input in new[] { layerPath, likePath })
        {
            if (string.Equals(Path.GetFullPath(input), output, StringComparison.Ordinal))
            {
                throw new ArgumentException($"--out {outputPath} would overwrite the input {input}");
            }
        }

        RasterInfo like = GeoTiffReader.ReadInfo(likePath);
        var burner = new CellBurner(like.Width, like.Height, like.GeoTransform, NoLabel);
        int features = 0;
        foreach (LayerFeature feature in VectorLayer.Read(layerPath, field, like.Epsg))
        {
            if (!CellBurner.TryInteger(feature.Value, out long label, out string problem) || label < 0 || label >= NoLabel)
            {
                if (problem.Length == 0)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"is {label}, outside 0..254 (255 marks unlabelled cells)");
                }

                throw new DataFileException(layerPath, string.Create(CultureInfo.InvariantCulture, $"feature {feature.Index + 1}: label field '{field}' {problem}"));
            }

            if (!burner.Burn(feature.Geometry, (int)label))
            {
                throw new DataFileException(layerPath, string.Create(CultureInfo.InvariantCulture, $"feature {feature.Index + 1} is a {feature.Geometry.GeometryType}; labels come from polygons or points"));
            }

            features++;
        }

        byte[] labels = new byte[burner.Cells.Length];
        long labelled = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)burner.Cells[i];
            labelled += labels[i] != NoLabel ? 1 : 0;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        GeoTiffWriter.Write<byte>(output, new GeoTiffWriteOptions
        {
            Width = like.Width,
            Height = like.Height,
            GeoTransform = like.GeoTransform,
            Epsg = like.Epsg,
            NoData = NoLabel,
        }, labels);
        return new LabelBurnSummary(features, labelled, labels.LongLength);
    }
}
