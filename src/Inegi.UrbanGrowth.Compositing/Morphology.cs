namespace Inegi.UrbanGrowth.Compositing;

/// <summary>Binary erosion and dilation by a disk (x^2 + y^2 &lt;= r^2, as skimage.morphology.disk), outside the raster counting as false.</summary>
internal static class Morphology
{
    /// <summary>True where every pixel of the disk around it is true (pixels outside the raster are false).</summary>
    public static bool[] Erode(bool[] mask, int width, int height, int radius)
    {
        bool[] inverse = [.. mask.Select(v => !v)];

        // Erosion is the complement of the dilation of the complement, with outside counting as true in the complement.
        bool[] grown = Dilate(inverse, width, height, radius, outsideTrue: true);
        return [.. grown.Select(v => !v)];
    }

    /// <summary>True where any pixel of the disk around it is true.</summary>
    public static bool[] Dilate(bool[] mask, int width, int height, int radius, bool outsideTrue = false)
    {
        var result = new bool[mask.Length];
        int[] halfWidths = new int[radius + 1];
        for (int dy = 0; dy <= radius; dy++)
        {
            halfWidths[dy] = (int)Math.Floor(Math.Sqrt((radius * radius) - (dy * dy)));
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool any = false;
                for (int dy = -radius; dy <= radius && !any; dy++)
                {
                    int h = halfWidths[Math.Abs(dy)], yy = y + dy;
                    for (int dx = -h; dx <= h; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || yy < 0 || xx >= width || yy >= height ? outsideTrue : mask[(yy * width) + xx])
                        {
                            any = true;
                            break;
                        }
                    }
                }

                result[(y * width) + x] = any;
            }
        }

        return result;
    }
}
