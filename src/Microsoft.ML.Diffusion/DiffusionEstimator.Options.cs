namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionEstimator
{
    /// <summary>
    /// Every setting of diffusion training and the default sampler. Public fields with defaults, as in
    /// ML.NET's trainer options; a field left at its default is what most users want.
    /// </summary>
    public sealed class Options
    {
        // ---- columns ---------------------------------------------------------------------------

        /// <summary>The training images: an <c>MLImage</c> column, or a known-size Single vector laid out C×H×W (planar).</summary>
        public string InputColumnName = DefaultColumnNames.Image;

        /// <summary>The column of generated images the transformer adds.</summary>
        public string OutputColumnName = DefaultColumnNames.GeneratedImage;

        /// <summary>
        /// Optional Int32/Int64/UInt32 column of per-row seeds for generation: a row's image then depends only
        /// on its seed. Views without this column (such as the training data) use <see cref="Seed"/> + row position.
        /// </summary>
        public string? SeedColumnName;

        /// <summary>Also emit the generated pixels as a Single vector column of this name (values in the input's scale), or null.</summary>
        public string? OutputVectorColumnName;

        // ---- classes (classifier-free guidance) ------------------------------------------------

        /// <summary>
        /// The class label of each training image, or null to train unconditionally. A key column (from MapValueToKey: key
        /// values 1…K, 0 = missing, trained as "no class"; its KeyValues name the classes and are saved with the model), or
        /// an Int32/Int64/UInt32 column of classes 0…<see cref="ClassCount"/> − 1. Generation requests carry their label in
        /// the column of the same name (see <see cref="DiffusionSamplerOptions.GuidanceScale"/>).
        /// </summary>
        public string? LabelColumnName;

        /// <summary>The number of classes K of an integer label column (required there); for a key column null takes the key count.</summary>
        public int? ClassCount;

        /// <summary>
        /// The probability that a training image's label is replaced by "no class", so that one network also learns the
        /// unconditional model guidance needs (Ho and Salimans 2022 used 0.1 to 0.2).
        /// </summary>
        public double ConditionDropout = 0.1;

        // ---- input scaling ---------------------------------------------------------------------

        /// <summary>
        /// For a Single vector input, pixels map to the model's [−1, 1] as (value − <see cref="InputOffset"/>) · <see cref="InputScale"/>.
        /// The defaults fit ExtractPixels' default 0…255 output. MLImage inputs always map 0…255 to [−1, 1].
        /// </summary>
        public float InputScale = 1f / 127.5f;

        /// <summary>See <see cref="InputScale"/>.</summary>
        public float InputOffset = 127.5f;

        /// <summary>Channels to train on when the input is an MLImage: 1 (gray) or 3 (RGB). Null takes 1 for gray images, else 3.</summary>
        public int? ImageChannels;

        /// <summary>Image height for a vector input whose type has a single dimension (ignored otherwise).</summary>
        public int? ImageHeight;

        /// <summary>Image width for a vector input whose type has a single dimension (ignored otherwise).</summary>
        public int? ImageWidth;

        // ---- U-Net ------------------------------------------------------------------------------

        /// <summary>Channels at the first U-Net level.</summary>
        public int BaseChannels = 16;

        /// <summary>Channels of each level, as multiples of <see cref="BaseChannels"/>; the image size must be divisible by 2^(levels − 1).</summary>
        public int[] ChannelMultipliers = [1, 2, 2];

        /// <summary>Residual blocks per level on the way down (one more on the way up).</summary>
        public int ResBlocksPerLevel = 2;

        /// <summary>Feature-map sizes (the smaller side) at which self-attention follows each residual block; the middle always has one.</summary>
        public int[] AttentionResolutions = [7];

        /// <summary>
        /// Dropout probability inside residual blocks. 0 by default: within a CPU budget of minutes a model sees
        /// each image only a few times, so it underfits rather than overfits, and 0 gave a lower Fréchet distance
        /// at 10 minutes (docs/quality.md). DDPM's CIFAR-10 models, trained for 800k steps, used 0.1.
        /// </summary>
        public double Dropout;

        /// <summary>Groups of every GroupNorm; each level's channel count must be divisible by it.</summary>
        public int GroupNormGroups = 8;

        /// <summary>Width of the timestep-embedding MLP; 0 means 4 × <see cref="BaseChannels"/>.</summary>
        public int TimeEmbeddingWidth;

        // ---- diffusion ---------------------------------------------------------------------------

        /// <summary>The noise schedule.</summary>
        public NoiseScheduleKind Schedule = NoiseScheduleKind.Linear;

        /// <summary>The number of diffusion steps T.</summary>
        public int Timesteps = 1000;

        /// <summary>β at the first step of the linear schedule.</summary>
        public double BetaStart = 1e-4;

        /// <summary>β at the last step of the linear schedule.</summary>
        public double BetaEnd = 0.02;

        /// <summary>What the network predicts.</summary>
        public PredictionTarget PredictionTarget = PredictionTarget.Epsilon;

        /// <summary>
        /// Per-timestep loss weighting. Min-SNR-γ by default: it gave the best Fréchet distance at a 10-minute CPU
        /// budget together with <see cref="Dropout"/> 0 (docs/quality.md). <see cref="LossWeighting.None"/> is the
        /// paper's L_simple.
        /// </summary>
        public LossWeighting LossWeighting = LossWeighting.MinSnr;

        /// <summary>γ of Min-SNR-γ weighting.</summary>
        public double MinSnrGamma = 5.0;

        // ---- optimisation ------------------------------------------------------------------------

        /// <summary>The optimizer.</summary>
        public DiffusionOptimizer Optimizer = DiffusionOptimizer.Adam;

        /// <summary>The peak learning rate.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>Steps of linear learning-rate warmup from 0 to <see cref="LearningRate"/>.</summary>
        public int WarmupSteps = 100;

        /// <summary>Weight decay (decoupled with AdamW, L2 with Adam).</summary>
        public double WeightDecay;

        /// <summary>Global-norm gradient clipping threshold, or null for none.</summary>
        public double? GradientClipNorm = 1.0;

        /// <summary>
        /// The number format of the network's forward and backward passes: float32, or bfloat16 with float32 master
        /// weights and optimizer state (see <see cref="Diffusion.TrainingPrecision"/>). It may change on resume.
        /// </summary>
        public TrainingPrecision TrainingPrecision = TrainingPrecision.Float32;

        /// <summary>Images per training step.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>The EMA decay of the sampling weights.</summary>
        public double EmaDecay = 0.995;

        /// <summary>Ramp the EMA decay up as min(decay, (1 + step)/(10 + step)), so short runs do not sample from the initial weights.</summary>
        public bool EmaWarmup = true;

        // ---- stopping and control --------------------------------------------------------------------

        /// <summary>Stop after this many steps (null: no step limit).</summary>
        public int? MaxSteps;

        /// <summary>Stop after this many passes over the data (null: no epoch limit).</summary>
        public int? MaxEpochs = Defaults.MaxEpochs;

        /// <summary>Stop when this much wall-clock time has passed (null: no time limit).</summary>
        public TimeSpan? TrainingTime;

        /// <summary>Random seed of training and of default sampling; null falls back to the MLContext seed, then to 1.</summary>
        public int? Seed;

        /// <summary>Write a progress line to MLContext.Log every this many steps.</summary>
        public int LogEveryNSteps = 50;

        /// <summary>Receives a progress report every step, for progress bars and loss curves.</summary>
        public IProgress<DiffusionTrainingProgress>? Progress;

        /// <summary>Stops training cleanly; Fit then returns the model trained so far.</summary>
        public CancellationToken CancellationToken;

        /// <summary>The device: "cpu" (Debian's libtorch has no CUDA; "cuda" fails with a clear message).</summary>
        public string Device = "cpu";

        // ---- checkpoints and resume ------------------------------------------------------------------

        /// <summary>
        /// Folder for training checkpoints (created if missing), or null for none. A checkpoint holds everything an exact
        /// resume needs: weights, EMA weights, optimizer state, step, epoch and data order, random-generator states and
        /// these options. Files are named <c>checkpoint-{step}.zip</c> and written atomically; one is always written when
        /// training stops (finished or cancelled).
        /// </summary>
        public string? CheckpointFolder;

        /// <summary>Also write a checkpoint every this many steps (null: no step interval).</summary>
        public int? CheckpointEverySteps;

        /// <summary>Also write a checkpoint when this many minutes have passed since the last one (null: no time interval).</summary>
        public double? CheckpointEveryMinutes;

        /// <summary>How many of the newest checkpoints to keep in <see cref="CheckpointFolder"/>; older ones are deleted.</summary>
        public int CheckpointsToKeep = 3;

        /// <summary>
        /// Resume from the newest checkpoint in <see cref="CheckpointFolder"/> that loads; unreadable ones are skipped with
        /// a warning, and with none training starts afresh. Stopping limits (<see cref="MaxSteps"/>, <see cref="MaxEpochs"/>,
        /// <see cref="TrainingTime"/>) count from the start of the original run.
        /// </summary>
        public bool ResumeFromLatest;

        /// <summary>Resume from this checkpoint file (takes precedence over <see cref="ResumeFromLatest"/>); it must load.</summary>
        public string? ResumeFrom;

        // ---- default sampler ------------------------------------------------------------------------

        /// <summary>The sampler the trained transformer uses (it can be changed later without retraining).</summary>
        public DiffusionSamplerOptions Sampler = new();
    }

    /// <summary>Defaults shared by <see cref="Options"/> and the catalog's flat overload (ML.NET's Defaults pattern).</summary>
    internal static class Defaults
    {
        public const int BatchSize = 32;
        public const double LearningRate = 1.5e-3;
        public const int MaxEpochs = 10;
    }

    /// <summary>Default column names.</summary>
    public static class DefaultColumnNames
    {
        /// <summary>The input image column.</summary>
        public const string Image = "Image";

        /// <summary>The generated image column.</summary>
        public const string GeneratedImage = "GeneratedImage";
    }
}

