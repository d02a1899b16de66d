using System.Globalization;
using Inegi.UrbanGrowth.Accuracy;

namespace Inegi.UrbanGrowth.Validation;

/// <summary>One cell of the validation sample, as <c>urban validation-sample</c> wrote it.</summary>
/// <param name="CellId">row * width + col of the map grid.</param>
/// <param name="Row">Grid row.</param>
/// <param name="Column">Grid column.</param>
/// <param name="Stratum">Stratum it was drawn from (hidden from interpreters unless the server is unblinded).</param>
/// <param name="MapClass">The map's class (hidden likewise).</param>
/// <param name="X">Cell centre, map units, as written in the file (kept as text so the export reproduces it).</param>
/// <param name="Y">Cell centre, map units, as written in the file.</param>
public sealed record ValidationCell(long CellId, int Row, int Column, byte Stratum, byte MapClass, string X, string Y)
{
    /// <summary>The centre's x as a number.</summary>
    public double CentreX => double.Parse(X, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The centre's y as a number.</summary>
    public double CentreY => double.Parse(Y, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the sample CSV of <c>urban validation-sample</c> (header <see cref="SampleFiles.CsvHeader"/>, any column
    /// order; the reference column may be empty or filled, it is ignored).
    /// </summary>
    /// <param name="path">The sample CSV.</param>
    /// <returns>The cells in file order.</returns>
    /// <exception cref="DataFileException">Missing file or column, a bad value, a repeated cell id, or no rows; the message
    /// names the file and the line.</exception>
    public static IReadOnlyList<ValidationCell> ReadCsv(string path)
    {
        using SampleCsvReader csv = SampleCsvReader.Open(path, SampleFiles.CsvHeader);
        int iId = csv.Column("cell_id"), iRow = csv.Column("row"), iCol = csv.Column("col"), iStratum = csv.Column("stratum");
        int iMap = csv.Column("map_class"), iX = csv.Column("x"), iY = csv.Column("y");
        var cells = new List<ValidationCell>();
        var seen = new HashSet<long>();
        while (csv.Next())
        {
            long id = csv.WholeNumber(iId, "cell_id", 0, long.MaxValue);
            if (!seen.Add(id))
            {
                throw csv.Error($"cell {id.ToString(CultureInfo.InvariantCulture)} appears twice");
            }

            cells.Add(new ValidationCell(id, (int)csv.WholeNumber(iRow, "row", 0, int.MaxValue), (int)csv.WholeNumber(iCol, "col", 0, int.MaxValue),
                (byte)csv.WholeNumber(iStratum, "stratum", 0, 254), (byte)csv.WholeNumber(iMap, "map_class", 0, 254), csv.FiniteNumber(iX, "x"), csv.FiniteNumber(iY, "y")));
        }

        return cells.Count == 0 ? throw new DataFileException(path, "no sample rows after the header") : cells;
    }
}
