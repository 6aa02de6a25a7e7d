namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>Settings of <c>mlContext.Diffusion().Evaluate</c> and <c>ComputeReferenceStatistics</c>.</summary>
public sealed class DiffusionEvaluationOptions
{
    /// <summary>The feature network; null uses the bundled <see cref="FashionMnistFeatureExtractor"/> (28×28 grayscale).</summary>
    public IFeatureExtractor? FeatureExtractor;

    /// <summary>
    /// For a Single vector image column, pixels map to [−1, 1] as (value − <see cref="InputOffset"/>) · <see cref="InputScale"/>,
    /// the same convention as <see cref="DiffusionEstimator.Options.InputScale"/>. The defaults fit 0…255 pixels. MLImage columns always map 0…255.
    /// </summary>
    public float InputScale = 1f / 127.5f;

    /// <summary>See <see cref="InputScale"/>.</summary>
    public float InputOffset = 127.5f;

    /// <summary>Images passed to the feature network at once.</summary>
    public int BatchSize = 256;

    /// <summary>
    /// Also compute improved precision and recall in feature space. Needs the features of both sets, so only the
    /// overload that takes two data views computes them; costs O(N²) distance evaluations.
    /// </summary>
    public bool ComputePrecisionRecall;

    /// <summary>The k of the k-nearest-neighbour balls of precision and recall (3 in Kynkäänniemi et al.).</summary>
    public int PrecisionRecallNeighbors = 3;

    /// <summary>Stops reading images between rows.</summary>
    public CancellationToken CancellationToken;

    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (PrecisionRecallNeighbors < 1)
            throw new ArgumentOutOfRangeException(nameof(PrecisionRecallNeighbors), PrecisionRecallNeighbors, "PrecisionRecallNeighbors must be positive.");
        if (!float.IsFinite(InputScale) || InputScale == 0)
            throw new ArgumentOutOfRangeException(nameof(InputScale), InputScale, "InputScale must be finite and non-zero.");
        if (!float.IsFinite(InputOffset))
            throw new ArgumentOutOfRangeException(nameof(InputOffset), InputOffset, "InputOffset must be finite.");
    }
}
