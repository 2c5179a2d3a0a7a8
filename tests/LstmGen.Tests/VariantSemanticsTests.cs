using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>What each variant option means, checked against the standard cell or against itself (double kernels).</summary>
public class VariantSemanticsTests
{
    private const int Steps = 6, Batch = 3, H = 7;

    [Test]
    public void Peephole_WithZeroPeepholeWeights_EqualsStandardCell()
    {
        var standard = LstmProblem<Cell5x7>.Random(new Random(1), Steps, Batch);
        var peephole = CopyProblem<Cell5x7, Cell5x7_Peephole>(standard);
        foreach (var name in new[] { "w_ci", "w_cf", "w_co" })
            Assert.That(peephole.Parameters.Tensor(name).ToArray(), Is.All.EqualTo(0.0), name);
        AssertSameResults(standard, peephole, 0);
    }

    [Test]
    public void ForgetBias_EqualsStandardCellWithBiasFoldedIntoForgetRows()
    {
        var folded = LstmProblem<Cell5x7>.Random(new Random(2), Steps, Batch);
        var withPhi = CopyProblem<Cell5x7, Cell5x7_ForgetBias>(folded);
        Assert.That(Cell5x7_ForgetBias.Layout.Variant.ForgetBias, Is.EqualTo(1.0));
        var forgetRows = folded.Parameters.BiasIh.Slice(H, H);
        for (var j = 0; j < H; j++) forgetRows[j] += 1.0;
        AssertSameResults(folded, withPhi, 1e-14);
    }

    [Test]
    public void ForgetBias_IsNotAParameter()
        => Assert.That(Cell5x7_ForgetBias.Layout.Tensors.Select(t => t.Name), Is.EqualTo(Cell5x7.Layout.Tensors.Select(t => t.Name)));

    [Test]
    public void Clip_WideEnoughToNeverClip_EqualsStandardCell()
    {
        var standard = LstmProblem<Cell5x7>.Random(new Random(3), Steps, Batch);
        AssertSameResults(standard, CopyProblem<Cell5x7, Cell5x7_ClipWide>(standard), 0);
    }

    [Test]
    public void Clip_ClampsPreactivations_SoGatesStayInsideSigmoidOfKappa()
    {
        // With weights U(±2) most pre-activations exceed 0.8; every gate must stay within σ(±0.8) / tanh(±0.8).
        var problem = LstmProblem<Cell5x7_Clip>.Random(new Random(4), Steps, Batch, weightBound: 2);
        var h0 = new double[Batch * H];
        var output = new double[Steps * Batch * H];
        var cT = new double[Batch * H];
        var hT = new double[Batch * H];
        Lstm.Forward(problem.Parameters, Steps, Batch, problem.X, h0, h0, output, hT, cT);
        // |h| = |o·tanh(c)| ≤ σ(0.8)·1, and |c_1| ≤ tanh(0.8)·σ(0.8) after the first step from zero state.
        var sigmoidKappa = 1 / (1 + Math.Exp(-0.8));
        Assert.That(output.Max(Math.Abs), Is.LessThanOrEqualTo(sigmoidKappa + 1e-15));
        var firstStep = new double[Batch * H];
        var c1 = new double[Batch * H];
        Lstm.Forward(problem.Parameters, 1, Batch, problem.X.AsSpan(0, Batch * 5), h0, h0, firstStep, new double[Batch * H], c1);
        Assert.That(c1.Max(Math.Abs), Is.LessThanOrEqualTo(Math.Tanh(0.8) * sigmoidKappa + 1e-15));
    }

    [Test]
    public void LayerNorm_OutputInvariantToScalingInputWeights()
    {
        var problem = LstmProblem<Cell5x7_LayerNormTinyEpsilon>.Random(new Random(5), Steps, Batch);
        problem.Parameters.ResetLayerNorm();
        var (output, hT, cT) = Run(problem);
        foreach (ref var w in problem.Parameters.WeightIh) w *= 3.75;
        var (scaledOutput, scaledHT, scaledCT) = Run(problem);
        Assert.Multiple(() =>
        {
            Assert.That(Normwise.RelativeError(scaledOutput, output), Is.LessThanOrEqualTo(1e-12), "output");
            Assert.That(Normwise.RelativeError(scaledHT, hT), Is.LessThanOrEqualTo(1e-12), "hT");
            Assert.That(Normwise.RelativeError(scaledCT, cT), Is.LessThanOrEqualTo(1e-12), "cT");
        });
        // Scaling the recurrent weights instead changes the result: the test can tell the two apart.
        foreach (ref var w in problem.Parameters.WeightHh) w *= 0.5;
        Assert.That(Normwise.RelativeError(Run(problem).Output, output), Is.LessThanOrEqualTo(1e-12), "W_hh is normalised too");
        problem.Parameters.BiasIh[0] += 0.5;
        Assert.That(Normwise.RelativeError(Run(problem).Output, output), Is.GreaterThan(1e-6), "a bias after LN is not normalised away");
    }

