using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionOperationsCatalog
{
    /// <summary>
    /// Bounds on the negative log-likelihood of <paramref name="images"/> under a VAE, in bits per dimension: −ELBO with its
    /// reconstruction and KL terms, and with <see cref="VaeLikelihoodOptions.Samples"/> &gt; 1 the importance-weighted bound.
    /// Comparable with the diffusion bound of <see cref="EvaluateLikelihood(DiffusionSamplerTransformer, IDataView, DiffusionLikelihoodOptions?)"/>
    /// for a <see cref="VaeDecoder.DiscretizedGaussian"/> decoder; a Bernoulli decoder is scored on pixels binarised at 0.5.
    /// </summary>
    /// <param name="model">A trained VAE (its EMA weights).</param>
    /// <param name="images">8-bit images of the model's size and channels.</param>
    /// <param name="options">Column, image count, posterior draws; null for defaults.</param>
    public VaeLikelihood EvaluateLikelihood(VariationalAutoencoderTransformer model, IDataView images, VaeLikelihoodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        options ??= new VaeLikelihoodOptions();
        options.Validate();
        var a = model.Architecture;
        var (read, count) = ReadScoredImages(images, options.ImageColumnName, options.InputScale, options.InputOffset, options.MaxImages,
            a.ImageChannels, a.ImageHeight, a.ImageWidth);
        int dimensions = a.ImageChannels * a.ImageHeight * a.ImageWidth;
        double toBits = 1.0 / (dimensions * Math.Log(2));
        var network = model.Network;
        bool binarize = a.Decoder == VaeDecoder.Bernoulli;
        var bound = new double[count];
        double reconstruction = 0, kl = 0;
        using var generator = new Generator((ulong)options.Seed);
        using var mode = inference_mode();
        using var pixels = from_array(read.Pixels);
        for (int start = 0; start < count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            int rows = Math.Min(options.BatchSize, count - start);
            var x = pixels.narrow(0, (long)start * dimensions, (long)rows * dimensions).reshape(rows, a.ImageChannels, a.ImageHeight, a.ImageWidth);
            var (mean, logVariance) = network.Encode(x);
            var std = (0.5 * logVariance).exp();
            var klRows = 0.5 * (mean.square() + logVariance.exp() - 1 - logVariance).sum(1);
            // log w_k = log p(x | z_k) + log p(z_k) − log q(z_k | x); the normalising constants of p(z) and q cancel.
            var logWeights = new List<Tensor>();
            var reconstructionRows = zeros(rows);
            for (int k = 0; k < options.Samples; k++)
            {
                var epsilon = randn([rows, a.LatentDimensions], generator: generator);
                var z = mean + std * epsilon;
                var logLikelihood = EvidenceLowerBound.LogLikelihood(a, x, network.Decode(z), binarize);
                reconstructionRows = reconstructionRows - logLikelihood / options.Samples;
                var logPrior = -0.5 * z.square().sum(1);
                var logPosterior = -0.5 * (epsilon.square() + logVariance).sum(1);
                logWeights.Add(logLikelihood + logPrior - logPosterior);
            }
            var perImage = options.Samples == 1
                ? reconstructionRows + klRows
                : -(stack(logWeights, 1).logsumexp(1) - Math.Log(options.Samples));
            var values = (perImage * toBits).to(ScalarType.Float64).data<double>().ToArray();
            values.CopyTo(bound, start);
            reconstruction += reconstructionRows.sum().ToDouble() * toBits;
            kl += klRows.sum().ToDouble() * toBits;
        }
        double mean1 = bound.Average();
        double standardError = Math.Sqrt(bound.Sum(b => (b - mean1) * (b - mean1)) / (count - 1) / count);
        var warnings = new List<string>();
        if (binarize)
            warnings.Add("The VAE has a Bernoulli decoder: the bound is of the images binarised at 0.5, not of their 8-bit pixels, and does not compare with bounds of 8-bit images.");
        if (!read.FromImages && OffGrid(read.Pixels, count * dimensions))
            warnings.Add("Some pixels are not on the 8-bit grid; the discretised decoder's bound assumes 8-bit images.");
        if (warnings.Count > 0)
        {
            using var ch = _host.Start("EvaluateLikelihood");
            foreach (var w in warnings) ch.Warning(w);
        }
        return new VaeLikelihood(mean1, standardError, reconstruction / count, kl / count, count, dimensions, options.Samples, warnings);
    }
}
