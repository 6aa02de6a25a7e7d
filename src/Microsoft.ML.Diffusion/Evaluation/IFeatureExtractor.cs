namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// A network that maps images to feature vectors (for the Fréchet distance) and, optionally, to class
/// probabilities (for the classifier score). The bundled <see cref="FashionMnistFeatureExtractor"/> suits
/// 28×28 grayscale images; implement this interface to evaluate other data.
/// </summary>
public interface IFeatureExtractor
{
    /// <summary>
    /// Identifies the network and its weights. Statistics are only compared when their names match, so change
    /// the name whenever the weights change.
    /// </summary>
    string Name { get; }

    /// <summary>Channels of the input images: 1 (images are converted to luminance) or 3 (RGB).</summary>
    int ImageChannels { get; }

    /// <summary>The input height in pixels.</summary>
    int ImageHeight { get; }

    /// <summary>The input width in pixels.</summary>
    int ImageWidth { get; }

    /// <summary>The length of each feature vector.</summary>
    int FeatureDimension { get; }

    /// <summary>The number of classes of the probability output, or 0 if the network has none (the classifier score is then NaN).</summary>
    int ClassCount { get; }

    /// <summary>Features (and class probabilities) of <paramref name="count"/> images.</summary>
    /// <param name="pixels">
    /// The images one after another, each planar C×H×W (row-major within a plane), intensities in [0, 1].
    /// </param>
    /// <param name="count">The number of images in <paramref name="pixels"/>.</param>
    ExtractedFeatures Extract(ReadOnlySpan<float> pixels, int count);
}

/// <summary>What an <see cref="IFeatureExtractor"/> returns for a batch of images.</summary>
/// <param name="Features">One vector of <see cref="IFeatureExtractor.FeatureDimension"/> values per image.</param>
/// <param name="Probabilities">
/// One distribution over <see cref="IFeatureExtractor.ClassCount"/> classes per image (each summing to 1), or
/// null when the network has no classifier.
/// </param>
public sealed record ExtractedFeatures(double[][] Features, double[][]? Probabilities);
