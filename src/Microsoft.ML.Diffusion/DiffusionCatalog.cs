using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>Diffusion models in ML.NET pipelines: <c>mlContext.Transforms.Diffusion(...)</c>.</summary>
public static class DiffusionCatalog
{
    /// <summary>
    /// Trains a DDPM on an image column and generates images into <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The generated image column.</param>
    /// <param name="inputColumnName">The training images: MLImage, or a Single vector of C×H×W.</param>
    /// <param name="maxEpochs">Passes over the data.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="learningRate">Peak learning rate.</param>
    /// <param name="trainingTime">Optional wall-clock budget.</param>
    public static DiffusionEstimator Diffusion(this TransformsCatalog catalog,
        string outputColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage,
        string inputColumnName = DiffusionEstimator.DefaultColumnNames.Image,
        int maxEpochs = DiffusionEstimator.Defaults.MaxEpochs,
        int batchSize = DiffusionEstimator.Defaults.BatchSize,
        double learningRate = DiffusionEstimator.Defaults.LearningRate,
        TimeSpan? trainingTime = null)
        => Diffusion(catalog, new DiffusionEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            MaxEpochs = maxEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
            TrainingTime = trainingTime,
        });

    /// <summary>Trains a DDPM with every option spelled out.</summary>
    public static DiffusionEstimator Diffusion(this TransformsCatalog catalog, DiffusionEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DiffusionEstimator(catalog.GetEnvironment(), options);
    }
}
