using System.Globalization;

namespace Inegi.UrbanGrowth.Compositing;

/// <summary>
/// The settings of one composite run as the command line spells them (<c>urban composite</c> and
/// <c>urban plan composite</c> share this one reading, so a tiled run and a single-process run of the same options
/// open the same observations on the same grid and record the same provenance).
/// </summary>
/// <remarks>The defaults are those of <c>urban composite</c> (docs/cli.md).</remarks>
public sealed record CompositeSettings
{
    /// <summary>Per-date multi-band GeoTIFFs, one per observation (or <see cref="Scenes"/>).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>A folder of Landsat scenes, scanned by <see cref="SceneInventory"/> (instead of <see cref="Images"/>).</summary>
    public string? Scenes { get; init; }

    /// <summary>A STAC ItemCollection JSON file listing the scenes, read by <see cref="StacCatalog"/> (instead of <see cref="Scenes"/> or <see cref="Images"/>).</summary>
    public string? Stac { get; init; }

    /// <summary>
    /// Clear observations a pixel needs in the period before its window widens (<see cref="MaxWidening"/>); 0 (default):
    /// never widen. Needs a period (<see cref="Period"/>, or both <see cref="From"/> and <see cref="To"/>) of
    /// <see cref="Scenes"/> or <see cref="Stac"/>.
    /// </summary>
    public int MinObservations { get; init; }

    /// <summary>Most widening steps, each adding the period's length in days on both sides (default 2).</summary>
    public int MaxWidening { get; init; } = 2;

    /// <summary>First acquisition date kept from <see cref="Scenes"/>, <c>yyyy-MM-dd</c>; null: no limit.</summary>
    public string? From { get; init; }

    /// <summary>Last acquisition date kept from <see cref="Scenes"/>, <c>yyyy-MM-dd</c> (inclusive); null: no limit.</summary>
    public string? To { get; init; }

    /// <summary>The period of the scenes kept, as <see cref="CompositePeriod.Parse"/> reads it (instead of <see cref="From"/> and <see cref="To"/>).</summary>
    public string? Period { get; init; }

    /// <summary>One quality band per image in the same order, or none.</summary>
    public IReadOnlyList<string> QualityBands { get; init; } = [];

    /// <summary>Quality encoding: <c>c2</c> (Collection 2 QA_PIXEL), <c>c1</c> (Collection 1 BQA) or <c>fmask</c>.</summary>
    public string QaFormat { get; init; } = "c2";

    /// <summary>What the quality band removes: <c>default</c>, <c>none</c> or a comma list of fill, cloud, dilated-cloud, cirrus, shadow, snow, saturation.</summary>
    public string Mask { get; init; } = "default";

    /// <summary>Nodata value of the images; each file's GDAL_NODATA when null.</summary>
    public double? NoData { get; init; }

    /// <summary>Reflectance = DN x Scale + Offset.</summary>
    public double Scale { get; init; } = 1e-4;

    /// <summary>Reflectance offset.</summary>
    public double Offset { get; init; }

    /// <summary>File band numbers (1-based) of blue, green, red, nir, swir1, swir2, comma-separated.</summary>
    public string Bands { get; init; } = "1,2,3,4,5,6";

    /// <summary>A GeoTIFF whose CRS and extent give the target grid (instead of <see cref="Crs"/> and <see cref="Bounds"/>).</summary>
    public string? Like { get; init; }

    /// <summary>The target CRS, <c>EPSG:N</c> (with <see cref="Bounds"/>).</summary>
    public string? Crs { get; init; }

    /// <summary>The target extent <c>minx,miny,maxx,maxy</c> in <see cref="Crs"/> units.</summary>
    public string? Bounds { get; init; }

    /// <summary>Target pixel size.</summary>
    public double Resolution { get; init; } = 30;

    /// <summary><c>nearest</c> or <c>bilinear</c>.</summary>
    public string ResamplingMethod { get; init; } = "nearest";

    /// <summary>Geomedian tolerance.</summary>
    public float Epsilon { get; init; } = GeomedianOptions.DefaultEpsilon;

    /// <summary>Geomedian iteration cap.</summary>
    public int MaxIterations { get; init; } = GeomedianOptions.DefaultMaxIterations;

    /// <summary>Radius in source pixels of the opening of the cloud and shadow mask (<see cref="ImageReadOptions.CloudOpening"/>); 0: none.</summary>
    public int CloudOpening { get; init; }

    /// <summary>Radius in source pixels of the dilation of the cloud and shadow mask (<see cref="ImageReadOptions.CloudDilation"/>); 0: none.</summary>
    public int CloudDilation { get; init; }

