using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class MultivariateGaussianEstimatorTests
{
    private const int Draws = 100_000;
    private static readonly double[] Mu = [0.5, -1.0, 2.0];
    private static readonly double[] L = [1.2, 0.0, 0.0, 0.5, 0.8, 0.0, -0.3, 0.4, 0.6];
    private static readonly double[] A = [1.0, -0.5, 0.25];
    private static readonly double[] B = [1.0, 0.3, 0.0, -0.2, 0.5, 0.4, 0.1, 0.0, 2.0];   // not symmetric on purpose

    // f(z) = aᵀz + zᵀBz, one value per row of z [N, d].
    private static Func<Tensor, Tensor> Quadratic(Tensor a, Tensor b) => z => z.mv(a) + (z.mm(b) * z).sum(1);

    [TestMethod]
    public void CholeskySamplesHaveCovarianceLLT()
    {
        // z = μ + Lε, ε ∼ 𝒩(0, I): E z = μ and Cov z = L E[εεᵀ] Lᵀ = LLᵀ.
        using var scope = NewDisposeScope();
        var l = tensor(L, [3, 3], ScalarType.Float64);
        var estimator = new CholeskyGaussianEstimator(Parameter(Mu), l.clone().requires_grad_(true));
        using var generator = new Generator(41);
        AssertMoments(estimator.Sample(Draws, generator), Mu, l.mm(l.T));
    }

    [TestMethod]
    public void CholeskyGradientsOfAQuadratic()
    {
        // z = μ + Lε, f(z) = aᵀz + zᵀBz: E[zᵀBz] = μᵀBμ + tr(BΣ) with Σ = LLᵀ, so J = aᵀμ + μᵀBμ + tr(BLLᵀ) and
        //   ∇_μ J = a + (B + Bᵀ)μ,   ∇_L J = (B + Bᵀ)L  (d tr(BLLᵀ) = tr((B + Bᵀ)L dLᵀ)),
        // of which only the lower triangle is a parameter: the upper triangle's gradient is exactly 0.
        using var scope = NewDisposeScope();
        var a = tensor(A, ScalarType.Float64);
        var b = tensor(B, [3, 3], ScalarType.Float64);
        var mu = tensor(Mu, ScalarType.Float64);
        var l = tensor(L, [3, 3], ScalarType.Float64);
        var estimator = new CholeskyGaussianEstimator(Parameter(Mu), l.clone().requires_grad_(true));
        using var generator = new Generator(42);
        var g = estimator.PerDrawGradients(Quadratic(a, b), Draws, generator);
        var symmetric = b + b.T;
        AssertGradient(g[0], (a + symmetric.mv(mu)).data<double>().ToArray(), "∇_μ");
        AssertGradient(g[1], symmetric.mm(l).tril().flatten().data<double>().ToArray(), "∇_L");
    }

    [TestMethod]
    public void NormSquaredHasTheDocumentsGradients()
    {
        // Seed 002: J = E‖z‖² = ‖μ‖² + tr(LLᵀ) gives ∇_μ J = 2μ and ∇_L J = 2L (the quadratic with a = 0, B = I).
        using var scope = NewDisposeScope();
        var l = tensor(L, [3, 3], ScalarType.Float64);
        var estimator = new CholeskyGaussianEstimator(Parameter(Mu), l.clone().requires_grad_(true));
        using var generator = new Generator(43);
        var g = estimator.PerDrawGradients(z => z.pow(2).sum(1), Draws, generator);
        AssertGradient(g[0], Mu.Select(m => 2 * m).ToArray(), "∇_μ");
        AssertGradient(g[1], L.Select(x => 2 * x).ToArray(), "∇_L");
    }

    [TestMethod]
    public void LowRankSamplesHaveCovarianceDPlusUUT()
    {
        // z = μ + D^{1/2}ε₁ + Uε₂ with independent standard ε₁, ε₂: Cov z = D^{1/2} I D^{1/2} + U I Uᵀ = D + UUᵀ.
        using var scope = NewDisposeScope();
        var (mu, d, u) = LowRankParameters();
        var estimator = new LowRankGaussianEstimator(Parameter(mu), d.clone().requires_grad_(true), u.clone().requires_grad_(true));
        Assert.AreEqual(4, estimator.Dimension);
        Assert.AreEqual(2, estimator.Rank);
        using var generator = new Generator(44);
        AssertMoments(estimator.Sample(Draws, generator), mu, diag(d) + u.mm(u.T));
    }

    [TestMethod]
    public void LowRankGradientsOfAQuadratic()
    {
        // Σ = D + UUᵀ with D = diag(d): J = aᵀμ + μᵀBμ + Σ_j B_jj d_j + tr(BUUᵀ), so
        //   ∇_μ J = a + (B + Bᵀ)μ,   ∇_d J = diag(B),   ∇_U J = (B + Bᵀ)U.
        using var scope = NewDisposeScope();
        var (mu, d, u) = LowRankParameters();
        var a = tensor(new double[] { 0.5, -1.0, 0.0, 2.0 }, ScalarType.Float64);
        var b = tensor(new double[] { 1, 0.2, 0, 0, -0.4, 0.5, 0.1, 0, 0, 0.3, 1.5, -0.2, 0.6, 0, 0, 0.8 }, [4, 4], ScalarType.Float64);
        var estimator = new LowRankGaussianEstimator(Parameter(mu), d.clone().requires_grad_(true), u.clone().requires_grad_(true));
        using var generator = new Generator(45);
        var g = estimator.PerDrawGradients(Quadratic(a, b), Draws, generator);
        var symmetric = b + b.T;
        AssertGradient(g[0], (a + symmetric.mv(tensor(mu, ScalarType.Float64))).data<double>().ToArray(), "∇_μ");
        AssertGradient(g[1], b.diagonal().data<double>().ToArray(), "∇_d");
        AssertGradient(g[2], symmetric.mm(u).flatten().data<double>().ToArray(), "∇_U");
    }

    [TestMethod]
    public void ShapesAreChecked()
    {
        using var scope = NewDisposeScope();
        Assert.ThrowsExactly<ArgumentException>(() => new CholeskyGaussianEstimator(Parameter([0.0, 0.0]), Parameter([1.0, 0, 0, 1, 0, 0], 2, 3)));
        Assert.ThrowsExactly<ArgumentException>(() => new LowRankGaussianEstimator(Parameter([0.0, 0.0]), Parameter([1.0]), Parameter([1.0, 1.0], 2, 1)));
    }

    private static (double[] Mu, Tensor D, Tensor U) LowRankParameters() =>
        ([0.5, -1.0, 2.0, 0.0],
         tensor(new double[] { 0.5, 1.0, 0.2, 0.8 }, ScalarType.Float64),
         tensor(new double[] { 1.0, 0.0, 0.5, -0.7, -0.3, 0.4, 0.9, 0.2 }, [4, 2], ScalarType.Float64));

    // Per-element means of per-draw gradients [N, …] against the closed form; an element whose estimates are all
    // identical (the Cholesky factor's upper triangle) has SE 0 and must match exactly.
    private static void AssertGradient(Tensor perDraw, double[] expected, string what)
    {
        for (int j = 0; j < expected.Length; j++) AssertMean(expected[j], MomentsOf(Element(perDraw, j)), $"{what}[{j}]");
    }

    // The sample mean within 5 SE of μ, and each sample covariance entry within 5 SE of Σ, the SE of entry (j, k) being
    // that of the mean of the products (z_j − z̄_j)(z_k − z̄_k).
    private static void AssertMoments(Tensor z, double[] mu, Tensor sigma)
    {
        int d = mu.Length;
        for (int j = 0; j < d; j++) AssertMean(mu[j], MomentsOf(z[.., j]), $"mean[{j}]");
        var centred = z - z.mean([0]);
        var expected = sigma.data<double>().ToArray();
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++)
                AssertMean(expected[j * d + k], MomentsOf(centred[.., j] * centred[.., k]), $"Σ[{j},{k}]");
    }
}
