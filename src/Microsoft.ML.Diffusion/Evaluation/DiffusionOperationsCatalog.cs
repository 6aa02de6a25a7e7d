using System.Globalization;
using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Diffusion operations that are not pipeline steps, reached through <c>mlContext.Diffusion()</c>: sample-quality
/// evaluation (Fréchet distance, classifier score, precision/recall) and reusable reference statistics.
/// </summary>
public sealed partial class DiffusionOperationsCatalog
{
    private readonly IHost _host;

    internal DiffusionOperationsCatalog(MLContext context)
    {
        Context = context;
        _host = ((IHostEnvironment)context).Register("Diffusion");
    }

    /// <summary>The context, for operations defined in other files (experiments).</summary>
    internal MLContext Context { get; }

    /// <summary>Compares generated images with reference images, e.g. the Fashion-MNIST test split.</summary>
    /// <param name="generated">The generated images, e.g. the output of a <see cref="DiffusionSamplerTransformer"/>.</param>
    /// <param name="reference">Real images.</param>
    /// <param name="generatedColumnName">The image column of <paramref name="generated"/>: MLImage or Vector&lt;Single&gt;.</param>
    /// <param name="referenceColumnName">The image column of <paramref name="reference"/>.</param>
    /// <param name="options">Feature network, vector scaling, precision/recall; null for defaults.</param>
    /// <exception cref="ArgumentException">A set has fewer than 2 images, or a column is missing or of the wrong type or size.</exception>
    public DiffusionMetrics Evaluate(IDataView generated, IDataView reference,
        string generatedColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage,
        string referenceColumnName = DiffusionEstimator.DefaultColumnNames.Image,
        DiffusionEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new DiffusionEvaluationOptions();
        options.Validate();
        var (extractor, owned) = ResolveExtractor(options);
        using (owned)
        {
            var fake = ReadSet(generated, generatedColumnName, extractor, options, "generated");
            var real = ReadSet(reference, referenceColumnName, extractor, options, "reference");
            var referenceStatistics = FeatureStatistics.FromFeatures(real.Features, extractor.Name);
            (double, double)? pr = options.ComputePrecisionRecall
                ? PrecisionRecall.Compute(real.Features, fake.Features, options.PrecisionRecallNeighbors)
                : null;
            return Score(fake, referenceStatistics, extractor, pr);
        }
    }

    /// <summary>Compares generated images with reference statistics computed earlier by <see cref="ComputeReferenceStatistics"/>.</summary>
    /// <param name="generated">The generated images.</param>
    /// <param name="reference">Statistics of the reference set, from the same feature network.</param>
    /// <param name="generatedColumnName">The image column of <paramref name="generated"/>: MLImage or Vector&lt;Single&gt;.</param>
    /// <param name="options">Feature network and vector scaling; precision/recall are not available from statistics.</param>
    /// <exception cref="ArgumentException">Fewer than 2 images, a bad column, or statistics of a different feature network.</exception>
    public DiffusionMetrics Evaluate(IDataView generated, FeatureStatistics reference,
        string generatedColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage,
        DiffusionEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new DiffusionEvaluationOptions();
        options.Validate();
        var (extractor, owned) = ResolveExtractor(options);
        using (owned)
        {
            if (reference.FeatureExtractorName != extractor.Name)
                throw new ArgumentException(
                    $"The reference statistics were computed with feature network '{reference.FeatureExtractorName}' but evaluation uses '{extractor.Name}'; " +
                    "recompute them with ComputeReferenceStatistics and the same DiffusionEvaluationOptions.FeatureExtractor.", nameof(reference));
            var fake = ReadSet(generated, generatedColumnName, extractor, options, "generated");
            return Score(fake, reference, extractor, null);
        }
    }

    /// <summary>
    /// The feature mean and covariance of a reference set, to compute once and pass to
    /// <see cref="Evaluate(IDataView, FeatureStatistics, string, DiffusionEvaluationOptions?)"/> many times (or save with <see cref="FeatureStatistics.Save(string)"/>).
    /// </summary>
    /// <param name="reference">Real images.</param>
    /// <param name="imageColumnName">Their column: MLImage or Vector&lt;Single&gt;.</param>
    /// <param name="options">Feature network and vector scaling; null for defaults.</param>
    /// <exception cref="ArgumentException">Fewer than 2 images, or a column is missing or of the wrong type or size.</exception>
    public FeatureStatistics ComputeReferenceStatistics(IDataView reference,
        string imageColumnName = DiffusionEstimator.DefaultColumnNames.Image,
        DiffusionEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new DiffusionEvaluationOptions();
        options.Validate();
        var (extractor, owned) = ResolveExtractor(options);
        using (owned)
        {
            var real = ReadSet(reference, imageColumnName, extractor, options, "reference");
            return FeatureStatistics.FromFeatures(real.Features, extractor.Name);
        }
    }

    private static (IFeatureExtractor extractor, IDisposable? owned) ResolveExtractor(DiffusionEvaluationOptions options)
    {
        if (options.FeatureExtractor is IFeatureExtractor custom) return (custom, null);
        var bundled = FashionMnistFeatureExtractor.LoadBundled();
        return (bundled, bundled);
    }

    private static FeatureSet ReadSet(IDataView data, string columnName, IFeatureExtractor extractor, DiffusionEvaluationOptions options, string role)
    {
        var set = EvaluationImageReader.Extract(data, columnName, extractor, options, role);
        if (set.Count < 2)
            throw new ArgumentException(
                $"The {role} data has {set.Count} image(s) in column '{columnName}'; the Fréchet distance needs at least 2 (and {DiffusionMetrics.RecommendedSampleCount} or more to be reliable).",
                role);
        return set;
    }

    private DiffusionMetrics Score(FeatureSet generated, FeatureStatistics reference, IFeatureExtractor extractor, (double precision, double recall)? pr)
    {
        var generatedStatistics = FeatureStatistics.FromFeatures(generated.Features, extractor.Name);
        double fd = FrechetDistance.Compute(generatedStatistics, reference);
        double score = double.NaN;
        double[] marginal = [];
        if (generated.Probabilities is { } probabilities) score = ClassifierScore.Compute(probabilities, out marginal);

        var warnings = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (generated.Count < DiffusionMetrics.RecommendedSampleCount)
            warnings.Add(string.Format(c, "only {0} generated images: with fewer than {1} the Fréchet distance is biased upwards and noisy; compare numbers only at equal sample counts",
                generated.Count, DiffusionMetrics.RecommendedSampleCount));
        if (reference.Count < DiffusionMetrics.RecommendedSampleCount)
            warnings.Add(string.Format(c, "only {0} reference images: reference statistics from fewer than {1} images are unreliable",
                reference.Count, DiffusionMetrics.RecommendedSampleCount));
        if (warnings.Count > 0)
        {
            using var ch = _host.Start("Evaluate");
            foreach (var w in warnings) ch.Warning(w);
        }
        return new DiffusionMetrics(fd, score, generated.Count, reference.Count, pr?.precision, pr?.recall, marginal, extractor.Name, warnings);
    }
}
