// The e2e NUnit project's tests (.ci/package-e2e.sh copies this into a project made by `dotnet new nunit`).
// Packages: LstmGen (generator, for the cells below), LstmGen.Testing, NUnit, FsCheck.NUnit. Six tests, all must pass.
using FsCheck;
using FsCheck.Fluent;
using LstmGen;
using LstmGen.Testing;

namespace E2eTests;

[LstmCell(inputSize: 4, hiddenSize: 6)]
public partial struct SmallCell;

[LstmCell(inputSize: 9, hiddenSize: 17)]
public partial struct OddCell;

/// <summary>Arbitraries for FsCheck.NUnit's [Property]: whole cases of SmallCell in double.</summary>
public static class CellArbitraries
{
    public static Arbitrary<LstmCase<SmallCell, double>> SmallCases() => LstmArbitrary.Case<SmallCell, double>(maxSteps: 6, maxBatch: 3);
}

public class CellTests
{
    [Test]
    public void SmallCell_GradientsMatchFiniteDifferences_EveryElement()
    {
        var report = LstmAssert.GradientsMatch<SmallCell>(steps: 5, batch: 3, seed: 1);
        TestContext.Out.WriteLine(report);
        Assert.That(report.Tensors, Has.Count.EqualTo(7));
    }

    [Test]
    public void OddCell_GradientsMatchFiniteDifferences_RandomDirection()
        => LstmAssert.GradientsMatch<OddCell>(steps: 4, batch: 2, seed: 2, new GradientCheckOptions { RandomDirection = true });

    [Test]
    public void OddCell_SatisfiesTheInvariants_Float()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(30),
            Prop.ForAll(LstmArbitrary.Case<OddCell, float>(maxSteps: 5, maxBatch: 3), c => LstmInvariants.CheckAll(c)));

    [FsCheck.NUnit.Property(Arbitrary = new[] { typeof(CellArbitraries) }, MaxTest = 30)]
    public void SmallCell_SatisfiesTheInvariants_Double(LstmCase<SmallCell, double> c) => LstmInvariants.CheckAll(c);

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public Property SmallCell_SplitAnywhere_MatchesWholeSequence()
        => Prop.ForAll(LstmArbitrary.Case<SmallCell, float>(maxSteps: 8, maxBatch: 2), Arb.From(Gen.Choose(1, 7)),
            (c, split) => Prop.When(split < c.Steps, () => LstmInvariants.SplitSequenceMatches(c, split)));

    [Test]
    public void Assertions_NameTheTensorAndIndex()
    {
        var error = Assert.Throws<LstmCheckException>(() =>
            LstmAssert.AreClose(new double[] { 0, 1, 2, 3 }, new double[] { 0, 1, 2, 3.5 }, 1e-6, "hT", [2, 2]));
        Assert.That(error!.Message, Does.Contain("tensor 'hT' differs at hT[1, 1]"));
    }
}
