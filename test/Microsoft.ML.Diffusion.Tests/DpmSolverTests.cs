using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// DPM-Solver++(2M) against the exact probability-flow ODE. For Gaussian data x₀ ~ N(m, s²) per pixel,
/// x_t = α_t x₀ + σ_t ε is Gaussian too and E[x₀ | x_t] = m + α_t s²/(α_t² s² + σ_t²) · (x_t − α_t m) is linear in
/// x_t, so the exact predictor is known. The ODE maps the marginal N(α_t m, α_t² s² + σ_t²) of one time onto that of
/// another monotonically, which for a one-dimensional Gaussian leaves z = (x_t − α_t m)/√(α_t² s² + σ_t²) unchanged
/// along a trajectory: the ODE solution from x_T is known in closed form too.
/// </summary>
[TestClass]
public class DpmSolverTests
{
    private static readonly LinearNoiseSchedule Schedule = new();

    // Per-pixel means and standard deviations, in float64 so that the solver's error, not rounding, is measured. The
    // default spread is that of image pixels in [−1, 1] (Fashion-MNIST's per-pixel standard deviations are 0.3 to 0.8).
    private static (Tensor m, Tensor s) Data(double sMin = 0.4, double sMax = 0.8)
    {
        var m = linspace(-0.5, 0.5, 16, dtype: ScalarType.Float64).view(1, 1, 4, 4);
        var s = linspace(sMin, sMax, 16, dtype: ScalarType.Float64).view(1, 1, 4, 4);
        return (m, s);
    }

    private static Tensor ExactX0(Tensor xt, int t, Tensor m, Tensor s)
    {
        double a = Schedule.SqrtAlphasCumprod[t], sigma = Schedule.SqrtOneMinusAlphasCumprod[t];
        return m + a * s * s / (a * a * s * s + sigma * sigma) * (xt - a * m);
    }

    // The exact network for each target: ε = (x_t − α x₀)/σ, v = α ε − σ x₀.
    private static Func<Tensor, Tensor, Tensor> ExactNetwork(PredictionTarget target, Tensor m, Tensor s) => (xt, tt) =>
    {
        int t = (int)tt[0].item<long>();
        double a = Schedule.SqrtAlphasCumprod[t], sigma = Schedule.SqrtOneMinusAlphasCumprod[t];
        var x0 = ExactX0(xt, t, m, s);
        var eps = (xt - a * x0) / sigma;
        return target switch
        {
            PredictionTarget.Epsilon => eps,
            PredictionTarget.Sample => x0,
            _ => eps * a - x0 * sigma,
        };
    };

    // The ODE from t = T − 1 to t = 0, then the same last x̂₀ at t = 0 both samplers end with.
    private static Tensor ExactSolution(Tensor xT, Tensor m, Tensor s)
    {
        int T = Schedule.Timesteps - 1;
        Tensor Spread(int t) => (s * s * Schedule.AlphasCumprod[t] + (1 - Schedule.AlphasCumprod[t])).sqrt();
        var z = (xT - m * Schedule.SqrtAlphasCumprod[T]) / Spread(T);
        var x = m * Schedule.SqrtAlphasCumprod[0] + Spread(0) * z;
        return ExactX0(x, 0, m, s);
    }

    private static Tensor XT() => randn([6, 1, 4, 4], dtype: ScalarType.Float64, generator: new Generator(11));

    // The largest error of any pixel, or of each pixel.
    private static double Error(IDiffusionSampler sampler, double sMin = 0.4, double sMax = 0.8) => PixelErrors(sampler, sMin, sMax).Max();

    private static double[] PixelErrors(IDiffusionSampler sampler, double sMin, double sMax)
    {
        using var scope = NewDisposeScope();
        var (m, s) = Data(sMin, sMax);
        var xT = XT();
        var result = sampler.Sample(ExactNetwork(PredictionTarget.Epsilon, m, s), Schedule, PredictionTarget.Epsilon, xT, []);
        return (result - ExactSolution(xT, m, s)).abs().amax([0, 1]).flatten().data<double>().ToArray();
    }

    [TestMethod]
    public void ConvergesToTheExactOdeSolutionAtSecondOrder()
    {
        // Measured: 0.22, 0.055, 0.0078 (DDIM at 10 and 20 steps: 0.39, 0.20, halving as a first-order solver does).
        var errors = new[] { 10, 20, 40 }.Select(n => Error(new DpmSolverPlusPlusSampler(n, clipDenoised: false))).ToArray();
        Console.WriteLine("DPM-Solver++ max error at 10/20/40 steps: " + string.Join(", ", errors.Select(e => e.ToString("G3"))));
        for (int i = 1; i < errors.Length; i++)
            Assert.IsGreaterThan(4.0, errors[i - 1] / errors[i], $"doubling the steps should cut the error at least 4× (second order): {string.Join(", ", errors)}");
    }

