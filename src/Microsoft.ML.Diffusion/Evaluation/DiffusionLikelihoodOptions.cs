namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>Settings of <c>mlContext.Diffusion().EvaluateLikelihood</c>.</summary>
public sealed class DiffusionLikelihoodOptions
{
    /// <summary>The image column: MLImage (0…255) or a Single vector of C×H×W mapped by <see cref="InputScale"/> and <see cref="InputOffset"/>.</summary>
    public string ImageColumnName = DiffusionEstimator.DefaultColumnNames.Image;

    /// <summary>For a vector column, pixels map to [−1, 1] as (value − <see cref="InputOffset"/>) · <see cref="InputScale"/>; the defaults fit 0…255.</summary>
    public float InputScale = 1f / 127.5f;

    /// <summary>See <see cref="InputScale"/>.</summary>
    public float InputOffset = 127.5f;

    /// <summary>The first this many images of the view are scored (null: all). The standard error shrinks as 1/√n.</summary>
    public int? MaxImages = 256;

    /// <summary>
    /// Timesteps drawn per image to estimate Σ_{t=2}^{T} L_{t−1}: t = 2…T is cut into this many equal strata and one t is
    /// drawn uniformly in each, weighted by its stratum's size, which is unbiased (stratified sampling). Null, or T − 1 or
    /// more, evaluates every term. The network runs (this + 1) times per image.
    /// </summary>
    public int? TimestepSamples = 50;

    /// <summary>
    /// The reverse-process variance σ_t² of p_θ: null takes the model's sampler setting
    /// (<see cref="DiffusionSamplerOptions.Variance"/>); FixedLarge is β_t, FixedSmall β̃_t.
    /// </summary>
    public DdpmVariance? Variance;

    /// <summary>Clip x̂₀ to [−1, 1] in the model's mean, as the DDPM sampler can. False gives Eq. 11's mean, as in the paper's bound.</summary>
    public bool ClipDenoised;

    /// <summary>Images evaluated by the network at once.</summary>
    public int BatchSize = 64;

    /// <summary>Seed of the timesteps and of the forward-process noise.</summary>
    public int Seed;

    /// <summary>Stops between network calls.</summary>
    public CancellationToken CancellationToken;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ImageColumnName, nameof(ImageColumnName));
        if (!(float.IsFinite(InputScale) && InputScale != 0))
            throw new ArgumentOutOfRangeException(nameof(InputScale), InputScale, "Option 'InputScale' must be a finite, non-zero number.");
        if (!float.IsFinite(InputOffset))
            throw new ArgumentOutOfRangeException(nameof(InputOffset), InputOffset, "Option 'InputOffset' must be a finite number.");
        if (MaxImages is < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxImages), MaxImages, "Option 'MaxImages' must be at least 2 (a standard error needs two images), or null for all.");
        if (TimestepSamples is < 1)
            throw new ArgumentOutOfRangeException(nameof(TimestepSamples), TimestepSamples, "Option 'TimestepSamples' must be at least 1, or null for every timestep.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Option 'BatchSize' must be at least 1.");
        if (Variance is { } v && !Enum.IsDefined(v))
            throw new ArgumentOutOfRangeException(nameof(Variance), v, "Option 'Variance' must be FixedLarge or FixedSmall.");
    }
}
