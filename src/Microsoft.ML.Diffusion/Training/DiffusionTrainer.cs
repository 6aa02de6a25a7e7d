using System.Diagnostics;
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
        int batch = (int)Math.Min(o.BatchSize, n);
        var checkpoints = new TrainingCheckpoints(o, n, _seed, _log);
        using var resume = checkpoints.OpenResume(architecture);
        manual_seed(_seed);                                   // dropout and weight initialisation
        using var generator = new Generator((ulong)_seed);    // data order, timesteps and noise
        var model = new UNetModel(architecture);
        var ema = new UNetModel(architecture);
        var parameters = model.parameters().ToList();
        using OptimizerHelper optimizer = o.Optimizer == DiffusionOptimizer.AdamW
            ? optim.AdamW(parameters, o.LearningRate, weight_decay: o.WeightDecay)
            : optim.Adam(parameters, o.LearningRate, weight_decay: o.WeightDecay);
        var group = optimizer.ParamGroups.Single();
        var state = new TrainingState
        {
            Model = model,
            Ema = ema,
            Averager = new ExponentialMovingAverage(model, ema, o.EmaDecay, o.EmaWarmup),
            Optimizer = optimizer,
            Generator = generator,
        };

        _log($"Training a U-Net of {model.ParameterCount:N0} parameters on {n:N0} images of {architecture.ImageChannels}×{architecture.ImageHeight}×{architecture.ImageWidth}, " +
             $"batch {batch}, {o.Optimizer} lr {o.LearningRate:G3}, {_schedule.Kind} schedule T = {_schedule.Timesteps}, target {o.PredictionTarget}.");

        using var lossWeights = o.LossWeighting == LossWeighting.None ? null : tensor(MinSnrWeighting.Weights(_schedule, o.PredictionTarget, o.MinSnrGamma));
        var clock = Stopwatch.StartNew();
        var rate = new ThroughputMeter();
        bool cancelled = false;
        try
        {
            resume?.Restore(state);
            TimeSpan Elapsed() => state.ElapsedBefore + clock.Elapsed;
            model.train();
            while (!Done(state.Step, state.Epoch, Elapsed()))
            {
                if (state.Permutation is null)
                {
                    state.SetPermutation(randperm(n, generator: generator));
                    state.Position = 0;
                }
                while (state.Permutation is not null && !Done(state.Step, state.Epoch, Elapsed()))
                {
                    if (o.CancellationToken.IsCancellationRequested) { cancelled = true; break; }
                    double lr = o.LearningRate * (o.WarmupSteps > 0 ? Math.Min(1.0, (state.Step + 1.0) / o.WarmupSteps) : 1.0);
                    group.LearningRate = lr;
                    long size = Math.Min(batch, n - state.Position);
                    double loss = TrainStep(model, optimizer, parameters, data, classes, state.Permutation, state.Position, size, generator, lossWeights);
                    long step = ++state.Step;
                    if (!double.IsFinite(loss))
                        throw new InvalidOperationException(
                            $"Training diverged: the loss at step {step} is {loss}. Lower LearningRate (now {o.LearningRate}) or set GradientClipNorm.");
                    state.Averager.Update();
                    state.Losses.Add((float)loss);
                    state.SmoothedLoss = 0.98 * state.SmoothedLoss + 0.02 * loss;
                    double smoothedUnbiased = state.SmoothedLoss / (1 - Math.Pow(0.98, step));
                    double imagesPerSecond = rate.Add(size, clock.Elapsed);
                    Report(step, state.Epoch, loss, smoothedUnbiased, imagesPerSecond, lr, Elapsed(), n, batch);
                    state.Position += size;
                    if (state.Position >= n) FinishEpoch(state);
                    checkpoints.AfterStep(state, Elapsed());
                }
                if (cancelled) break;
            }
            checkpoints.AtEnd(state, Elapsed());
        }
        catch
        {
            state.SetPermutation(null);
            model.Dispose();
            ema.Dispose();
            throw;
        }
        state.SetPermutation(null);
        FreedMemory.Release();
        long steps = state.Step;
        if (cancelled) _log($"Training cancelled at step {steps}; returning the model trained so far.");
        _log($"Finished training: {steps} steps, {state.Epoch} epochs, {state.ElapsedBefore + clock.Elapsed:hh\\:mm\\:ss}, final smoothed loss {state.SmoothedLoss / (1 - Math.Pow(0.98, Math.Max(1, steps))):F4}.");
        model.eval();
        ema.eval();
        return new TrainingResult(model, ema, state.Losses, steps, state.Epoch, state.ElapsedBefore + clock.Elapsed, cancelled);
    }

    // An epoch ends after its last batch, so a checkpoint taken there resumes by drawing the next epoch's order.
    private static void FinishEpoch(TrainingState state)
    {
        state.Epoch++;
        state.SetPermutation(null);
        state.Position = 0;
    }

    private double TrainStep(UNetModel model, OptimizerHelper optimizer, List<Parameter> parameters, Tensor data, Tensor? classes, Tensor permutation,
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
        var prediction = model.forward(xt, t, y);
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
        if (o.GradientClipNorm is double clip) nn.utils.clip_grad_norm_(parameters, clip);
        optimizer.step();
        return loss.ToDouble();
    }

    private bool Done(long step, int epoch, TimeSpan elapsed)
    {
        var o = _options;
        return (o.MaxSteps is int s && step >= s)
            || (o.MaxEpochs is int e && epoch >= e)
            || (o.TrainingTime is TimeSpan budget && elapsed >= budget);
    }

    private void Report(long step, int epoch, double loss, double smoothed, double imagesPerSecond, double lr, TimeSpan elapsed, long n, int batch)
    {
        var o = _options;
        double? fraction = null;
        if (o.MaxSteps is int s) fraction = Max(fraction, step / (double)s);
        long stepsPerEpoch = (n + batch - 1) / batch;
        if (o.MaxEpochs is int e) fraction = Max(fraction, step / (double)(e * stepsPerEpoch));
        if (o.TrainingTime is TimeSpan budget) fraction = Max(fraction, elapsed / budget);
        TimeSpan? remaining = fraction is > 0 and < 1 ? elapsed * ((1 - fraction.Value) / fraction.Value) : null;
        var progress = new DiffusionTrainingProgress(step, epoch, loss, smoothed, imagesPerSecond, lr, elapsed, remaining, fraction is null ? null : Math.Min(1, fraction.Value));
        o.Progress?.Report(progress);
        if (o.LogEveryNSteps > 0 && step % o.LogEveryNSteps == 0)
            _log($"step {step} epoch {epoch} loss {smoothed:F4} ({imagesPerSecond:F1} images/s) lr {lr:G3} elapsed {elapsed:hh\\:mm\\:ss}" +
                 (remaining is TimeSpan r ? $" eta {r:hh\\:mm\\:ss}" : string.Empty));
    }

    private static double Max(double? a, double b) => a is double x ? Math.Max(x, b) : b;

    /// <summary>Images per second over a sliding window of recent steps.</summary>
    private sealed class ThroughputMeter
    {
        private readonly Queue<(long images, TimeSpan at)> _window = new();
        private long _images;
        private TimeSpan _last;

        public double Add(long images, TimeSpan now)
        {
            _window.Enqueue((images, now - _last));
            _images += images;
            _last = now;
            while (_window.Count > 20) _images -= _window.Dequeue().images;
            double seconds = _window.Sum(w => w.at.TotalSeconds);
            return seconds > 0 ? _images / seconds : 0;
        }
    }
}
