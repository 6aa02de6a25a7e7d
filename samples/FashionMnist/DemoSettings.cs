using Microsoft.ML.Diffusion;

namespace FashionMnistDemo;

/// <summary>What the command line asked for.</summary>
internal sealed record DemoSettings
{
    public const string DefaultPreset = "default";
    public const string BenchmarkPreset = "fmnist-s";
    public static readonly string[] Presets = [DefaultPreset, BenchmarkPreset];
    public const string Ddim = "ddim";
    public const string DpmSolver = "dpm-solver++";
    public static readonly string[] Samplers = [Ddim, DpmSolver];

    /// <summary>
    /// The classifier-free guidance scale of conditional models unless --guidance says otherwise: the lowest FD of the
    /// scales measured on the 10-minute model (docs/quality.md, "Class-conditional models and guidance").
    /// </summary>
    public const double DefaultGuidance = 1.5;

    /// <summary>The key column of class names that conditional training reads (its KeyValues are saved with the model).</summary>
    public const string ClassColumn = "Class";

    public double Minutes { get; init; } = 10;
    public int? MaxSteps { get; init; }
    public string Preset { get; init; } = DefaultPreset;
    public int? BaseChannels { get; init; }
    public int? BatchSize { get; init; }
    public double? LearningRate { get; init; }
    public string Output { get; init; } = "out/fashion-mnist";
    public int Seed { get; init; } = 1;
    public int? Limit { get; init; }
    public string? DataDirectory { get; init; }
    public string? SampleOnly { get; init; }
    public int Samples { get; init; } = 64;
    public int SamplingSteps { get; init; } = 20;
    public int FdSamples { get; init; } = 1000;
    public int BpdImages { get; init; } = 256;
    public SamplingPrecision Precision { get; init; } = SamplingPrecision.Float32;
    public int BpdTimesteps { get; init; } = 50;
    public TrainingPrecision TrainingPrecision { get; init; } = TrainingPrecision.Float32;
    public bool Resume { get; init; }
    public string CheckpointFolder => Path.Combine(Output, "checkpoints");
    public bool Plain { get; init; }
    public bool Conditional { get; init; }
    public double Guidance { get; init; } = DefaultGuidance;
    public string Sampler { get; init; } = DpmSolver;

    /// <summary>"DDIM-50" or "DPM-Solver++-20", with the guidance scale for a conditional model.</summary>
    public string SamplerName(bool conditional) =>
        (Sampler == DpmSolver ? "DPM-Solver++" : "DDIM") + $"-{SamplingSteps}" + (conditional ? $", guidance {Guidance:0.##}" : string.Empty);

    public string ModelPath => Path.Combine(Output, "model.zip");
    public string GridPath => Path.Combine(Output, "samples.png");
    public string LossPath => Path.Combine(Output, "loss.svg");
    public string VaeModelPath => Path.Combine(Output, "vae-model.zip");
    public string VaeGridPath => Path.Combine(Output, "vae-samples.png");
    public string VaeReconstructionPath => Path.Combine(Output, "vae-reconstructions.png");

    /// <summary>The estimator options: the preset's architecture and optimiser, then the explicit overrides.</summary>
    public DiffusionEstimator.Options CreateOptions()
    {
        // "default" is the package's own defaults on purpose: they are the CPU-sized configuration being tuned.
        var o = Preset == BenchmarkPreset ? BenchmarkOptions() : new DiffusionEstimator.Options();
        if (BaseChannels is int c) o.BaseChannels = c;
        if (BatchSize is int b) o.BatchSize = b;
        if (LearningRate is double lr) o.LearningRate = lr;
        o.TrainingTime = TimeSpan.FromMinutes(Minutes);
        o.MaxEpochs = null;
        o.MaxSteps = MaxSteps;
        o.Seed = Seed;
        o.TrainingPrecision = TrainingPrecision;
        o.SeedColumnName = SeedRow.ColumnName;
        o.Sampler = SamplerOptions(o.Sampler, Conditional);
        if (Conditional) o.LabelColumnName = ClassColumn;
        o.CheckpointFolder = CheckpointFolder;
        o.CheckpointEveryMinutes = 5;
        o.ResumeFromLatest = Resume;
        return o;
    }

    /// <summary>
    /// DDIM (deterministic, η = 0) or DPM-Solver++(2M) with <see cref="SamplingSteps"/> steps from the EMA weights;
    /// a conditional model is guided by <see cref="Guidance"/>, an unconditional one is not (1 is its identity).
    /// </summary>
    public DiffusionSamplerOptions SamplerOptions(DiffusionSamplerOptions current, bool conditional) =>
        current with
        {
            Kind = Sampler == DpmSolver ? SamplerKind.DpmSolverPlusPlus : SamplerKind.Ddim,
            Steps = SamplingSteps,
            Eta = 0,
            UseEma = true,
            Precision = Precision,
            GuidanceScale = conditional ? Guidance : 1,
        };

    /// <summary>The architecture of the fmnist-s benchmark (bench/Diffusion.Benchmarks).</summary>
    private static DiffusionEstimator.Options BenchmarkOptions() => new()
    {
        BaseChannels = 64,
        ChannelMultipliers = [1, 2, 2],
        ResBlocksPerLevel = 2,
        AttentionResolutions = [7],
        Dropout = 0.1,
        GroupNormGroups = 32,
        TimeEmbeddingWidth = 256,
        BatchSize = 128,
        LearningRate = 2e-4,
        EmaDecay = 0.9999,
    };
}

/// <summary>One row of the view that drives generation: the seed of one image.</summary>
internal sealed class SeedRow
{
    public const string ColumnName = "Seed";

    public int Seed { get; set; }
}

/// <summary>A generation request of a conditional model: a seed and a class 0…9 (the model reads integer classes).</summary>
internal sealed class ClassSeedRow
{
    public int Seed { get; set; }

    public int Class { get; set; }
}
