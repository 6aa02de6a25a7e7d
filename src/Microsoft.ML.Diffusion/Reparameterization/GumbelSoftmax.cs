using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The Gumbel-softmax (Concrete) relaxation of a categorical draw: y_k = exp((ℓ_k + g_k)/τ) / Σ_j exp((ℓ_j + g_j)/τ)
/// with g_k ∼ Gumbel(0, 1), a point of the simplex that tends to the one-hot Gumbel-max draw onehot(argmax_k(ℓ_k + g_k))
/// ∼ Categorical(softmax(ℓ)) as the temperature τ → 0. TorchSharp 0.107 has no <c>nn.functional.gumbel_softmax</c>, and its
/// <c>RelaxedOneHotCategorical.rsample</c> adds one Gumbel per row instead of one per category (so a draw is just
/// softmax(ℓ/τ)) and ignores the generator; the Gumbel noise here comes from <c>torch.distributions.Gumbel</c>.
/// </summary>
public static class GumbelSoftmax
{
    /// <summary>One relaxed draw per row of <paramref name="logits"/>, differentiable in the logits.</summary>
    /// <param name="logits">ℓ, shape [..., K].</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="hard">
    /// The straight-through variant: the forward value is the one-hot onehot(argmax y), exactly, while the gradient is the
    /// soft sample's, z = onehot(argmax y) + (y − stopgrad(y)).
    /// </param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public static Tensor Sample(Tensor logits, double temperature, bool hard = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a finite number > 0.");
        using var scope = NewDisposeScope();
        var g = LocationScaleFamily.Gumbel.StandardNoise(logits.shape, logits.dtype, logits.device, generator);
        var y = softmax((logits + g) / temperature, -1);
        return (hard ? StraightThrough(y) : y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// onehot(argmax y) in the forward pass, the identity in the backward pass: onehot + (y − stopgrad(y)), whose added
    /// term is exactly 0 in value.
    /// </summary>
    /// <param name="y">Soft samples [..., K].</param>
    public static Tensor StraightThrough(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        var oneHot = nn.functional.one_hot(y.argmax(-1), y.shape[^1]).to(y.dtype);
        return (oneHot + (y - y.detach())).MoveToOuterDisposeScope();
    }
}
