// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML.Data;

/// <summary>An estimator whose fitting learns nothing: <see cref="Fit"/> checks the input and returns a fixed transformer.</summary>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    private protected readonly IHost Host;
    private protected readonly TTransformer Transformer;

    private protected TrivialEstimator(IHost host, TTransformer transformer)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
    }

    /// <summary>Checks that <paramref name="input"/> suits the transformer and returns it.</summary>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <summary>The shape the transformer produces.</summary>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
