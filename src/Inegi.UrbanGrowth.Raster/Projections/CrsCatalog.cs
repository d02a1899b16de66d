using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Raster.Projections;

/// <summary>
/// The coordinate reference systems the library knows by EPSG code, as ProjNET objects, and transforms between them.
/// </summary>
/// <remarks>
/// <para>Covered: EPSG:4326 (WGS 84), 4269 (NAD83), 6365 (Mexico ITRF2008), 6372 (Mexico ITRF2008 / LCC, INEGI's
/// national grid), WGS 84 / UTM 32601-32660 and 32701-32760 (Landsat scenes), NAD83 / UTM 26901-26923, GDA94 / MGA 28348-28358 (Geoscience Australia's scenes).</para>
/// <para>Axis order is the traditional GIS order GeoTIFF uses: x = easting or longitude, y = northing or latitude
/// (degrees), whatever the EPSG register says.</para>
/// <para>NAD83 and Mexico ITRF2008 are tied to WGS 84 by a null datum shift (TOWGS84 all zeros), which is what PROJ
/// and GDAL use between them by default (EPSG:1188 and its like, metre-level accuracy): a pure change of ellipsoid
/// and projection, checked against <c>gdaltransform</c>.</para>
/// </remarks>
public static class CrsCatalog
{
    private const string Grs80 = "SPHEROID[\"GRS 1980\",6378137,298.257222101]";
    private const string Wgs84Spheroid = "SPHEROID[\"WGS 84\",6378137,298.257223563]";
    private const string Degree = "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]";

    private static readonly ConcurrentDictionary<int, CoordinateSystem> Cache = new();
    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory Transformations = new();

    /// <summary>Looks up a coordinate reference system by EPSG code.</summary>
    /// <param name="epsg">The EPSG code.</param>
    /// <param name="crs">The system, or null when the code is not covered.</param>
    /// <returns>Whether the code is covered.</returns>
    public static bool TryGet(int epsg, [NotNullWhen(true)] out CoordinateSystem? crs)
    {
        if (Cache.TryGetValue(epsg, out crs))
        {
            return true;
        }

        string? wkt = WktFor(epsg);
        if (wkt is null)
        {
            crs = null;
            return false;
        }

        crs = Cache.GetOrAdd(epsg, _ => Factory.CreateFromWkt(wkt));
        return true;
    }

    /// <summary>The coordinate reference system of an EPSG code.</summary>
    /// <param name="epsg">The EPSG code.</param>
    /// <exception cref="NotSupportedException">The code is not covered; the message names it.</exception>
    public static CoordinateSystem Get(int epsg) =>
        TryGet(epsg, out CoordinateSystem? crs)
            ? crs
            : throw new NotSupportedException($"EPSG:{epsg} is not a supported coordinate reference system (supported: 4326, 4269, 6365, 6372, 32601-32660, 32701-32760, 26901-26923, 28348-28358).");

    /// <summary>
    /// The transform from <paramref name="sourceEpsg"/> to <paramref name="targetEpsg"/> coordinates
    /// (x = easting or longitude, y = northing or latitude).
    /// </summary>
    /// <param name="sourceEpsg">EPSG code of the input coordinates.</param>
    /// <param name="targetEpsg">EPSG code of the output coordinates.</param>
    /// <exception cref="NotSupportedException">Either code is not covered.</exception>
    public static MathTransform Transformation(int sourceEpsg, int targetEpsg) =>
        Transformations.CreateFromCoordinateSystems(Get(sourceEpsg), Get(targetEpsg)).MathTransform;

    private static string Geographic(string name, string datum, string spheroid, string toWgs84, int code) =>
        $"GEOGCS[\"{name}\",DATUM[\"{datum}\",{spheroid}{toWgs84}],{Degree},AUTHORITY[\"EPSG\",\"{code}\"]]";

    private static string Wgs84() => Geographic("WGS 84", "WGS_1984", Wgs84Spheroid, "", 4326);

    private static string Nad83() => Geographic("NAD83", "North_American_Datum_1983", Grs80, ",TOWGS84[0,0,0,0,0,0,0]", 4269);

    private static string Gda94() => Geographic("GDA94", "Geocentric_Datum_of_Australia_1994", Grs80, ",TOWGS84[0,0,0,0,0,0,0]", 4283);

    private static string MexicoItrf2008() => Geographic("Mexico ITRF2008", "Mexico_ITRF2008", Grs80, ",TOWGS84[0,0,0,0,0,0,0]", 6365);

    private static string TransverseMercator(string name, string geographic, int zone, bool north, int code) =>
        string.Create(CultureInfo.InvariantCulture,
            $"PROJCS[\"{name}\",{geographic},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{(zone * 6) - 183}],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",{(north ? 0 : 10000000)}],UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"{code}\"]]");

    private static string? WktFor(int epsg) => epsg switch
    {
        4326 => Wgs84(),
        4269 => Nad83(),
        6365 => MexicoItrf2008(),
        6372 => "PROJCS[\"Mexico ITRF2008 / LCC\"," + MexicoItrf2008() + ",PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"latitude_of_origin\",12],PARAMETER[\"central_meridian\",-102],PARAMETER[\"standard_parallel_1\",17.5],PARAMETER[\"standard_parallel_2\",29.5],PARAMETER[\"false_easting\",2500000],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"6372\"]]",
        >= 32601 and <= 32660 => TransverseMercator($"WGS 84 / UTM zone {epsg - 32600}N", Wgs84(), epsg - 32600, true, epsg),
        >= 32701 and <= 32760 => TransverseMercator($"WGS 84 / UTM zone {epsg - 32700}S", Wgs84(), epsg - 32700, false, epsg),
        >= 26901 and <= 26923 => TransverseMercator($"NAD83 / UTM zone {epsg - 26900}N", Nad83(), epsg - 26900, true, epsg),
        >= 28348 and <= 28358 => TransverseMercator($"GDA94 / MGA zone {epsg - 28300}", Gda94(), epsg - 28300, false, epsg),
        _ => null,
    };
}
