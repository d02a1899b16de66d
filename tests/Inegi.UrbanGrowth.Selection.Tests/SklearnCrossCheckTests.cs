namespace Inegi.UrbanGrowth.Selection.Tests;

public sealed class SklearnCrossCheckTests
{
    public static TheoryData<int> CaseIndices() => [.. Enumerable.Range(0, SklearnOracle.Cases.Length)];

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void AnovaFTest_RealisticMatrix_MatchesSklearnFClassif(int caseIndex)
    {
        SklearnOracle.Result expected = SklearnOracle.Get(caseIndex);

        AnovaFResult actual = AnovaFTest.Compute(expected.X, expected.Y);

        for (int j = 0; j < expected.X.ColumnCount; j++)
        {
            double f = actual.F[j];
            double p = actual.P[j];
            if (double.IsNaN(expected.F[j]))
            {
                Assert.True(double.IsNaN(f), $"column {j}: sklearn F is NaN, ours {f}");
                Assert.True(double.IsNaN(p));
                continue;
            }

            if (double.IsPositiveInfinity(f))
            {
                // Constant within classes: our SSW is exactly 0; sklearn's sum-of-squares form may leave rounding residue.
                Assert.True(double.IsPositiveInfinity(expected.F[j]) || expected.F[j] > 1e12, $"column {j}: sklearn F {expected.F[j]}");
                Assert.Equal(0, p);
                Assert.True(expected.P[j] < 1e-300);
                continue;
            }

            Assert.True(Math.Abs(f - expected.F[j]) <= 1e-6 * Math.Abs(expected.F[j]) + 1e-12, $"column {j}: F {f:R} vs sklearn {expected.F[j]:R}");
            bool bothTiny = p < 1e-300 && expected.P[j] < 1e-300;
            Assert.True(bothTiny || Math.Abs(p - expected.P[j]) <= 1e-6 * expected.P[j], $"column {j}: p {p:R} vs sklearn {expected.P[j]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void SelectFwe_RealisticMatrix_KeepsSklearnsFeatures(int caseIndex)
    {
        SklearnOracle.Result expected = SklearnOracle.Get(caseIndex);

        FittedSelection fwe = new SelectFwe(expected.Alpha).Fit(expected.X, expected.Y);

        Assert.Equal(expected.FweKept, fwe.Indices);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void SelectionChain_Default_KeepsSklearnPipelinesFeatures(int caseIndex)
    {
        SklearnOracle.Result expected = SklearnOracle.Get(caseIndex);

        FittedSelection chain = SelectionChain.CreateDefault(expected.Alpha).Fit(expected.X, expected.Y);

        Assert.Equal(expected.ChainKept, chain.Indices);
        Assert.NotEmpty(chain.Indices);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void VarianceThreshold_Zero_KeepsSklearnsFeatures(int caseIndex)
    {
        SklearnOracle.Result expected = SklearnOracle.Get(caseIndex);

        FittedSelection variance = new VarianceThreshold().Fit(expected.X, expected.Y);

        Assert.Equal(expected.VarianceKept, variance.Indices);
    }
}
