using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

/// <summary>Adds <c>mlContext.Diffusion().CreateExperiment(...)</c>.</summary>
public static class DiffusionExperimentCatalog
{
    /// <summary>
    /// A sweep of the diffusion options under a time budget: successive halving over trial budgets with random search,
    /// scored by validation L_simple (or the Fréchet distance). Run it with <see cref="DiffusionExperiment.RunAsync"/>.
    /// </summary>
    /// <param name="catalog">The diffusion catalog.</param>
    /// <param name="train">Training images.</param>
    /// <param name="validation">Validation images (the first <see cref="DiffusionExperimentOptions.ValidationImages"/> are scored).</param>
    /// <param name="budget">The whole experiment's wall-clock time; trial budgets are derived from it unless the options give them.</param>
    /// <param name="options">Base options, search space, metric and budgets; null for defaults.</param>
    /// <exception cref="ArgumentException">A view has no usable image column or no rows, or the search space sets a name that is no
    /// option of <see cref="DiffusionEstimator.Options"/> (or a value its type cannot take).</exception>
    public static DiffusionExperiment CreateExperiment(this DiffusionOperationsCatalog catalog, IDataView train, IDataView validation, TimeSpan budget,
        DiffusionExperimentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        return new DiffusionExperiment(catalog.Context, train, validation, budget, options ?? new DiffusionExperimentOptions());
    }
}
