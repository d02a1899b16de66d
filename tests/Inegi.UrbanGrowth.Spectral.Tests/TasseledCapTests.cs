namespace Inegi.UrbanGrowth.Spectral.Tests;

/// <summary>The three built-in tables against the published rows, typed here again from the papers.</summary>
public sealed class TasseledCapTests
{
    // Crist (1985), RSE 17:301-306: TM reflectance factor; columns TM1, TM2, TM3, TM4, TM5, TM7.
    private static readonly double[][] Crist1985 =
    [
        [0.2043, 0.4158, 0.5524, 0.5741, 0.3124, 0.2303],   // brightness
        [-0.1603, -0.2819, -0.4934, 0.7940, -0.0002, -0.1446], // greenness
        [0.0315, 0.2021, 0.3102, 0.1594, -0.6806, -0.6109],  // wetness
        [-0.2117, -0.0284, 0.1302, -0.1007, 0.6529, -0.7078], // fourth
        [-0.8669, -0.1835, 0.3856, 0.0408, -0.1132, 0.2272],  // fifth
        [0.3677, -0.8200, 0.4354, 0.0518, -0.0066, -0.0104],  // sixth
    ];

    // Huang et al. (2002), IJRS 23(8):1741-1748: ETM+ at-satellite reflectance; columns bands 1, 2, 3, 4, 5, 7.
    private static readonly double[][] Huang2002 =
    [
        [0.3561, 0.3972, 0.3904, 0.6966, 0.2286, 0.1596],
        [-0.3344, -0.3544, -0.4556, 0.6966, -0.0242, -0.2630],
        [0.2626, 0.2141, 0.0926, 0.0656, -0.7629, -0.5388],
        [0.0805, -0.0498, 0.1950, -0.1327, 0.5752, -0.7775],
        [-0.7252, -0.0202, 0.6683, 0.0631, -0.1494, -0.0274],
        [0.4000, -0.8172, 0.3832, 0.0602, -0.1095, 0.0985],
    ];

    // Baig et al. (2014), RSL 5(5):423-431: OLI at-satellite reflectance; columns bands 2 to 7.
    private static readonly double[][] Baig2014 =
    [
        [0.3029, 0.2786, 0.4733, 0.5599, 0.5080, 0.1872],
        [-0.2941, -0.2430, -0.5424, 0.7276, 0.0713, -0.1608],
        [0.1511, 0.1973, 0.3283, 0.3407, -0.7117, -0.4559],
        [-0.8239, 0.0849, 0.4396, -0.0580, 0.2013, -0.2773],
        [-0.3294, 0.0557, 0.1056, 0.1855, -0.4349, 0.8085],
        [0.1079, -0.9023, 0.4119, 0.0575, -0.0259, 0.0252],
    ];

    public static TheoryData<string> Tables => new() { "crist-tm-1985", "huang-etm-2002", "baig-oli-2014" };

    private static double[][] Published(string name) => name switch
    {
        "crist-tm-1985" => Crist1985,
        "huang-etm-2002" => Huang2002,
        _ => Baig2014,
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void BuiltInTable_EqualsPublishedRows(string name)
    {
        var table = TasseledCapCoefficients.FromName(name);
        double[][] published = Published(name);
        Assert.Equal(name, table.Name);
        Assert.Contains(name[..name.IndexOf('-', StringComparison.Ordinal)], table.Citation, StringComparison.OrdinalIgnoreCase);
        for (int k = 0; k < 6; k++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal((float)published[k][j], table[k, j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Compute_KnownPixel_TasseledCapEqualsPublishedRowsTimesBands(string name)
    {
        double[] pixel = [0.04, 0.07, 0.09, 0.31, 0.22, 0.13];
        const int n = 17;
        var x = new float[6 * n];
        for (int k = 0; k < 6; k++)
        {
            Array.Fill(x, (float)pixel[k], k * n, n);
        }

        var y = new float[27 * n];
        new SpectralTransform(tasseledCap: TasseledCapCoefficients.FromName(name)).Compute(x, n, y);
        double[][] published = Published(name);
        for (int k = 0; k < 6; k++)
        {
            double expected = 0;
            for (int j = 0; j < 6; j++)
            {
                expected += published[k][j] * pixel[j];
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected, y[((21 + k) * n) + i], 6);
            }
        }
    }

    [Fact]
    public void Default_IsCrist1985()
    {
        Assert.Same(TasseledCapCoefficients.CristTm1985, TasseledCapCoefficients.Default);
        Assert.Same(TasseledCapCoefficients.Default, new SpectralTransform().TasseledCap);
    }

    [Fact]
    public void Constructor_WrongSize_Throws()
    {
        Assert.Throws<ArgumentException>("rowMajorCoefficients", () => new TasseledCapCoefficients("x", "y", new float[35]));
        Assert.Throws<ArgumentException>("name", () => TasseledCapCoefficients.FromName("landsat3"));
    }

    [Fact]
    public void CustomTable_IsUsedByTheKernel()
    {
        var identity = new float[36];
        for (int k = 0; k < 6; k++)
        {
            identity[(k * 6) + k] = 1f;
        }

        var t = new SpectralTransform(tasseledCap: new TasseledCapCoefficients("identity", "test", identity));
        const int n = 20;
        float[] x = KernelTests.RandomReflectance(n, 3, 0);
        var y = new float[27 * n];
        t.Compute(x, n, y);
        Assert.Equal(y.AsSpan(0, 6 * n).ToArray(), y.AsSpan(21 * n, 6 * n).ToArray());
    }
}
