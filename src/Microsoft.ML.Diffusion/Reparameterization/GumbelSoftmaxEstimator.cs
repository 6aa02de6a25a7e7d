using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The pathwise estimator through the Gumbel-softmax relaxation (<see cref="GumbelSoftmax"/>) of a categorical z with
/// logits ℓ: ∇_ℓ E[f(y)], y = softmax((ℓ + g)/τ). It is unbiased for the relaxed objective E[f(y)], not for the discrete
/// one E_{k∼softmax(ℓ)}[f(onehot k)] = Σ_k π_k f(e_k), whose gradient is ∂/∂ℓ_k = π_k (f(e_k) − Σ_j π_j f(e_j)): the
/// bias falls as τ → 0 while the variance grows. The straight-through variant evaluates f at the one-hot draw and
/// back-propagates the soft sample's gradient; it is biased too.
/// </summary>
public sealed class GumbelSoftmaxEstimator : GradientEstimator
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="logits">ℓ, shape [K], with <c>requires_grad</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="straightThrough">Evaluate f at the one-hot draw, with the soft sample's gradient.</param>
    public GumbelSoftmaxEstimator(Tensor logits, double temperature, bool straightThrough = false)
        : base($"{(straightThrough ? "straight-through " : "")}Gumbel-softmax (τ = {temperature:G3})", logits)
    {
        if (logits.shape.Length != 1) throw new ArgumentException("The logits must be a vector [K].", nameof(logits));
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a finite number > 0.");
        Temperature = temperature;
        StraightThrough = straightThrough;
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <summary>Whether f sees the one-hot draw (straight-through) rather than the soft one.</summary>
    public bool StraightThrough { get; }

    /// <inheritdoc/>
    protected override Tensor PerDrawSurrogate(IReadOnlyList<Tensor> theta, Func<Tensor, Tensor> f, int draws, Generator? generator) =>
        f(GumbelSoftmax.Sample(theta[0], Temperature, StraightThrough, generator));
}
