using LstmGen.Testing;
using NUnit.Framework;

namespace VariantCell.Tests;

/// <summary>The cell's BPTT gradients against central finite differences (LstmGen.Testing's gradient check).</summary>
public class GradientTests
{
    [Test]
    public void EveryTensor_MatchesFiniteDifferences_OnEveryElement()
    {
        var report = LstmAssert.GradientsMatch<NormPeepholeCell>(steps: 5, batch: 3, seed: 1);
        TestContext.Out.WriteLine(report);

        // x, h0, c0, the four standard tensors, three peephole vectors and six layer-norm tensors: all were checked.
        Assert.That(report.Tensors.Select(t => t.Name), Is.SupersetOf(new[] { "w_ci", "w_cf", "w_co", "ln_ih_weight", "ln_hh_bias", "ln_c_weight" }));
        Assert.That(report.Tensors, Has.Count.EqualTo(16));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomDirections_MatchFiniteDifferences_ForOtherSeeds(int seed)
        => LstmAssert.GradientsMatch<NormPeepholeCell>(steps: 8, batch: 2, seed, new GradientCheckOptions { RandomDirection = true });
}
