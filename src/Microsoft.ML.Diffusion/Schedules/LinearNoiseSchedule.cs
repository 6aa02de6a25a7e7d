namespace Microsoft.ML.Diffusion;

/// <summary>The DDPM paper's schedule: β rises linearly from β_start (1e-4) to β_end (0.02) over T = 1000 steps.</summary>
public sealed class LinearNoiseSchedule : NoiseSchedule
{
    /// <summary>Creates the schedule.</summary>
    public LinearNoiseSchedule(int timesteps = 1000, double betaStart = 1e-4, double betaEnd = 0.02)
        : base(MakeBetas(timesteps, betaStart, betaEnd))
    {
        BetaStart = betaStart;
        BetaEnd = betaEnd;
    }

    /// <summary>β at the first step.</summary>
    public double BetaStart { get; }

    /// <summary>β at the last step.</summary>
    public double BetaEnd { get; }

    /// <inheritdoc />
    public override NoiseScheduleKind Kind => NoiseScheduleKind.Linear;

    private static double[] MakeBetas(int timesteps, double betaStart, double betaEnd)
    {
        if (timesteps < 2) throw new ArgumentOutOfRangeException(nameof(timesteps), timesteps, "A schedule needs at least 2 timesteps.");
        if (!(betaStart > 0 && betaStart <= betaEnd && betaEnd < 1))
            throw new ArgumentException($"Linear schedule needs 0 < betaStart ≤ betaEnd < 1; got {betaStart} and {betaEnd}.");
        var betas = new double[timesteps];
        for (int t = 0; t < timesteps; t++) betas[t] = betaStart + (betaEnd - betaStart) * t / (timesteps - 1);
        return betas;
    }
}