    /// <summary>Side of the square blocks of the target grid composited at once (<see cref="CompositeOptions.TileSize"/>).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>The observations: each image with its quality band.</summary>
    /// <exception cref="ArgumentException">The quality bands do not pair with the images.</exception>
    /// <exception cref="DataFileException">The scene folder holds no usable scene in the period, or a scene is incomplete.</exception>
    public IReadOnlyList<CompositeImage> CompositeImages()
    {
        if (Scenes is not null || Stac is not null)
        {
            return [.. WidenedObservations().Select(s => s.Scene.Image)];
        }

        if (From is not null || To is not null || Period is not null)
        {
            throw new ArgumentException("--from, --to and --period select scenes of --scenes; per-date --images are all used");
        }

        if (MinObservations != 0)
        {
            throw new ArgumentException("--min-observations widens the period of --scenes or --stac; per-date --images are all used");
        }

        if (Images.Count == 0)
        {
            throw new ArgumentException("give the observations: --images A.tif B.tif ... or --scenes DIR");
        }

        if (QualityBands.Count != 0 && QualityBands.Count != Images.Count)
        {
            throw new ArgumentException($"--qa lists {QualityBands.Count} files for {Images.Count} images");
        }

        return [.. Images.Select((path, i) => new CompositeImage(path, QualityBands.Count == 0 ? null : QualityBands[i]))];
    }

    /// <summary>The scenes of <see cref="Scenes"/> acquired from <see cref="From"/> to <see cref="To"/>, by date.</summary>
    /// <exception cref="ArgumentException">No scene folder is given, it is given with images, or a date is badly spelled.</exception>
    /// <exception cref="DataFileException">The folder holds no scene in the period, or a scene is incomplete.</exception>
    public IReadOnlyList<SceneObservation> SceneObservations()
    {
        (DateOnly? from, DateOnly? to) = PeriodDates();
        return Archive(from, to);
    }

    /// <summary>
    /// The scenes read when <see cref="MinObservations"/> asks for widening: those of the period (step 0) and those of
    /// the widened windows around it, step k holding the scenes within k x the period's length (in days) of it, up to
    /// <see cref="MaxWidening"/>; without widening, the period's scenes, all at step 0. By date, then id.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="SceneObservations"/>, or widening asked for without a closed period or with a bad count.</exception>
    /// <exception cref="DataFileException">As <see cref="SceneObservations"/>.</exception>
    public IReadOnlyList<(SceneObservation Scene, int Step)> WidenedObservations()
    {
        (DateOnly? from, DateOnly? to) = PeriodDates();
        if (MinObservations < 0 || MinObservations > ushort.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--min-observations must be 0 (no widening) or more, not {MinObservations}"));
        }

        if (MaxWidening is < 0 or > 100)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--max-widening must be 0 to 100 steps, not {MaxWidening}"));
        }

        if (MinObservations == 0 || MaxWidening == 0)
        {
            return [.. Archive(from, to).Select(s => (s, 0))];
        }

        if (from is not DateOnly start || to is not DateOnly end)
        {
            throw new ArgumentException("--min-observations widens a period: give --period, or both --from and --to");
        }

        int length = end.DayNumber - start.DayNumber + 1;
        _ = Archive(start, end); // the period itself must hold a scene
        IReadOnlyList<SceneObservation> wide = Archive(start.AddDays(-MaxWidening * length), end.AddDays(MaxWidening * length));
        return [.. wide.Select(s => (s, Step(s.Date)))];

