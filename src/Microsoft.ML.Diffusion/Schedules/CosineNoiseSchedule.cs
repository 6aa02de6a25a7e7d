namespace Microsoft.ML.Diffusion;

/// <summary>
/// Nichol and Dhariwal's cosine schedule: ᾱ(t) = f(t)/f(0) with f(t) = cos²((t/T + s)/(1 + s)·π/2),
/// s = 0.008, and β_t = 1 − ᾱ(t+1)/ᾱ(t) clipped at 0.999 to avoid a singularity at the end.
/// </summary>
public sealed class CosineNoiseSchedule : NoiseSchedule
{
    /// <summary>The offset s that keeps β from being too small near t = 0.</summary>
    public const double Offset = 0.008;

    /// <summary>The largest β the schedule allows.</summary>
    public const double MaxBeta = 0.999;

    /// <summary>Creates the schedule.</summary>
    public CosineNoiseSchedule(int timesteps = 1000) : base(MakeBetas(timesteps)) { }

    /// <inheritdoc />
    public override NoiseScheduleKind Kind => NoiseScheduleKind.Cosine;

    private static double[] MakeBetas(int timesteps)
    {
        if (timesteps < 2) throw new ArgumentOutOfRangeException(nameof(timesteps), timesteps, "A schedule needs at least 2 timesteps.");
        static double F(double u) => Math.Pow(Math.Cos((u + Offset) / (1 + Offset) * Math.PI / 2), 2);
        var betas = new double[timesteps];
        for (int t = 0; t < timesteps; t++)
            betas[t] = Math.Min(1 - F((t + 1.0) / timesteps) / F((double)t / timesteps), MaxBeta);
        return betas;
    }
}
