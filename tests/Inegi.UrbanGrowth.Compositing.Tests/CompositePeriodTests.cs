using System.Globalization;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>Periods: annual, semiannual, quarterly and date ranges, and the scenes they keep.</summary>
public sealed class CompositePeriodTests
{
    [Theory]
    [InlineData("2018", "2018-01-01", "2018-12-31")]
    [InlineData("2020-H1", "2020-01-01", "2020-06-30")]
    [InlineData("2020-h2", "2020-07-01", "2020-12-31")]
    [InlineData("2020-Q1", "2020-01-01", "2020-03-31")] // leap year: 91 days
    [InlineData("2019-Q1", "2019-01-01", "2019-03-31")]
    [InlineData("2019-Q2", "2019-04-01", "2019-06-30")]
    [InlineData("2019-Q3", "2019-07-01", "2019-09-30")]
    [InlineData("2019-Q4", "2019-10-01", "2019-12-31")]
    [InlineData("2018-03-15..2018-05-02", "2018-03-15", "2018-05-02")]
    public void Parse_GivesTheFirstAndLastDay(string text, string from, string to) =>
        Assert.Equal(new CompositePeriod(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)), CompositePeriod.Parse(text));

    [Theory]
    [InlineData("2018-H3")]
    [InlineData("2018-Q5")]
    [InlineData("2018-Q0")]
    [InlineData("18")]
    [InlineData("2018-06-01..2018-05-01")]
    [InlineData("2018-02-30..2018-05-01")]
    [InlineData("annual")]
    public void Parse_RefusesOtherSpellings(string text) =>
        Assert.StartsWith("--period", Assert.Throws<ArgumentException>(() => CompositePeriod.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Settings_KeepTheScenesOfTheQuarter_AndRecordIt()
    {
        string nyc = TestData.Path("nyc-l8-2018-coarse");

        // Independently: the date field of the folder names.
        string[] expected = [.. Directory.GetDirectories(nyc).Select(Path.GetFileName).OfType<string>()
            .Where(f => string.CompareOrdinal(f.Split('_')[3], "20180401") >= 0 && string.CompareOrdinal(f.Split('_')[3], "20180630") <= 0)
            .OrderBy(f => f.Split('_')[3], StringComparer.Ordinal).ThenBy(f => f, StringComparer.Ordinal)];
        var settings = new CompositeSettings { Scenes = nyc, Period = "2018-Q2" };
        Assert.Equal(expected, settings.SceneObservations().Select(s => s.Id));
        Assert.Equal(6, expected.Length);
        IReadOnlyDictionary<string, string> provenance = settings.Provenance();
        Assert.Equal(("2018-Q2", "2018-04-01", "2018-06-30"), (provenance["period"], provenance["from"], provenance["to"]));
        Assert.Equal(19, (settings with { Period = "2018" }).SceneObservations().Count);
        Assert.Throws<ArgumentException>(() => (settings with { From = "2018-01-01" }).SceneObservations());
        Assert.Contains("2019-01-01 to 2019-06-30", Assert.Throws<DataFileException>(() => (settings with { Period = "2019-H1" }).SceneObservations()).Message, StringComparison.Ordinal);
    }
}
