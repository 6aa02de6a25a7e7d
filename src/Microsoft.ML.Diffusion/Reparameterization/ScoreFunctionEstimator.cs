using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The score-function (REINFORCE, likelihood-ratio) estimator, ∇_θ E_{q_θ}[f(z)] = E[(f(z) − b) ∇_θ log q_θ(z)],
/// estimated by (1/N) Σᵢ (f(zᵢ) − b) ∇_θ log q_θ(zᵢ). It needs only samples and log q_θ (z may be discrete, f may be
/// a black box), and a constant baseline b keeps it unbiased because E[∇_θ log q_θ(z)] = 0; b near E[f] lowers the
/// variance. The distribution and its log-density come from <c>torch.distributions</c>.
/// </summary>
public sealed class ScoreFunctionEstimator : GradientEstimator
{
    private readonly Func<IReadOnlyList<Tensor>, Generator?, distributions.Distribution> _distribution;
    private readonly Func<IReadOnlyList<Tensor>, Generator?, Tensor>? _sampler;

    /// <summary>Creates the estimator.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="distribution">
    /// q_θ from the parameters (each replicated per draw, [N, …]) and the random source; its batch must be [N] or [N, …], and
    /// <c>log_prob</c> is summed over everything after the draw dimension.
    /// </param>
    /// <param name="baseline">b, a constant subtracted from f (0 is plain REINFORCE).</param>
    /// <param name="parameters">θ, with <c>requires_grad</c>.</param>
    public ScoreFunctionEstimator(string name, Func<IReadOnlyList<Tensor>, Generator?, distributions.Distribution> distribution,
        double baseline, params Tensor[] parameters) : this(name, distribution, null, baseline, parameters) { }

    /// <summary>Creates the estimator with its own sampler, for a distribution whose TorchSharp sampler is unusable.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="distribution">q_θ, used for <c>log_prob</c> (and for sampling when <paramref name="sampler"/> is null).</param>
    /// <param name="sampler">Draws z ∼ q_θ [N, …] from the replicated parameters and the random source, or null for q.sample().</param>
    /// <param name="baseline">b, a constant subtracted from f (0 is plain REINFORCE).</param>
    /// <param name="parameters">θ, with <c>requires_grad</c>.</param>
    public ScoreFunctionEstimator(string name, Func<IReadOnlyList<Tensor>, Generator?, distributions.Distribution> distribution,
        Func<IReadOnlyList<Tensor>, Generator?, Tensor>? sampler, double baseline, params Tensor[] parameters) : base(name, parameters)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (!double.IsFinite(baseline)) throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline must be finite.");
        _distribution = distribution;
        _sampler = sampler;
        Baseline = baseline;
    }

    /// <summary>REINFORCE for z ∼ 𝒩(μ, σ²) element by element: ∇_μ log q = (z − μ)/σ², ∇_σ log q = ((z − μ)² − σ²)/σ³.</summary>
    /// <param name="mean">μ, with <c>requires_grad</c>.</param>
    /// <param name="standardDeviation">σ &gt; 0, the same shape, with <c>requires_grad</c>.</param>
    /// <param name="baseline">b (0 for none).</param>
    public static ScoreFunctionEstimator Gaussian(Tensor mean, Tensor standardDeviation, double baseline = 0) =>
        new(baseline == 0 ? "score function" : $"score function, baseline {baseline:G4}",
            (theta, g) => distributions.Normal(theta[0], theta[1], g), baseline, mean, standardDeviation);

    /// <summary>
    /// REINFORCE for a category k ∼ Categorical(softmax(ℓ)): f receives the indices k [N] (Int64), and
    /// ∇_ℓ log q(k) = onehot(k) − softmax(ℓ). The draw is the Gumbel-max k = argmax_j(ℓ_j + g_j), exactly Categorical(softmax(ℓ)):
    /// TorchSharp 0.107's <c>Categorical.sample</c> ignores the generator.
    /// </summary>
    /// <param name="logits">ℓ, shape [K], with <c>requires_grad</c>.</param>
    /// <param name="baseline">b (0 for none).</param>
    public static ScoreFunctionEstimator Categorical(Tensor logits, double baseline = 0) =>
        new(baseline == 0 ? "score function" : $"score function, baseline {baseline:G4}",
            (theta, g) => distributions.Categorical(probs: null, logits: theta[0], generator: g),
            (theta, g) => (theta[0].detach() + LocationScaleFamily.Gumbel.StandardNoise(theta[0].shape, theta[0].dtype, theta[0].device, g)).argmax(-1),
            baseline, logits);

    /// <summary>b, the constant subtracted from f.</summary>
    public double Baseline { get; }

    /// <inheritdoc/>
    protected override Tensor PerDrawSurrogate(IReadOnlyList<Tensor> theta, Func<Tensor, Tensor> f, int draws, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var q = _distribution(theta, generator);
        try
        {
            Tensor z;
            using (no_grad()) z = _sampler is null ? q.sample() : _sampler(theta, generator);
            return Surrogate(q, z, f, draws).MoveToOuterDisposeScope();
        }
        finally
        {
            // Disposing a TorchSharp 0.107 distribution disposes its generator; one holding the caller's is left to the scope.
            if (generator is null) q.Dispose();
        }
    }

    private Tensor Surrogate(distributions.Distribution q, Tensor z, Func<Tensor, Tensor> f, int draws)
    {
        if (z.shape.Length == 0 || z.shape[0] != draws)
            throw new InvalidOperationException($"{Name}: the distribution's batch must start with the {draws} draws, but a sample has shape [{string.Join(", ", z.shape)}].");
        var logQ = q.log_prob(z).reshape(draws, -1).sum(1);
        // f(z) − b is a weight, not a path: the gradient flows through log q_θ alone.
        var weight = (f(z) - Baseline).detach();
        return weight * logQ;
    }
}
