using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static Microsoft.ML.Diffusion.Tests.Reparameterization.ReparameterizationTestKit;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

[TestClass]
public class GradientEstimatorApiTests
{
    private static Tensor Cube(Tensor z) => z.pow(3);

    [TestMethod]
    public void EstimateIsTheMeanOfThePerDrawGradients()
    {
        // Both consume the same noise from equally seeded generators, so ĝ = (1/N) Σᵢ ∇sᵢ exactly (up to rounding).
        using var scope = NewDisposeScope();
        var estimator = LocationScaleEstimator.Gaussian(Parameter(0.4), Parameter(1.1));
        using var g1 = new Generator(61);
        using var g2 = new Generator(61);
        var estimate = estimator.Estimate(Cube, 500, g1);
        var perDraw = estimator.PerDrawGradients(Cube, 500, g2);
        for (int p = 0; p < 2; p++) Assert.AreEqual(perDraw[p].mean().ToDouble(), estimate[p].ToDouble(), 1e-12);
    }

    [TestMethod]
    public void SurrogateLossBackwardAccumulatesTheEstimate()
    {
        // An optimizer steps on .grad: backward() on the surrogate must leave ĝ there.
        using var scope = NewDisposeScope();
        var mu = Parameter(0.4);
        var sigma = Parameter(1.1);
        var estimator = LocationScaleEstimator.Gaussian(mu, sigma);
        using var g1 = new Generator(62);
        using var g2 = new Generator(62);
        var estimate = estimator.Estimate(Cube, 300, g1);
        estimator.SurrogateLoss(Cube, 300, g2).backward();
        Assert.AreEqual(estimate[0].ToDouble(), mu.grad!.ToDouble(), 1e-12);
        Assert.AreEqual(estimate[1].ToDouble(), sigma.grad!.ToDouble(), 1e-12);
    }

    [TestMethod]
    public void TheCallersGeneratorStaysUsableAndDeterminesTheEstimate()
    {
        // TorchSharp disposes a distribution's generator with the distribution; the estimators must not, so a generator can
        // serve many estimates, and equal seeds give equal estimates (score function: Normal and Categorical from
        // torch.distributions; pathwise: the Laplace, built from two exponential draws).
        using var scope = NewDisposeScope();
        GradientEstimator[] estimators =
        [
            ScoreFunctionEstimator.Gaussian(Parameter(0.4), Parameter(1.1)),
            ScoreFunctionEstimator.Categorical(Parameter([0.1, 0.2, -0.3])),
            new LocationScaleEstimator(LocationScaleFamily.Laplace, Parameter(0.4), Parameter(1.1)),
        ];
        Func<Tensor, Tensor> f = z => z.to(ScalarType.Float64).pow(2);
        foreach (var estimator in estimators)
        {
            double Twice(ulong seed)
            {
                using var g = new Generator(seed);
                double first = estimator.Estimate(f, 50, g)[0].flatten()[0].ToDouble();
                Assert.AreNotEqual(IntPtr.Zero, g.Handle, estimator.Name);
                return first + 1000 * estimator.Estimate(f, 50, g)[0].flatten()[0].ToDouble();
            }
            manual_seed(1);
            double a = Twice(64);
            manual_seed(2);
            Assert.AreEqual(a, Twice(64), 0.0, estimator.Name);
        }
    }

    [TestMethod]
    public void AnObjectiveMustReturnOneValuePerDraw()
    {
        using var scope = NewDisposeScope();
        var estimator = LocationScaleEstimator.Gaussian(Parameter([0.0, 0.0]), Parameter([1.0, 1.0]));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Estimate(z => z.pow(2), 10));   // [N, 2], not [N]
        StringAssert.Contains(e.Message, "one value per draw");
    }

    [TestMethod]
    public void ParametersMustRequireGradients()
    {
        using var scope = NewDisposeScope();
        Assert.ThrowsExactly<ArgumentException>(() => LocationScaleEstimator.Gaussian(tensor(0.0), Parameter(1.0)));
        Assert.ThrowsExactly<ArgumentException>(() => new GumbelSoftmaxEstimator(tensor(new double[] { 0.0, 1.0 }), 1.0));
    }

    [TestMethod]
    public void StatisticsAreTheSameInOnePassOrMany()
    {
        // GradientStatistics splits large runs into passes; the estimates must not depend on where the split falls, so the
        // same seed gives the same mean whether 2¹⁴-draw estimates fit 64 to a pass (one pass) or not.
        using var scope = NewDisposeScope();
        var estimator = LocationScaleEstimator.Gaussian(Parameter(0.2), Parameter(0.9));
        using var g = new Generator(63);
        var stats = GradientStatistics.Of(estimator, Cube, 1 << 14, 80, g);   // 2²⁰/(2¹⁴·2) = 32 estimates per pass, 3 passes
        Assert.AreEqual(80, stats.Estimates);
        // 3(μ² + σ²) within 5 SE; the SE is the estimates' own.
        Assert.AreEqual(3 * (0.04 + 0.81), stats.Mean[0][0], K * stats.MeanStandardError[0][0]);
        Assert.IsGreaterThan(0.0, stats.VarianceStandardError[0][0]);
    }
}
