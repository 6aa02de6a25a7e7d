using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The pathwise estimator of a location–scale family, z = a + b ⊙ ε (element by element), whose gradients are
/// ∂J/∂a = E[f′(a + bε)] and ∂J/∂b = E[ε · f′(a + bε)]. With <see cref="LocationScaleFamily.Normal"/> this is the
/// Gaussian reparameterisation z = μ + σ ⊙ ε, ε ∼ 𝒩(0, I).
/// </summary>
/// <example>
/// <code>
/// var mu = tensor(0.5, requires_grad: true);
/// var sigma = tensor(1.2, requires_grad: true);
/// var estimator = LocationScaleEstimator.Gaussian(mu, sigma);
/// Tensor[] gradient = estimator.Estimate(z => z.pow(2), draws: 1000);   // ≈ (2μ, 2σ)
/// </code>
/// </example>
public sealed class LocationScaleEstimator : PathwiseEstimator
{
    /// <summary>Creates the estimator for location <paramref name="location"/> and scale <paramref name="scale"/>.</summary>
    /// <param name="family">The standard distribution of ε.</param>
    /// <param name="location">a, any shape, with <c>requires_grad</c>.</param>
    /// <param name="scale">b &gt; 0, the same shape as <paramref name="location"/>, with <c>requires_grad</c>.</param>
    public LocationScaleEstimator(LocationScaleFamily family, Tensor location, Tensor scale)
        : base($"pathwise {family?.Name}", location, scale)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (!location.shape.SequenceEqual(scale.shape))
            throw new ArgumentException($"The scale has shape [{string.Join(", ", scale.shape)}] but the location [{string.Join(", ", location.shape)}].", nameof(scale));
        Family = family;
    }

    /// <summary>The Gaussian z = μ + σ ⊙ ε with ε ∼ 𝒩(0, I).</summary>
    /// <param name="mean">μ, with <c>requires_grad</c>.</param>
    /// <param name="standardDeviation">σ &gt; 0, the same shape, with <c>requires_grad</c>.</param>
    public static LocationScaleEstimator Gaussian(Tensor mean, Tensor standardDeviation) =>
        new(LocationScaleFamily.Normal, mean, standardDeviation);

    /// <summary>The standard distribution of ε.</summary>
    public LocationScaleFamily Family { get; }

    /// <inheritdoc/>
    public override bool IsNoiseSymmetric => Family.IsSymmetric;

    /// <inheritdoc/>
    public override Tensor Noise(int draws, Generator? generator = null) =>
        Family.StandardNoise([draws, .. Parameters[0].shape], NoiseTarget.DType, NoiseTarget.Device, generator);

    /// <summary>z = a + b ⊙ ε.</summary>
    /// <param name="theta">(a, b), each [N, …].</param>
    /// <param name="epsilon">ε, [N, …].</param>
    public override Tensor Transform(IReadOnlyList<Tensor> theta, Tensor epsilon)
    {
        ArgumentNullException.ThrowIfNull(theta);
        return theta[0] + theta[1] * epsilon;
    }
}
