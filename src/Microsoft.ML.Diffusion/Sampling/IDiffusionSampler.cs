using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A reverse-process sampler: turns x_T ~ N(0, I) into images with a trained noise-prediction network.
/// Samplers are small, stateless strategies, so a trained model can switch sampler without retraining.
/// </summary>
public interface IDiffusionSampler
{
    /// <summary>
    /// Runs the reverse process from <paramref name="xT"/> (B, C, H, W). Row b draws its per-step noise only
    /// from <paramref name="rowGenerators"/>[b], so its result does not depend on the other rows.
    /// </summary>
    /// <param name="denoiser">The network: (x_t, t) → prediction of <paramref name="target"/>.</param>
    /// <param name="schedule">The noise schedule the network was trained with.</param>
    /// <param name="target">What the network predicts.</param>
    /// <param name="xT">Initial noise.</param>
    /// <param name="rowGenerators">One generator per row, for the stochastic steps.</param>
    /// <returns>x₀ estimates in [−1, 1] (clipped when the sampler clips).</returns>
    Tensor Sample(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, Tensor xT, IReadOnlyList<Generator> rowGenerators);

    /// <summary>The timesteps visited, from first to last.</summary>
    IReadOnlyList<int> Timesteps(NoiseSchedule schedule);
}

/// <summary>Creates samplers from options.</summary>
public static class DiffusionSamplers
{
    /// <summary>The sampler described by <paramref name="options"/>.</summary>
    public static IDiffusionSampler Create(DiffusionSamplerOptions options) => options.Kind switch
    {
        SamplerKind.Ddpm => new DdpmSampler(options.Variance, options.ClipDenoised),
        SamplerKind.Ddim => new DdimSampler(options.Steps, options.Eta, options.ClipDenoised),
        SamplerKind.DpmSolverPlusPlus => new DpmSolverPlusPlusSampler(options.Steps, options.ClipDenoised),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown sampler kind."),
    };

    /// <summary>Standard normal noise shaped like <paramref name="like"/>, row b drawn from generator b.</summary>
    internal static Tensor RowNoise(Tensor like, IReadOnlyList<Generator> rowGenerators)
    {
        var shape = like.shape;
        if (rowGenerators.Count != shape[0])
            throw new ArgumentException($"Expected one generator per row ({shape[0]}), got {rowGenerators.Count}.", nameof(rowGenerators));
        shape[0] = 1;
        using var scope = NewDisposeScope();
        var rows = rowGenerators.Select(g => randn(shape, generator: g)).ToList();
        return cat(rows, 0).MoveToOuterDisposeScope();
    }
}
