using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// The ready search space over <see cref="DiffusionEstimator.Options"/>: use it as <c>new SearchSpace&lt;DiffusionSearchSpace&gt;()</c>.
/// Each member is named after the option it sets, which is how <see cref="DiffusionTrialRunner"/> applies any such class;
/// unswept members start at the package defaults. Candidates suit 28×28 images on a CPU (every channel count divides
/// by the default 8 GroupNorm groups).
/// </summary>
public sealed class DiffusionSearchSpace
{
    private static readonly DiffusionEstimator.Options s_defaults = new();

    /// <summary>Channels at the first U-Net level (width).</summary>
    [Choice(16, 32, 48, 64)]
    public int BaseChannels = s_defaults.BaseChannels;

    /// <summary>Residual blocks per U-Net level (depth).</summary>
    [Range(1, 2)]
    public int ResBlocksPerLevel = s_defaults.ResBlocksPerLevel;

    /// <summary>The peak learning rate, log-uniform.</summary>
    [Range(1e-4, 3e-3, logBase: true)]
    public double LearningRate = s_defaults.LearningRate;

    /// <summary>Images per step.</summary>
    [Choice(32, 64, 128)]
    public int BatchSize = s_defaults.BatchSize;

    /// <summary>EMA decay of the sampling weights; short runs favour the faster ones.</summary>
    [Choice(0.99, 0.995, 0.999, 0.9995)]
    public double EmaDecay = s_defaults.EmaDecay;

    /// <summary>The noise schedule.</summary>
    [Choice(NoiseScheduleKind.Linear, NoiseScheduleKind.Cosine)]
    public NoiseScheduleKind Schedule = s_defaults.Schedule;

    /// <summary>Per-timestep loss weighting.</summary>
    [Choice(LossWeighting.None, LossWeighting.MinSnr)]
    public LossWeighting LossWeighting = s_defaults.LossWeighting;
}
