namespace Microsoft.ML.Diffusion;

/// <summary>What a trained diffusion transformer needs besides its weights: columns, scaling, target, seed and sampler.</summary>
/// <param name="OutputColumnName">The generated image column.</param>
/// <param name="SeedColumnName">The optional per-row seed column.</param>
/// <param name="OutputVectorColumnName">The optional generated-pixels vector column.</param>
/// <param name="OutputScale">Vector output values are x/scale + offset for model values x in [−1, 1].</param>
/// <param name="OutputOffset">See <paramref name="OutputScale"/>.</param>
/// <param name="PredictionTarget">What the network predicts.</param>
/// <param name="Seed">Row i without a seed column uses Seed + i.</param>
/// <param name="Sampler">The sampler.</param>
/// <param name="LabelColumnName">The class label column of generation requests (a conditional model; null otherwise).</param>
/// <param name="LabelNames">The names of classes 1…K (the training key column's KeyValues), or null.</param>
internal sealed record DiffusionModelSettings(
    string OutputColumnName,
    string? SeedColumnName,
    string? OutputVectorColumnName,
    float OutputScale,
    float OutputOffset,
    PredictionTarget PredictionTarget,
    int Seed,
    DiffusionSamplerOptions Sampler,
    string? LabelColumnName = null,
    string[]? LabelNames = null);
