using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>Variational autoencoders in ML.NET pipelines: <c>mlContext.Transforms.VariationalAutoencoder(...)</c>.</summary>
public static class VariationalAutoencoderCatalog
{
    /// <summary>Trains a convolutional VAE on an image column and generates images into <paramref name="outputColumnName"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The generated image column.</param>
    /// <param name="inputColumnName">The training images: MLImage, or a Single vector of C×H×W.</param>
    /// <param name="latentDimensions">Dimensions of the latent z.</param>
    /// <param name="maxEpochs">Passes over the data.</param>
    /// <param name="trainingTime">Optional wall-clock budget.</param>
    public static VariationalAutoencoderEstimator VariationalAutoencoder(this TransformsCatalog catalog,
        string outputColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage,
        string inputColumnName = DiffusionEstimator.DefaultColumnNames.Image,
        int latentDimensions = 32,
        int maxEpochs = 10,
        TimeSpan? trainingTime = null)
        => VariationalAutoencoder(catalog, new VariationalAutoencoderEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            LatentDimensions = latentDimensions,
            MaxEpochs = maxEpochs,
            TrainingTime = trainingTime,
        });

    /// <summary>Trains a VAE with every option spelled out.</summary>
    public static VariationalAutoencoderEstimator VariationalAutoencoder(this TransformsCatalog catalog, VariationalAutoencoderEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new VariationalAutoencoderEstimator(catalog.GetEnvironment(), options);
    }
}
