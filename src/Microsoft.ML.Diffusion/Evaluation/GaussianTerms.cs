using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The two densities the variational bound is made of (Ho et al. 2020, Eq. 5 and 13), elementwise in nats on
/// float64 tensors: the KL divergence between Gaussians and the discretised Gaussian decoder over 256 pixel values.
/// </summary>
internal static class GaussianTerms
{
    /// <summary>Half the width of one of the 256 bins [−1, 1] is cut into.</summary>
    public const double HalfBin = 1.0 / 255.0;

    /// <summary>KL(N(μ₁, e^{logVar₁}) ‖ N(μ₂, e^{logVar₂})) = ½(−1 + logVar₂ − logVar₁ + e^{logVar₁−logVar₂} + (μ₁−μ₂)² e^{−logVar₂}).</summary>
    public static Tensor NormalKl(Tensor mean1, Tensor logVar1, Tensor mean2, Tensor logVar2)
    {
        using var scope = NewDisposeScope();
        var kl = 0.5 * (-1.0 + logVar2 - logVar1 + (logVar1 - logVar2).exp() + (mean1 - mean2).square() * (-logVar2).exp());
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log p(x) of Eq. 13 for x on the 8-bit grid in [−1, 1]: the mass of N(mean, σ²) on [x − 1/255, x + 1/255], with the
    /// outer bins reaching to −∞ and +∞ so the 256 masses sum to 1. Tails use an asymptotic series, so no bin underflows to log 0.
    /// </summary>
    public static Tensor DiscretizedGaussianLogLikelihood(Tensor x, Tensor mean, Tensor logScale)
    {
        using var scope = NewDisposeScope();
        var inverseScale = (-logScale).exp();
        var lo = (x - HalfBin - mean) * inverseScale;
        var hi = (x + HalfBin - mean) * inverseScale;
        // The edges are x = −1 and x = 1; a tolerance of a tenth of a bin allows for float32 pixels.
        lo = where(x < -1 + 0.1 * HalfBin, full_like(lo, double.NegativeInfinity), lo);
        hi = where(x > 1 - 0.1 * HalfBin, full_like(hi, double.PositiveInfinity), hi);
        // Φ(b) − Φ(a) = Φ(−a) − Φ(−b): mirror bins right of the mean so that both bounds lie in the left tail, where Φ is small and exact.
        var mirror = lo > 0;
        var a = where(mirror, -hi, lo);
        var b = where(mirror, -lo, hi);
        var logPhiA = LogStandardNormalCdf(a.clamp_max(0));
        var logPhiB = LogStandardNormalCdf(b.clamp_max(0));
        // Both bounds left of 0: log Φ(b) + log(1 − Φ(a)/Φ(b)).
        var left = logPhiB + (-(logPhiA - logPhiB).exp()).log1p();
        // a ≤ 0 < b: 1 − Φ(a) − Φ(−b), both small where the bin holds most of the mass.
        var straddle = (-(logPhiA.exp() + LogStandardNormalCdf((-b).clamp_max(0)).exp())).log1p();
        return where(b <= 0, left, straddle).MoveToOuterDisposeScope();
    }

    // Below this, erfc(−z/√2) underflows float64 (erfc(26.5) ≈ 1e-307), and the asymptotic series is exact to 1e-13.
    private const double AsymptoticBelow = -36;

    /// <summary>
    /// log Φ(z) for z ≤ 0: log(½ erfc(−z/√2)), and for z &lt; −36 the asymptotic series
    /// log Φ(z) = −z²/2 − log(−z) − ½ log 2π + log(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸).
    /// (TorchSharp 0.107's special.erfcx calls THSSpecial_erfc, so the scaled form is not available.)
    /// </summary>
    private static Tensor LogStandardNormalCdf(Tensor z)
    {
        using var scope = NewDisposeScope();
        var direct = (special.erfc(-z.clamp_min(AsymptoticBelow) / Math.Sqrt(2)) * 0.5).log();
        var far = z.clamp_max(AsymptoticBelow);
        var inverseSquare = far.square().reciprocal();
        var series = 1 - inverseSquare * (1 - inverseSquare * (3 - inverseSquare * (15 - inverseSquare * 105)));
        // z = −∞: −z²/2 = −∞ and the series is 1, so the sum is −∞, as wanted.
        var asymptotic = -far.square() * 0.5 - (-far).log() - 0.5 * Math.Log(2 * Math.PI) + series.log();
        return where(z < AsymptoticBelow, asymptotic, direct).MoveToOuterDisposeScope();
    }
}
