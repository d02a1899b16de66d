namespace Inegi.UrbanGrowth.Selection.Tests;

/// <summary>Realistic feature matrices: informative, weak, noise, constant, near-constant and duplicated columns.</summary>
internal static class SyntheticFeatures
{
    public static (FeatureMatrix X, byte[] Y) Create(int rows, int columns, int classes, int seed, double minorityShare = 0)
    {
        var random = new Random(seed);
        var y = new byte[rows];
        for (int i = 0; i < rows; i++)
        {
            y[i] = minorityShare > 0 && classes == 2
                ? (byte)(random.NextDouble() < minorityShare ? 1 : 0)
                : (byte)(i < classes ? i : random.Next(classes));
        }

        var names = new string[columns];
        for (int j = 0; j < columns; j++)
        {
            names[j] = "f" + j.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var x = new FeatureMatrix(rows, new FeatureSchema(names));
        for (int j = 0; j < columns; j++)
        {
            int kind = j % 12;
            double scale = Math.Pow(10, (j % 7) - 3);
            double offset = (j % 5) * 100 * scale;
            for (int i = 0; i < rows; i++)
            {
                double g = Gaussian(random);
                int c = y[i];
                double v = kind switch
                {
                    0 => offset + scale * (g + 1.5 * c),                  // strongly informative
                    1 => offset + scale * (g + 0.05 * c),                 // weak
                    2 => offset + scale * g,                              // noise
                    3 => 7.25,                                            // constant
                    4 => 1000 + 1e-4 * g,                                 // near-constant noise on a large offset
                    5 => 500 + 1e-3 * c + 1e-4 * g,                       // near-constant but informative
                    6 => c == 0 ? 0.0 : c,                                // constant within classes, different between: F = inf
                    7 => Math.Exp(g + 0.3 * c),                           // skewed, informative
                    8 => Math.Round(10 * random.NextDouble()) + 0.2 * c,  // discrete counts (hist-like)
                    9 => 1e-7 * g,                                        // tiny noise around zero
                    10 => offset + scale * (g + 4 * c),                   // very strong: p underflows
                    _ => 0,                                               // filled below as duplicates
                };
                x[i, j] = (float)v;
            }
        }

        for (int j = 11; j < columns; j += 12)
        {
            for (int i = 0; i < rows; i++)
            {
                x[i, j] = x[i, j - 11];                                   // duplicate of an informative column
            }
        }

        return (x, y);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
