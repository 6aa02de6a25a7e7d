using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The pathwise estimator of the multivariate Gaussian 𝒩(μ, Σ) with Σ = LLᵀ: z = μ + Lε, ε ∼ 𝒩(0, I_d).
/// Only L's lower triangle is used (a Cholesky factor), so the upper triangle's gradient is zero; O(d²) per draw.
/// For J = E‖z‖², ∇_μ J = 2μ and ∇_L J = 2L.
/// </summary>
public sealed class CholeskyGaussianEstimator : PathwiseEstimator
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="mean">μ, shape [d], with <c>requires_grad</c>.</param>
    /// <param name="choleskyFactor">L, shape [d, d], lower triangular with a positive diagonal, with <c>requires_grad</c>.</param>
    public CholeskyGaussianEstimator(Tensor mean, Tensor choleskyFactor) : base("pathwise Cholesky Gaussian", mean, choleskyFactor)
    {
        long d = mean.shape.Length == 1 ? mean.shape[0] : throw new ArgumentException("μ must be a vector [d].", nameof(mean));
        if (!choleskyFactor.shape.SequenceEqual([d, d]))
            throw new ArgumentException($"L must be [{d}, {d}] but is [{string.Join(", ", choleskyFactor.shape)}].", nameof(choleskyFactor));
    }

    /// <inheritdoc/>
    public override bool IsNoiseSymmetric => true;

    /// <inheritdoc/>
    public override Tensor Noise(int draws, Generator? generator = null) =>
        LocationScaleFamily.Normal.StandardNoise([draws, Parameters[0].shape[0]], NoiseTarget.DType, NoiseTarget.Device, generator);

    /// <summary>z = μ + tril(L) ε, by batched products (bmm throws on bad shapes; TorchSharp's matmul aborts the process).</summary>
    /// <param name="theta">(μ [N, d], L [N, d, d]).</param>
    /// <param name="epsilon">ε, [N, d].</param>
    public override Tensor Transform(IReadOnlyList<Tensor> theta, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(theta);
        using var scope = NewDisposeScope();
        return (theta[0] + theta[1].tril().bmm(epsilon.unsqueeze(-1)).squeeze(-1)).MoveToOuterDisposeScope();
    }
}
