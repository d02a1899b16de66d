using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Inegi.UrbanGrowth.Raster.Projections;

/// <summary>
/// The coordinate reference systems the library can transform between, by EPSG code, with ProjNET (no PROJ
/// database is shipped): EPSG:4326 (WGS 84), EPSG:6365 (Mexico ITRF2008, geographic), EPSG:6372 (Mexico ITRF2008 /
/// LCC, INEGI's national projection and the synthetic scenes'), EPSG:4269 (NAD83), and the WGS 84 / UTM zones
/// EPSG:32601-32660 (north) and 32701-32760 (south).
/// </summary>
/// <remarks>
/// The definitions are EPSG's as GDAL prints them (<c>gdalsrsinfo -o wkt1 EPSG:n</c>); ITRF2008, NAD83 and WGS 84
/// are taken as coincident (no datum shift, metre level), as GDAL's default pipeline does without grids.
/// Geographic coordinates are (longitude, latitude) in degrees, whatever the EPSG axis order.
/// </remarks>
public static class CrsCatalog
{
    private const string Grs80 = "SPHEROID[\"GRS 1980\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"7019\"]]";
    private const string Wgs84Spheroid = "SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]]";
    private const string Degree = "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]]";

    private const string Wgs84Wkt =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\"," + Wgs84Spheroid + ",AUTHORITY[\"EPSG\",\"6326\"]]," + Degree + ",AUTHORITY[\"EPSG\",\"4326\"]]";

    private const string MexicoItrf2008Wkt =
        "GEOGCS[\"Mexico ITRF2008\",DATUM[\"Mexico_ITRF2008\"," + Grs80 + ",TOWGS84[0,0,0,0,0,0,0],AUTHORITY[\"EPSG\",\"1120\"]]," + Degree + ",AUTHORITY[\"EPSG\",\"6365\"]]";

    private const string Nad83Wkt =
        "GEOGCS[\"NAD83\",DATUM[\"North_American_Datum_1983\"," + Grs80 + ",TOWGS84[0,0,0,0,0,0,0],AUTHORITY[\"EPSG\",\"6269\"]]," + Degree + ",AUTHORITY[\"EPSG\",\"4269\"]]";

    private const string MexicoLccWkt =
        "PROJCS[\"Mexico ITRF2008 / LCC\"," + MexicoItrf2008Wkt + ",PROJECTION[\"Lambert_Conformal_Conic_2SP\"]," +
        "PARAMETER[\"latitude_of_origin\",12],PARAMETER[\"central_meridian\",-102],PARAMETER[\"standard_parallel_1\",17.5]," +
        "PARAMETER[\"standard_parallel_2\",29.5],PARAMETER[\"false_easting\",2500000],PARAMETER[\"false_northing\",0]," +
        "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"6372\"]]";

    private static readonly ConcurrentDictionary<int, CoordinateSystem> Cache = new();
    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory Transformations = new();

    /// <summary>The coordinate system of an EPSG code, when the catalogue has it.</summary>
    /// <param name="epsg">The EPSG code.</param>
    /// <param name="crs">The coordinate system, or null.</param>
    /// <returns>Whether the code is supported.</returns>
    public static bool TryGet(int epsg, [NotNullWhen(true)] out CoordinateSystem? crs)
    {
        if (Cache.TryGetValue(epsg, out crs))
        {
            return true;
        }

        string? wkt = WktOf(epsg);
        if (wkt is null)
        {
            crs = null;
            return false;
        }

        crs = Cache.GetOrAdd(epsg, _ => Factory.CreateFromWkt(wkt));
        return true;
    }

    /// <summary>The coordinate system of an EPSG code.</summary>
    /// <param name="epsg">The EPSG code.</param>
    /// <exception cref="NotSupportedException">The catalogue does not have the code.</exception>
    public static CoordinateSystem Get(int epsg) =>
        TryGet(epsg, out CoordinateSystem? crs)
            ? crs
            : throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"EPSG:{epsg} is not supported (supported: 4326, 4269, 6365, 6372, WGS 84 / UTM 32601-32660 and 32701-32760)"));

    /// <summary>The transformation of coordinates from one EPSG code to another (geographic ones as longitude, latitude in degrees).</summary>
    /// <param name="sourceEpsg">The EPSG code of the input coordinates.</param>
    /// <param name="targetEpsg">The EPSG code of the output coordinates.</param>
    /// <exception cref="NotSupportedException">A code is not in the catalogue.</exception>
    public static MathTransform Transformation(int sourceEpsg, int targetEpsg) =>
        Transformations.CreateFromCoordinateSystems(Get(sourceEpsg), Get(targetEpsg)).MathTransform;

    /// <summary>The OGC WKT 1 definition of a supported code (as GDAL writes it), or null.</summary>
    internal static string? WktOf(int epsg)
    {
        switch (epsg)
        {
            case 4326:
                return Wgs84Wkt;
            case 4269:
                return Nad83Wkt;
            case 6365:
                return MexicoItrf2008Wkt;
            case 6372:
                return MexicoLccWkt;
            case >= 32601 and <= 32660:
                return Utm(epsg - 32600, north: true, epsg);
            case >= 32701 and <= 32760:
                return Utm(epsg - 32700, north: false, epsg);
            default:
                return null;
        }
    }

    private static string Utm(int zone, bool north, int epsg) =>
        string.Create(CultureInfo.InvariantCulture,
            $"PROJCS[\"WGS 84 / UTM zone {zone}{(north ? 'N' : 'S')}\",{Wgs84Wkt},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{6 * zone - 183}],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",{(north ? 0 : 10000000)}],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"{epsg}\"]]");
}
