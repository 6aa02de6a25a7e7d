namespace Microsoft.ML.Diffusion;

/// <summary>Adds <c>mlContext.Diffusion()</c>, as AutoML adds <c>mlContext.Auto()</c>.</summary>
public static class MLContextDiffusionExtensions
{
    /// <summary>Diffusion operations outside pipelines: sample-quality evaluation and reference statistics.</summary>
    /// <param name="mlContext">The context; its log receives evaluation warnings.</param>
    public static DiffusionOperationsCatalog Diffusion(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new DiffusionOperationsCatalog(mlContext);
    }
}
