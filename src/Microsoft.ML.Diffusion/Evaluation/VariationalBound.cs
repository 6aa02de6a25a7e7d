using System.Globalization;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The variational bound of Ho et al. 2020, Eq. 5, per image in nats, for a network in any prediction target:
/// <list type="bullet">
/// <item>L_T = KL(q(x_T | x₀) ‖ N(0, I)), q(x_T | x₀) = N(√ᾱ_T x₀, (1 − ᾱ_T) I) (Eq. 4), in closed form;</item>
/// <item>L_{t−1} = KL(q(x_{t−1} | x_t, x₀) ‖ p_θ(x_{t−1} | x_t)) for t = 2…T with x_t ~ q(x_t | x₀): the posterior is
/// N(μ̃_t(x_t, x₀), β̃_t I) (Eq. 6–7) and p_θ is N(μ̃_t(x_t, x̂₀), σ_t² I), so the means differ by coef₁(x₀ − x̂₀)
/// (Eq. 11 written through x̂₀);</item>
/// <item>L_0 = −log p_θ(x₀ | x₁), the discretised Gaussian of Eq. 13 around μ̃_1(x₁, x̂₀) = x̂₀.</item>
/// </list>
/// σ_t² is β_t (fixed-large) or β̃_t (fixed-small); at t = 1, where β̃_1 = 0, both take β̃_2, as the DDPM reference code does.
/// Index t = 0 … T−1 below stands for the paper's t = 1 … T, as in <see cref="NoiseSchedule"/>.
/// </summary>
internal static class VariationalBound
{
    /// <summary>Per-image terms in nats.</summary>
    internal sealed record Terms(double[] Prior, double[] Diffusion, double[] Decoder, int TimestepsPerImage, bool IsExactSum);

