using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// DDPM ancestral sampling (Ho et al. 2020, Algorithm 2) over every timestep t = T−1 … 0:
/// x̂₀ from the network (optionally clipped to [−1, 1]), the posterior mean μ̃_t(x_t, x̂₀) of Eq. 7, and
/// x_{t−1} = μ̃ + σ_t z with σ_t² = β_t (fixed-large) or β̃_t (fixed-small); no noise at the last step.
/// Without clipping, μ̃ equals Eq. 11's 1/√α_t · (x_t − β_t/√(1−ᾱ_t) · ε̂).
/// </summary>
public sealed class DdpmSampler : IDiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    public DdpmSampler(DdpmVariance variance = DdpmVariance.FixedLarge, bool clipDenoised = true)
    {
        Variance = variance;
        ClipDenoised = clipDenoised;
    }

    /// <summary>The per-step variance.</summary>
    public DdpmVariance Variance { get; }

    /// <summary>Whether x̂₀ is clipped to [−1, 1].</summary>
    public bool ClipDenoised { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Timesteps(NoiseSchedule schedule) => Enumerable.Range(0, schedule.Timesteps).Reverse().ToArray();

    /// <inheritdoc />
    public Tensor Sample(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, Tensor xT, IReadOnlyList<Generator> rowGenerators)
    {
        var x = xT.alias();
        long batch = xT.shape[0];
        foreach (int t in Timesteps(schedule))
        {
            using var scope = NewDisposeScope();
            var next = Step(denoiser, schedule, target, x, t, batch, rowGenerators);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        return x;
    }

    /// <summary>One step x_t → x_{t−1}.</summary>
    public Tensor Step(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, Tensor xt, int t, long batch, IReadOnlyList<Generator> rowGenerators)
    {
        using var scope = NewDisposeScope();
        var output = denoiser(xt, full([batch], t, ScalarType.Int64));
        var (x0, _) = PredictionConversion.Split(target, output, xt, schedule.AlphasCumprod[t]);
        if (ClipDenoised) x0 = x0.clamp(-1, 1);
        var mean = x0 * schedule.PosteriorMeanCoef1[t] + xt * schedule.PosteriorMeanCoef2[t];
        if (t == 0) return mean.MoveToOuterDisposeScope();
        double variance = Variance == DdpmVariance.FixedLarge ? schedule.Betas[t] : schedule.PosteriorVariance[t];
        var z = DiffusionSamplers.RowNoise(xt, rowGenerators);
        return (mean + z * Math.Sqrt(variance)).MoveToOuterDisposeScope();
    }
}
