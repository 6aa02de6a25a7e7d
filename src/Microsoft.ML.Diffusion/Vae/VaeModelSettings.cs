namespace Microsoft.ML.Diffusion;

/// <summary>What a trained VAE transformer needs besides its weights: columns, scaling, seed and batch size.</summary>
/// <param name="InputColumnName">The image column rows to encode and reconstruct carry.</param>
/// <param name="OutputColumnName">The generated image column.</param>
/// <param name="SeedColumnName">The optional per-row seed column.</param>
/// <param name="OutputVectorColumnName">The optional generated-pixels vector column.</param>
/// <param name="LatentColumnName">The optional posterior-mean column.</param>
/// <param name="ReconstructionColumnName">The optional reconstructed-image column.</param>
/// <param name="InputScale">Vector pixels map to [−1, 1] as (v − offset)·scale, and back.</param>
/// <param name="InputOffset">See <paramref name="InputScale"/>.</param>
/// <param name="Seed">Row i without a seed column uses Seed + i.</param>
/// <param name="BatchSize">Rows decoded together.</param>
internal sealed record VaeModelSettings(
    string InputColumnName,
    string OutputColumnName,
    string? SeedColumnName,
    string? OutputVectorColumnName,
    string? LatentColumnName,
    string? ReconstructionColumnName,
    float InputScale,
    float InputOffset,
    int Seed,
    int BatchSize);
