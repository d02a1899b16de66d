#:project ../../../src/Inegi.UrbanGrowth.Synthetic/Inegi.UrbanGrowth.Synthetic.csproj
#:project ../../../src/Inegi.UrbanGrowth.Core/Inegi.UrbanGrowth.Core.csproj
// The synthetic truth behind the growth goal: every cell's built-up fraction in every year of the issue-19 scene
// (150 x 150 cells, 2000-2020 every 5 years), and optionally the per-pixel built-up abundance of some years.
// Usage: dotnet run fractions.cs -- SEED OUTDIR [YEAR ...]
//   OUTDIR/frac_SEED.csv: i,def,f2000,...,f2020 (i = row * 150 + column; def = 1 where every year's label is 0 or 1)
//   OUTDIR/bu_SEED_YEAR.f32: the mosaic's per-pixel built-up abundance, float32, row-major (for pixel_oracle.py)
using Inegi.UrbanGrowth;
using Inegi.UrbanGrowth.Synthetic;

int seed = int.Parse(args[0]);
string outDir = args[1];
Directory.CreateDirectory(outDir);
int[] years = [2000, 2005, 2010, 2015, 2020];
var s = new SyntheticScene(new SyntheticSceneOptions { CellsX = 150, CellsY = 150, Seed = seed, Years = years });
int w = s.GridWidth, h = s.GridHeight;
var labels = new byte[years.Length][];
for (int t = 0; t < years.Length; t++)
{
    labels[t] = new byte[w * h];
    for (int r = 0; r < h; r++)
    {
        s.RenderLabels(years[t], r, labels[t].AsSpan(r * w, w));
    }
}

using (var o = new StreamWriter(Path.Combine(outDir, $"frac_{seed}.csv")))
{
    o.WriteLine("i,def," + string.Join(",", years.Select(y => "f" + y)));
    for (int r = 0; r < h; r++)
    {
        for (int c = 0; c < w; c++)
        {
            int i = (r * w) + c;
            bool defined = labels.All(l => l[i] < 2);
            o.WriteLine($"{i},{(defined ? 1 : 0)}," + string.Join(",", years.Select(y => s.BuiltUpFraction(y, c, r).ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}

foreach (int y in args.Skip(2).Select(int.Parse))
{
    var buffer = new float[s.MosaicWidth * 256];
    using var f = File.Create(Path.Combine(outDir, $"bu_{seed}_{y}.f32"));
    for (int r = 0; r < s.MosaicHeight; r += 256)
    {
        int rows = Math.Min(256, s.MosaicHeight - r);
        s.RenderBuiltUp(y, new PixelWindow(0, r, s.MosaicWidth, rows), buffer.AsSpan(0, s.MosaicWidth * rows));
        f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, s.MosaicWidth * rows)));
    }
}

Console.WriteLine($"seed {seed}: {w} x {h} cells, mosaic {s.MosaicWidth} x {s.MosaicHeight}");
