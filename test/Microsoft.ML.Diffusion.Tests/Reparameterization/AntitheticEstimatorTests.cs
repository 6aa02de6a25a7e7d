using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class AntitheticEstimatorTests
{
    private const int Draws = 200_000;

    [TestMethod]
    [DataRow(1.0, 0.5)]
    [DataRow(0.3, 1.0)]
    public void OnePairOfTheCubeHasSigmaSquaredOverTwoMuSquaredPlusSigmaSquaredTheVariance(double mu, double sigma)
    {
        // f(z) = z³, z = μ + σε, gradient with respect to μ (seed 002, antithetic sampling). Exact: ∂/∂μ E[z³] = 3(μ² + σ²).
        // One plain draw: g(ε) = 3(μ + σε)² = 3μ² + 6μσε + 3σ²ε², so with Var ε = 1, Var ε² = 2 and Cov(ε, ε²) = E[ε³] = 0,
        //   Var g = 36μ²σ² + 18σ⁴.
        // One pair: ĝ(ε) = ½(g(ε) + g(−ε)) = 3μ² + 3σ²ε² (the odd term cancels), so Var ĝ = 9σ⁴·2 = 18σ⁴, and
        //   Var ĝ / Var g = 18σ⁴ / (36μ²σ² + 18σ⁴) = σ²/(2μ² + σ²), the documents' ratio, per pair against one draw.
        // A pair costs two evaluations of f; against the mean of two plain draws the ratio is 2σ²/(2μ² + σ²), below 1 only
        // when σ² < 2μ²: at μ = 1, σ = 0.5 the pair wins (2/9), at μ = 0.3, σ = 1 it loses (2/1.18) to two plain draws.
        using var scope = NewDisposeScope();
        var plain = LocationScaleEstimator.Gaussian(Parameter(mu), Parameter(sigma));
        var antithetic = new AntitheticEstimator(plain);
        Assert.AreEqual(2, antithetic.EvaluationsPerDraw);
        using var generator = new Generator(21);
        Func<Tensor, Tensor> cube = z => z.pow(3);
        var g = MomentsOf(plain.PerDrawGradients(cube, Draws, generator)[0]);
        var pair = antithetic.PerDrawGradients(cube, Draws, generator);
        var gHat = MomentsOf(pair[0]);

        AssertMean(3 * (mu * mu + sigma * sigma), g, "plain ∂/∂μ");
        AssertMean(3 * (mu * mu + sigma * sigma), gHat, "antithetic ∂/∂μ");
        AssertMean(6 * mu * sigma, MomentsOf(pair[1]), "antithetic ∂/∂σ");   // ∂/∂σ E[z³] = 6μσ
        AssertVariance(36 * mu * mu * sigma * sigma + 18 * Math.Pow(sigma, 4), g, "plain");
        AssertVariance(18 * Math.Pow(sigma, 4), gHat, "antithetic");
        var (ratio, se) = VarianceRatio(gHat, g);
        double expected = sigma * sigma / (2 * mu * mu + sigma * sigma);
        Assert.AreEqual(expected, ratio, K * se, $"Var pair / Var draw = {ratio:G4} ± {se:G2}, expected σ²/(2μ² + σ²) = {expected:G4}");
        if (sigma * sigma < 2 * mu * mu) Assert.IsLessThan(1.0, 2 * ratio + K * 2 * se, "a pair beats two plain draws");
        else Assert.IsGreaterThan(1.0, 2 * ratio - K * 2 * se, "two plain draws beat a pair");
    }

    [TestMethod]
    public void AnEvenGradientIsLeftAsItIs()
    {
        // f(z) = z², ∂/∂μ: g(ε) = 2(μ + σε) has only an odd random term, so the pair average 2μ is exact: variance 0.
        using var scope = NewDisposeScope();
        var antithetic = new AntitheticEstimator(LocationScaleEstimator.Gaussian(Parameter(0.8), Parameter(1.5)));
        using var generator = new Generator(22);
        var g = antithetic.PerDrawGradients(z => z.pow(2), 1000, generator)[0];
        Assert.AreEqual(0.0, (g - 1.6).abs().max().ToDouble(), 1e-12);
    }

    [TestMethod]
    public void AsymmetricNoiseIsRefused()
    {
        // Gumbel noise is skewed: −ε is not distributed as ε, so the pair average would be biased.
        using var scope = NewDisposeScope();
        var gumbel = new LocationScaleEstimator(LocationScaleFamily.Gumbel, Parameter(0.0), Parameter(1.0));
        Assert.ThrowsExactly<ArgumentException>(() => new AntitheticEstimator(gumbel));
    }
}
