using System.Globalization;
using System.Net;
using System.Text.Json;
using Inegi.UrbanGrowth.Testing;
using SkiaSharp;

namespace Inegi.UrbanGrowth.Validation.Tests;

/// <summary>Chips from the real Olinda window, checked pixel by pixel against GDAL + numpy.</summary>
public sealed class ChipTests
{
    private const string NumpyChip = """
        import sys, numpy as np
        raw, cx, cy, n, cs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        width, height, bands = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
        ox, pw, _, oy, _, ph = (float(v) for v in sys.argv[9].split(","))
        a = np.fromfile(raw, dtype="<f4").reshape(bands, height, width).astype(np.float64)
        side = 3 * cs; step = side / n; left = cx - side / 2; top = cy + side / 2
        k = np.arange(n)
        cols = np.floor((left + (k + 0.5) * step - ox) / pw).astype(int)
        rows = np.floor((top - (k + 0.5) * step - oy) / ph).astype(int)
        inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))[None, :]
        rc, cc = np.clip(rows, 0, height - 1), np.clip(cols, 0, width - 1)
        out = []
        for b in (2, 1, 0):  # red, green, blue
            v = a[b][rc][:, cc]
            seen = np.concatenate([v[inside], v[inside]])  # the same mosaic stands for 2010 and 2020
            lo, hi = np.percentile(seen, 1), np.percentile(seen, 99.5)
            d = np.round(255 * np.clip((v - lo) / (hi - lo), 0, 1) ** 0.8)
            d[~inside] = -1
            print(repr(lo), repr(hi))
            out.append(d.astype(int).ravel())
        print(" ".join(str(x) for x in np.stack(out, axis=1).ravel()))
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]   // north-west corner: the context runs off the mosaic (grey)
    [InlineData(40)]  // the middle of the window: built-up Olinda
    public async Task True_colour_chip_matches_gdal_and_numpy_pixel_for_pixel(long cellId)
    {
        using Scene scene = Scene.Create(81);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient ana = server.Interpreter("ana");
        HttpResponseMessage r = await ana.GetAsync($"/api/chips/{cellId}/2010/true", Ct);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
        using SKBitmap png = SKBitmap.Decode(await r.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((300, 300), (png.Width, png.Height));

        var (cx, cy) = Scene.Grid.PixelToMap((cellId % 9) + 0.5, (cellId / 9) + 0.5);
        // GDAL decodes the GeoTIFF (band-sequential float32 dump and its geotransform); numpy samples and stretches.
        using JsonDocument info = JsonDocument.Parse(Oracles.RunGdal("gdalinfo", "-json", scene.Mosaic));
        int[] size = [.. info.RootElement.GetProperty("size").EnumerateArray().Select(v => v.GetInt32())];
        int bands = info.RootElement.GetProperty("bands").GetArrayLength();
        string transform = string.Join(",", info.RootElement.GetProperty("geoTransform").EnumerateArray().Select(v => F(v.GetDouble())));
        string raw = scene.Dir.File("mosaic.f32");
        Oracles.RunGdal("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-ot", "Float32", scene.Mosaic, raw);
        string[] lines = Oracles.RunPython(NumpyChip, [raw, F(cx), F(cy), "300", "1000", size[0].ToString(CultureInfo.InvariantCulture),
            size[1].ToString(CultureInfo.InvariantCulture), bands.ToString(CultureInfo.InvariantCulture), transform], 120).Trim().Split('\n');
        int[] expected = [.. lines[3].Split(' ').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int compared = 0, differ = 0, outside = 0;
        for (int j = 0; j < 300; j++)
        {
            for (int i = 0; i < 300; i++)
            {
                if (OnOutline(i, j))
                {
                    continue;
                }

                SKColor c = png.GetPixel(i, j);
                int e = 3 * ((j * 300) + i);
                if (expected[e] < 0)
                {
                    outside++;
                    Assert.Equal(new SKColor(0x3a, 0x3a, 0x3a), c);
                    continue;
                }

                compared++;
                // A chip pixel centre that falls exactly on a mosaic pixel edge may round either way: allow a few.
                differ += (c.Red, c.Green, c.Blue) == (expected[e], expected[e + 1], expected[e + 2]) ? 0 : 1;
            }
        }

        Assert.True(compared > 40_000, $"{compared} pixels compared");
        Assert.True(differ <= compared / 1000, $"{differ} of {compared} pixels differ from numpy");
        Assert.Equal(cellId == 0, outside > 0);

        // The cell outline: yellow on the middle third's edges.
        Assert.Equal(new SKColor(0xff, 0xd4, 0x00), png.GetPixel(100, 150));
        Assert.Equal(new SKColor(0xff, 0xd4, 0x00), png.GetPixel(150, 200));
    }

    [Fact]
    public async Task Chips_are_cached_and_only_sample_cells_and_mosaic_years_are_served()
    {
        using Scene scene = Scene.Create(4);
        await using InProcessServer server = await InProcessServer.StartAsync(scene.Options());
        HttpClient ana = server.Interpreter("ana");
        byte[] first = await ana.GetByteArrayAsync("/api/chips/20/2020/false", Ct);
        var chips = (ChipRenderer)server.App.Services.GetService(typeof(ChipRenderer))!;
        Assert.Equal(2, chips.CachedChips); // both years of that kind share a stretch and are rendered together
        byte[] other = await ana.GetByteArrayAsync("/api/chips/20/2010/false", Ct);
        Assert.Equal(first, other); // one mosaic stands for both years here: same pixels, same stretch, same chip
        Assert.Equal(2, chips.CachedChips);
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync("/api/chips/21/2020/true", Ct)).StatusCode);  // not in the sample
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync("/api/chips/20/2015/true", Ct)).StatusCode);  // no mosaic
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync("/api/chips/20/2020/ndvi", Ct)).StatusCode);
    }

    [Fact]
    public void Quantiles_follow_numpy_linear_interpolation()
    {
        var values = new List<float> { 1, 2, 3, 4, 10 };
        Assert.Equal(1.04f, ChipRenderer.Quantile(values, 0.01), 5);
        Assert.Equal(9.76f, ChipRenderer.Quantile(values, 0.99), 5);
        Assert.Equal(0, ChipRenderer.Display(1, 2, 3));
        Assert.Equal(255, ChipRenderer.Display(9, 2, 3));
        Assert.Equal(Math.Round(255 * Math.Pow(0.5, 0.8)), ChipRenderer.Display(2.5f, 2, 3));
    }

    private static bool OnOutline(int i, int j)
    {
        static bool Near(int v, int line) => Math.Abs(v - line) <= 3;
        bool inSpan(int v) => v >= 96 && v <= 204;
        return (inSpan(j) && (Near(i, 100) || Near(i, 200))) || (inSpan(i) && (Near(j, 100) || Near(j, 200)));
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
