// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>Builds chains by appending.</summary>
public static class LearningPipelineExtensions
{
    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="estimator"/>.</summary>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator, TransformerScope scope = TransformerScope.Everything)
        where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(estimator);
        return start is EstimatorChain<ITransformer> chain
            ? chain.Append(estimator, scope)
            : new EstimatorChain<ITransformer>().Append(start).Append(estimator, scope);
    }

    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="transformer"/>.</summary>
    public static TransformerChain<TTrans> Append<TTrans>(this ITransformer start, TTrans transformer)
        where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(transformer);
        return start is TransformerChain<ITransformer> chain
            ? chain.Append(transformer)
            : new TransformerChain<TTrans>(new[] { start, transformer }, new[] { TransformerScope.Everything, TransformerScope.Everything });
    }
}
