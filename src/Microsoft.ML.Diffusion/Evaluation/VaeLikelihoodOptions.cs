namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>Settings of <c>mlContext.Diffusion().EvaluateLikelihood</c> for a VAE.</summary>
public sealed class VaeLikelihoodOptions
{
    /// <summary>The image column: MLImage (0…255) or a Single vector of C×H×W mapped by <see cref="InputScale"/> and <see cref="InputOffset"/>.</summary>
    public string ImageColumnName = DiffusionEstimator.DefaultColumnNames.Image;

    /// <summary>For a vector column, pixels map to [−1, 1] as (value − <see cref="InputOffset"/>) · <see cref="InputScale"/>; the defaults fit 0…255.</summary>
    public float InputScale = 1f / 127.5f;

    /// <summary>See <see cref="InputScale"/>.</summary>
    public float InputOffset = 127.5f;

    /// <summary>The first this many images of the view are scored (null: all).</summary>
    public int? MaxImages = 256;

    /// <summary>
    /// Posterior draws K per image. 1 gives the ELBO; K &gt; 1 also gives the importance-weighted bound
    /// log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x) (Burda et al. 2016), which is tighter and tends to log p(x) as K grows.
    /// </summary>
    public int Samples = 1;

    /// <summary>Images evaluated by the network at once.</summary>
    public int BatchSize = 64;

    /// <summary>Seed of the posterior draws.</summary>
    public int Seed;

    internal void Validate()
    {
        var violation = Violation.NonEmpty(nameof(ImageColumnName), ImageColumnName)
            ?? ModelBounds.Scaling(InputScale, InputOffset)
            ?? (MaxImages is int m ? Violation.AtLeast(nameof(MaxImages), m, 2, " (the standard error needs two images), or null for all") : null)
            ?? Violation.Between(nameof(Samples), Samples, 1, 100_000)
            ?? Violation.AtLeast(nameof(BatchSize), BatchSize, 1);
        if (violation is not null) throw violation.ForOption("Likelihood option");
    }
}
