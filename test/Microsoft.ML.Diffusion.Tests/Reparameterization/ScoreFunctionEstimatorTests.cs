using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class ScoreFunctionEstimatorTests
{
    private const int Draws = 200_000;
    private const double Mu = 1.0, Sigma = 1.0;

    // f(z) = z², z ∼ 𝒩(μ, σ²), ε = (z − μ)/σ: J = μ² + σ², ∂J/∂μ = 2μ, ∂J/∂σ = 2σ.
    private static Tensor Square(Tensor z) => z.pow(2);

    [TestMethod]
    public void PathwiseHasLowerVarianceThanScoreFunctionOnTheSquare()
    {
        // Pathwise, one draw: ∂/∂μ f(μ + σε) = 2z = 2μ + 2σε, so Var = 4σ².
        // Score function, one draw: f(z)·∂_μ log q = z²(z − μ)/σ² = z²ε/σ = μ²ε/σ + 2με² + σε³. With E[ε²] = 1, E[ε⁴] = 3,
        // E[ε⁶] = 15 and odd moments 0: E[g²] = μ⁴/σ² + 18μ² + 15σ², E[g] = 2μ, so Var = μ⁴/σ² + 14μ² + 15σ².
        // At μ = σ = 1 that is 4 against 30. Both are checked against their closed forms and against each other.
        using var scope = NewDisposeScope();
        using var generator = new Generator(31);
        var pathwise = MomentsOf(LocationScaleEstimator.Gaussian(Parameter(Mu), Parameter(Sigma)).PerDrawGradients(Square, Draws, generator)[0]);
        var score = ScoreFunctionEstimator.Gaussian(Parameter(Mu), Parameter(Sigma)).PerDrawGradients(Square, Draws, generator);
        var scoreMu = MomentsOf(score[0]);

        AssertMean(2 * Mu, pathwise, "pathwise ∂/∂μ");
        AssertMean(2 * Mu, scoreMu, "score function ∂/∂μ");
        // ∂_σ log q = (ε² − 1)/σ, so the score-function ∂/∂σ estimate is z²(ε² − 1)/σ, of mean 2σ.
        AssertMean(2 * Sigma, MomentsOf(score[1]), "score function ∂/∂σ");
        AssertVariance(4 * Sigma * Sigma, pathwise, "pathwise");
        AssertVariance(Math.Pow(Mu, 4) / (Sigma * Sigma) + 14 * Mu * Mu + 15 * Sigma * Sigma, scoreMu, "score function");
        Assert.IsLessThan(scoreMu.Variance - K * scoreMu.VarianceSe, pathwise.Variance + K * pathwise.VarianceSe);
    }

    [TestMethod]
    public void TheMeanAsBaselineLowersTheVarianceWithoutBias()
    {
        // With b = E[f] = μ² + σ²: (z² − b) = 2μσε + σ²(ε² − 1), so g = (z² − b)ε/σ = 2με² + σ(ε³ − ε), still of mean 2μ
        // (E[∂ log q] = 0). Cov(ε², ε³ − ε) = 0, Var(2με²) = 8μ², Var(σ(ε³ − ε)) = σ²(15 − 6 + 1) = 10σ², so
        // Var = 8μ² + 10σ², against μ⁴/σ² + 14μ² + 15σ² without it: 18 against 30 at μ = σ = 1.
        using var scope = NewDisposeScope();
        using var generator = new Generator(32);
        double b = Mu * Mu + Sigma * Sigma;
        var plain = MomentsOf(ScoreFunctionEstimator.Gaussian(Parameter(Mu), Parameter(Sigma)).PerDrawGradients(Square, Draws, generator)[0]);
        var withBaseline = ScoreFunctionEstimator.Gaussian(Parameter(Mu), Parameter(Sigma), baseline: b);
        Assert.AreEqual(b, withBaseline.Baseline);
        var based = MomentsOf(withBaseline.PerDrawGradients(Square, Draws, generator)[0]);

        AssertMean(2 * Mu, based, "with baseline");
        AssertVariance(8 * Mu * Mu + 10 * Sigma * Sigma, based, "with baseline");
        AssertVariance(Math.Pow(Mu, 4) / (Sigma * Sigma) + 14 * Mu * Mu + 15 * Sigma * Sigma, plain, "without");
        Assert.IsLessThan(plain.Variance - K * plain.VarianceSe, based.Variance + K * based.VarianceSe);
    }

    [TestMethod]
    public void CategoricalGradientIsUnbiased()
    {
        // k ∼ Categorical(π), π = softmax(ℓ), f(k) = w_k: J = Σ_k π_k w_k and ∂π_j/∂ℓ_k = π_j(δ_jk − π_k), so
        // ∂J/∂ℓ_k = π_k (w_k − Σ_j π_j w_j). The estimator only sees k and log π_k.
        using var scope = NewDisposeScope();
        double[] logits = [0.5, -0.3, 1.2, 0.0], w = [1.0, -2.0, 3.0, 0.5];
        var pi = softmax(tensor(logits, ScalarType.Float64), 0).data<double>().ToArray();
        double mean = pi.Zip(w, (p, x) => p * x).Sum();
        var weights = tensor(w, ScalarType.Float64);
        var estimator = ScoreFunctionEstimator.Categorical(Parameter(logits));
        using var generator = new Generator(33);
        var g = estimator.PerDrawGradients(k => weights.index_select(0, k), Draws, generator)[0];
        for (int k = 0; k < logits.Length; k++)
            AssertMean(pi[k] * (w[k] - mean), MomentsOf(Element(g, k)), $"∂/∂ℓ_{k}");
    }

    [TestMethod]
    public void MultivariateNormalFromTorchDistributionsIsUnbiased()
    {
        // Any torch.distributions law with log_prob works: z ∼ 𝒩(μ, I) in 2-D through MultivariateNormal, f(z) = aᵀz,
        // J = aᵀμ, ∇_μ J = a.
        using var scope = NewDisposeScope();
        double[] a = [2.0, -1.0];
        var aT = tensor(a, ScalarType.Float64);
        var estimator = new ScoreFunctionEstimator("score function MVN",
            (theta, g) => distributions.MultivariateNormal(theta[0], scale_tril: eye(2, dtype: ScalarType.Float64), generator: g),
            0, Parameter([0.3, -0.7]));
        using var generator = new Generator(34);
        var grads = estimator.PerDrawGradients(z => z.mv(aT), Draws, generator)[0];
        for (int j = 0; j < 2; j++) AssertMean(a[j], MomentsOf(Element(grads, j)), $"∂/∂μ_{j}");
    }
}
