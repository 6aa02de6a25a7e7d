using Microsoft.ML.Diffusion.Evaluation;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>The variational bound in bits/dim against closed forms and against quadrature on toy data with an exact denoiser.</summary>
[TestClass]
public sealed class LikelihoodTests
{
    private const double Ln2 = 0.69314718055994531;

    [TestMethod]
    public void GaussianKlMatchesTheHandComputedValue()
    {
        // KL(N(1, 2) ‖ N(−0.5, 0.5)) = ½(−1 + ln(0.5/2) + 2/0.5 + 1.5²/0.5) = ½(−1 − 1.3862944 + 4 + 4.5) = 3.0568528.
        using var kl = GaussianTerms.NormalKl(tensor(1.0), tensor(Math.Log(2)), tensor(-0.5), tensor(Math.Log(0.5)));
        Assert.AreEqual(3.0568528, kl.item<double>(), 1e-7);
        using var self = GaussianTerms.NormalKl(tensor(0.3), tensor(-1.2), tensor(0.3), tensor(-1.2));
        Assert.AreEqual(0.0, self.item<double>(), 1e-15);
    }

    [TestMethod]
    [DataRow(NoiseScheduleKind.Linear)]
    [DataRow(NoiseScheduleKind.Cosine)]
    public void PriorTermIsTheClosedFormKlToTheStandardNormal(NoiseScheduleKind kind)
    {
        int T = 1000;
        using var schedule = NoiseSchedule.Create(kind, T);
        // ᾱ_T recomputed here from the schedule's definition, not read from it.
        double alphaBarT = 1;
        for (int t = 1; t <= T; t++)
        {
            double beta = kind == NoiseScheduleKind.Linear
                ? 1e-4 + (0.02 - 1e-4) * (t - 1) / (T - 1)
                : Math.Min(1 - CosineF(t, T) / CosineF(t - 1, T), 0.999);
            alphaBarT *= 1 - beta;
        }
        Assert.AreEqual(alphaBarT, schedule.AlphasCumprod[^1], 1e-12 + 1e-9 * alphaBarT);

        float[] pixels = [-1f, -0.2f, 0.6f, 1f];
        var terms = VariationalBound.Compute(ExactPointDenoiser(schedule, PredictionTarget.Sample, 0), schedule, PredictionTarget.Sample,
            DdpmVariance.FixedSmall, false, pixels, 4, [1, 1, 1], new DiffusionLikelihoodOptions { TimestepSamples = 1, BatchSize = 4 });
        for (int i = 0; i < 4; i++)
        {
            double x = pixels[i];
            double expected = 0.5 * (-1 - Math.Log(1 - alphaBarT) + (1 - alphaBarT) + alphaBarT * x * x);
            Assert.AreEqual(expected, terms.Prior[i], 1e-9 * Math.Max(1, expected), $"pixel {x}");
        }
    }

    [TestMethod]
    public void DiscretizedDecoderSumsToOneAndMatchesNormalCdfDifferences()
    {
        var grid = Enumerable.Range(0, 256).Select(k => k / 127.5 - 1).ToArray();
        foreach (var (mu, sigma) in new[] { (0.3, 0.05), (-0.99, 0.001), (0.5, 1.0), (1.0, 0.02), (-0.2, 0.004) })
        {
            using var x = tensor(grid);
            using var mean = full([256], mu, ScalarType.Float64);
            using var logScale = full([256], Math.Log(sigma), ScalarType.Float64);
            using var log = GaussianTerms.DiscretizedGaussianLogLikelihood(x, mean, logScale);
            var logP = log.data<double>().ToArray();
            Assert.IsTrue(logP.All(v => double.IsFinite(v) && v <= 1e-12), $"μ {mu}, σ {sigma}: {string.Join(", ", logP)}");
            Assert.AreEqual(1.0, logP.Sum(Math.Exp), 1e-9, $"μ {mu}, σ {sigma}");
            for (int k = 0; k < 256; k++)
            {
                double lo = k == 0 ? double.NegativeInfinity : (grid[k] - 1 / 255.0 - mu) / sigma;
                double hi = k == 255 ? double.PositiveInfinity : (grid[k] + 1 / 255.0 - mu) / sigma;
                double expected = LogGaussianMass(lo, hi);
                Assert.AreEqual(expected, logP[k], 1e-7 * Math.Max(1, Math.Abs(expected)), $"μ {mu}, σ {sigma}, bin {k}: expected {expected}, got {logP[k]}");
            }
        }
    }

