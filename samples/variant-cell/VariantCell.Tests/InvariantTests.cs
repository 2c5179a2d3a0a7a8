using FsCheck;
using FsCheck.Fluent;
using LstmGen;
using LstmGen.Testing;
using NUnit.Framework;

namespace VariantCell.Tests;

/// <summary>What every LSTM must satisfy, and one property of this variant, over random cases that FsCheck shrinks on failure.</summary>
public class InvariantTests
{
    [Test]
    public void ShapeInvariants_HoldInFloat()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(40),
            Prop.ForAll(LstmArbitrary.Case<NormPeepholeCell, float>(maxSteps: 8, maxBatch: 4), c => LstmInvariants.CheckAll(c)));

    [FsCheck.NUnit.Property(Arbitrary = new[] { typeof(CellArbitraries) }, MaxTest = 40)]
    public void ShapeInvariants_HoldInDouble(LstmCase<NormPeepholeCell, double> c) => LstmInvariants.CheckAll(c);

    /// <summary>Peepholes add w ⊙ c to the pre-activations: with w = 0 the cell is the layer-norm cell without them.</summary>
    [FsCheck.NUnit.Property(Arbitrary = new[] { typeof(CellArbitraries) }, MaxTest = 40)]
    public void ZeroPeepholes_GiveTheLayerNormCell(LstmCase<NormPeepholeCell, double> c)
    {
        var peephole = c.Parameters.Clone();
        foreach (var name in new[] { "w_ci", "w_cf", "w_co" }) peephole.Tensor(name).Clear();
        var reference = new LstmParameters<LayerNormOnlyCell, double>();
        foreach (var tensor in LayerNormOnlyCell.Layout.Tensors) peephole.Tensor(tensor.Name).CopyTo(reference.Tensor(tensor.Name));

        var (expected, expectedHT) = Run<LayerNormOnlyCell>(reference, c);
        var (actual, actualHT) = Run<NormPeepholeCell>(peephole, c);

        LstmAssert.AreClose(expected, actual, 1e-12, "output", new[] { c.Steps, c.Batch, NormPeepholeCell.HiddenSize });
        LstmAssert.AreClose(expectedHT, actualHT, 1e-12, "hT", new[] { c.Batch, NormPeepholeCell.HiddenSize });
    }

    private static (double[] Output, double[] HT) Run<TCell>(LstmParameters<TCell, double> parameters, LstmCase<NormPeepholeCell, double> c)
        where TCell : ILstmCell<TCell>
    {
        var output = new double[c.Steps * c.Batch * TCell.HiddenSize];
        var hT = new double[c.Batch * TCell.HiddenSize];
        var cT = new double[c.Batch * TCell.HiddenSize];
        if (c.HasInitialState) Lstm.Forward(parameters, c.Steps, c.Batch, c.X, c.H0, c.C0, output, hT, cT);
        else Lstm.Forward(parameters, c.Steps, c.Batch, c.X, output, hT, cT);
        return (output, hT);
    }
}
