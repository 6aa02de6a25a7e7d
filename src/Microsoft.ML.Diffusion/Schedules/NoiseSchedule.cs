using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The variance schedule β₁…β_T of the forward process and every quantity derived from it (Ho et al.
/// 2020, §2 and Eq. 6–7). Index t = 0 … T−1 here stands for the paper's t = 1 … T. Values are computed
/// in double precision and kept both as doubles and as Float32 tensors for gathering per timestep.
/// </summary>
public abstract class NoiseSchedule : IDisposable
{
    private bool _disposed;

    /// <summary>Derives every schedule quantity from the betas.</summary>
    protected NoiseSchedule(double[] betas)
    {
        ArgumentNullException.ThrowIfNull(betas);
        if (betas.Length < 2) throw new ArgumentException("A noise schedule needs at least 2 timesteps.", nameof(betas));
        foreach (var b in betas)
            if (!(b > 0 && b < 1)) throw new ArgumentException($"Every beta must lie in (0, 1); got {b}.", nameof(betas));

        int T = betas.Length;
        Betas = betas;
        Alphas = new double[T];
        AlphasCumprod = new double[T];
        AlphasCumprodPrev = new double[T];
        SqrtAlphasCumprod = new double[T];
        SqrtOneMinusAlphasCumprod = new double[T];
        PosteriorVariance = new double[T];
        PosteriorLogVarianceClipped = new double[T];
        PosteriorMeanCoef1 = new double[T];
        PosteriorMeanCoef2 = new double[T];

        double alphaBar = 1.0;
        for (int t = 0; t < T; t++)
        {
            Alphas[t] = 1.0 - betas[t];
            AlphasCumprodPrev[t] = alphaBar;            // ᾱ_{t−1}, with ᾱ_0 = 1
            alphaBar *= Alphas[t];
            AlphasCumprod[t] = alphaBar;                // ᾱ_t = Π_{s≤t} α_s
            SqrtAlphasCumprod[t] = Math.Sqrt(alphaBar);
            SqrtOneMinusAlphasCumprod[t] = Math.Sqrt(1.0 - alphaBar);
            // β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t   (Eq. 7)
            PosteriorVariance[t] = (1.0 - AlphasCumprodPrev[t]) / (1.0 - alphaBar) * betas[t];
            // μ̃_t(x_t, x₀) = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x₀ + √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t   (Eq. 7)
            PosteriorMeanCoef1[t] = Math.Sqrt(AlphasCumprodPrev[t]) * betas[t] / (1.0 - alphaBar);
            PosteriorMeanCoef2[t] = Math.Sqrt(Alphas[t]) * (1.0 - AlphasCumprodPrev[t]) / (1.0 - alphaBar);
        }
        // β̃ is 0 at the first step; its log is clipped to β̃ at the second step, as in the reference code.
        for (int t = 0; t < T; t++)
            PosteriorLogVarianceClipped[t] = Math.Log(t == 0 ? PosteriorVariance[1] : PosteriorVariance[t]);

        using var scope = NewDisposeScope();
        SqrtAlphasCumprodTensor = Float(SqrtAlphasCumprod);
        SqrtOneMinusAlphasCumprodTensor = Float(SqrtOneMinusAlphasCumprod);
        AlphasCumprodTensor = Float(AlphasCumprod);
    }

    private static Tensor Float(double[] values) => tensor(values).to(ScalarType.Float32).DetachFromDisposeScope();

    /// <summary>The kind of schedule, for persistence and display.</summary>
    public abstract NoiseScheduleKind Kind { get; }

    /// <summary>The number of diffusion steps T.</summary>
    public int Timesteps => Betas.Length;

    /// <summary>β_t.</summary>
    public double[] Betas { get; }
    /// <summary>α_t = 1 − β_t.</summary>
    public double[] Alphas { get; }
    /// <summary>ᾱ_t = Π_{s≤t} α_s.</summary>
    public double[] AlphasCumprod { get; }
    /// <summary>ᾱ_{t−1} (1 at the first step).</summary>
    public double[] AlphasCumprodPrev { get; }
    /// <summary>√ᾱ_t.</summary>
    public double[] SqrtAlphasCumprod { get; }
    /// <summary>√(1 − ᾱ_t).</summary>
    public double[] SqrtOneMinusAlphasCumprod { get; }
    /// <summary>β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t, the variance of q(x_{t−1} | x_t, x₀).</summary>
    public double[] PosteriorVariance { get; }
    /// <summary>log β̃_t, with the first step's value replaced by the second's (β̃ is 0 there).</summary>
    public double[] PosteriorLogVarianceClipped { get; }
    /// <summary>The coefficient of x₀ in the posterior mean (Eq. 7).</summary>
    public double[] PosteriorMeanCoef1 { get; }
    /// <summary>The coefficient of x_t in the posterior mean (Eq. 7).</summary>
    public double[] PosteriorMeanCoef2 { get; }

    /// <summary>√ᾱ_t as a Float32 tensor of length T.</summary>
    public Tensor SqrtAlphasCumprodTensor { get; }
    /// <summary>√(1 − ᾱ_t) as a Float32 tensor of length T.</summary>
    public Tensor SqrtOneMinusAlphasCumprodTensor { get; }
    /// <summary>ᾱ_t as a Float32 tensor of length T.</summary>
    public Tensor AlphasCumprodTensor { get; }

    /// <summary>Gathers a per-timestep quantity for a batch of timesteps, shaped (B, 1, 1, 1) to broadcast over images.</summary>
    public static Tensor Extract(Tensor values, Tensor t, int imageRank = 4)
    {
        using var picked = values.index_select(0, t);
        var shape = new long[imageRank];
        shape[0] = -1;
        for (int k = 1; k < imageRank; k++) shape[k] = 1;
        return picked.view(shape);
    }

    /// <summary>Creates a schedule of the given kind.</summary>
    public static NoiseSchedule Create(NoiseScheduleKind kind, int timesteps = 1000, double betaStart = 1e-4, double betaEnd = 0.02) => kind switch
    {
        NoiseScheduleKind.Linear => new LinearNoiseSchedule(timesteps, betaStart, betaEnd),
        NoiseScheduleKind.Cosine => new CosineNoiseSchedule(timesteps),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown noise schedule."),
    };

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        SqrtAlphasCumprodTensor.Dispose();
        SqrtOneMinusAlphasCumprodTensor.Dispose();
        AlphasCumprodTensor.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The shape of a noise schedule.</summary>
public enum NoiseScheduleKind
{
    /// <summary>β linear from β_start to β_end (Ho et al. 2020).</summary>
    Linear = 0,
    /// <summary>ᾱ following a squared cosine (Nichol and Dhariwal 2021).</summary>
    Cosine = 1,
}
