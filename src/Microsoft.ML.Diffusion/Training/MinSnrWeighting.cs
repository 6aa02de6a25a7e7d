namespace Microsoft.ML.Diffusion;

/// <summary>
/// Min-SNR-γ loss weights (Hang et al. 2023), one per timestep, with SNR_t = ᾱ_t / (1 − ᾱ_t): the ε loss is weighted
/// min(SNR, γ)/SNR, the x₀ loss min(SNR, γ) and the v loss min(SNR, γ)/(SNR + 1).
/// </summary>
/// <remarks>
/// Computed in float64 from the schedule and written min(1, γ/SNR) for ε: in float32 ᾱ of long schedules underflows
/// to 0 (from about T = 10,000 with the linear β), and min(SNR, γ)/SNR became 0/0. The limits are the right weights
/// there: 1 for ε at SNR 0 (γ/0 is +∞), 0 for x₀ and v.
/// </remarks>
internal static class MinSnrWeighting
{
    public static float[] Weights(NoiseSchedule schedule, PredictionTarget target, double gamma)
    {
        var weights = new float[schedule.Timesteps];
        for (int t = 0; t < weights.Length; t++)
        {
            double alphaBar = schedule.AlphasCumprod[t];
            double snr = alphaBar / (1 - alphaBar);
            weights[t] = (float)(target switch
            {
                PredictionTarget.Epsilon => Math.Min(1, gamma / snr),
                PredictionTarget.Sample => Math.Min(snr, gamma),
                _ => Math.Min(snr, gamma) / (snr + 1),
            });
        }
        return weights;
    }
}
