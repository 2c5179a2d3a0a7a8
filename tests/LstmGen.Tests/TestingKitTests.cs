using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The LstmGen.Testing kit: its FsCheck generators, its invariants on generated cells, and — on deliberately
/// broken cells (<see cref="Faulty{TFault}"/>) — that every check fails with a message naming the tensor and index.
/// </summary>
public class TestingKitTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(25);

    // ---- the invariants hold for generated cells (property-based) ----

    [Test]
    public void Invariants_HoldForGeneratedCells_Double()
    {
        Holds<Cell1x1, double>();
        Holds<Cell3x5, double>();
        Holds<Cell17x33, double>();
    }

    [Test]
    public void Invariants_HoldForGeneratedCells_Float()
    {
        Holds<Cell1x1, float>();
        Holds<Cell3x5, float>();
        Holds<Cell16x32, float>();
        Holds<Cell17x33, float>();
    }

    private static void Holds<TCell, T>() where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Check.One(Quick, Prop.ForAll(LstmArbitrary.Case<TCell, T>(maxSteps: 6, maxBatch: 3), c => LstmInvariants.CheckAll(c)));

    // ---- every check can fail, and says where ----

    [Test]
    public void LastOutputIsFinalState_FailsOnFault()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.LastOutputIsFinalState(Case<Faulty<FinalStateOff>, double>()))!;
        Assert.That(error.Message, Does.Contain("output[T-1] == hT failed").And.Contain("tensor 'hT' differs at hT[0, 0] (flat index 0)"));
        Assert.That((error.Tensor, error.Index), Is.EqualTo(("hT", 0)));
    }

    [Test]
    public void TrainingForwardMatchesInference_FailsOnFault()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.TrainingForwardMatchesInference(Case<Faulty<InferenceOff>, float>()))!;
        Assert.That(error.Message, Does.Contain("training forward == inference forward failed").And.Contain("tensor 'output' differs at output[0, 0, 0]"));
    }

    [Test]
    public void StreamMatchesForward_FailsOnFault()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.StreamMatchesForward(Case<Faulty<StreamOff>, double>()))!;
        Assert.That(error.Message, Does.Contain("stream (one step per call) == forward failed").And.Contain("tensor 'output' differs at output[0, 0, 0]"));
    }

    [Test]
    public void BatchRowsAreIndependent_FailsOnFault()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.BatchRowsAreIndependent(Case<Faulty<RowsCoupled>, double>()))!;
        Assert.That(error.Message, Does.Contain("batch-row independence failed for row 1").And.Contain("tensor 'output' differs at output["));
    }

    [Test]
    public void SplitSequenceMatches_FailsOnFault()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.SplitSequenceMatches(Case<Faulty<CellStateIgnored>, double>().WithZeroState()))!;
        Assert.That(error.Message, Does.Contain("split-sequence equivalence (steps 0..1 then 2..4) failed").And.Contain("tensor 'output' differs at output["));
        Assert.That(error.Index, Is.GreaterThanOrEqualTo(2 * 3 * 5), "the first part is unaffected: the worst element is after the split");
    }

    [Test]
    public void GradientsAccumulate_FailsWhenBackwardOverwritesGradients()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.GradientsAccumulate(Case<Faulty<GradientsOverwritten>, double>()))!;
        Assert.That(error.Message, Does.Contain("gradient accumulation failed").And.Contain("tensor 'weight_ih' differs at weight_ih["));
    }

    [Test]
    public void GradientsAccumulate_FailsWhenBackwardAddsIntoDx()
    {
        var error = Assert.Throws<LstmCheckException>(() => LstmInvariants.GradientsAccumulate(Case<Faulty<DxAccumulated>, float>()))!;
        Assert.That(error.Message, Does.Contain("tensor 'dx' differs at dx[0, 0, 0]").And.Contain("actual NaN"));
    }

    [Test]
    public void GradientCheck_FailsOnWrongDerivative_AndNamesTheTensor([Values] bool randomDirection)
    {
        var options = new GradientCheckOptions { RandomDirection = randomDirection };
        var report = GradientCheck.Run<Faulty<WrongGradient>>(steps: 3, batch: 2, seed: 4, options);
        Assert.That(report.Tensors.Where(t => !t.Passed).Select(t => t.Name), Is.EqualTo(new[] { "weight_hh" }));
        var error = Assert.Throws<GradientCheckFailedException>(() => LstmAssert.GradientsMatch<Faulty<WrongGradient>>(3, 2, 4, options))!;
        Assert.That(error.Message, Does.Contain("FAIL weight_hh"));
        // Elementwise, the worst element is named by its row and column of weight_hh [4H, H] = [20, 5].
        Assert.That(error.Message, randomDirection ? Does.Contain("along a random direction") : Does.Match(@"worst at weight_hh\[1?\d, [0-4]\]"));
        Assert.That(error, Is.InstanceOf<LstmCheckException>());
    }

    [Test]
    public void GradientsMatch_PassesForAGeneratedCell()
    {
        var report = LstmAssert.GradientsMatch<Cell3x5>(steps: 4, batch: 2, seed: 1);
        Assert.That(report.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "x", "h0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh" }));
    }

    // ---- FsCheck: a failing property shrinks to the smallest case ----

    [Test]
    public void FailingProperty_ShrinksToTwoRowsOneStepZeroState()
    {
        var property = Prop.ForAll(LstmArbitrary.Case<Faulty<RowsCoupled>, double>(maxSteps: 6, maxBatch: 4),
            c => LstmInvariants.BatchRowsAreIndependent(c));
        var message = Assert.Catch(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property))!.Message;
        Assert.That(message, Does.Contain("T=1 B=2 h0/c0=zero").And.Contain("batch-row independence failed for row 1"));
    }

    // ---- the generators ----

    [Test]
    public void Cases_HaveConsistentShapesWithinBounds()
    {
        var cases = LstmArbitrary.Cases<Cell3x5, float>(maxSteps: 5, maxBatch: 3).Sample(200, 40);
        Assert.Multiple(() =>
        {
            Assert.That(cases.Select(c => c.Steps).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(cases.Select(c => c.Batch).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(cases.Select(c => c.HasInitialState).Distinct().Count(), Is.EqualTo(2), "zero and given states");
            Assert.That(cases.All(c => c.X.Length == c.Steps * c.Batch * 3 && c.DOutput.Length == c.Steps * c.Batch * 5));
            Assert.That(cases.SelectMany(c => c.X).Max(Math.Abs), Is.LessThanOrEqualTo(1f));
            Assert.That(cases.SelectMany(c => c.Parameters.Data.ToArray()).Max(Math.Abs), Is.LessThanOrEqualTo(0.5f).And.GreaterThan(0.4f));
            Assert.That(cases.SelectMany(c => c.H0 ?? []).Max(Math.Abs), Is.LessThanOrEqualTo(0.5f));
        });
    }

    [Test]
    public void Shrinker_KeepsEachShrunkCaseAPrefixOrSubsetOfTheOriginal()
    {
        var c = Case<Cell3x5, double>();
        var shrunk = LstmArbitrary.ShrinkCase(c).ToList();
        Assert.That(shrunk.Select(s => (s.Steps, s.Batch, s.HasInitialState)),
            Is.EqualTo(new[] { (1, 3, true), (2, 3, true), (4, 3, true), (5, 1, true), (5, 2, true), (5, 3, false) }));
        var rows = shrunk[3];
        Assert.That(rows.X.AsSpan(0, 3).ToArray(), Is.EqualTo(c.X.AsSpan(0, 3).ToArray()));
        Assert.That(rows.X.AsSpan(3, 3).ToArray(), Is.EqualTo(c.X.AsSpan(9, 3).ToArray()), "step 1 of row 0");
    }

    // ---- the assertion messages ----

    [Test]
    public void AreClose_NamesTensorAndIndexPerAxis()
    {
        var expected = new double[2 * 3 * 4];
        var actual = new double[expected.Length];
        expected[17] = 1;
        actual[17] = 1.5;
        var error = Assert.Throws<LstmCheckException>(() => LstmAssert.AreClose(expected, actual, 1e-3, "output", [2, 3, 4], "ctx"))!;
        Assert.That(error.Message, Does.StartWith("ctx: tensor 'output' differs at output[1, 1, 1] (flat index 17): expected 1, actual 1.5; normwise error 5.00E-001"));
        Assert.DoesNotThrow(() => LstmAssert.AreClose(expected, expected.ToArray(), 0, "output"));
    }

    [Test]
    public void AreClose_FailsOnNaNAndOnLength()
    {
        Assert.Throws<LstmCheckException>(() => LstmAssert.AreClose(new[] { 1f, 2f }, new[] { 1f, float.NaN }, 1, "hT"));
        var error = Assert.Throws<LstmCheckException>(() => LstmAssert.AreClose(new[] { 1f, 2f }, new[] { 1f }, 1, "hT"))!;
        Assert.That(error.Message, Is.EqualTo("tensor 'hT' has 1 elements, expected 2."));
    }

    /// <summary>A fixed case: T = 5, B = 3, with an initial state.</summary>
    private static LstmCase<TCell, T> Case<TCell, T>() where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(7);
        T[] Values(int n) => Enumerable.Range(0, n).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        int steps = 5, batch = 3, d = TCell.InputSize, h = TCell.HiddenSize;
        var parameters = new LstmParameters<TCell, T>();
        parameters.InitializeUniform(random, -0.5, 0.5);
        return new LstmCase<TCell, T>(parameters, steps, batch, Values(steps * batch * d), Values(batch * h), Values(batch * h),
            Values(steps * batch * h), Values(batch * h), Values(batch * h));
    }
}
