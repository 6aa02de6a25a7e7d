using Microsoft.ML.Diffusion.Reparameterization;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class LocationScaleEstimatorTests
{
    private const int Draws = 100_000;
    private const double EulerGamma = 0.57721566490153286;

    [TestMethod]
    [DataRow("normal", 0.0, 1.0)]
    [DataRow("Laplace", 0.0, 2.0)]
    [DataRow("logistic", 0.0, Math.PI * Math.PI / 3)]
    [DataRow("Student-t 10", 0.0, 10.0 / 8.0)]
    [DataRow("Gumbel", EulerGamma, Math.PI * Math.PI / 6)]
    [DataRow("uniform", 0.0, 1.0 / 3.0)]
    [DataRow("exponential", 1.0, 1.0)]
    public void GradientOfSquareIsTheMomentFormula(string familyName, double m, double v)
    {
        // z = a + bε with E[ε] = m, Var ε = v (the family's standard moments, stated in the DataRow):
        // J = E[z²] = a² + 2abm + b²(v + m²), so ∂J/∂a = 2(a + bm) and ∂J/∂b = 2am + 2b(v + m²) (seed 002's example).
        // The per-draw estimates are 2z and 2εz; their means must match within 5 SE of themselves.
        using var scope = NewDisposeScope();
        double a = 0.7, b = 1.3;
        var estimator = new LocationScaleEstimator(Family(familyName), Parameter(a), Parameter(b));
        using var generator = new Generator(11);
        var g = estimator.PerDrawGradients(z => z.pow(2), Draws, generator);
        AssertMean(2 * (a + b * m), MomentsOf(g[0]), $"{familyName} ∂/∂a");
        AssertMean(2 * a * m + 2 * b * (v + m * m), MomentsOf(g[1]), $"{familyName} ∂/∂b");
    }

    [TestMethod]
    public void CauchyGradientOfTheCauchyKernel()
    {
        // The Cauchy has no mean, so z² has no expectation; f(z) = 1/(1 + z²) = π·Cauchy(0, 1)'s density has one.
        // Cauchy densities convolve as Cauchy(a, b) * Cauchy(0, 1) = Cauchy(a, 1 + b), so with c = 1 + b:
        // J = E[f(a + bε)] = π·p_{Cauchy(a, c)}(0) = c/(c² + a²), ∂J/∂a = −2ac/(c² + a²)², ∂J/∂b = (a² − c²)/(c² + a²)².
        // f′ decays like z⁻³, so both per-draw estimates f′(z) and εf′(z) are bounded and have finite variance.
        using var scope = NewDisposeScope();
        double a = 0.6, b = 0.8, c = 1 + b, d = c * c + a * a;
        var estimator = new LocationScaleEstimator(LocationScaleFamily.Cauchy, Parameter(a), Parameter(b));
        using var generator = new Generator(12);
        var g = estimator.PerDrawGradients(z => 1 / (1 + z.pow(2)), Draws, generator);
        AssertMean(-2 * a * c / (d * d), MomentsOf(g[0]), "Cauchy ∂/∂a");
        AssertMean((a * a - c * c) / (d * d), MomentsOf(g[1]), "Cauchy ∂/∂b");
    }

    [TestMethod]
    public void GaussianVectorGradientAndItsVarianceOverEstimates()
    {
        // z = μ + σ ⊙ ε in 3 dimensions, f(z) = Σ_j z_j³: E[z_j³] = μ_j³ + 3μ_jσ_j², so ∂/∂μ_j = 3(μ_j² + σ_j²) and
        // ∂/∂σ_j = 6μ_jσ_j. One draw's ∂/∂μ_j is 3z_j² = 3μ² + 6μσε + 3σ²ε², of variance 36μ²σ² + 18σ⁴ (Var ε = 1,
        // Var ε² = 2, Cov(ε, ε²) = 0), so an N-draw estimate has (36μ²σ² + 18σ⁴)/N. GradientStatistics' mean and variance
        // over M estimates must match both within 5 of their own standard errors.
        using var scope = NewDisposeScope();
        double[] mu = [0.5, -1.0, 2.0], sigma = [1.0, 0.3, 0.7];
        var estimator = LocationScaleEstimator.Gaussian(Parameter(mu), Parameter(sigma));
        using var generator = new Generator(13);
        const int n = 20, m = 5000;
        var stats = GradientStatistics.Of(estimator, z => z.pow(3).sum(1), n, m, generator);
        Assert.AreEqual(m, stats.Estimates);
        Assert.AreEqual(n, stats.DrawsPerEstimate);
        for (int j = 0; j < 3; j++)
        {
            double muJ = mu[j], s = sigma[j];
            Assert.AreEqual(3 * (muJ * muJ + s * s), stats.Mean[0][j], K * stats.MeanStandardError[0][j], $"∂/∂μ_{j}");
            Assert.AreEqual(6 * muJ * s, stats.Mean[1][j], K * stats.MeanStandardError[1][j], $"∂/∂σ_{j}");
            double variance = (36 * muJ * muJ * s * s + 18 * Math.Pow(s, 4)) / n;
            Assert.AreEqual(variance, stats.Variance[0][j], K * stats.VarianceStandardError[0][j], $"Var ∂/∂μ_{j}");
        }
    }

    [TestMethod]
    public void SamplesHaveTheLocationAndScale()
    {
        // For the Gaussian, z = μ + σε has mean μ and variance σ², checked against the sample's own standard errors.
        using var scope = NewDisposeScope();
        var estimator = LocationScaleEstimator.Gaussian(Parameter(-0.4), Parameter(2.5));
        using var generator = new Generator(14);
        var m = MomentsOf(estimator.Sample(Draws, generator));
        AssertMean(-0.4, m, "mean");
        AssertVariance(2.5 * 2.5, m, "variance");
    }

    [TestMethod]
    [DataRow("normal")]
    [DataRow("Laplace")]
    [DataRow("logistic")]
    [DataRow("Student-t 10")]
    [DataRow("Gumbel")]
    [DataRow("uniform")]
    [DataRow("exponential")]
    public void NoiseFollowsTheGenerator(string familyName)
    {
        // Every family's draws come from the generator passed in (not the global one): equal seeds, equal draws.
        using var scope = NewDisposeScope();
        Tensor Draw(ulong seed)
        {
            using var generator = new Generator(seed);
            return Family(familyName).StandardNoise([1000], ScalarType.Float64, CPU, generator);
        }
        manual_seed(1);
        var first = Draw(15);
        manual_seed(2);
        Assert.IsTrue(first.eq(Draw(15)).all().item<bool>(), "same seed");
        Assert.IsFalse(first.eq(Draw(16)).all().item<bool>(), "another seed");
    }

    [TestMethod]
    public void StudentTRefusesANonPositiveDegreesOfFreedom()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LocationScaleFamily.StudentT(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LocationScaleFamily.StudentT(double.NaN));
    }

    private static LocationScaleFamily Family(string name) => name switch
    {
        "normal" => LocationScaleFamily.Normal,
        "Laplace" => LocationScaleFamily.Laplace,
        "logistic" => LocationScaleFamily.Logistic,
        "Student-t 10" => LocationScaleFamily.StudentT(10),
        "Gumbel" => LocationScaleFamily.Gumbel,
        "uniform" => LocationScaleFamily.Uniform,
        "exponential" => LocationScaleFamily.Exponential,
        _ => throw new ArgumentException(name),
    };
}
