using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Everything a training run changes as it goes, in one place, so that a checkpoint can capture it and a resume
/// can restore it exactly: the networks, the optimizer, the trainer's generator (data order, timesteps, noise),
/// and where the run is within its epoch. The default generator (dropout) is process-wide and saved alongside.
/// </summary>
internal sealed class TrainingState
{
    public required nn.Module Model { get; init; }

    public required nn.Module Ema { get; init; }

    /// <summary>The shape both networks were built with.</summary>
    public required NetworkShape Network { get; init; }

    public required ExponentialMovingAverage Averager { get; init; }

    public required OptimizerHelper Optimizer { get; init; }

    public required Generator Generator { get; init; }

    /// <summary>Steps completed.</summary>
    public long Step { get; set; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>This epoch's data order, or null before it is drawn. Owned by the state.</summary>
    public Tensor? Permutation { get; set; }

    /// <summary>The index into <see cref="Permutation"/> of the next batch.</summary>
    public long Position { get; set; }

    public List<float> Losses { get; } = [];

    /// <summary>The biased loss average behind the progress reports.</summary>
    public double SmoothedLoss { get; set; }

    /// <summary>Training time spent before this process resumed the run.</summary>
    public TimeSpan ElapsedBefore { get; set; }

    /// <summary>A new run's state: Adam or AdamW over the model's parameters and the EMA of its weights in <paramref name="ema"/>.</summary>
    public static TrainingState Start(nn.Module model, nn.Module ema, NetworkShape network, Generator generator,
        DiffusionOptimizer optimizer, double learningRate, double weightDecay, double emaDecay, bool emaWarmup)
    {
        var parameters = model.parameters().ToList();
        OptimizerHelper adam = optimizer == DiffusionOptimizer.AdamW
            ? optim.AdamW(parameters, learningRate, weight_decay: weightDecay)
            : optim.Adam(parameters, learningRate, weight_decay: weightDecay);
        return new TrainingState
        {
            Model = model,
            Ema = ema,
            Network = network,
            Averager = new ExponentialMovingAverage(model, ema, emaDecay, emaWarmup),
            Optimizer = adam,
            Generator = generator,
            Parameters = parameters,
        };
    }

    /// <summary>The model's parameters, in the optimizer's order (for gradient clipping).</summary>
    public IReadOnlyList<Parameter> Parameters { get; init; } = [];

    /// <summary>Replaces the permutation, disposing the old one.</summary>
    public void SetPermutation(Tensor? permutation)
    {
        if (!ReferenceEquals(Permutation, permutation)) Permutation?.Dispose();
        Permutation = permutation;
    }
}
