namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The variational bound on the negative log-likelihood of images under a diffusion model, in bits per dimension
/// (Ho et al. 2020, Eq. 5 and Table 2): L = L_T + Σ_{t=2}^{T} L_{t−1} + L_0, divided by (C·H·W · ln 2).
/// Lower is better; a uniform model of 8-bit pixels scores 8.
/// </summary>
public sealed class DiffusionLikelihood
{
    internal DiffusionLikelihood(double prior, double diffusion, double decoder, double standardError, int imageCount, int dimensions,
        int timestepsPerImage, bool isExactSum, DdpmVariance variance, IReadOnlyList<string> warnings)
    {
        PriorBitsPerDim = prior;
        DiffusionBitsPerDim = diffusion;
        DecoderBitsPerDim = decoder;
        StandardError = standardError;
        ImageCount = imageCount;
        Dimensions = dimensions;
        TimestepsPerImage = timestepsPerImage;
        IsExactSum = isExactSum;
        Variance = variance;
        Warnings = warnings;
    }

    /// <summary>The bound: the mean over images of L / (D ln 2).</summary>
    public double BitsPerDim => PriorBitsPerDim + DiffusionBitsPerDim + DecoderBitsPerDim;

    /// <summary>
    /// Standard error of <see cref="BitsPerDim"/>: the standard deviation of the per-image bounds over √n. It covers both
    /// the spread between images and the Monte Carlo noise of x_t and of the sampled timesteps.
    /// </summary>
    public double StandardError { get; }

    /// <summary>L_T = KL(q(x_T | x₀) ‖ N(0, I)): no parameters; large when ᾱ_T is far from 0.</summary>
    public double PriorBitsPerDim { get; }

    /// <summary>Σ_{t=2}^{T} L_{t−1} = Σ KL(q(x_{t−1} | x_t, x₀) ‖ p_θ(x_{t−1} | x_t)).</summary>
    public double DiffusionBitsPerDim { get; }

    /// <summary>L_0 = −log p_θ(x₀ | x₁), the discretised Gaussian decoder of Eq. 13.</summary>
    public double DecoderBitsPerDim { get; }

    /// <summary>Images scored.</summary>
    public int ImageCount { get; }

    /// <summary>Dimensions per image, C·H·W.</summary>
    public int Dimensions { get; }

    /// <summary>Terms of Σ L_{t−1} evaluated per image (T − 1 when <see cref="IsExactSum"/>).</summary>
    public int TimestepsPerImage { get; }

    /// <summary>Whether every term of the sum over t was evaluated (otherwise it is a stratified estimate).</summary>
    public bool IsExactSum { get; }

    /// <summary>The reverse-process variance the bound was computed for.</summary>
    public DdpmVariance Variance { get; }

    /// <summary>What makes the number less meaningful than it looks (also logged as warnings).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"{BitsPerDim:F3} ± {StandardError:F3} bits/dim (L_T {PriorBitsPerDim:F4}, Σ L_t-1 {DiffusionBitsPerDim:F3}, L_0 {DecoderBitsPerDim:F3}; {ImageCount} images, {(IsExactSum ? "every" : TimestepsPerImage.ToString(System.Globalization.CultureInfo.InvariantCulture))} timesteps)");
}
