using Microsoft.ML.Diffusion;

namespace FashionMnistDemo;

/// <summary>What the command line asked for.</summary>
internal sealed record DemoSettings
{
    public const string DefaultPreset = "default";
    public const string BenchmarkPreset = "fmnist-s";
    public static readonly string[] Presets = [DefaultPreset, BenchmarkPreset];

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
    public int SamplingSteps { get; init; } = 50;
    public int FdSamples { get; init; } = 1000;
    public int BpdImages { get; init; } = 256;
    public SamplingPrecision Precision { get; init; } = SamplingPrecision.Float32;
    public int BpdTimesteps { get; init; } = 50;
    public bool Resume { get; init; }
    public string CheckpointFolder => Path.Combine(Output, "checkpoints");
    public bool Plain { get; init; }

    public string ModelPath => Path.Combine(Output, "model.zip");
    public string GridPath => Path.Combine(Output, "samples.png");
    public string LossPath => Path.Combine(Output, "loss.svg");

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
        o.SeedColumnName = SeedRow.ColumnName;
        o.Sampler = SamplerOptions(o.Sampler);
        o.CheckpointFolder = CheckpointFolder;
        o.CheckpointEveryMinutes = 5;
        o.ResumeFromLatest = Resume;
        return o;
    }

    /// <summary>DDIM with <see cref="SamplingSteps"/> steps from the EMA weights, deterministic (η = 0).</summary>
    public DiffusionSamplerOptions SamplerOptions(DiffusionSamplerOptions current) =>
        current with { Kind = SamplerKind.Ddim, Steps = SamplingSteps, Eta = 0, UseEma = true, Precision = Precision };

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
