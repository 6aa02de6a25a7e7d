using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>The outcome of a VAE training run.</summary>
internal sealed record VaeTrainingResult(VaeModel Model, VaeModel Ema, IReadOnlyList<float> LossHistory, long Steps);

/// <summary>
/// Maximises the ELBO over an in-memory batch of images (Kingma and Welling 2014, Algorithm 1): each step draws a batch and
/// one ε per image, and descends (reconstruction + β·KL) in bits/dim. The loop (epochs, warmup, EMA, checkpoints) is the
/// diffusion trainer's; every <c>LogEveryNSteps</c> the smoothed bound and its two terms are logged.
/// </summary>
internal sealed class VaeTrainer(VariationalAutoencoderEstimator.Options options, int seed, Action<string> log)
{
    /// <param name="data">Training images (N, C, H, W), Float32 in [−1, 1].</param>
    /// <param name="architecture">The VAE to build.</param>
    public VaeTrainingResult Train(Tensor data, VaeArchitecture architecture)
    {
        var o = options;
        long n = data.shape[0];
        var settings = TrainingRunSettings.From(o);
        var checkpoints = new TrainingCheckpoints(settings, n, seed, log);
        using var resume = checkpoints.OpenResume(architecture);
        manual_seed(seed);                                   // weight initialisation
        using var generator = new Generator((ulong)seed);    // data order and ε
        var model = new VaeModel(architecture);
        var ema = new VaeModel(architecture);
        var state = TrainingState.Start(model, ema, architecture, generator, o.Optimizer, o.LearningRate, o.WeightDecay, o.EmaDecay, o.EmaWarmup);
        using var optimizer = state.Optimizer;
        var parameters = state.Parameters;
        int dimensions = architecture.ImageChannels * architecture.ImageHeight * architecture.ImageWidth;
        double toBits = 1.0 / (dimensions * Math.Log(2));
        log($"Training a VAE of {model.ParameterCount:N0} parameters ({architecture.LatentDimensions}-dimensional latent, {architecture.Decoder} decoder) " +
            $"on {n:N0} images of {architecture.ImageChannels}×{architecture.ImageHeight}×{architecture.ImageWidth}, batch {Math.Min(o.BatchSize, n)}, {o.Optimizer} lr {o.LearningRate:G3}.");

        double smoothedReconstruction = 0, smoothedKl = 0;
        double Step(Tensor permutation, long start, long size)
        {
            using var scope = NewDisposeScope();
            long step = state.Step;
            var x = data.index_select(0, permutation.narrow(0, start, size));
            var epsilon = randn([size, architecture.LatentDimensions], generator: generator);
            var (reconstruction, kl) = EvidenceLowerBound.Terms(model, x, epsilon);
            double beta = o.KlWeight * (o.KlWarmupSteps > 0 ? Math.Min(1.0, (step + 1.0) / o.KlWarmupSteps) : 1.0);
            var reconstructionMean = reconstruction.mean();
            var klMean = kl.mean();
            var loss = (reconstructionMean + beta * klMean) * toBits;
            optimizer.zero_grad();
            loss.backward();
            if (o.GradientClipNorm is double clip) nn.utils.clip_grad_norm_(parameters, clip);
            optimizer.step();
            smoothedReconstruction = 0.98 * smoothedReconstruction + 0.02 * reconstructionMean.ToDouble() * toBits;
            smoothedKl = 0.98 * smoothedKl + 0.02 * klMean.ToDouble() * toBits;
            if (o.LogEveryNSteps > 0 && (step + 1) % o.LogEveryNSteps == 0)
            {
                double unbias = 1 - Math.Pow(0.98, step + 1);
                log($"step {step + 1} ELBO {-(smoothedReconstruction + smoothedKl) / unbias:F4} bits/dim = −(reconstruction {smoothedReconstruction / unbias:F4} + KL {smoothedKl / unbias:F4}), β {beta:G3}");
            }
            return loss.ToDouble();
        }

        new TrainingLoop(settings, log).Run(state, optimizer, n, checkpoints, resume, Step, $"Lower LearningRate (now {o.LearningRate}) or set GradientClipNorm.");
        return new VaeTrainingResult(model, ema, state.Losses, state.Step);
    }
}