        int Step(DateOnly d) => d < start ? (start.DayNumber - d.DayNumber + length - 1) / length : d > end ? (d.DayNumber - end.DayNumber + length - 1) / length : 0;
    }

    /// <summary>The widening step of each image of <see cref="CompositeImages"/> (null when no widening is asked for).</summary>
    public IReadOnlyList<int>? WideningSteps() =>
        MinObservations > 0 && MaxWidening > 0 && (Scenes is not null || Stac is not null) ? [.. WidenedObservations().Select(s => s.Step)] : null;

    private IReadOnlyList<SceneObservation> Archive(DateOnly? from, DateOnly? to)
    {
        string source = Stac ?? Scenes!;
        IReadOnlyList<SceneObservation> scenes = Stac is not null ? StacCatalog.Read(Stac, from, to) : SceneInventory.Scan(Scenes!, from, to);
        return scenes.Count > 0 ? scenes
            : throw new DataFileException(source, $"holds no Landsat scene acquired from {from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the start"} to {to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the end"}");
    }

    private (DateOnly? From, DateOnly? To) PeriodDates()
    {
        if (Scenes is null && Stac is null)
        {
            throw new ArgumentException("no --scenes folder or --stac file given");
        }

        if (Scenes is not null && Stac is not null)
        {
            throw new ArgumentException("give either --scenes or --stac, not both");
        }

        if (Images.Count > 0 || QualityBands.Count > 0)
        {
            throw new ArgumentException($"give either --images (with --qa) or {(Stac is null ? "--scenes" : "--stac")}, not both");
        }

        DateOnly? from = ParseDate(From, "--from"), to = ParseDate(To, "--to");
        if (Period is not null)
        {
            if (From is not null || To is not null)
            {
                throw new ArgumentException("give either --period or --from/--to, not both");
            }

            CompositePeriod period = CompositePeriod.Parse(Period);
            (from, to) = (period.From, period.To);
        }

        if (from > to)
        {
            throw new ArgumentException($"--from {From} is after --to {To}");
        }

        return (from, to);
    }

    /// <summary>How values become reflectance and what is masked.</summary>
    /// <exception cref="ArgumentException">A badly spelled option (the message names it).</exception>
    public ImageReadOptions ReadOptions() => new()
    {
        Bands = ParseInts(Bands, "--bands"),
        NoData = NoData,
        Scale = Scale,
        Offset = Offset,
        QualityFormat = QaFormat switch
        {
            "c2" => QualityFormat.LandsatCollection2,
            "c1" => QualityFormat.LandsatCollection1,
            "fmask" => QualityFormat.Fmask,
            var other => throw new ArgumentException($"--qa-format must be c2, c1 or fmask, not '{other}'"),
        },
        Masked = ParseMask(Mask),
        Resampling = ResamplingMethod switch
        {
            "nearest" => Resampling.Nearest,
            "bilinear" => Resampling.Bilinear,
            var other => throw new ArgumentException($"--resampling must be nearest or bilinear, not '{other}'"),
        },
        CloudOpening = CloudOpening is >= 0 and <= 100 ? CloudOpening : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--cloud-opening must be 0 to 100 pixels, not {CloudOpening}")),
        CloudDilation = CloudDilation is >= 0 and <= 100 ? CloudDilation : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--cloud-dilation must be 0 to 100 pixels, not {CloudDilation}")),
    };

    /// <summary>The target grid, from <see cref="Like"/> or from <see cref="Crs"/> and <see cref="Bounds"/>.</summary>
    /// <exception cref="ArgumentException">Neither or both ways are given, or one is badly spelled.</exception>
    /// <exception cref="DataFileException">The <see cref="Like"/> raster cannot give a grid.</exception>
    public TargetGrid Grid()
    {
        if (Like is not null)
        {
            if (Crs is not null || Bounds is not null)
            {
                throw new ArgumentException("give either --like or --crs with --bounds, not both");
            }

            return TargetGrid.Like(Like, Resolution);
        }

        if (Crs is null || Bounds is null)
        {
            throw new ArgumentException("the target grid needs --like TARGET.tif, or --crs EPSG:N with --bounds minx,miny,maxx,maxy");
        }

        string code = Crs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? Crs[5..] : Crs;
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int epsg))
        {
            throw new ArgumentException($"--crs must be EPSG:N, not '{Crs}'");
        }

        double[] b;
        try
        {
            b = [.. Bounds.Split(',', StringSplitOptions.TrimEntries).Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--bounds must be minx,miny,maxx,maxy, not '{Bounds}'");
        }

        return b.Length == 4
            ? TargetGrid.FromBounds(epsg, b[0], b[1], b[2], b[3], Resolution)
            : throw new ArgumentException($"--bounds must be minx,miny,maxx,maxy, not '{Bounds}'");
    }

    /// <summary>The compositor's settings, checked.</summary>
    /// <param name="threads">Worker threads (-1: all cores); the bytes never depend on it.</param>
    /// <exception cref="ArgumentException">The tolerance, iteration cap or block size is out of range.</exception>
    public CompositeOptions ToCompositeOptions(int threads)
    {
        var geomedian = new GeomedianOptions { Epsilon = Epsilon, MaxIterations = MaxIterations };
        try
        {
            geomedian.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException(e.Message.Split(" (Parameter")[0], e);
        }

        if (TileSize < 16)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--tile must be at least 16 pixels, not {TileSize}"));
        }

        return new CompositeOptions
        {
            Geomedian = geomedian, MaxDegreeOfParallelism = threads, TileSize = TileSize,
            MinObservations = MinObservations, WideningSteps = WideningSteps(),
        };
    }

    /// <summary>Opens the observations on the target grid (checks every image and quality band).</summary>
    /// <param name="reaching">
    /// When given, only the images whose extent can reach this window of the target grid are opened (read from their
    /// headers; the first image when none does), in their order. The window's pixels come out the same bytes: an image
    /// left out has no usable value there, and the geomedian, MADs and COUNT skip such observations exactly.
    /// </param>
    /// <exception cref="ArgumentException">A badly spelled option.</exception>
    /// <exception cref="DataFileException">An image or quality band cannot be used; the message names it.</exception>
    public ObservationReader OpenReader(PixelWindow? reaching = null)
    {
        IReadOnlyList<CompositeImage> images = CompositeImages();
        ImageReadOptions read = ReadOptions();
        TargetGrid grid = Grid();
        if (reaching is PixelWindow window)
        {
            CompositeImage[] over = [.. images.Where(image => ImageFootprint.MayReach(image, grid, window))];
            images = over.Length > 0 ? over : [images[0]];
        }

        return new ObservationReader(images, grid, read);
    }

    /// <summary>The options recorded in the provenance JSON (<c>options</c>), as <c>urban composite</c> records them.</summary>
    public IReadOnlyDictionary<string, string> Provenance()
    {
        ImageReadOptions read = ReadOptions();
        var entries = new Dictionary<string, string>
        {
            ["scale"] = read.Scale.ToString("R", CultureInfo.InvariantCulture),
            ["offset"] = read.Offset.ToString("R", CultureInfo.InvariantCulture),
            ["nodata"] = read.NoData?.ToString("R", CultureInfo.InvariantCulture) ?? "file",
            ["bands"] = Bands,
            ["qa_format"] = QaFormat,
            ["mask"] = read.Masked.ToString(),
            ["resampling"] = ResamplingMethod,
        };
        if (CloudOpening > 0 || CloudDilation > 0)
        {
            entries["cloud_opening"] = CloudOpening.ToString(CultureInfo.InvariantCulture);
            entries["cloud_dilation"] = CloudDilation.ToString(CultureInfo.InvariantCulture);
        }

        if (Scenes is not null || Stac is not null)
        {
            // Scenes carry their own conversion and quality encoding; the run's scale, offset, nodata, bands and
            // qa_format above do not apply to them.
            entries[Stac is null ? "scenes" : "stac"] = Path.GetFullPath(Stac ?? Scenes!);
            entries["from"] = From ?? "";
            entries["to"] = To ?? "";
            if (Period is not null)
            {
                CompositePeriod period = CompositePeriod.Parse(Period);
                entries["period"] = Period;
                entries["from"] = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                entries["to"] = period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            foreach (SceneObservation scene in SceneObservations().Where(s => s.Assumption is not null).Take(1))
            {
                entries["assumed"] = scene.Assumption!;
            }

            if (MinObservations > 0 && MaxWidening > 0)
            {
                entries["min_observations"] = MinObservations.ToString(CultureInfo.InvariantCulture);
                entries["max_widening"] = MaxWidening.ToString(CultureInfo.InvariantCulture);
                entries["widening_step_days"] = (PeriodDates() is (DateOnly f, DateOnly t) ? t.DayNumber - f.DayNumber + 1 : 0).ToString(CultureInfo.InvariantCulture);
            }
        }

        return entries;
    }

    private static DateOnly? ParseDate(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d) ? d
        : throw new ArgumentException($"{option} must be a date yyyy-MM-dd, not '{text}'");

    private static int[] ParseInts(string text, string option)
    {
        try
        {
            return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"{option} must be a comma-separated list of integers, not '{text}'");
        }
    }

    private static MaskedConditions ParseMask(string text)
    {
        if (text == "default")
        {
            return MaskedConditions.Default;
        }

        MaskedConditions m = MaskedConditions.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            m |= part switch
            {
                "none" => MaskedConditions.None,
                "fill" => MaskedConditions.Fill,
                "cloud" => MaskedConditions.Cloud,
                "dilated-cloud" => MaskedConditions.DilatedCloud,
                "cirrus" => MaskedConditions.Cirrus,
                "shadow" => MaskedConditions.CloudShadow,
                "snow" => MaskedConditions.Snow,
                "saturation" => MaskedConditions.Saturation,
                _ => throw new ArgumentException($"--mask: unknown condition '{part}' (fill, cloud, dilated-cloud, cirrus, shadow, snow, saturation, default, none)"),
            };
        }

        return m;
    }
}
