using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The pathwise (reparameterisation) estimator: z = T_θ(ε) with ε ∼ p(ε) free of θ, so
/// ∇_θ E_{q_θ}[f(z)] = E_{p(ε)}[∇_θ f(T_θ(ε))] = E[∇_z f(z) · ∂T_θ(ε)/∂θ], estimated by (1/N) Σᵢ ∇_θ f(T_θ(εᵢ)).
/// </summary>
public abstract class PathwiseEstimator : GradientEstimator
{
    /// <summary>Creates a pathwise estimator over <paramref name="parameters"/>.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="parameters">θ: floating-point tensors with <c>requires_grad</c> set.</param>
    protected PathwiseEstimator(string name, params Tensor[] parameters) : base(name, parameters) { }

    /// <summary>
    /// Whether p(ε) = p(−ε), which <see cref="AntitheticEstimator"/> needs (true for the Gaussian, false for e.g. Gumbel noise).
    /// </summary>
    public abstract bool IsNoiseSymmetric { get; }

    /// <summary><paramref name="draws"/> draws of the base noise ε ∼ p(ε), shape [N, …noise shape], in the parameters' dtype.</summary>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public abstract Tensor Noise(int draws, Generator? generator = null);

    /// <summary>z = T_θ(ε) row by row; <paramref name="theta"/> holds the parameters replicated per draw ([N, …] each).</summary>
    /// <param name="theta">The parameters, each of shape [N, …parameter shape].</param>
    /// <param name="epsilon">ε from <see cref="Noise"/>, shape [N, …].</param>
    public abstract Tensor Transform(IReadOnlyList<Tensor> theta, Tensor epsilon);

    /// <summary><paramref name="draws"/> detached samples z ∼ q_θ, shape [N, …].</summary>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public Tensor Sample(int draws, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var theta = Parameters.Select(p => Replicate(p, draws)).ToArray();
        return Transform(theta, Noise(draws, generator)).detach().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override Tensor PerDrawSurrogate(IReadOnlyList<Tensor> theta, Func<Tensor, Tensor> f, int draws, Generator? generator) =>
        f(Transform(theta, Noise(draws, generator)));

    /// <summary>The dtype and device of the first parameter, which the noise must match.</summary>
    protected (ScalarType DType, Device Device) NoiseTarget => (Parameters[0].dtype, Parameters[0].device);
}
