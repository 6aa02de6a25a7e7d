using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>The forward (noising) process q(x_t | x₀), sampled in closed form by the reparameterisation trick.</summary>
public static class ForwardProcess
{
    /// <summary>
    /// x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε for a batch, with its own timestep per sample (Eq. 4).
    /// </summary>
    /// <param name="schedule">The noise schedule.</param>
    /// <param name="x0">Clean images (B, C, H, W).</param>
    /// <param name="t">Timesteps (B), Int64, in [0, T).</param>
    /// <param name="noise">ε, the same shape as x₀.</param>
    public static Tensor Sample(NoiseSchedule schedule, Tensor x0, Tensor t, Tensor noise)
    {
        using var scope = NewDisposeScope();
        var sqrtAlphaBar = NoiseSchedule.Extract(schedule.SqrtAlphasCumprodTensor, t, (int)x0.Dimensions);
        var sqrtOneMinusAlphaBar = NoiseSchedule.Extract(schedule.SqrtOneMinusAlphasCumprodTensor, t, (int)x0.Dimensions);
        return (sqrtAlphaBar * x0 + sqrtOneMinusAlphaBar * noise).MoveToOuterDisposeScope();
    }

    /// <summary>The velocity v = √ᾱ_t · ε − √(1 − ᾱ_t) · x₀ (Salimans and Ho 2022), a prediction target.</summary>
    public static Tensor Velocity(NoiseSchedule schedule, Tensor x0, Tensor t, Tensor noise)
    {
        using var scope = NewDisposeScope();
        var sqrtAlphaBar = NoiseSchedule.Extract(schedule.SqrtAlphasCumprodTensor, t, (int)x0.Dimensions);
        var sqrtOneMinusAlphaBar = NoiseSchedule.Extract(schedule.SqrtOneMinusAlphasCumprodTensor, t, (int)x0.Dimensions);
        return (sqrtAlphaBar * noise - sqrtOneMinusAlphaBar * x0).MoveToOuterDisposeScope();
    }
}
