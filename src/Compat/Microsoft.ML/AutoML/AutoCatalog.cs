// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.AutoML;

/// <summary>AutoML operations: this subset carries the general experiment runner only (no task-specific sweepable pipelines).</summary>
public sealed class AutoCatalog
{
    private readonly MLContext _context;

    internal AutoCatalog(MLContext context)
    {
        _context = context;
    }

    /// <summary>An experiment to configure with its fluent Set* methods and run with <see cref="AutoMLExperiment.RunAsync"/>.</summary>
    /// <param name="settings">Seed, time limit and search space; null for defaults (the context's seed, 24 hours).</param>
    public AutoMLExperiment CreateExperiment(AutoMLExperiment.AutoMLExperimentSettings? settings = null)
        => new(_context, settings ?? new AutoMLExperiment.AutoMLExperimentSettings());
}
