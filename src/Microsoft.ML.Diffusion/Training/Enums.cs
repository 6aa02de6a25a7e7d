namespace Microsoft.ML.Diffusion;

/// <summary>What the network learns to predict from x_t.</summary>
public enum PredictionTarget
{
    /// <summary>The noise ε (the DDPM paper's choice, L_simple).</summary>
    Epsilon = 0,
    /// <summary>The clean image x₀.</summary>
    Sample = 1,
    /// <summary>The velocity v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀ (Salimans and Ho 2022).</summary>
    Velocity = 2,
}

/// <summary>How the per-sample squared error is weighted across timesteps.</summary>
public enum LossWeighting
{
    /// <summary>Unweighted: L_simple.</summary>
    None = 0,
    /// <summary>Min-SNR-γ (Hang et al. 2023): weight min(SNR_t, γ) relative to the target's natural weight.</summary>
    MinSnr = 1,
}

/// <summary>The optimizer used for training.</summary>
public enum DiffusionOptimizer
{
    /// <summary>Adam (the paper's choice).</summary>
    Adam = 0,
    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW = 1,
}

/// <summary>The number format the U-Net runs forward and backward in while training.</summary>
public enum TrainingPrecision
{
    /// <summary>float32 throughout (the default).</summary>
    Float32 = 0,

    /// <summary>
    /// Mixed precision: float32 master weights, gradients, Adam state, EMA and checkpoints; forward and backward in a
    /// bfloat16 copy of the network refreshed from the master weights every step, the loss in float32. Faster on CPUs
    /// with AVX512-BF16 or AMX, where oneDNN runs bfloat16 convolutions (README, Benchmark).
    /// </summary>
    BFloat16 = 1,
}

/// <summary>The reverse-process sampler.</summary>
public enum SamplerKind
{
    /// <summary>DDPM ancestral sampling over every timestep (Algorithm 2).</summary>
    Ddpm = 0,
    /// <summary>DDIM (Song et al. 2021) over a subsequence of timesteps; deterministic when η = 0.</summary>
    Ddim = 1,
    /// <summary>
    /// DPM-Solver++(2M) (Lu et al. 2022) over DDIM's timesteps: a second-order solver of the same ODE as DDIM (η = 0),
    /// deterministic, one network call per step; better than DDIM at 10–20 steps.
    /// </summary>
    DpmSolverPlusPlus = 2,
}

/// <summary>The variance σ_t² of DDPM ancestral sampling.</summary>
public enum DdpmVariance
{
    /// <summary>σ_t² = β_t, the upper bound (the paper's CIFAR-10 choice).</summary>
    FixedLarge = 0,
    /// <summary>σ_t² = β̃_t, the posterior variance (the lower bound).</summary>
    FixedSmall = 1,
}
