using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// A Monte Carlo estimator of ∇_θ J(θ) with J(θ) = E_{z∼q_θ}[f(z)], from N independent draws:
/// ĝ = (1/N) Σᵢ ∇_θ sᵢ(θ), where sᵢ is draw i's surrogate (f(T_θ(εᵢ)) for a pathwise estimator,
/// f(zᵢ)·log q_θ(zᵢ) for the score-function one).
/// </summary>
/// <remarks>
/// The objective f receives a batch of draws, one per row (the first dimension), and returns one value per row;
/// it must treat rows independently (no batch statistics), because the per-draw gradients rely on it.
/// </remarks>
public abstract class GradientEstimator
{
    private readonly Tensor[] _parameters;

    /// <summary>Creates an estimator of the gradient with respect to <paramref name="parameters"/>.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="parameters">θ: floating-point tensors with <c>requires_grad</c> set.</param>
    /// <exception cref="ArgumentException">No parameter, or one that does not require gradients or is not floating point.</exception>
    protected GradientEstimator(string name, params Tensor[] parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length == 0) throw new ArgumentException("An estimator needs at least one parameter.", nameof(parameters));
        for (int i = 0; i < parameters.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parameters[i], nameof(parameters));
            if (!parameters[i].is_floating_point())
                throw new ArgumentException($"Parameter {i} is {parameters[i].dtype}; gradients need a floating-point tensor.", nameof(parameters));
            if (!parameters[i].requires_grad)
                throw new ArgumentException($"Parameter {i} does not require gradients; create it with requires_grad: true.", nameof(parameters));
        }
        Name = name;
        _parameters = parameters;
    }

    /// <summary>A short name for reports.</summary>
    public string Name { get; }

    /// <summary>θ, the tensors the gradient is taken with respect to.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>How many evaluations of f one draw costs (2 for an antithetic pair), for fair comparisons.</summary>
    public virtual int EvaluationsPerDraw => 1;

    /// <summary>
    /// sᵢ(θ) for <paramref name="draws"/> draws, shape [N]: ∇_θ sᵢ is draw i's gradient estimate. <paramref name="theta"/>
    /// holds the parameters replicated per draw (each of shape [N, …parameter shape]), so row i only touches draw i.
    /// </summary>
    protected abstract Tensor PerDrawSurrogate(IReadOnlyList<Tensor> theta, Func<Tensor, Tensor> f, int draws, Generator? generator);

    /// <summary>
    /// The surrogate (1/N) Σᵢ sᵢ(θ), whose gradient is the N-draw estimate ĝ: <c>backward()</c> on it accumulates ĝ into the
    /// parameters' <c>grad</c>, so an optimizer can step on it. Its value estimates J(θ) only for pathwise estimators.
    /// </summary>
    /// <param name="f">The objective: a batch of draws [N, …] to values [N].</param>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public Tensor SurrogateLoss(Func<Tensor, Tensor> f, int draws, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        using var scope = NewDisposeScope();
        var theta = _parameters.Select(p => Replicate(p, draws)).ToArray();
        return Checked(PerDrawSurrogate(theta, f, draws, generator), draws).mean().MoveToOuterDisposeScope();
    }

    /// <summary>ĝ = (1/N) Σᵢ ∇_θ sᵢ(θ): one detached tensor per parameter, of the parameter's shape.</summary>
    /// <param name="f">The objective: a batch of draws [N, …] to values [N].</param>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public Tensor[] Estimate(Func<Tensor, Tensor> f, int draws, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var loss = SurrogateLoss(f, draws, generator);
        var grads = torch.autograd.grad([loss], _parameters, allow_unused: true);
        return OrZeros(grads, _parameters).Select(g => g.detach().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>
    /// Each draw's own gradient ∇_θ sᵢ, one tensor per parameter of shape [N, …parameter shape]: N independent
    /// one-draw estimates from one vectorised pass (their mean is <see cref="Estimate"/>'s ĝ).
    /// </summary>
    /// <param name="f">The objective: a batch of draws [N, …] to values [N].</param>
    /// <param name="draws">N ≥ 1.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public Tensor[] PerDrawGradients(Func<Tensor, Tensor> f, int draws, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        using var scope = NewDisposeScope();
        // Leaf copies per draw: the gradient of Σᵢ sᵢ with respect to row i of a copy is ∇_θ sᵢ alone.
        var replicas = _parameters.Select(p => Replicate(p.detach(), draws).clone().requires_grad_(true)).ToArray();
        var total = Checked(PerDrawSurrogate(replicas, f, draws, generator), draws).sum();
        var grads = torch.autograd.grad([total], replicas, allow_unused: true);
        return OrZeros(grads, replicas).Select(g => g.detach().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>θ broadcast to [N, …θ's shape] (a view: gradients flow back to θ).</summary>
    protected static Tensor Replicate(Tensor theta, int draws)
    {
        ArgumentNullException.ThrowIfNull(theta);
        return theta.unsqueeze(0).expand([draws, .. theta.shape]);
    }

    private Tensor Checked(Tensor surrogate, int draws)
    {
        if (surrogate.shape.Length != 1 || surrogate.shape[0] != draws)
            throw new InvalidOperationException(
                $"{Name}: the objective must return one value per draw, shape [{draws}], but the surrogate has shape [{string.Join(", ", surrogate.shape)}].");
        return surrogate;
    }

    // A parameter f does not depend on has gradient zero (autograd reports it as missing).
    private static IEnumerable<Tensor> OrZeros(IList<Tensor> grads, Tensor[] inputs) =>
        grads.Select((g, i) => g is null || g.IsInvalid ? zeros_like(inputs[i]) : g);
}
