using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The loop both estimators train with: epochs of shuffled batches (the order drawn from the run's generator), linear
/// learning-rate warmup, the EMA update, progress and log lines, stopping limits, cancellation and checkpoints with exact
/// resume. What one step computes is the trainer's: <c>step(permutation, position, size)</c> returns the step's loss.
/// </summary>
internal sealed class TrainingLoop(TrainingRunSettings settings, Action<string> log)
{
    /// <summary>What the loop ended with.</summary>
    public sealed record Outcome(TimeSpan Elapsed, bool Cancelled);

    /// <summary>Trains until a limit is reached; on failure the state's networks are disposed.</summary>
    public Outcome Run(TrainingState state, OptimizerHelper optimizer, long images, TrainingCheckpoints checkpoints, TrainingCheckpoint? resume,
        Func<Tensor, long, long, double> step, string divergenceHint)
    {
        var o = settings;
        int batch = (int)Math.Min(o.BatchSize, images);
        var group = optimizer.ParamGroups.Single();
        var clock = Stopwatch.StartNew();
        var rate = new ThroughputMeter();
        bool cancelled = false;
        try
        {
            resume?.Restore(state);
            TimeSpan Elapsed() => state.ElapsedBefore + clock.Elapsed;
            state.Model.train();
            while (!Done(state.Step, state.Epoch, Elapsed()))
            {
                if (state.Permutation is null)
                {
                    state.SetPermutation(randperm(images, generator: state.Generator));
                    state.Position = 0;
                }
                while (state.Permutation is not null && !Done(state.Step, state.Epoch, Elapsed()))
                {
                    if (o.CancellationToken.IsCancellationRequested) { cancelled = true; break; }
                    double lr = o.LearningRate * (o.WarmupSteps > 0 ? Math.Min(1.0, (state.Step + 1.0) / o.WarmupSteps) : 1.0);
                    group.LearningRate = lr;
                    long size = Math.Min(batch, images - state.Position);
                    double loss = step(state.Permutation, state.Position, size);
                    long done = ++state.Step;
                    if (!double.IsFinite(loss))
                        throw new InvalidOperationException($"Training diverged: the loss at step {done} is {loss}. {divergenceHint}");
                    state.Averager.Update();
                    state.Losses.Add((float)loss);
                    state.SmoothedLoss = 0.98 * state.SmoothedLoss + 0.02 * loss;
                    double smoothedUnbiased = state.SmoothedLoss / (1 - Math.Pow(0.98, done));
                    double imagesPerSecond = rate.Add(size, clock.Elapsed);
                    Report(done, state.Epoch, loss, smoothedUnbiased, imagesPerSecond, lr, Elapsed(), images, batch);
                    state.Position += size;
                    if (state.Position >= images) FinishEpoch(state);
                    checkpoints.AfterStep(state, Elapsed());
                }
                if (cancelled) break;
            }
            checkpoints.AtEnd(state, Elapsed());
        }
        catch
        {
            state.SetPermutation(null);
            state.Model.Dispose();
            state.Ema.Dispose();
            throw;
        }
        state.SetPermutation(null);
        FreedMemory.Release();
        var elapsed = state.ElapsedBefore + clock.Elapsed;
        if (cancelled) log($"Training cancelled at step {state.Step}; returning the model trained so far.");
        log($"Finished training: {state.Step} steps, {state.Epoch} epochs, {elapsed:hh\\:mm\\:ss}, final smoothed loss {state.SmoothedLoss / (1 - Math.Pow(0.98, Math.Max(1, state.Step))):F4}.");
        state.Model.eval();
        state.Ema.eval();
        return new Outcome(elapsed, cancelled);
    }

    // An epoch ends after its last batch, so a checkpoint taken there resumes by drawing the next epoch's order.
    private static void FinishEpoch(TrainingState state)
    {
        state.Epoch++;
        state.SetPermutation(null);
        state.Position = 0;
    }

    private bool Done(long step, int epoch, TimeSpan elapsed)
    {
        var o = settings;
        return (o.MaxSteps is int s && step >= s)
            || (o.MaxEpochs is int e && epoch >= e)
            || (o.TrainingTime is TimeSpan budget && elapsed >= budget);
    }

    private void Report(long step, int epoch, double loss, double smoothed, double imagesPerSecond, double lr, TimeSpan elapsed, long n, int batch)
    {
        var o = settings;
        double? fraction = null;
        if (o.MaxSteps is int s) fraction = Max(fraction, step / (double)s);
        long stepsPerEpoch = (n + batch - 1) / batch;
        if (o.MaxEpochs is int e) fraction = Max(fraction, step / (double)(e * stepsPerEpoch));
        if (o.TrainingTime is TimeSpan budget) fraction = Max(fraction, elapsed / budget);
        TimeSpan? remaining = fraction is > 0 and < 1 ? elapsed * ((1 - fraction.Value) / fraction.Value) : null;
        var progress = new DiffusionTrainingProgress(step, epoch, loss, smoothed, imagesPerSecond, lr, elapsed, remaining, fraction is null ? null : Math.Min(1, fraction.Value));
        o.Progress?.Report(progress);
        if (o.LogEveryNSteps > 0 && step % o.LogEveryNSteps == 0)
            log($"step {step} epoch {epoch} loss {smoothed:F4} ({imagesPerSecond:F1} images/s) lr {lr:G3} elapsed {elapsed:hh\\:mm\\:ss}" +
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