    public static Terms Compute(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, DdpmVariance variance,
        bool clipDenoised, float[] images, int count, long[] imageShape, DiffusionLikelihoodOptions options)
    {
        int T = schedule.Timesteps;
        var strata = Strata(T, options.TimestepSamples);
        var prior = new double[count];
        var diffusion = new double[count];
        var decoder = new double[count];
        int size = (int)(imageShape[0] * imageShape[1] * imageShape[2]);
        var coefficients = Coefficients.From(schedule, variance);
        using var generator = new Generator(unchecked((ulong)options.Seed));
        using var mode = inference_mode();
        using (coefficients)
            for (int start = 0; start < count; start += options.BatchSize)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int batch = Math.Min(options.BatchSize, count - start);
                var x0 = from_array(images.AsSpan(start * size, batch * size).ToArray()).view([batch, .. imageShape]);
                var x0d = x0.to(ScalarType.Float64);
                Store(PriorTerm(x0d, schedule), prior, start);
                Store(DecoderTerm(denoiser, schedule, target, clipDenoised, coefficients, x0, x0d, generator), decoder, start);
                var sum = zeros([batch], ScalarType.Float64);
                foreach (var (first, length) in strata)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    using var stratum = NewDisposeScope();
                    var t = randint(first, first + length, [batch], ScalarType.Int64, generator: generator);
                    // Σ over the stratum ≈ its size × one uniformly drawn term: unbiased.
                    sum.add_(KlTerm(denoiser, target, clipDenoised, coefficients, x0, x0d, t, generator) * length);
                }
                Store(sum, diffusion, start);
            }
        return new Terms(prior, diffusion, decoder, strata.Count, strata.All(s => s.Length == 1));
    }

    /// <summary>t = 1 … T−1 (the paper's 2 … T) cut into equal contiguous strata; one stratum per timestep when exact.</summary>
    internal static List<(int First, int Length)> Strata(int timesteps, int? samples)
    {
        int terms = timesteps - 1;
        int k = samples is int s && s < terms ? s : terms;
        var strata = new List<(int, int)>(k);
        for (int i = 0; i < k; i++)
        {
            int first = 1 + (int)((long)terms * i / k), next = 1 + (int)((long)terms * (i + 1) / k);
            strata.Add((first, next - first));
        }
        return strata;
    }

    // L_T = Σ_d KL(N(√ᾱ_T x₀, 1 − ᾱ_T) ‖ N(0, 1)).
    private static Tensor PriorTerm(Tensor x0d, NoiseSchedule schedule)
    {
        double alphaBarT = schedule.AlphasCumprod[^1];
        using var zero = zeros_like(x0d);
        using var logVar = full_like(x0d, Math.Log(1 - alphaBarT));
        using var mean = x0d * Math.Sqrt(alphaBarT);
        using var kl = GaussianTerms.NormalKl(mean, logVar, zero, zero);
        return PerImage(kl);
    }

    // L_0 = −Σ_d log N_discretised(x₀; x̂₀(x₁), σ_1²).
    private static Tensor DecoderTerm(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, bool clip,
        Coefficients c, Tensor x0, Tensor x0d, Generator generator)
    {
        using var scope = NewDisposeScope();
        long batch = x0.shape[0];
        var t = zeros([batch], ScalarType.Int64);
        var x1 = x0 * schedule.SqrtAlphasCumprod[0] + randn(x0.shape, generator: generator) * schedule.SqrtOneMinusAlphasCumprod[0];
        var x0Hat = PredictSample(denoiser, target, clip, c, x1, t);
        // μ̃_1(x₁, x̂₀) = coef₁ x̂₀ + coef₂ x₁ with coef₁ = 1 and coef₂ = 0 at the first step (ᾱ_0 = 1).
        var mean = x0Hat * schedule.PosteriorMeanCoef1[0] + x1.to(ScalarType.Float64) * schedule.PosteriorMeanCoef2[0];
        var logScale = full_like(mean, 0.5 * c.ModelLogVariance[0]);
        var logLikelihood = GaussianTerms.DiscretizedGaussianLogLikelihood(x0d, mean, logScale);
        return (-PerImage(logLikelihood)).MoveToOuterDisposeScope();
    }

    // L_{t−1} = Σ_d ½(−1 + log σ_t² − log β̃_t + β̃_t/σ_t² + coef₁²(x₀ − x̂₀)²/σ_t²), row b at its own t.
    private static Tensor KlTerm(Func<Tensor, Tensor, Tensor> denoiser, PredictionTarget target, bool clip, Coefficients c,
        Tensor x0, Tensor x0d, Tensor t, Generator generator)
    {
        using var scope = NewDisposeScope();
        var noise = randn(x0.shape, generator: generator);
        var xt = x0 * NoiseSchedule.Extract(c.SqrtAlphasCumprod, t) + noise * NoiseSchedule.Extract(c.SqrtOneMinusAlphasCumprod, t);
        var x0Hat = PredictSample(denoiser, target, clip, c, xt, t);
        var coef1 = NoiseSchedule.Extract(c.PosteriorMeanCoef1, t);
        var posteriorMean = x0d * coef1;     // coef₂ x_t is common to both means and cancels
        var modelMean = x0Hat * coef1;
        var kl = GaussianTerms.NormalKl(posteriorMean, NoiseSchedule.Extract(c.PosteriorLogVariance, t).expand_as(x0d),
            modelMean, NoiseSchedule.Extract(c.ModelLogVarianceTensor, t).expand_as(x0d));
        return PerImage(kl).MoveToOuterDisposeScope();
    }

    // x̂₀ in float64 from the network's output at per-row timesteps.
    private static Tensor PredictSample(Func<Tensor, Tensor, Tensor> denoiser, PredictionTarget target, bool clip, Coefficients c, Tensor xt, Tensor t)
    {
        using var scope = NewDisposeScope();
        var output = denoiser(xt, t).to(ScalarType.Float64);
        var x = xt.to(ScalarType.Float64);
        var sqrtAb = NoiseSchedule.Extract(c.SqrtAlphasCumprod64, t);
        var sqrtOneMinusAb = NoiseSchedule.Extract(c.SqrtOneMinusAlphasCumprod64, t);
        var x0 = target switch
        {
            PredictionTarget.Epsilon => (x - output * sqrtOneMinusAb) / sqrtAb,   // x₀ = (x_t − √(1−ᾱ)ε)/√ᾱ
            PredictionTarget.Sample => output.alias(),
            PredictionTarget.Velocity => x * sqrtAb - output * sqrtOneMinusAb,    // x₀ = √ᾱ x_t − √(1−ᾱ) v
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown prediction target."),
        };
        if (clip) x0 = x0.clamp(-1, 1);
        return x0.MoveToOuterDisposeScope();
    }

    private static Tensor PerImage(Tensor elementwise) => elementwise.flatten(1).sum(1);

    private static void Store(Tensor perImage, double[] target, int start)
    {
        var values = perImage.data<double>().ToArray();
        values.CopyTo(target, start);
    }

    /// <summary>The warnings a result carries: a prior term that is not negligible, data off the 8-bit grid.</summary>
    internal static List<string> Warnings(NoiseSchedule schedule, double priorBitsPerDim, bool offGrid)
    {
        var warnings = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (priorBitsPerDim > 1e-3)
            warnings.Add(string.Format(c,
                "the schedule ends at ᾱ_T = {0:G3}, far from 0, so q(x_T | x₀) is not N(0, I) and the prior term L_T alone is {1:F4} bits/dim: the bound is dominated by the schedule, not the network (more Timesteps, a larger BetaEnd or the cosine schedule bring ᾱ_T near 0)",
                schedule.AlphasCumprod[^1], priorBitsPerDim));
        if (offGrid)
            warnings.Add("pixel values are not on the 256-level grid of 8-bit images; the discretised decoder L_0 assumes 8-bit data, so the bound is not a likelihood of these values");
        return warnings;
    }

    /// <summary>The schedule's per-timestep quantities as float64 (and float32 for the network's input) tensors.</summary>
    internal sealed class Coefficients : IDisposable
    {
        public required Tensor SqrtAlphasCumprod { get; init; }
        public required Tensor SqrtOneMinusAlphasCumprod { get; init; }
        public required Tensor SqrtAlphasCumprod64 { get; init; }
        public required Tensor SqrtOneMinusAlphasCumprod64 { get; init; }
        public required Tensor PosteriorMeanCoef1 { get; init; }
        public required Tensor PosteriorLogVariance { get; init; }
        public required Tensor ModelLogVarianceTensor { get; init; }
        public required double[] ModelLogVariance { get; init; }

        public static Coefficients From(NoiseSchedule s, DdpmVariance variance)
        {
            int T = s.Timesteps;
            // σ_1² = β̃_2 for both variances (β̃_1 = 0); afterwards β_t or β̃_t.
            var modelLogVariance = Enumerable.Range(0, T)
                .Select(t => t == 0 ? Math.Log(s.PosteriorVariance[1]) : Math.Log(variance == DdpmVariance.FixedLarge ? s.Betas[t] : s.PosteriorVariance[t]))
                .ToArray();
            using var scope = NewDisposeScope();
            return new Coefficients
            {
                SqrtAlphasCumprod = tensor(s.SqrtAlphasCumprod).to(ScalarType.Float32).DetachFromDisposeScope(),
                SqrtOneMinusAlphasCumprod = tensor(s.SqrtOneMinusAlphasCumprod).to(ScalarType.Float32).DetachFromDisposeScope(),
                SqrtAlphasCumprod64 = tensor(s.SqrtAlphasCumprod).DetachFromDisposeScope(),
                SqrtOneMinusAlphasCumprod64 = tensor(s.SqrtOneMinusAlphasCumprod).DetachFromDisposeScope(),
                PosteriorMeanCoef1 = tensor(s.PosteriorMeanCoef1).DetachFromDisposeScope(),
                PosteriorLogVariance = tensor(s.PosteriorLogVarianceClipped).DetachFromDisposeScope(),
                ModelLogVarianceTensor = tensor(modelLogVariance).DetachFromDisposeScope(),
                ModelLogVariance = modelLogVariance,
            };
        }

        public void Dispose()
        {
            SqrtAlphasCumprod.Dispose();
            SqrtOneMinusAlphasCumprod.Dispose();
            SqrtAlphasCumprod64.Dispose();
            SqrtOneMinusAlphasCumprod64.Dispose();
            PosteriorMeanCoef1.Dispose();
            PosteriorLogVariance.Dispose();
            ModelLogVarianceTensor.Dispose();
        }
    }
}
