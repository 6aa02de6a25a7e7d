using Microsoft.ML.Diffusion.Evaluation;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The evidence lower bound of a VAE, per image in nats: log p(x) ≥ E_q[log p_θ(x | z)] − KL(q_φ(z | x) ‖ N(0, I)). The
/// expectation is estimated with the reparameterization trick, z = μ + σ ⊙ ε with ε ~ N(0, I), so that the gradient
/// reaches μ and σ (Kingma and Welling 2014, Eq. 10); the KL term between Gaussians is in closed form (their Appendix B).
/// </summary>
internal static class EvidenceLowerBound
{
    /// <summary>Lower bound of the decoder's log scale: a bin of 8-bit pixels is then 4 standard deviations wide.</summary>
    private const double MinLogScale = -7;

    private const double MaxLogScale = 3;

    /// <summary>−E_q log p(x | z) by one draw per image (B) and KL(q(z | x) ‖ N(0, I)) (B), for x (B, C, H, W) and ε (B, latent).</summary>
    /// <param name="model">The VAE.</param>
    /// <param name="x">Images in [−1, 1].</param>
    /// <param name="epsilon">The noise of the draw z = μ + σ ⊙ ε.</param>
    /// <param name="binarize">Score pixels binarised at 0.5 (a Bernoulli decoder's likelihood evaluation).</param>
    public static (Tensor Reconstruction, Tensor Kl) Terms(VaeModel model, Tensor x, Tensor epsilon, bool binarize = false)
    {
        using var scope = NewDisposeScope();
        var (mean, logVariance) = model.Encode(x);
        var z = mean + (0.5 * logVariance).exp() * epsilon;   // the reparameterization trick
        var reconstruction = -LogLikelihood(model.Architecture, x, model.Decode(z), binarize);
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² − 1 − log σ²), summed over the latent dimensions.
        var kl = 0.5 * (mean.square() + logVariance.exp() - 1 - logVariance).sum(1);
        return (reconstruction.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope());
    }

    /// <summary>log p(x | decoder parameters), summed over pixels (B).</summary>
    public static Tensor LogLikelihood(VaeArchitecture a, Tensor x, Tensor parameters, bool binarize)
    {
        using var scope = NewDisposeScope();
        int c = a.ImageChannels;
        Tensor logLikelihood;
        if (a.Decoder == VaeDecoder.DiscretizedGaussian)
        {
            // In float64: the tails of the discretised Gaussian underflow float32 (GaussianTerms).
            var mean = parameters.narrow(1, 0, c).to(ScalarType.Float64);
            var logScale = parameters.narrow(1, c, c).clamp(MinLogScale, MaxLogScale).to(ScalarType.Float64);
            logLikelihood = GaussianTerms.DiscretizedGaussianLogLikelihood(x.to(ScalarType.Float64), mean, logScale).sum([1, 2, 3]).to(ScalarType.Float32);
        }
        else
        {
            var target = binarize ? (x > 0).to(ScalarType.Float32) : (x + 1) * 0.5;
            logLikelihood = -nn.functional.binary_cross_entropy_with_logits(parameters, target, reduction: nn.Reduction.None).sum([1, 2, 3]);
        }
        return logLikelihood.MoveToOuterDisposeScope();
    }
}
