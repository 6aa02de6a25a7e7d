using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// L_simple on validation images with the noise ε and the noise level of every image fixed by a seed, so that two
/// models are scored on exactly the same problems: cheap (one forward pass per image) and with little noise.
/// </summary>
/// <remarks>
/// Noise levels are stratified over the reference schedule's timesteps (one stratum per image, shuffled). A model trained
/// with another schedule is asked at its own timestep of nearest log-SNR, so that configurations with different schedules
/// face the same noise levels; with the reference schedule this is exactly L_simple at fixed timesteps. The score is the
/// mean squared error of the ε the model implies, whatever its prediction target, unweighted (as L_simple).
/// </remarks>
internal sealed class ValidationLoss
{
    private const int Batch = 64;
    private readonly float[] _images;
    private readonly float[] _noise;
    private readonly double[] _referenceLogSnr;
    private readonly long[] _shape;

    /// <param name="images">Validation images, planar (N, C, H, W), in [−1, 1].</param>
    /// <param name="shape">(N, C, H, W).</param>
    /// <param name="reference">The schedule whose timesteps are sampled.</param>
    /// <param name="seed">Fixes the timesteps and the noise.</param>
    public ValidationLoss(float[] images, long[] shape, NoiseSchedule reference, int seed)
    {
        if (shape[0] < 1) throw new ArgumentException("The validation data has no images.", nameof(images));
        _images = images;
        _shape = shape;
        int n = (int)shape[0];
        var random = new Random(seed);
        var strata = Enumerable.Range(0, n).Select(i => (int)Math.Min(reference.Timesteps - 1, Math.Floor((i + random.NextDouble()) * reference.Timesteps / n))).ToArray();
        random.Shuffle(strata);
        _referenceLogSnr = strata.Select(t => LogSnr(reference.AlphasCumprod[t])).ToArray();
        using var generator = new Generator(unchecked((ulong)seed));
        using var noise = randn(shape, generator: generator);
        _noise = noise.data<float>().ToArray();
    }

    /// <summary>The number of validation images.</summary>
    public int Count => (int)_shape[0];

    /// <summary>Mean squared ε error of <paramref name="model"/>'s sampling network (EMA or raw, as it samples).</summary>
    public double Evaluate(DiffusionSamplerTransformer model)
    {
        var schedule = model.Schedule;
        var target = model.Settings.PredictionTarget;
        var network = model.SamplingNetwork;
        var modelLogSnr = schedule.AlphasCumprod.Select(LogSnr).ToArray();
        int n = Count;
        long perImage = _shape[1] * _shape[2] * _shape[3];
        double sum = 0;
        using var mode = inference_mode();
        for (int start = 0; start < n; start += Batch)
        {
            int size = Math.Min(Batch, n - start);
            using var scope = NewDisposeScope();
            var steps = Enumerable.Range(start, size).Select(i => (long)Nearest(modelLogSnr, _referenceLogSnr[i])).ToArray();
            var alphaBar = tensor(steps.Select(s => (float)schedule.AlphasCumprod[s]).ToArray(), [size, 1, 1, 1]);
            long[] batchShape = [size, _shape[1], _shape[2], _shape[3]];
            var x0 = tensor(_images.AsSpan((int)(start * perImage), (int)(size * perImage)).ToArray(), batchShape);
            var eps = tensor(_noise.AsSpan((int)(start * perImage), (int)(size * perImage)).ToArray(), batchShape);
            var xt = alphaBar.sqrt() * x0 + (1 - alphaBar).sqrt() * eps;
            var output = DiffusionSamplerTransformer.Denoise(network, xt, tensor(steps));
            var epsHat = target switch
            {
                PredictionTarget.Epsilon => output,
                PredictionTarget.Sample => (xt - alphaBar.sqrt() * output) / (1 - alphaBar).sqrt(),
                _ => (1 - alphaBar).sqrt() * xt + alphaBar.sqrt() * output,
            };
            sum += (epsHat - eps).square().sum().ToDouble();
        }
        return sum / (n * (double)perImage);
    }

    private static double LogSnr(double alphaBar) => Math.Log(alphaBar / (1 - alphaBar));

    // log-SNR falls with t, so a binary search would do; the linear scan is 1000 steps and simpler to trust.
    private static int Nearest(double[] logSnr, double value)
    {
        int best = 0;
        for (int t = 1; t < logSnr.Length; t++)
            if (Math.Abs(logSnr[t] - value) < Math.Abs(logSnr[best] - value)) best = t;
        return best;
    }
}
