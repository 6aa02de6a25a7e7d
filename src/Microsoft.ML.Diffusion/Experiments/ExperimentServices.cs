// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// What factories passed to the Set* methods can ask for, in place of upstream's dependency-injection container:
/// the context, the settings (seed, search space), the experiment's log channel and the data set.
/// </summary>
internal sealed class ExperimentServices(MLContext context, AutoMLExperiment experiment, IChannel channel) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType switch
    {
        _ when serviceType == typeof(MLContext) => context,
        _ when serviceType == typeof(AutoMLExperiment.AutoMLExperimentSettings) => experiment.Settings,
        _ when serviceType == typeof(IChannel) => channel,
        _ when serviceType == typeof(ITrainValidateDatasetManager) || serviceType == typeof(IDatasetManager) => experiment.DatasetManager,
        _ => null,
    };
}
