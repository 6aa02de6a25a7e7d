using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// A location–scale family: z = a + b·ε with ε drawn from one fixed standard distribution, so a and b only move and
/// stretch it. The standard draws come from <c>torch.distributions</c> where TorchSharp has the distribution and its sampler
/// honours the generator. TorchSharp 0.107 has no logistic or Student-t, and its Laplace sampler ignores the generator, so
/// those three are built here: the logistic by the inverse CDF of a uniform, the Laplace as the difference of two Exp(1),
/// the Student-t as a normal over √(χ²_ν/ν).
/// </summary>
/// <remarks>
/// Student-t's degrees of freedom ν is a shape parameter, not a location or scale: it is fixed here and gets no gradient.
/// </remarks>
public sealed class LocationScaleFamily
{
    private readonly Func<long[], ScalarType, Device, Generator?, Tensor> _standard;

    private LocationScaleFamily(string name, bool isSymmetric, Func<long[], ScalarType, Device, Generator?, Tensor> standard)
    {
        Name = name;
        IsSymmetric = isSymmetric;
        _standard = standard;
    }

    /// <summary>The family's name.</summary>
    public string Name { get; }

    /// <summary>Whether the standard distribution is symmetric about 0 (p(ε) = p(−ε)).</summary>
    public bool IsSymmetric { get; }

    /// <summary>ε ∼ 𝒩(0, 1): z = μ + σε is 𝒩(μ, σ²).</summary>
    public static LocationScaleFamily Normal { get; } = new("normal", true,
        (shape, dtype, device, g) => Draw(distributions.Normal(Scalar(0, dtype, device), Scalar(1, dtype, device), g), shape, g));

    /// <summary>ε ∼ Laplace(0, 1), density ½e^{−|ε|} (mean 0, variance 2), drawn as E₁ − E₂ with independent Eᵢ ∼ Exp(1).</summary>
    public static LocationScaleFamily Laplace { get; } = new("Laplace", true, (shape, dtype, device, g) =>
    {
        using var scope = NewDisposeScope();
        var e1 = Draw(distributions.Exponential(Scalar(1, dtype, device), g), shape, g);
        var e2 = Draw(distributions.Exponential(Scalar(1, dtype, device), g), shape, g);
        return (e1 - e2).MoveToOuterDisposeScope();
    });

    /// <summary>ε ∼ Cauchy(0, 1), density 1/(π(1 + ε²)): no mean, E[cos(tε)] = e^{−|t|}.</summary>
    public static LocationScaleFamily Cauchy { get; } = new("Cauchy", true,
        (shape, dtype, device, g) => Draw(distributions.Cauchy(Scalar(0, dtype, device), Scalar(1, dtype, device), g), shape, g));

    /// <summary>ε ∼ Gumbel(0, 1), CDF exp(−e^{−ε}) (mean γ ≈ 0.5772, variance π²/6); not symmetric.</summary>
    public static LocationScaleFamily Gumbel { get; } = new("Gumbel", false,
        (shape, dtype, device, g) => Draw(distributions.Gumbel(Scalar(0, dtype, device), Scalar(1, dtype, device), g), shape, g));

    /// <summary>ε ∼ Uniform(−1, 1) (variance 1/3).</summary>
    public static LocationScaleFamily Uniform { get; } = new("uniform", true,
        (shape, dtype, device, g) => Draw(distributions.Uniform(Scalar(-1, dtype, device), Scalar(1, dtype, device), g), shape, g));

    /// <summary>ε ∼ Exponential(1) (mean 1, variance 1); not symmetric.</summary>
    public static LocationScaleFamily Exponential { get; } = new("exponential", false,
        (shape, dtype, device, g) => Draw(distributions.Exponential(Scalar(1, dtype, device), g), shape, g));

    /// <summary>
    /// ε ∼ Logistic(0, 1), CDF 1/(1 + e^{−ε}) (variance π²/3), drawn as ε = log u − log(1 − u) with u ∼ Uniform(0, 1).
    /// </summary>
    public static LocationScaleFamily Logistic { get; } = new("logistic", true, (shape, dtype, device, g) =>
    {
        using var scope = NewDisposeScope();
        // u = 0 would give −∞; the smallest normal number keeps ε finite (u < 1 always, so log1p(−u) is finite).
        var u = Draw(distributions.Uniform(Scalar(0, dtype, device), Scalar(1, dtype, device), g), shape, g).clamp_min(finfo(dtype).tiny);
        return (u.log() - (-u).log1p()).MoveToOuterDisposeScope();
    });

    /// <summary>
    /// ε ∼ Student-t with ν degrees of freedom, drawn as ε = n / √(c/ν) with n ∼ 𝒩(0, 1) and c ∼ χ²_ν
    /// (variance ν/(ν − 2) for ν &gt; 2; ν = 1 is the Cauchy).
    /// </summary>
    /// <param name="degreesOfFreedom">ν &gt; 0, fixed.</param>
    public static LocationScaleFamily StudentT(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0) || double.IsInfinity(degreesOfFreedom))
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "ν must be a finite number > 0.");
        double nu = degreesOfFreedom;
        return new($"Student-t (ν = {nu:G4})", true, (shape, dtype, device, g) =>
        {
            using var scope = NewDisposeScope();
            var n = Draw(distributions.Normal(Scalar(0, dtype, device), Scalar(1, dtype, device), g), shape, g);
            var c = Draw(distributions.Chi2(Scalar(nu, dtype, device), g), shape, g);
            return (n / (c / nu).sqrt()).MoveToOuterDisposeScope();
        });
    }

    /// <summary>Standard draws ε of the given shape, dtype and device.</summary>
    /// <param name="shape">The shape of the draws.</param>
    /// <param name="dtype">A floating-point dtype.</param>
    /// <param name="device">The device.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public Tensor StandardNoise(long[] shape, ScalarType dtype, Device device, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _standard(shape, dtype, device, generator).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static Tensor Scalar(double value, ScalarType dtype, Device device) => tensor(value, dtype, device);

    private static Tensor Draw(distributions.Distribution distribution, long[] shape, Generator? generator)
    {
        var sample = distribution.sample(shape);
        // Disposing a TorchSharp 0.107 distribution disposes the generator it was given, after which draws silently come
        // from the global one: a distribution holding the caller's generator is left to the dispose scope (its tensors)
        // and the garbage collector.
        if (generator is null) distribution.Dispose();
        return sample;
    }
}
