using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class GumbelSoftmaxTests
{
    private const int Draws = 50_000;
    private static readonly double[] Logits = [0.5, -0.3, 1.2, 0.0];

    [TestMethod]
    public void SamplesApproachOneHotAsTheTemperatureFalls()
    {
        // x_k = ℓ_k + g_k, y = softmax(x/τ), t = argmax x. Then 1 − max y = Σ_{k≠t} y_k ≤ Σ_{k≠t} y_k/y_t = Σ_{k≠t} e^{−(x_t − x_k)/τ},
        // so E[1 − max y] ≤ Σ_{j≠k} E[1{D_jk > 0} e^{−D_jk/τ}] with D_jk = x_j − x_k = (ℓ_j − ℓ_k) + Logistic(0, 1) (a difference
        // of Gumbels), whose density is at most ¼: each term is ≤ ∫₀^∞ ¼ e^{−δ/τ} dδ = τ/4, hence E[1 − max y] ≤ K(K − 1)τ/4.
        // The distance to one-hot must fall with τ and stay under that bound (plus 5 SE).
        using var scope = NewDisposeScope();
        var logits = tensor(Logits, ScalarType.Float64).expand(Draws, Logits.Length);
        int k = Logits.Length;
        double previous = double.PositiveInfinity;
        foreach (double tau in new[] { 2.0, 1.0, 0.5, 0.1, 0.01 })
        {
            using var generator = new Generator(51);
            var y = GumbelSoftmax.Sample(logits, tau, generator: generator);
            Assert.AreEqual(0.0, (y.sum(1) - 1).abs().max().ToDouble(), 1e-9, "y lies on the simplex");
            var gap = MomentsOf(1 - y.max(1).values);
            Assert.IsLessThan(previous, gap.Mean, $"τ = {tau}");
            Assert.IsLessThanOrEqualTo(k * (k - 1) * tau / 4 + K * gap.MeanSe, gap.Mean, $"τ = {tau}: E[1 − max y] ≤ K(K − 1)τ/4");
            previous = gap.Mean;
        }
    }

    [TestMethod]
    public void ArgmaxIsCategoricalAtAnyTemperature()
    {
        // Gumbel-max: argmax_k (ℓ_k + g_k) ∼ Categorical(softmax(ℓ)), and dividing by τ > 0 does not move the argmax.
        // Each category's frequency is a mean of Bernoulli(π_k) indicators.
        using var scope = NewDisposeScope();
        var pi = softmax(tensor(Logits, ScalarType.Float64), 0).data<double>().ToArray();
        using var generator = new Generator(52);
        var y = GumbelSoftmax.Sample(tensor(Logits, ScalarType.Float64).expand(Draws, Logits.Length), 0.7, generator: generator);
        var top = y.argmax(1);
        for (int c = 0; c < pi.Length; c++) AssertMean(pi[c], MomentsOf(top.eq(c)), $"P(k = {c})");
    }

    [TestMethod]
    public void StraightThroughIsOneHotForwardWithTheSoftGradient()
    {
        // With the same noise, the straight-through draw is exactly onehot(argmax y) in value, and for any upstream gradient w
        // its backward is the soft sample's: ∂(wᵀ z_ST)/∂ℓ = ∂(wᵀ y)/∂ℓ.
        using var scope = NewDisposeScope();
        const int n = 1000;
        var w = tensor(new double[] { 1.0, -2.0, 0.5, 3.0 }, ScalarType.Float64);
        var (soft, softGrad) = DrawAndGradient(hard: false, n, w);
        var (hard, hardGrad) = DrawAndGradient(hard: true, n, w);

        var oneHot = nn.functional.one_hot(soft.argmax(1), Logits.Length).to(ScalarType.Float64);
        Assert.IsTrue(hard.eq(oneHot).all().item<bool>(), "the forward value is exactly one-hot");
        Assert.IsFalse(soft.eq(oneHot).all().item<bool>(), "the soft sample is not");
        Assert.AreEqual(0.0, (hardGrad - softGrad).abs().max().ToDouble(), 1e-12, "same gradient");
        Assert.IsGreaterThan(0.0, softGrad.abs().max().ToDouble(), "the gradient is not trivially zero");
    }

    [TestMethod]
    public void StraightThroughEstimatorHasTheSoftEstimatorsGradientForALinearObjective()
    {
        // f(y) = wᵀy is linear, so ∂f/∂y = w at the one-hot and at the soft point alike: per draw, the two estimators agree.
        using var scope = NewDisposeScope();
        var w = tensor(new double[] { 1.0, -2.0, 0.5, 3.0 }, ScalarType.Float64);
        Func<Tensor, Tensor> f = y => y.mv(w);
        Tensor PerDraw(bool straightThrough)
        {
            using var generator = new Generator(53);
            return new GumbelSoftmaxEstimator(Parameter(Logits), 0.5, straightThrough).PerDrawGradients(f, 2000, generator)[0];
        }
        Assert.AreEqual(0.0, (PerDraw(true) - PerDraw(false)).abs().max().ToDouble(), 1e-12);
    }

    private static (Tensor Draw, Tensor Gradient) DrawAndGradient(bool hard, int n, Tensor w)
    {
        var logits = Parameter(Logits);
        using var generator = new Generator(54);
        var z = GumbelSoftmax.Sample(logits.expand(n, Logits.Length), 0.5, hard, generator);
        var grad = torch.autograd.grad([z.mv(w).sum()], [logits])[0];
        return (z.detach(), grad);
    }
}
