using System.Globalization;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>Sample-quality metrics of generated images against a reference set (see docs/quality.md for what values mean).</summary>
public sealed class DiffusionMetrics
{
    /// <summary>Below this many generated images the Fréchet distance is biased upwards noticeably; the metrics then carry a warning.</summary>
    public const int RecommendedSampleCount = 1000;

    internal DiffusionMetrics(double frechetDistance, double classifierScore, int sampleCount, long referenceCount,
        double? precision, double? recall, IReadOnlyList<double> classDistribution, string featureExtractorName, IReadOnlyList<string> warnings)
    {
        FrechetDistance = frechetDistance;
        ClassifierScore = classifierScore;
        SampleCount = sampleCount;
        ReferenceCount = referenceCount;
        Precision = precision;
        Recall = recall;
        ClassDistribution = classDistribution;
        FeatureExtractorName = featureExtractorName;
        Warnings = warnings;
    }

    /// <summary>The Fréchet distance between the Gaussians fitted to generated and reference features (lower is better; 0 for identical statistics).</summary>
    public double FrechetDistance { get; }

    /// <summary>
    /// exp E[KL(p(y|x) ‖ p(y))] over the generated images, the Inception Score computed with the feature network's
    /// classifier: between 1 and the class count, higher when images are classified confidently and the classes
    /// are balanced. NaN if the feature network has no classifier.
    /// </summary>
    public double ClassifierScore { get; }

    /// <summary>The number of generated images evaluated.</summary>
    public int SampleCount { get; }

    /// <summary>The number of reference images behind the reference statistics.</summary>
    public long ReferenceCount { get; }

    /// <summary>Improved precision (share of generated images inside the reference feature manifold), if requested.</summary>
    public double? Precision { get; }

    /// <summary>Improved recall (share of reference images inside the generated feature manifold), if requested.</summary>
    public double? Recall { get; }

    /// <summary>The mean predicted class distribution p(y) of the generated images (empty without a classifier); a skewed one reveals missing classes.</summary>
    public IReadOnlyList<double> ClassDistribution { get; }

    /// <summary>The feature network used.</summary>
    public string FeatureExtractorName { get; }

    /// <summary>Reasons to distrust the numbers, such as too few samples; empty when there are none.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A one-line summary, e.g. for console output.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = string.Format(c, "FD {0:F2} ({1} samples vs {2} reference), classifier score {3:F2}", FrechetDistance, SampleCount, ReferenceCount, ClassifierScore);
        if (Precision is double p && Recall is double r) text += string.Format(c, ", precision {0:F3}, recall {1:F3}", p, r);
        foreach (var w in Warnings) text += " [warning: " + w + "]";
        return text;
    }
}