    [TestMethod]
    public void IsFarMoreAccurateThanDdimAtFewSteps()
    {
        foreach (var (n, factor) in new[] { (10, 1.0), (15, 2.0), (20, 3.0) })
        {
            double dpm = Error(new DpmSolverPlusPlusSampler(n, clipDenoised: false));
            double ddim = Error(new DdimSampler(n, 0, clipDenoised: false));
            Console.WriteLine($"{n} steps: DPM-Solver++ {dpm:G3}, DDIM {ddim:G3}");
            Assert.IsLessThan(ddim / factor, dpm, $"{n} steps: DPM-Solver++ {dpm}, DDIM {ddim}");
        }
    }

    [TestMethod]
    public void IsNeverWorseThanDdimOnSharpPixels()
    {
        // Pixels of spread 0.05…0.3 settle only below t ≈ 50, inside the last, first-order step: there both solvers err
        // alike, and the second-order steps must not make it worse (the 2M step into t = 0 did, by up to 1.6×).
        foreach (int n in new[] { 10, 20, 40 })
        {
            var dpm = PixelErrors(new DpmSolverPlusPlusSampler(n, clipDenoised: false), 0.05, 0.3);
            var ddim = PixelErrors(new DdimSampler(n, 0, clipDenoised: false), 0.05, 0.3);
            for (int p = 0; p < dpm.Length; p++)
                Assert.IsLessThanOrEqualTo(ddim[p] * 1.01, dpm[p], $"{n} steps, pixel {p}: DPM-Solver++ {dpm[p]}, DDIM {ddim[p]}");
        }
    }

    [TestMethod]
    public void EveryPredictionTargetGivesTheSameSamples()
    {
        var sampler = new DpmSolverPlusPlusSampler(15, clipDenoised: false);
        using var scope = NewDisposeScope();
        var (m, s) = Data();
        var xT = XT();
        var eps = sampler.Sample(ExactNetwork(PredictionTarget.Epsilon, m, s), Schedule, PredictionTarget.Epsilon, xT, []);
        foreach (var target in new[] { PredictionTarget.Sample, PredictionTarget.Velocity })
        {
            var other = sampler.Sample(ExactNetwork(target, m, s), Schedule, target, xT, []);
            Assert.IsTrue(other.allclose(eps, rtol: 1e-9, atol: 1e-9), $"{target}: max difference {(other - eps).abs().max().item<double>()}");
        }
    }

    [TestMethod]
    public void UpToThreeStepsAreDdim()
    {
        // S = 1 returns x̂₀(x_T, T − 1); S = 2 has no 2M step (first order, then the step to σ = 0), which is DDIM.
        Assert.AreEqual(Error(new DdimSampler(1, 0, false)), Error(new DpmSolverPlusPlusSampler(1, false)), 1e-12);
        Assert.AreEqual(Error(new DdimSampler(2, 0, false)), Error(new DpmSolverPlusPlusSampler(2, false)), 1e-12);
        // S = 3: first order, then the first-order step into t = 0: still DDIM. S = 4 has one 2M step.
        Assert.AreEqual(Error(new DdimSampler(3, 0, false)), Error(new DpmSolverPlusPlusSampler(3, false)), 1e-12);
        Assert.AreNotEqual(Error(new DdimSampler(4, 0, false)), Error(new DpmSolverPlusPlusSampler(4, false)), 1e-6);
    }

    [TestMethod]
    public void StepsAreValidated()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DpmSolverPlusPlusSampler(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DpmSolverPlusPlusSampler(1001).Timesteps(Schedule));
        CollectionAssert.AreEqual(new DdimSampler(25).Timesteps(Schedule).ToArray(), new DpmSolverPlusPlusSampler(25).Timesteps(Schedule).ToArray());
        foreach (int bad in new[] { 0, 1001 })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                new DiffusionSamplerOptions { Kind = SamplerKind.DpmSolverPlusPlus, Steps = bad }.Validate(1000));
            Assert.AreEqual("Steps", e.ParamName);
            StringAssert.Contains(e.Message, $"'Steps' is {bad}");
        }
        Assert.IsInstanceOfType<DpmSolverPlusPlusSampler>(DiffusionSamplers.Create(new DiffusionSamplerOptions { Kind = SamplerKind.DpmSolverPlusPlus, Steps = 7 }));
    }

    [TestMethod]
    public void AModelSamplesWithItDeterministicallyAndPerRow()
    {
        using var model = CheckpointTestKit.Fit(TinyData.Options(steps: 2));
        model.SamplerOptions = new DiffusionSamplerOptions { Kind = SamplerKind.DpmSolverPlusPlus, Steps = 6, BatchSize = 3 };
        var all = model.Generate([1, 2, 3, 4, 5]);
        var alone = model.Generate([4]);
        CollectionAssert.AreEqual(all[3], alone[0], "a row's image does not depend on the rows generated with it");
        CollectionAssert.AreEqual(all[0], model.Generate([1, 9])[0]);
        Assert.IsTrue(all.All(img => img.All(float.IsFinite)));
    }
}
