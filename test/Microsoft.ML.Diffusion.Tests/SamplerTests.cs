using Microsoft.ML.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class SamplerTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(400)]
    [DataRow(999)]
    public void PosteriorMeanOfEq7EqualsEq11WhenEpsilonIsExact(int t)
    {
        using var scope = NewDisposeScope();
        using var s = new LinearNoiseSchedule();
        manual_seed(3);
        var x0 = rand([4, 1, 4, 4]) * 2 - 1;
        var eps = randn([4, 1, 4, 4]);
        var xt = ForwardProcess.Sample(s, x0, full([4], t, ScalarType.Int64), eps);
        // Eq. 7: μ̃_t(x_t, x₀) with the true x₀.
        var eq7 = x0 * s.PosteriorMeanCoef1[t] + xt * s.PosteriorMeanCoef2[t];
        // Eq. 11: μ_θ(x_t, t) = 1/√α_t · (x_t − β_t/√(1−ᾱ_t) · ε_θ) with ε_θ = ε.
        var eq11 = (xt - eps * (s.Betas[t] / s.SqrtOneMinusAlphasCumprod[t])) / Math.Sqrt(s.Alphas[t]);
        Assert.IsTrue(eq7.allclose(eq11, rtol: 1e-4, atol: 1e-5), $"max |Eq7 − Eq11| = {(eq7 - eq11).abs().max().ToDouble()}");

        // The sampler's step (no clipping) is that mean plus √β_t z, with z from the row's generator.
        var sampler = new DdpmSampler(DdpmVariance.FixedLarge, clipDenoised: false);
        var generators = Enumerable.Range(0, 4).Select(i => new Generator((ulong)(100 + i))).ToList();
        var step = sampler.Step((x, tt) => eps, s, PredictionTarget.Epsilon, xt, t, 4, generators);
        var replay = Enumerable.Range(0, 4).Select(i => randn([1, 1, 4, 4], generator: new Generator((ulong)(100 + i)))).ToList();
        var expected = eq11 + cat(replay, 0) * Math.Sqrt(s.Betas[t]);
        Assert.IsTrue(step.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [TestMethod]
    public void DdimWithEtaZeroIsDeterministicGivenXT()
    {
        using var scope = NewDisposeScope();
        using var s = new LinearNoiseSchedule();
        var xT = randn([2, 1, 4, 4], generator: new Generator(5));
        Func<Tensor, Tensor, Tensor> denoiser = (x, t) => x * 0.1 + t.to(ScalarType.Float32).view(-1, 1, 1, 1) * 1e-4;
        Tensor Run(double eta, ulong seed)
        {
            var gens = new[] { new Generator(seed), new Generator(seed + 1) };
            return new DdimSampler(20, eta).Sample(denoiser, s, PredictionTarget.Epsilon, xT, gens);
        }
        Assert.IsTrue(Run(0, 1).eq(Run(0, 99)).all().item<bool>(), "η = 0 ignores the generators");
        Assert.IsFalse(Run(1, 1).eq(Run(1, 99)).all().item<bool>(), "η = 1 draws noise");
    }

    [TestMethod]
    public void DdimTimestepsAreEvenlySpacedOverTheWholeSchedule()
    {
        using var s = new LinearNoiseSchedule();
        var steps = new DdimSampler(50).Timesteps(s);
        Assert.AreEqual(50, steps.Count);
        Assert.AreEqual(999, steps[0]);
        Assert.AreEqual(0, steps[^1]);
        for (int i = 0; i < 50; i++) Assert.AreEqual((int)Math.Round((49 - i) * 999.0 / 49), steps[i]);
        CollectionAssert.AreEqual(new[] { 999 }, new DdimSampler(1).Timesteps(s).ToArray());
    }

    [TestMethod]
    public void DdimWithAllStepsAndEtaOneUsesThePosteriorVariance()
    {
        // With every timestep and η = 1, σ_t² = (1−ᾱ_{t−1})/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_{t−1}) = β̃_t.
        using var s = new LinearNoiseSchedule(100);
        int t = 50;
        double prev = s.AlphasCumprod[t - 1], ab = s.AlphasCumprod[t];
        double sigma2 = (1 - prev) / (1 - ab) * (1 - ab / prev);
        Assert.AreEqual(s.PosteriorVariance[t], sigma2, 1e-15);
    }
}
