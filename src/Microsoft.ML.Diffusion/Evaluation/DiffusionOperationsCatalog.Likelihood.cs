using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionOperationsCatalog
{
    /// <summary>
    /// The variational bound on the negative log-likelihood of <paramref name="images"/> under <paramref name="model"/>, in
    /// bits per dimension with its terms and standard error (Ho et al. 2020, Eq. 5; their Table 2 reports it for CIFAR-10).
    /// Score held-out images (e.g. the Fashion-MNIST test split) to compare models, or with other likelihood models.
    /// A class-conditional model is scored as its unconditional half (the "no class" token), i.e. the bound on p(x).
    /// </summary>
    /// <param name="model">A trained diffusion model (its sampling network: EMA or raw weights as <see cref="DiffusionSamplerTransformer.SamplerOptions"/> says).</param>
    /// <param name="images">8-bit images of the model's size and channels.</param>
    /// <param name="options">Column, image count, timestep sampling, variance; null for defaults.</param>
    /// <exception cref="ArgumentException">Fewer than 2 images, or a column that is missing or of the wrong type or size.</exception>
    public DiffusionLikelihood EvaluateLikelihood(DiffusionSamplerTransformer model, IDataView images, DiffusionLikelihoodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        options ??= new DiffusionLikelihoodOptions();
        options.Validate();
        var a = model.Architecture;
        var (read, count) = ReadScoredImages(images, options.ImageColumnName, options.InputScale, options.InputOffset, options.MaxImages,
            a.ImageChannels, a.ImageHeight, a.ImageWidth);

        var variance = options.Variance ?? model.SamplerOptions.Variance;
        var network = model.SamplingNetwork;
        var terms = VariationalBound.Compute((x, t) => DiffusionSamplerTransformer.Denoise(network, x, t), model.Schedule, model.Settings.PredictionTarget,
            variance, options.ClipDenoised, read.Pixels, count, [a.ImageChannels, a.ImageHeight, a.ImageWidth], options);

        int dimensions = a.ImageChannels * a.ImageHeight * a.ImageWidth;
        double toBits = 1.0 / (dimensions * Math.Log(2));
        var perImage = Enumerable.Range(0, count).Select(i => (terms.Prior[i] + terms.Diffusion[i] + terms.Decoder[i]) * toBits).ToArray();
        double mean = perImage.Average();
        double standardError = Math.Sqrt(perImage.Sum(b => (b - mean) * (b - mean)) / (count - 1) / count);
        double prior = terms.Prior.Average() * toBits;
        bool offGrid = !read.FromImages && OffGrid(read.Pixels, count * dimensions);
        var warnings = VariationalBound.Warnings(model.Schedule, prior, offGrid);
        if (warnings.Count > 0)
        {
            using var ch = _host.Start("EvaluateLikelihood");
            foreach (var w in warnings) ch.Warning(w);
        }
        return new DiffusionLikelihood(prior, terms.Diffusion.Average() * toBits, terms.Decoder.Average() * toBits, standardError, count, dimensions,
            terms.TimestepsPerImage, terms.IsExactSum, variance, warnings);
    }

    // The first images of a column, checked against the model's shape; at least two, for a standard error.
    private static (TrainingImages Read, int Count) ReadScoredImages(IDataView images, string column, float scale, float offset, int? maxImages,
        int channels, int height, int width)
    {
        var read = TrainingImageReader.Read(images, new DiffusionEstimator.Options
        {
            InputColumnName = column,
            InputScale = scale,
            InputOffset = offset,
            ImageChannels = channels,
            ImageHeight = height,
            ImageWidth = width,
        });
        if ((read.Channels, read.Height, read.Width) != (channels, height, width))
            throw new ArgumentOutOfRangeException("options",
                $"Image column '{column}' holds {read.Channels}×{read.Height}×{read.Width} images; the model was trained on {channels}×{height}×{width}.");
        int count = maxImages is int max ? Math.Min(max, read.Count) : read.Count;
        if (count < 2)
            throw new ArgumentException($"Image column '{column}' has {read.Count} image(s); the bound's standard error needs at least 2.", nameof(images));
        return (read, count);
    }

    private static bool OffGrid(float[] pixels, int count) =>
        pixels.Take(count).Any(p => Math.Abs((p + 1) * 127.5 - Math.Round((p + 1) * 127.5)) > 1e-3);
}