/// <summary>How the transformer runs the reverse process.</summary>
public sealed record DiffusionSamplerOptions
{
    /// <summary>
    /// DDPM ancestral (every timestep), DDIM or DPM-Solver++(2M) (a few). The default, DPM-Solver++ with 20 steps, scored
    /// FD 15.9 on the demo model where DDIM needed 50 steps for 18.9 (docs/quality.md, "Samplers and steps").
    /// </summary>
    public SamplerKind Kind { get; init; } = SamplerKind.DpmSolverPlusPlus;

    /// <summary>DDIM and DPM-Solver++: the number of evenly spaced timesteps (network calls), 1 to the schedule's T.</summary>
    public int Steps { get; init; } = 20;

    /// <summary>DDIM: η, from 0 (deterministic) to 1 (DDPM-like noise).</summary>
    public double Eta { get; init; }

    /// <summary>DDPM: the variance of each step.</summary>
    public DdpmVariance Variance { get; init; } = DdpmVariance.FixedLarge;

    /// <summary>Clip the predicted x₀ to [−1, 1] at each step.</summary>
    public bool ClipDenoised { get; init; } = true;

    /// <summary>Sample with the EMA weights (recommended) rather than the raw ones.</summary>
    public bool UseEma { get; init; } = true;

    /// <summary>Rows generated together.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The network's number format while sampling: float32, or bfloat16 for speed on CPUs with AVX512-BF16 (see <see cref="SamplingPrecision"/>).</summary>
    public SamplingPrecision Precision { get; init; } = SamplingPrecision.Float32;

