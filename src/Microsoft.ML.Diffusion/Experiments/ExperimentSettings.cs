// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Limits shared by experiments.</summary>
public abstract class ExperimentSettings
{
    /// <summary>The time the experiment may start new trials for; default one day. A running trial is stopped when it runs out (once some trial has completed).</summary>
    public uint MaxExperimentTimeInSeconds { get; set; } = 24 * 60 * 60;

    /// <summary>Stops the experiment; <see cref="AutoMLExperiment.RunAsync"/> then returns the best trial so far.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The maximum number of trials (internal upstream too; set it with SetMaxModelToExplore).</summary>
    internal int MaxModels = int.MaxValue;

    /// <summary>Settings with the defaults above (public upstream too, although the class is abstract).</summary>
    public ExperimentSettings()
    {
    }
}
