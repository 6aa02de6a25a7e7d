namespace Microsoft.ML.Diffusion;

public sealed partial class VariationalAutoencoderEstimator
{
    /// <summary>
    /// Every setting of VAE training and generation. Public fields with defaults, as in ML.NET's trainer options; the
    /// columns, image scaling, stopping, checkpoint and resume options mean what they mean for <see cref="DiffusionEstimator.Options"/>.
    /// </summary>
    public sealed class Options
    {
        // ---- columns ---------------------------------------------------------------------------

        /// <summary>The training images: an <c>MLImage</c> column, or a known-size Single vector laid out C×H×W (planar).</summary>
        public string InputColumnName = DiffusionEstimator.DefaultColumnNames.Image;

        /// <summary>The column of generated images (decoded prior samples) the transformer adds.</summary>
        public string OutputColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage;

        /// <summary>Optional Int32/Int64/UInt32 column of per-row seeds; views without it use <see cref="Seed"/> + row position.</summary>
        public string? SeedColumnName;

        /// <summary>Also emit the generated pixels as a Single vector column of this name (values in the input's scale), or null.</summary>
        public string? OutputVectorColumnName;

        /// <summary>
        /// Also emit, for rows that carry an image in <see cref="InputColumnName"/>, the posterior mean E[z | x] as a Single
        /// vector of <see cref="LatentDimensions"/> values under this name (the encoding), or null.
        /// </summary>
        public string? LatentColumnName;

        /// <summary>Also emit, for rows that carry an image in <see cref="InputColumnName"/>, its reconstruction (decoded posterior mean) as an image column of this name, or null.</summary>
        public string? ReconstructionColumnName;

        // ---- input scaling ---------------------------------------------------------------------

        /// <summary>For a Single vector input, pixels map to [−1, 1] as (value − <see cref="InputOffset"/>) · <see cref="InputScale"/>; MLImage inputs map 0…255.</summary>
        public float InputScale = 1f / 127.5f;

        /// <summary>See <see cref="InputScale"/>.</summary>
        public float InputOffset = 127.5f;

        /// <summary>Channels to train on when the input is an MLImage: 1 (gray) or 3 (RGB). Null takes 1 for gray images, else 3.</summary>
        public int? ImageChannels;

        /// <summary>Image height for a vector input whose type has a single dimension (ignored otherwise).</summary>
        public int? ImageHeight;

        /// <summary>Image width for a vector input whose type has a single dimension (ignored otherwise).</summary>
        public int? ImageWidth;

        // ---- network ---------------------------------------------------------------------------

        /// <summary>Channels at the first level of the encoder (and the last of the decoder).</summary>
        public int BaseChannels = 32;

        /// <summary>Channels of each level as multiples of <see cref="BaseChannels"/>; each level after the first halves the resolution.</summary>
        public int[] ChannelMultipliers = [1, 2, 2];

        /// <summary>Dimensions of the latent z.</summary>
        public int LatentDimensions = 32;

        /// <summary>Groups of every GroupNorm; each level's channel count must be divisible by it.</summary>
        public int GroupNormGroups = 8;

        /// <summary>The decoder distribution p(x | z).</summary>
        public VaeDecoder Decoder = VaeDecoder.DiscretizedGaussian;

        // ---- objective -------------------------------------------------------------------------

        /// <summary>
        /// β of the β-VAE objective E_q[log p(x | z)] − β·KL(q(z | x) ‖ N(0, I)); 1 is the ELBO (Kingma and Welling 2014).
        /// The logged and evaluated bound always uses β = 1.
        /// </summary>
        public double KlWeight = 1.0;

        /// <summary>Steps over which β ramps linearly from 0 to <see cref="KlWeight"/> (KL annealing against posterior collapse); 0 for none.</summary>
        public int KlWarmupSteps;

        // ---- optimisation ----------------------------------------------------------------------

        /// <summary>The optimizer.</summary>
        public DiffusionOptimizer Optimizer = DiffusionOptimizer.Adam;

        /// <summary>The peak learning rate.</summary>
        public double LearningRate = 1e-3;

        /// <summary>Steps of linear learning-rate warmup from 0 to <see cref="LearningRate"/>.</summary>
        public int WarmupSteps = 100;

        /// <summary>Weight decay (decoupled with AdamW, L2 with Adam).</summary>
        public double WeightDecay;

        /// <summary>Global-norm gradient clipping threshold, or null for none.</summary>
        public double? GradientClipNorm = 1.0;

        /// <summary>Images per training step.</summary>
        public int BatchSize = 128;

        /// <summary>The EMA decay of the generating weights.</summary>
        public double EmaDecay = 0.995;

        /// <summary>Ramp the EMA decay up as min(decay, (1 + step)/(10 + step)).</summary>
        public bool EmaWarmup = true;

        // ---- stopping and control --------------------------------------------------------------

        /// <summary>Stop after this many steps (null: no step limit).</summary>
        public int? MaxSteps;

        /// <summary>Stop after this many passes over the data (null: no epoch limit).</summary>
        public int? MaxEpochs = 10;

        /// <summary>Stop when this much wall-clock time has passed (null: no time limit).</summary>
        public TimeSpan? TrainingTime;

        /// <summary>Random seed of training and of default generation; null falls back to the MLContext seed, then to 1.</summary>
        public int? Seed;

        /// <summary>Write a progress line (with the bound's two terms) to MLContext.Log every this many steps.</summary>
        public int LogEveryNSteps = 50;

        /// <summary>Receives a progress report every step; its loss is the training objective in bits/dim.</summary>
        public IProgress<DiffusionTrainingProgress>? Progress;

        /// <summary>Stops training cleanly; Fit then returns the model trained so far.</summary>
        public CancellationToken CancellationToken;

        /// <summary>The device: "cpu".</summary>
        public string Device = "cpu";

        // ---- checkpoints and resume --------------------------------------------------------------

        /// <summary>Folder for training checkpoints (created if missing), or null for none; as <see cref="DiffusionEstimator.Options.CheckpointFolder"/>.</summary>
        public string? CheckpointFolder;

        /// <summary>Also write a checkpoint every this many steps (null: no step interval).</summary>
        public int? CheckpointEverySteps;

        /// <summary>Also write a checkpoint when this many minutes have passed since the last one (null: no time interval).</summary>
        public double? CheckpointEveryMinutes;

        /// <summary>How many of the newest checkpoints to keep.</summary>
        public int CheckpointsToKeep = 3;

        /// <summary>Resume from the newest checkpoint in <see cref="CheckpointFolder"/> that loads.</summary>
        public bool ResumeFromLatest;

        /// <summary>Resume from this checkpoint file (takes precedence over <see cref="ResumeFromLatest"/>); it must load.</summary>
        public string? ResumeFrom;

        // ---- generation --------------------------------------------------------------------------

        /// <summary>Rows decoded together by the transformer.</summary>
        public int GenerationBatchSize = 64;
    }
}
