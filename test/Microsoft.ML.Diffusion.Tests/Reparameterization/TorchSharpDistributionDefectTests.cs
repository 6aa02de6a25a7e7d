using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

/// <summary>
/// The TorchSharp 0.107 distribution defects the estimators work around, pinned so that a fix is noticed (a failing test
/// here means TorchSharp changed and the workaround in Reparameterization/ may go).
/// </summary>
[TestClass]
public class TorchSharpDistributionDefectTests
{
    [TestMethod]
    public void DisposingADistributionDisposesItsGenerator()
    {
        // After this, draws "from" the generator silently come from the global one, so LocationScaleFamily and
        // ScoreFunctionEstimator never dispose a distribution that holds the caller's generator.
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        using (var d = distributions.Normal(tensor(0.0), tensor(1.0), g)) d.sample(3);
        Assert.AreEqual(IntPtr.Zero, g.Handle);
    }

    [TestMethod]
    public void LaplaceIgnoresTheGenerator()
    {
        // Two fresh generators with the same seed give different Laplace draws, so LocationScaleFamily.Laplace is E₁ − E₂.
        using var scope = NewDisposeScope();
        Tensor Draw()
        {
            var g = new Generator(17);
            return distributions.Laplace(tensor(0.0), tensor(1.0), g).sample(100);
        }
        Assert.IsFalse(Draw().eq(Draw()).all().item<bool>());
    }

    [TestMethod]
    public void CategoricalIgnoresTheGenerator()
    {
        // So ScoreFunctionEstimator.Categorical draws by Gumbel-max and uses the distribution for log_prob only.
        using var scope = NewDisposeScope();
        Tensor Draw() => distributions.Categorical(probs: null, logits: zeros(100, 3), generator: new Generator(5)).sample();
        Assert.IsFalse(Draw().eq(Draw()).all().item<bool>());
    }

    [TestMethod]
    public void RelaxedOneHotCategoricalAddsOneGumbelPerRow()
    {
        // ExpRelaxedCategorical.rsample draws noise of the batch shape only (the event dimension K is missing), so one
        // Gumbel shifts every logit alike and a draw is softmax(ℓ/τ), not random at all; GumbelSoftmax draws its own noise.
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 0.5, -0.3, 1.2, 0.0 }, ScalarType.Float64);
        using var relaxed = distributions.RelaxedOneHotCategorical(tensor(0.5, ScalarType.Float64), probs: null, logits: logits);
        var y = relaxed.rsample();
        Assert.AreEqual(0.0, (y - softmax(logits / 0.5, 0)).abs().max().ToDouble(), 1e-9);
    }
}
