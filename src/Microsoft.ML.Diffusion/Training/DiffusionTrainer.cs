using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>The outcome of a training run.</summary>
internal sealed record TrainingResult(UNetModel Model, UNetModel Ema, IReadOnlyList<float> LossHistory, long Steps, int Epochs, TimeSpan Elapsed, bool Cancelled);

/// <summary>
/// Algorithm 1 of Ho et al. (2020) over an in-memory batch of images: repeat { x₀ ~ data, t ~ U{0..T−1},
/// ε ~ N(0, I); take a gradient step on ‖target − f_θ(√ᾱ_t x₀ + √(1−ᾱ_t) ε, t)‖² } with warmup,
/// clipping and an EMA of the weights. One dispose scope per step keeps native memory flat.
/// </summary>
internal sealed class DiffusionTrainer
{
    private readonly DiffusionEstimator.Options _options;
    private readonly NoiseSchedule _schedule;
    private readonly Action<string> _log;
    private readonly int _seed;

    public DiffusionTrainer(DiffusionEstimator.Options options, NoiseSchedule schedule, int seed, Action<string> log)
    {
        _options = options;
        _schedule = schedule;
        _seed = seed;
        _log = log;
    }

    /// <param name="data">Training images (N, C, H, W), Float32 in [−1, 1].</param>
    /// <param name="classes">Class-embedding indices (N, Int64; 0 = no class) of a conditional model, or null.</param>
    /// <param name="architecture">The U-Net to build.</param>
    public TrainingResult Train(Tensor data, Tensor? classes, UNetArchitecture architecture)
    {
        var o = _options;
        long n = data.shape[0];
        var settings = TrainingRunSettings.From(o);
        var checkpoints = new TrainingCheckpoints(settings, n, _seed, _log);
        using var resume = checkpoints.OpenResume(architecture);
        manual_seed(_seed);                                   // dropout and weight initialisation
        using var generator = new Generator((ulong)_seed);    // data order, timesteps and noise
        var model = new UNetModel(architecture);
        var ema = new UNetModel(architecture);
        var state = TrainingState.Start(model, ema, architecture, generator, o.Optimizer, o.LearningRate, o.WeightDecay, o.EmaDecay, o.EmaWarmup);
        using var optimizer = state.Optimizer;
        var parameters = state.Parameters;
        using var reduced = o.TrainingPrecision == TrainingPrecision.BFloat16 ? new BFloat16Training(model) : null;

        _log($"Training a U-Net of {model.ParameterCount:N0} parameters on {n:N0} images of {architecture.ImageChannels}×{architecture.ImageHeight}×{architecture.ImageWidth}, " +
             $"batch {Math.Min(o.BatchSize, n)}, {o.Optimizer} lr {o.LearningRate:G3}, {_schedule.Kind} schedule T = {_schedule.Timesteps}, target {o.PredictionTarget}.");

        using var lossWeights = o.LossWeighting == LossWeighting.None ? null : tensor(MinSnrWeighting.Weights(_schedule, o.PredictionTarget, o.MinSnrGamma));
        var outcome = new TrainingLoop(settings, _log).Run(state, optimizer, n, checkpoints, resume,
            (permutation, start, size) => TrainStep(model, reduced, optimizer, parameters, data, classes, permutation, start, size, generator, lossWeights),
            $"Lower LearningRate (now {o.LearningRate}) or set GradientClipNorm.");
        return new TrainingResult(model, ema, state.Losses, state.Step, state.Epoch, outcome.Elapsed, outcome.Cancelled);
    }

    // reduced: the bfloat16 twin that runs forward and backward for the float32 model, or null.
    private double TrainStep(UNetModel model, BFloat16Training? reduced, OptimizerHelper optimizer, IReadOnlyList<Parameter> parameters, Tensor data, Tensor? classes, Tensor permutation,
        long start, long size, Generator generator, Tensor? lossWeights)
    {
        var o = _options;
        using var scope = NewDisposeScope();
        var rows = permutation.narrow(0, start, size);
        var x0 = data.index_select(0, rows);
        var t = randint(0, _schedule.Timesteps, [size], generator: generator);
        var noise = randn(x0.shape, generator: generator);
        Tensor? y = null;
        if (classes is not null)
        {
            // Classifier-free guidance training (Ho and Salimans 2022, Algorithm 1): the label is dropped to "no class"
            // with probability p_uncond. Drawn from the training generator, after the noise, so a resume replays it and an
            // unconditional run draws exactly what it drew before.
            var drop = rand([size], generator: generator).lt(o.ConditionDropout);
            y = classes.index_select(0, rows).masked_fill(drop, 0);
        }
        var xt = ForwardProcess.Sample(_schedule, x0, t, noise);
        var target = o.PredictionTarget switch
        {
            PredictionTarget.Epsilon => noise,
            PredictionTarget.Sample => x0,
            _ => ForwardProcess.Velocity(_schedule, x0, t, noise),
        };
        Tensor prediction;
        if (reduced is null)
        {
            prediction = model.forward(xt, t, y);
        }
        else
        {
            // The network in bfloat16, the loss (and so the gradient's first step) in float32.
            reduced.LoadMasterWeights();
            prediction = reduced.Network.forward(xt.to(ScalarType.BFloat16), t, y).to(ScalarType.Float32);
        }
        Tensor loss;
        if (o.LossWeighting == LossWeighting.None)
        {
            loss = nn.functional.mse_loss(prediction, target);
        }
        else
        {
            var perSample = nn.functional.mse_loss(prediction, target, nn.Reduction.None).mean([1, 2, 3]);
            loss = (perSample * lossWeights!.index_select(0, t)).mean();
        }
        optimizer.zero_grad();
        loss.backward();
        reduced?.GradientsToMaster();
        if (o.GradientClipNorm is double clip) nn.utils.clip_grad_norm_(parameters, clip);
        optimizer.step();
        return loss.ToDouble();
    }
}