    [TestMethod]
    [DataRow(PredictionTarget.Epsilon, DdpmVariance.FixedSmall)]
    [DataRow(PredictionTarget.Sample, DdpmVariance.FixedLarge)]
    [DataRow(PredictionTarget.Velocity, DdpmVariance.FixedLarge)]
    public void BoundOfAPointMassWithTheExactDenoiserIsItsClosedForm(PredictionTarget target, DdpmVariance variance)
    {
        // Data x₀ = c always: the exact denoiser returns x̂₀ = c whatever x_t is, so every term is deterministic:
        // L_{t−1} = ½(−1 + log σ_t² − log β̃_t + β̃_t/σ_t²) (zero for fixed-small), L_0 = −log(2Φ(1/(255σ_1)) − 1).
        using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, 50, 1e-3, 0.3);
        double c = 191 / 127.5 - 1;
        var pixels = Enumerable.Repeat((float)c, 6).ToArray();
        var terms = VariationalBound.Compute(ExactPointDenoiser(schedule, target, c), schedule, target, variance, false, pixels, 6, [1, 1, 1],
            new DiffusionLikelihoodOptions { TimestepSamples = null, BatchSize = 4, Seed = 3 });

        double kl = 0;
        for (int t = 1; t < 50; t++)
        {
            double s2 = variance == DdpmVariance.FixedLarge ? schedule.Betas[t] : schedule.PosteriorVariance[t];
            kl += 0.5 * (-1 + Math.Log(s2) - Math.Log(schedule.PosteriorVariance[t]) + schedule.PosteriorVariance[t] / s2);
        }
        double sigma1 = Math.Sqrt(schedule.PosteriorVariance[1]);
        double decoder = -LogGaussianMass(-1 / (255 * sigma1), 1 / (255 * sigma1));
        Assert.IsTrue(terms.IsExactSum);
        Assert.AreEqual(49, terms.TimestepsPerImage);
        for (int i = 0; i < 6; i++)
        {
            Assert.AreEqual(kl, terms.Diffusion[i], 1e-6 * Math.Max(1, kl), $"image {i}: KL sum {kl}, got {terms.Diffusion[i]}");
            Assert.AreEqual(decoder, terms.Decoder[i], 1e-6, $"image {i}: decoder {decoder}, got {terms.Decoder[i]}");
        }
    }

    [TestMethod]
    public void BoundOfTwoPointDataMatchesQuadratureAndStratifiedSamplingIsUnbiased()
    {
        // x₀ ∈ {a, b} with probability ½ each: q(x_t) is a two-Gaussian mixture, the exact denoiser is the posterior mean
        // E[x₀ | x_t] in closed form, and each term's expectation over x_t is a 1-D integral done here by Simpson's rule.
        int T = 20;
        using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, T, 1e-2, 0.6);
        double a = 64 / 127.5 - 1, b = 191 / 127.5 - 1;
        double[] values = [a, b];
        double Posterior(double xt, int t)
        {
            double s = schedule.SqrtAlphasCumprod[t], v = 1 - schedule.AlphasCumprod[t];
            double la = -(xt - s * a) * (xt - s * a) / (2 * v), lb = -(xt - s * b) * (xt - s * b) / (2 * v);
            double m = Math.Max(la, lb), wa = Math.Exp(la - m), wb = Math.Exp(lb - m);
            return (a * wa + b * wb) / (wa + wb);
        }
        double expected = 0;
        foreach (var x0 in values)
        {
            double prior = 0.5 * (-1 - Math.Log(1 - schedule.AlphasCumprod[^1]) + (1 - schedule.AlphasCumprod[^1]) + schedule.AlphasCumprod[^1] * x0 * x0);
            double sum = 0;
            for (int t = 1; t < T; t++)
            {
                double s2 = schedule.Betas[t], bt = schedule.PosteriorVariance[t], coef1 = schedule.PosteriorMeanCoef1[t];
                double squaredError = Expect(x0, t, xt => (x0 - Posterior(xt, t)) * (x0 - Posterior(xt, t)));
                sum += 0.5 * (-1 + Math.Log(s2) - Math.Log(bt) + bt / s2) + coef1 * coef1 * squaredError / (2 * s2);
            }
            double sigma1 = Math.Sqrt(schedule.PosteriorVariance[1]);
            double decoder = Expect(x0, 0, x1 =>
            {
                double mu = Posterior(x1, 0);
                return -LogGaussianMass((x0 - 1 / 255.0 - mu) / sigma1, (x0 + 1 / 255.0 - mu) / sigma1);
            });
            expected += 0.5 * (prior + sum + decoder);
        }
        double Expect(double x0, int t, Func<double, double> f)
        {
            double mean = schedule.SqrtAlphasCumprod[t] * x0, sd = schedule.SqrtOneMinusAlphasCumprod[t];
            int n = 4000;
            double h = 16 * sd / n, total = 0;
            for (int i = 0; i <= n; i++)
            {
                double x = mean - 8 * sd + i * h, weight = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
                total += weight * f(x) * Math.Exp(-(x - mean) * (x - mean) / (2 * sd * sd));
            }
            return total * h / 3 / (sd * Math.Sqrt(2 * Math.PI));
        }

        int count = 4000;
        var pixels = Enumerable.Range(0, count).Select(i => (float)values[i % 2]).ToArray();
        var denoiser = ExactTwoPointDenoiser(schedule, a, b);
        foreach (int? samples in new int?[] { null, 4 })
        {
            var terms = VariationalBound.Compute(denoiser, schedule, PredictionTarget.Epsilon, DdpmVariance.FixedLarge, false, pixels, count, [1, 1, 1],
                new DiffusionLikelihoodOptions { TimestepSamples = samples, BatchSize = 1000, Seed = 5 });
            var perImage = Enumerable.Range(0, count).Select(i => terms.Prior[i] + terms.Diffusion[i] + terms.Decoder[i]).ToArray();
            double mean = perImage.Average();
            double se = Math.Sqrt(perImage.Sum(v => (v - mean) * (v - mean)) / (count - 1) / count);
            Assert.AreEqual(samples is null, terms.IsExactSum);
            Assert.AreEqual(expected, mean, 4 * se, $"timestep samples {samples?.ToString() ?? "all"}: {mean} ± {se} nats, quadrature {expected}");
            Assert.IsLessThan(0.05 * expected, se, "the Monte Carlo error is too large for the comparison to mean anything");
        }
    }

    [TestMethod]
    public void StrataCoverEveryTermOnce()
    {
        foreach (var (T, k) in new[] { (1000, 50), (1000, 7), (20, 100), (2, 1) })
        {
            var strata = VariationalBound.Strata(T, k);
            Assert.HasCount(Math.Min(k, T - 1), strata);
            var covered = strata.SelectMany(s => Enumerable.Range(s.First, s.Length)).ToList();
            CollectionAssert.AreEqual(Enumerable.Range(1, T - 1).ToList(), covered, $"T {T}, k {k}");
        }
    }

    [TestMethod]
    public void EvaluateLikelihoodFallsWithTrainingAndNamesAWeakSchedule()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(8).ToList());
        using var model = CheckpointTestKit.Fit(TinyData.Options(steps: 30), rows: 8);
        var options = new DiffusionLikelihoodOptions { TimestepSamples = 10, Seed = 2 };
        var result = ml.Diffusion().EvaluateLikelihood(model, data, options);
        Assert.AreEqual(8, result.ImageCount);
        Assert.AreEqual(64, result.Dimensions);
        Assert.AreEqual(10, result.TimestepsPerImage);
        Assert.AreEqual(result.PriorBitsPerDim + result.DiffusionBitsPerDim + result.DecoderBitsPerDim, result.BitsPerDim, 1e-12);
        Assert.IsGreaterThan(0, result.BitsPerDim, result.ToString());
        // Training lowers the bound: a model after one step scores worse on the same images.
        using (var untrained = CheckpointTestKit.Fit(TinyData.Options(steps: 1), rows: 8))
        {
            var before = ml.Diffusion().EvaluateLikelihood(untrained, data, options);
            Assert.IsGreaterThan(result.BitsPerDim + 3 * result.StandardError, before.BitsPerDim, $"after 1 step {before}, after 30 steps {result}");
        }
        Assert.IsTrue(result.StandardError > 0 && double.IsFinite(result.StandardError), result.ToString());
        Assert.IsEmpty(result.Warnings, string.Join("; ", result.Warnings));
        Assert.AreEqual(result.BitsPerDim, ml.Diffusion().EvaluateLikelihood(model, data, options).BitsPerDim, "same seed, same bound");

        // 10 steps of β ≤ 0.02 leave ᾱ_T ≈ 0.9: the prior term dominates, and the result says so.
        var weak = TinyData.Options(steps: 2);
        weak.Timesteps = 10;
        weak.BetaEnd = 0.02;
        weak.Sampler = new DiffusionSamplerOptions { Kind = SamplerKind.Ddpm, BatchSize = 3 };
        using var weakModel = CheckpointTestKit.Fit(weak, rows: 8);
        var weakResult = ml.Diffusion().EvaluateLikelihood(weakModel, data);
        Assert.IsTrue(weakResult.IsExactSum);
        Assert.IsGreaterThan(0.1, weakResult.PriorBitsPerDim);
        Assert.HasCount(1, weakResult.Warnings);
        StringAssert.Contains(weakResult.Warnings[0], "ᾱ_T = 0.90");
    }

    [TestMethod]
    public void BadOptionsAndDataNameWhatIsWrong()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        using var model = CheckpointTestKit.Fit(TinyData.Options(steps: 1), rows: 4);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Diffusion().EvaluateLikelihood(model, data, new DiffusionLikelihoodOptions { MaxImages = 1 }));
        Assert.AreEqual("MaxImages", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Diffusion().EvaluateLikelihood(model, data, new DiffusionLikelihoodOptions { TimestepSamples = 0 }));
        StringAssert.Contains(e.Message, "TimestepSamples");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Diffusion().EvaluateLikelihood(model, data, new DiffusionLikelihoodOptions { InputScale = float.NaN }));
        StringAssert.Contains(e.Message, "InputScale");
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Diffusion().EvaluateLikelihood(model, data, new DiffusionLikelihoodOptions { ImageColumnName = "Pixels" }));
        StringAssert.Contains(missing.Message, "'Pixels'");
        var one = ml.Data.LoadFromEnumerable(TinyData.Rows(1).ToList());
        var few = Assert.ThrowsExactly<ArgumentException>(() => ml.Diffusion().EvaluateLikelihood(model, one));
        StringAssert.Contains(few.Message, "1 image(s)");
    }

    // A denoiser for data that is always c, in the given target's terms.
    private static Func<Tensor, Tensor, Tensor> ExactPointDenoiser(NoiseSchedule schedule, PredictionTarget target, double c) => (xt, t) =>
    {
        using var scope = NewDisposeScope();
        var x = xt.to(ScalarType.Float64);
        var s = NoiseSchedule.Extract(tensor(schedule.SqrtAlphasCumprod), t);
        var r = NoiseSchedule.Extract(tensor(schedule.SqrtOneMinusAlphasCumprod), t);
        var x0 = full_like(x, c);
        var output = target switch
        {
            PredictionTarget.Epsilon => (x - s * x0) / r,
            PredictionTarget.Sample => x0,
            _ => (s * x - x0) / r,   // v = (√ᾱ x_t − x₀)/√(1−ᾱ), from x₀ = √ᾱ x_t − √(1−ᾱ) v
        };
        return output.to(ScalarType.Float32).MoveToOuterDisposeScope();
    };

    // ε̂ = (x_t − √ᾱ E[x₀ | x_t]) / √(1−ᾱ) for data ∈ {a, b} with equal weights.
    private static Func<Tensor, Tensor, Tensor> ExactTwoPointDenoiser(NoiseSchedule schedule, double a, double b) => (xt, t) =>
    {
        using var scope = NewDisposeScope();
        var x = xt.to(ScalarType.Float64);
        var s = NoiseSchedule.Extract(tensor(schedule.SqrtAlphasCumprod), t);
        var v = NoiseSchedule.Extract(tensor(schedule.SqrtOneMinusAlphasCumprod), t).square();
        var la = -(x - s * a).square() / (2 * v);
        var lb = -(x - s * b).square() / (2 * v);
        var wa = (la - maximum(la, lb)).exp();
        var wb = (lb - maximum(la, lb)).exp();
        var x0 = (wa * a + wb * b) / (wa + wb);
        return ((x - s * x0) / v.sqrt()).to(ScalarType.Float32).MoveToOuterDisposeScope();
    };

    private static double CosineF(int t, int T) => Math.Pow(Math.Cos((t / (double)T + 0.008) / 1.008 * Math.PI / 2), 2);

    // log ∫_lo^hi φ(z) dz by Simpson's rule, independent of the library's erfcx path. The integrand is scaled by e^{m²/2}, m the
    // point of [lo, hi] nearest 0, so masses far in the tails (log p of −10⁶) stay representable; infinite ends are cut
    // where the scaled integrand has fallen by e^{−60} or more.
    private static double LogGaussianMass(double lo, double hi)
    {
        double m = lo > 0 ? lo : hi < 0 ? hi : 0;
        if (double.IsNegativeInfinity(lo)) lo = hi - Math.Min(40, 60 / Math.Max(Math.Abs(hi), 1));
        if (double.IsPositiveInfinity(hi)) hi = lo + Math.Min(40, 60 / Math.Max(Math.Abs(lo), 1));
        int n = 20000;
        double h = (hi - lo) / n, total = 0;
        for (int i = 0; i <= n; i++)
        {
            double z = lo + i * h, weight = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            total += weight * Math.Exp(-(z * z - m * m) / 2);
        }
        return Math.Log(total * h / 3) - m * m / 2 - 0.5 * Math.Log(2 * Math.PI);
    }
}