    [Test]
    public void Cifg_ForgetGateParametersGetZeroGradient()
    {
        AssertForgetBlocksZero<Cell5x7_Cifg>(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" });
        AssertForgetBlocksZero<Cell5x7_Peephole_Cifg_Clip>(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh", "w_cf" });
    }

    [Test]
    public void Cifg_WithSharedLayerNormStatistics_ForgetRowsOfWeightsStillFeedTheStatistics()
    {
        // f = 1 - i ignores a_f, but with statistics over all 4H entries the forget rows of W_ih and W_hh move the
        // mean and variance that normalise the other gates, so they get gradient; their gains, shifts and biases do not.
        var problem = LstmProblem<Cell5x7_LayerNorm_Cifg>.Random(new Random(6), Steps, Batch);
        problem.Parameters.ResetLayerNorm();
        var gradients = problem.AnalyticGradients();
        foreach (var name in new[] { "bias_ih", "bias_hh", "ln_ih_weight", "ln_ih_bias", "ln_hh_weight", "ln_hh_bias" })
            Assert.That(ForgetBlock(gradients[name], 1), Is.All.EqualTo(0.0), name);
        Assert.That(ForgetBlock(gradients["weight_ih"], 5).Max(Math.Abs), Is.GreaterThan(1e-6), "weight_ih forget rows");
        AssertForgetBlocksZero<Cell5x7_LayerNormPerGate_Cifg>(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh", "ln_ih_weight", "ln_ih_bias", "ln_hh_weight", "ln_hh_bias" });
    }

    [Test]
    public void Cifg_ForgetGateEqualsOneMinusInputGate()
    {
        // A CIFG cell equals a standard cell whose forget pre-activation is the negated input pre-activation:
        // σ(−a) = 1 − σ(a). Copy the input rows, negated, into the forget rows.
        var cifg = LstmProblem<Cell5x7_Cifg>.Random(new Random(7), Steps, Batch);
        var standard = CopyProblem<Cell5x7_Cifg, Cell5x7>(cifg);
        foreach (var (name, columns) in new[] { ("weight_ih", 5), ("weight_hh", H), ("bias_ih", 1), ("bias_hh", 1) })
        {
            var tensor = standard.Parameters.Tensor(name);
            for (var k = 0; k < H * columns; k++) tensor[H * columns + k] = -tensor[k];
        }
        var (o1, h1, c1) = Run(cifg);
        var (o2, h2, c2) = Run(standard);
        Assert.That(Normwise.RelativeError(o1, o2), Is.LessThanOrEqualTo(1e-14));
        Assert.That(Normwise.RelativeError(c1, c2), Is.LessThanOrEqualTo(1e-14));
    }

    [Test]
    public void InitializeForgetGateBias_SetsForgetBlockOfBiasIhAndClearsBiasHh()
    {
        var parameters = new LstmParameters<Cell5x7, double>();
        parameters.InitializeUniform(new Random(8), -0.5, 0.5);
        var before = parameters.Data.ToArray();
        parameters.InitializeForgetGateBias(1.0);
        Assert.That(parameters.BiasIh.Slice(H, H).ToArray(), Is.All.EqualTo(1.0));
        Assert.That(parameters.BiasHh.Slice(H, H).ToArray(), Is.All.EqualTo(0.0));
        // Nothing else moved.
        var after = parameters.Data.ToArray();
        var changed = Enumerable.Range(0, after.Length).Where(i => after[i] != before[i]).ToArray();
        int bih = Cell5x7.Layout["bias_ih"].Offset, bhh = Cell5x7.Layout["bias_hh"].Offset;
        Assert.That(changed, Is.All.Matches<int>(i => (i >= bih + H && i < bih + 2 * H) || (i >= bhh + H && i < bhh + 2 * H)));
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters.InitializeForgetGateBias(double.NaN));
    }

    [Test]
    public void InitializePyTorchDefault_SetsLayerNormGainsToOneAndShiftsToZero()
    {
        var parameters = new LstmParameters<Cell5x7_LayerNorm, double>();
        parameters.InitializePyTorchDefault(new Random(9));
        foreach (var tensor in Cell5x7_LayerNorm.Layout.Tensors.Where(t => t.Name.StartsWith("ln_", StringComparison.Ordinal)))
            Assert.That(parameters.Tensor(tensor.Name).ToArray(), Is.All.EqualTo(tensor.Name.EndsWith("_weight", StringComparison.Ordinal) ? 1.0 : 0.0), tensor.Name);
        var bound = 1 / Math.Sqrt(H);
        Assert.That(parameters.WeightHh.ToArray(), Is.All.InRange(-bound, bound));
    }

    // ------------------------------------------------------------------ helpers

    private static void AssertForgetBlocksZero<TCell>(string[] names) where TCell : ILstmCell<TCell>
    {
        var problem = LstmProblem<TCell>.Random(new Random(10), Steps, Batch);
        var gradients = problem.AnalyticGradients();
        foreach (var name in names)
        {
            var columns = TCell.Layout[name].Columns;
            var block = TCell.Layout[name].Rows == H ? gradients[name] : ForgetBlock(gradients[name], columns);
            Assert.That(block, Is.All.EqualTo(0.0), $"{typeof(TCell).Name}: gradient of the forget block of {name}");
        }
        // The input block does get gradient, so an all-zero gradient buffer would not pass.
        Assert.That(gradients["bias_ih"].Take(H).Max(Math.Abs), Is.GreaterThan(1e-6));
    }

    private static double[] ForgetBlock(double[] gradient, int columns) => gradient.Skip(H * columns).Take(H * columns).ToArray();

    /// <summary>A problem for another cell with the same shared tensors, inputs and upstream weights; its other tensors are zero.</summary>
    private static LstmProblem<TTo> CopyProblem<TFrom, TTo>(LstmProblem<TFrom> source)
        where TFrom : ILstmCell<TFrom> where TTo : ILstmCell<TTo>
    {
        var copy = new LstmProblem<TTo>(source.Steps, source.Batch);
        foreach (var tensor in TFrom.Layout.Tensors)
        {
            if (TTo.Layout.Contains(tensor.Name))
                source.Parameters.Tensor(tensor.Name).CopyTo(copy.Parameters.Tensor(tensor.Name));
        }
        source.X.CopyTo(copy.X, 0);
        source.H0.CopyTo(copy.H0, 0);
        source.C0.CopyTo(copy.C0, 0);
        source.OutputWeights.CopyTo(copy.OutputWeights, 0);
        source.HTWeights.CopyTo(copy.HTWeights, 0);
        source.CTWeights.CopyTo(copy.CTWeights, 0);
        return copy;
    }

    private static (double[] Output, double[] HT, double[] CT) Run<TCell>(LstmProblem<TCell> problem) where TCell : ILstmCell<TCell>
    {
        var output = new double[problem.Steps * problem.Batch * TCell.HiddenSize];
        var hT = new double[problem.Batch * TCell.HiddenSize];
        var cT = new double[problem.Batch * TCell.HiddenSize];
        Lstm.Forward(problem.Parameters, problem.Steps, problem.Batch, problem.X, problem.H0, problem.C0, output, hT, cT);
        return (output, hT, cT);
    }

    private static void AssertSameResults<TA, TB>(LstmProblem<TA> a, LstmProblem<TB> b, double tolerance)
        where TA : ILstmCell<TA> where TB : ILstmCell<TB>
    {
        var (oa, ha, ca) = Run(a);
        var (ob, hb, cb) = Run(b);
        var ga = a.AnalyticGradients();
        var gb = b.AnalyticGradients();
        Assert.Multiple(() =>
        {
            Assert.That(Normwise.RelativeError(ob, oa), Is.LessThanOrEqualTo(tolerance), "output");
            Assert.That(Normwise.RelativeError(hb, ha), Is.LessThanOrEqualTo(tolerance), "hT");
            Assert.That(Normwise.RelativeError(cb, ca), Is.LessThanOrEqualTo(tolerance), "cT");
            foreach (var name in ga.Keys.Where(gb.ContainsKey))
                Assert.That(Normwise.RelativeError(gb[name], ga[name]), Is.LessThanOrEqualTo(tolerance), $"gradient of {name}");
        });
    }
}