    /// <summary>
    /// Classifier-free guidance weight w of a class-conditional model (Ho and Salimans 2022): each step uses
    /// ε_uncond + w · (ε_cond − ε_uncond). 1 is the plain conditional model (one network call per step), 0 the
    /// unconditional one; w ≠ 1 evaluates both halves in one call on a doubled batch. Ignored by unconditional models and
    /// by rows without a label.
    /// </summary>
    public double GuidanceScale { get; init; } = 1.0;

    /// <summary>Checks the settings against a schedule of <paramref name="timesteps"/> steps, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range (NaN and ±∞ included); the parameter name is the setting.</exception>
    public void Validate(int timesteps)
    {
        var violation = Violation.Defined(nameof(Kind), Kind)
            ?? (Kind is SamplerKind.Ddim or SamplerKind.DpmSolverPlusPlus ? Violation.Between(nameof(Steps), Steps, 1, timesteps) : null)
            ?? Violation.Finite(nameof(Eta), Eta, e => e is >= 0 and <= 1, "in [0, 1]")
            ?? Violation.Defined(nameof(Variance), Variance)
            ?? Violation.AtLeast(nameof(BatchSize), BatchSize, 1)
            ?? Violation.Defined(nameof(Precision), Precision)
            ?? Violation.Finite(nameof(GuidanceScale), GuidanceScale, w => w is >= 0 and <= 100, "in [0, 100]");
        if (violation is not null) throw violation.ForOption("Sampler option");
    }
}

/// <summary>A snapshot of training progress.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Epoch">The current epoch (0-based).</param>
/// <param name="Loss">This step's loss.</param>
/// <param name="SmoothedLoss">An exponential moving average of the loss (factor 0.98, bias-corrected).</param>
/// <param name="ImagesPerSecond">Training throughput over the last steps.</param>
/// <param name="LearningRate">The learning rate used for this step.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
/// <param name="EstimatedRemaining">Estimated time to the first stopping condition, if one is known.</param>
/// <param name="Fraction">Fraction of the run done, from 0 to 1, if known.</param>
public sealed record DiffusionTrainingProgress(
    long Step, int Epoch, double Loss, double SmoothedLoss, double ImagesPerSecond, double LearningRate,
    TimeSpan Elapsed, TimeSpan? EstimatedRemaining, double? Fraction);
