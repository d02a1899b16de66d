using Inegi.UrbanGrowth.Raster;
using Inegi.UrbanGrowth.Raster.Projections;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// Which images can reach a window of the target grid, from their headers alone: a cluster tile then opens only the
/// 20-60 scenes over it instead of every scene of a national year.
/// </summary>
internal static class ImageFootprint
{
    // Points per edge of the image's outline, and target pixels of margin around its bounding box: the outline of a
    // 185 km scene bends by far less than a pixel between points, and sampling reaches at most half a pixel beyond it.
    private const int PointsPerEdge = 16;
    private const double Margin = 2;

    /// <summary>
    /// Whether any target pixel of <paramref name="window"/> may sample <paramref name="image"/>: false only when the
    /// image's whole extent, projected onto the target grid, lies clear of the window. Images that cannot be judged
    /// (no EPSG code, an unsupported CRS) count as reaching it, so the reader checks them and names the problem.
    /// </summary>
    public static bool MayReach(CompositeImage image, TargetGrid grid, PixelWindow window)
    {
        RasterInfo info = GeoTiffReader.ReadInfo(image.Path);
        if (info.Epsg is not int epsg || (epsg != grid.Epsg && !CrsCatalog.TryGet(epsg, out _)))
        {
            return true;
        }

        MathTransform? transform = epsg == grid.Epsg ? null : CrsCatalog.Transformation(epsg, grid.Epsg);
        double minC = double.MaxValue, maxC = double.MinValue, minR = double.MaxValue, maxR = double.MinValue;
        for (int i = 0; i <= PointsPerEdge; i++)
        {
            double f = (double)i / PointsPerEdge;
            foreach ((double u, double v) in new[] { (f * info.Width, 0.0), (f * info.Width, info.Height), (0.0, f * info.Height), (info.Width, f * info.Height) })
            {
                (double x, double y) = info.GeoTransform.PixelToMap(u, v);
                if (transform is not null)
                {
                    double[] p = transform.Transform([x, y]);
                    (x, y) = (p[0], p[1]);
                }

                (double c, double r) = grid.GeoTransform.MapToPixel(x, y);
                if (!double.IsFinite(c) || !double.IsFinite(r))
                {
                    return true;
                }

                minC = Math.Min(minC, c);
                maxC = Math.Max(maxC, c);
                minR = Math.Min(minR, r);
                maxR = Math.Max(maxR, r);
            }
        }

        return maxC + Margin >= window.X && minC - Margin <= window.X + window.Width
            && maxR + Margin >= window.Y && minR - Margin <= window.Y + window.Height;
    }
}
