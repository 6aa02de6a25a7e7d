namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// Bounds on the negative log-likelihood of images under a VAE, in bits per dimension, comparable with
/// <see cref="DiffusionLikelihood"/>: −ELBO = E_q[−log p(x | z)] + KL(q(z | x) ‖ p(z)), and with K posterior draws the
/// importance-weighted bound. Lower is better; a uniform model of 8-bit pixels scores 8.
/// </summary>
public sealed class VaeLikelihood
{
    internal VaeLikelihood(double bitsPerDim, double standardError, double reconstruction, double kl, int imageCount, int dimensions, int samples,
        IReadOnlyList<string> warnings)
    {
        BitsPerDim = bitsPerDim;
        StandardError = standardError;
        ReconstructionBitsPerDim = reconstruction;
        KlBitsPerDim = kl;
        ImageCount = imageCount;
        Dimensions = dimensions;
        Samples = samples;
        Warnings = warnings;
    }

    /// <summary>The tightest bound computed: the importance-weighted one with <see cref="Samples"/> &gt; 1, else −ELBO.</summary>
    public double BitsPerDim { get; }

    /// <summary>Standard error of <see cref="BitsPerDim"/> over images (spread between images and Monte Carlo noise).</summary>
    public double StandardError { get; }

    /// <summary>−ELBO = <see cref="ReconstructionBitsPerDim"/> + <see cref="KlBitsPerDim"/>.</summary>
    public double ElboBitsPerDim => ReconstructionBitsPerDim + KlBitsPerDim;

    /// <summary>E_q[−log p(x | z)], estimated by the posterior draws.</summary>
    public double ReconstructionBitsPerDim { get; }

    /// <summary>KL(q(z | x) ‖ N(0, I)) in closed form: the bits the code costs.</summary>
    public double KlBitsPerDim { get; }

    /// <summary>Images scored.</summary>
    public int ImageCount { get; }

    /// <summary>Dimensions per image, C·H·W.</summary>
    public int Dimensions { get; }

    /// <summary>Posterior draws per image.</summary>
    public int Samples { get; }

    /// <summary>What makes the number less meaningful than it looks (also logged as warnings).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"{BitsPerDim:F3} ± {StandardError:F3} bits/dim (−ELBO {ElboBitsPerDim:F3}: reconstruction {ReconstructionBitsPerDim:F3}, KL {KlBitsPerDim:F3}; {ImageCount} images, K = {Samples})");
}
