using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>Turns a network output into the x̂₀ and ε̂ it implies, for each prediction target.</summary>
internal static class PredictionConversion
{
    /// <summary>(x̂₀, ε̂) from the output at a single timestep shared by the batch.</summary>
    public static (Tensor x0, Tensor eps) Split(PredictionTarget target, Tensor output, Tensor xt, double alphaBar)
    {
        double sqrtAb = Math.Sqrt(alphaBar), sqrtOneMinusAb = Math.Sqrt(1 - alphaBar);
        using var scope = NewDisposeScope();
        Tensor x0, eps;
        switch (target)
        {
            case PredictionTarget.Epsilon:
                eps = output.alias();
                x0 = (xt - eps * sqrtOneMinusAb) / sqrtAb;                 // x₀ = (x_t − √(1−ᾱ)ε)/√ᾱ
                break;
            case PredictionTarget.Sample:
                x0 = output.alias();
                eps = (xt - x0 * sqrtAb) / sqrtOneMinusAb;                 // ε = (x_t − √ᾱ x₀)/√(1−ᾱ)
                break;
            case PredictionTarget.Velocity:
                x0 = xt * sqrtAb - output * sqrtOneMinusAb;                 // x₀ = √ᾱ x_t − √(1−ᾱ) v
                eps = xt * sqrtOneMinusAb + output * sqrtAb;                // ε = √(1−ᾱ) x_t + √ᾱ v
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown prediction target.");
        }
        return scope.MoveToOuter(x0, eps);
    }

    /// <summary>ε̂ implied by a (possibly clipped) x̂₀ at x_t.</summary>
    public static Tensor EpsilonFromSample(Tensor xt, Tensor x0, double alphaBar)
    {
        using var scope = NewDisposeScope();
        return ((xt - x0 * Math.Sqrt(alphaBar)) / Math.Sqrt(1 - alphaBar)).MoveToOuterDisposeScope();
    }
}
