using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The pathwise estimator of the multivariate Gaussian with low-rank-plus-diagonal covariance Σ = D + UUᵀ
/// (D diagonal, U of shape d × r): z = μ + D^{1/2}ε₁ + Uε₂ with independent ε₁ ∼ 𝒩(0, I_d), ε₂ ∼ 𝒩(0, I_r), so
/// Cov z = D + UUᵀ at O(dr) per draw. TorchSharp 0.107 has no <c>LowRankMultivariateNormal</c>; this is its rsample.
/// </summary>
public sealed class LowRankGaussianEstimator : PathwiseEstimator
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="mean">μ, shape [d], with <c>requires_grad</c>.</param>
    /// <param name="diagonal">D's diagonal (variances), shape [d], positive, with <c>requires_grad</c>.</param>
    /// <param name="factor">U, shape [d, r], with <c>requires_grad</c>.</param>
    public LowRankGaussianEstimator(Tensor mean, Tensor diagonal, Tensor factor) : base("pathwise low-rank Gaussian", mean, diagonal, factor)
    {
        long d = mean.shape.Length == 1 ? mean.shape[0] : throw new ArgumentException("μ must be a vector [d].", nameof(mean));
        if (!diagonal.shape.SequenceEqual([d]))
            throw new ArgumentException($"D's diagonal must be [{d}] but is [{string.Join(", ", diagonal.shape)}].", nameof(diagonal));
        if (factor.shape.Length != 2 || factor.shape[0] != d)
            throw new ArgumentException($"U must be [{d}, r] but is [{string.Join(", ", factor.shape)}].", nameof(factor));
    }

    /// <summary>d, the dimension of z.</summary>
    public long Dimension => Parameters[0].shape[0];

    /// <summary>r, the rank of the low-rank part.</summary>
    public long Rank => Parameters[2].shape[1];

    /// <inheritdoc/>
    public override bool IsNoiseSymmetric => true;

    /// <summary>(ε₁, ε₂) side by side: shape [N, d + r].</summary>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public override Tensor Noise(int draws, Generator? generator = null) =>
        LocationScaleFamily.Normal.StandardNoise([draws, Dimension + Rank], NoiseTarget.DType, NoiseTarget.Device, generator);

    /// <summary>z = μ + √D ⊙ ε₁ + Uε₂ (bmm: TorchSharp's matmul aborts the process on bad shapes).</summary>
    /// <param name="theta">(μ [N, d], D [N, d], U [N, d, r]).</param>
    /// <param name="epsilon">(ε₁, ε₂), [N, d + r].</param>
    public override Tensor Transform(IReadOnlyList<Tensor> theta, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(epsilon);
        using var scope = NewDisposeScope();
        var epsilon1 = epsilon[.., ..(int)Dimension];
        var epsilon2 = epsilon[.., (int)Dimension..];
        var z = theta[0] + theta[1].sqrt() * epsilon1 + theta[2].bmm(epsilon2.unsqueeze(-1)).squeeze(-1);
        return z.MoveToOuterDisposeScope();
    }
}
