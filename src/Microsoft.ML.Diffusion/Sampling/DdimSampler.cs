using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// DDIM sampling (Song, Meng and Ermon 2021, Eq. 12) over S timesteps:
/// x_prev = √ᾱ_prev · x̂₀ + √(1 − ᾱ_prev − σ²) · ε̂ + σ z, σ = η √((1 − ᾱ_prev)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev),
/// with ᾱ_prev = 1 after the last step. η = 0 makes sampling deterministic given x_T.
/// </summary>
/// <remarks>
/// Spacing rule: the S timesteps are evenly spaced over the whole schedule including both ends,
/// τ_i = round(i · (T − 1)/(S − 1)) for i = 0 … S − 1, visited from τ_{S−1} = T − 1 down to τ_0 = 0
/// (S = 1 visits T − 1 only). Starting at T − 1 matches the training distribution of x_T.
/// </remarks>
public sealed class DdimSampler : IDiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    public DdimSampler(int steps = 50, double eta = 0.0, bool clipDenoised = true)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "DDIM needs at least one step.");
        if (eta is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be in [0, 1].");
        Steps = steps;
        Eta = eta;
        ClipDenoised = clipDenoised;
    }

    /// <summary>The number of timesteps visited.</summary>
    public int Steps { get; }

    /// <summary>η: 0 is deterministic, 1 matches DDPM's posterior variance.</summary>
    public double Eta { get; }

    /// <summary>Whether x̂₀ is clipped to [−1, 1].</summary>
    public bool ClipDenoised { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Timesteps(NoiseSchedule schedule)
    {
        int T = schedule.Timesteps;
        if (Steps > T) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"DDIM steps cannot exceed the schedule's {T} timesteps.");
        return EvenlySpaced(Steps, T);
    }

    /// <summary>τ_i = round(i · (T − 1)/(S − 1)), from τ_{S−1} = T − 1 down to τ_0 = 0 (S = 1: T − 1 only).</summary>
    internal static int[] EvenlySpaced(int steps, int T)
    {
        if (steps == 1) return [T - 1];
        return Enumerable.Range(0, steps).Select(i => (int)Math.Round(i * (T - 1.0) / (steps - 1))).Reverse().ToArray();
    }

    /// <inheritdoc />
    public Tensor Sample(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, Tensor xT, IReadOnlyList<Generator> rowGenerators)
    {
        var steps = Timesteps(schedule);
        var x = xT.alias();
        long batch = xT.shape[0];
        for (int i = 0; i < steps.Count; i++)
        {
            int t = steps[i];
            double alphaBarPrev = i + 1 < steps.Count ? schedule.AlphasCumprod[steps[i + 1]] : 1.0;
            using var scope = NewDisposeScope();
            var next = Step(denoiser, schedule, target, x, t, alphaBarPrev, batch, rowGenerators);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        return x;
    }

    /// <summary>One step x_t → x_prev, where ᾱ_prev is the cumulative α of the next timestep visited (1 at the end).</summary>
    public Tensor Step(Func<Tensor, Tensor, Tensor> denoiser, NoiseSchedule schedule, PredictionTarget target, Tensor xt, int t, double alphaBarPrev,
        long batch, IReadOnlyList<Generator> rowGenerators)
    {
        using var scope = NewDisposeScope();
        double alphaBar = schedule.AlphasCumprod[t];
        var output = denoiser(xt, full([batch], t, ScalarType.Int64));
        var (x0, eps) = PredictionConversion.Split(target, output, xt, alphaBar);
        if (ClipDenoised)
        {
            x0 = x0.clamp(-1, 1);
            eps = PredictionConversion.EpsilonFromSample(xt, x0, alphaBar);
        }
        double sigma = Eta * Math.Sqrt((1 - alphaBarPrev) / (1 - alphaBar)) * Math.Sqrt(1 - alphaBar / alphaBarPrev);
        double direction = Math.Sqrt(Math.Max(0, 1 - alphaBarPrev - sigma * sigma));
        var prev = x0 * Math.Sqrt(alphaBarPrev) + eps * direction;
        if (sigma > 0) prev = prev + DiffusionSamplers.RowNoise(xt, rowGenerators) * sigma;
        return prev.MoveToOuterDisposeScope();
    }
}
